// `sipStatus`: a failed SIP call reported as a real LiveKit server reports it (docs/spec/sip.md#sip-status).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { useServer } from "../support/server.js";
import { assertTwirpError, twirp, type TwirpOptions, type TwirpReply } from "../support/twirp.js";

const createSip = "livekit.SIP/CreateSIPParticipant";
const transferSip = "livekit.SIP/TransferSIPParticipant";

/** google.rpc.Status{code, message, details[0]: Any{type_url, value: SIPStatus{code, status}}}. */
function decodeErrorDetails(base64: string): { code: number; message: string; typeUrl: string; sipCode: number; sipStatus: string } {
  const out = { code: 0, message: "", typeUrl: "", sipCode: 0, sipStatus: "" };
  const status = new BinaryReader(Buffer.from(base64, "base64"));
  while (status.pos < status.len) {
    const [field] = status.tag();
    if (field === 1) out.code = status.int32();
    else if (field === 2) out.message = status.string();
    else if (field === 3) {
      const any = new BinaryReader(status.bytes());
      while (any.pos < any.len) {
        const [anyField] = any.tag();
        if (anyField === 1) out.typeUrl = any.string();
        else {
          const sip = new BinaryReader(any.bytes());
          while (sip.pos < sip.len) {
            const [sipField] = sip.tag();
            if (sipField === 1) out.sipCode = sip.int32();
            else out.sipStatus = sip.string();
          }
        }
      }
    }
  }
  return out;
}

describe("sipStatus", () => {
  const t = useServer();
  const sip = (sipStatus: unknown, key = createSip, region = 0, more: Record<string, unknown> = {}): Promise<TwirpReply> =>
    twirp(t.url(region), key, { roomName: "r" }, { control: { sipStatus, delayMs: 0, skipAuth: true, ...more } } as TwirpOptions);

  it("turns {code:486,status:'Busy Here'} into the exact 429 resource_exhausted body", async () => {
    const reply = await sip({ code: 486, status: "Busy Here" });
    assert.equal(reply.status, 429);
    assert.equal(reply.contentType, "application/json");
    assert.equal(reply.region, "");
    assert.equal(
      reply.text,
      '{"code":"resource_exhausted","msg":"twirp error unknown: sip status: 486: Busy Here","meta":{"error_details":"CAgSGXNpcCBzdGF0dXMgNDg2OiBCdXN5IEhlcmUaNwoldHlwZS5nb29nbGVhcGlzLmNvbS9saXZla2l0LlNJUFN0YXR1cxIOCOYDEglCdXN5IEhlcmU=","sip_status":"Busy Here","sip_status_code":"486"}}\n',
    );
  });

  it("turns {code:603} into the exact 403 permission_denied body with the enum names", async () => {
    const reply = await sip({ code: 603 });
    assert.equal(reply.status, 403);
    assert.equal(
      reply.text,
      '{"code":"permission_denied","msg":"twirp error unknown: sip status: 603 (GLOBAL_DECLINE)","meta":{"error_details":"CAcSHnNpcCBzdGF0dXMgNjAzOiBHTE9CQUxfREVDTElORRosCiV0eXBlLmdvb2dsZWFwaXMuY29tL2xpdmVraXQuU0lQU3RhdHVzEgMI2wQ=","sip_status":"SIP_STATUS_GLOBAL_DECLINE","sip_status_code":"603"}}\n',
    );
  });

  it("answers a 2xx SIP code with HTTP 200, an empty code and no meta", async () => {
    const reply = await sip({ code: 200 });
    assert.equal(reply.status, 200);
    assert.equal(reply.text, '{"code":"","msg":"twirp error unknown: sip status: 200 (OK)"}\n');
    assert.equal(reply.region, "");
  });

  it("uses the decimal code for names when the code is not in the enum", async () => {
    const reply = await sip({ code: 499 });
    assertTwirpError(reply, { status: 400, code: "invalid_argument", msg: "twirp error unknown: sip status: 499 (499)" });
    const meta = reply.json().meta;
    assert.equal(meta.sip_status, "499");
    assert.equal(meta.sip_status_code, "499");
    assert.deepEqual(decodeErrorDetails(meta.error_details), {
      code: 3,
      message: "sip status 499: 499",
      typeUrl: "type.googleapis.com/livekit.SIPStatus",
      sipCode: 499,
      sipStatus: "",
    });
  });

  it("maps SIP codes to Twirp codes and HTTP statuses per the table, with range fallbacks", async () => {
    const table: [number, string, number, number][] = [
      [0, "unknown", 500, 2],
      [180, "unknown", 500, 2],
      [301, "not_found", 404, 5],
      [399, "invalid_argument", 400, 3],
      [407, "unauthenticated", 401, 16],
      [408, "deadline_exceeded", 408, 4],
      [409, "failed_precondition", 412, 9],
      [416, "out_of_range", 400, 11],
      [480, "resource_exhausted", 429, 8],
      [487, "aborted", 409, 10],
      [503, "failed_precondition", 412, 9],
      [599, "failed_precondition", 412, 9],
      [606, "invalid_argument", 400, 3],
      [699, "invalid_argument", 400, 3],
      [700, "unknown", 500, 2],
    ];
    for (const [code, twirpCode, status, grpc] of table) {
      const reply = await sip({ code });
      assertTwirpError(reply, { status, code: twirpCode });
      const meta = reply.json().meta;
      assert.equal(meta.sip_status_code, String(code));
      assert.equal(decodeErrorDetails(meta.error_details).code, grpc, `gRPC code for SIP ${code}`);
    }
  });

  it("writes the status text verbatim and escapes HTML characters as a Go JSON encoder does", async () => {
    const reply = await sip({ code: 486, status: "<Busy & Here>" });
    assert.ok(reply.text.includes("sip status: 486: \\u003cBusy \\u0026 Here\\u003e"), reply.text);
    assert.equal(reply.json().meta.sip_status, "<Busy & Here>");
    assert.equal(decodeErrorDetails(reply.json().meta.error_details).sipStatus, "<Busy & Here>");
  });

  it("applies to TransferSIPParticipant too", async () => {
    const reply = await sip({ code: 486, status: "Busy Here" }, transferSip);
    assert.equal(reply.status, 429);
    assert.equal(reply.json().code, "resource_exhausted");
  });

  it("applies on every region, not only failing ones", async () => {
    for (const region of [0, 1, 2, 3]) assert.equal((await sip({ code: 603 }, createSip, region)).status, 403);
  });

  it("is ignored by methods other than Create/TransferSIPParticipant", async () => {
    for (const key of ["livekit.SIP/ListSIPInboundTrunk", "livekit.RoomService/ListRooms", "livekit.Nope/Nope"]) {
      const reply = await twirp(t.url(), key, {}, { control: { sipStatus: { code: 486 } } });
      assert.equal(reply.status, 200, key);
    }
  });

  it("comes after the delay: delayMs elapses before the SIP error", async () => {
    const started = performance.now();
    const reply = await sip({ code: 486 }, createSip, 0, { delayMs: 150 });
    assert.ok(performance.now() - started >= 140);
    assert.equal(reply.status, 429);
  });

  it("wins over failRegions on a failing region", async () => {
    const reply = await sip({ code: 486, status: "Busy Here" }, createSip, 0, { failRegions: [0], failStatus: 500 });
    assert.equal(reply.status, 429);
    assert.equal(reply.json().code, "resource_exhausted");
  });

  it("null resets sipStatus to absent", async () => {
    const reply = await twirp(t.url(), createSip, {}, { control: { sipStatus: null, delayMs: 0 } });
    assert.equal(reply.status, 200);
  });

  it("is refused with a 400 when malformed", async () => {
    for (const sipStatus of [{}, { code: "486" }, { code: 486, reason: "x" }, 486, { code: 486.5 }]) {
      const reply = await sip(sipStatus);
      assertTwirpError(reply, {
        status: 400,
        code: "invalid_argument",
        msgStartsWith: "mock: invalid control",
        msgIncludes: ["sipStatus"],
      });
    }
  });
});
