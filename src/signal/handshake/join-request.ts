// The v1 `join_request` parameter: a base64url WrappedJoinRequest around a (possibly gzipped)
// JoinRequest. Only its `reconnect` flag matters: livekit-client sends a resume on /rtc/v1 with the
// flag in here and no `reconnect=1`. The original reads it the same way (livekit-server
// cmd/test-server/signal.go joinRequestSaysReconnect, v1.13.10 and later), even though its README
// says the parameter is ignored (docs/spec/signal.md#reconnect). Anything undecodable counts as no
// reconnect.
import { gunzipSync } from "node:zlib";
import { fromBinary } from "@bufbuild/protobuf";
import { JoinRequestSchema, WrappedJoinRequest_Compression, WrappedJoinRequestSchema } from "../../../generated/livekit_rtc_pb.js";

// Go's base64.URLEncoding: the URL alphabet, padded.
const paddedBase64Url = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/;

export function joinRequestSaysReconnect(param: string): boolean {
  if (param === "" || !paddedBase64Url.test(param)) return false;
  try {
    const wrapped = fromBinary(WrappedJoinRequestSchema, Buffer.from(param, "base64url"));
    let join: Uint8Array;
    if (wrapped.compression === WrappedJoinRequest_Compression.NONE) join = wrapped.joinRequest;
    else if (wrapped.compression === WrappedJoinRequest_Compression.GZIP) join = gunzipSync(wrapped.joinRequest);
    else return false;
    return fromBinary(JoinRequestSchema, join).reconnect;
  } catch {
    return false;
  }
}
