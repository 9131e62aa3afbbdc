// The raw request shapes of the framing differential (docs/spec/http.md): request smuggling shapes
// (Content-Length with Transfer-Encoding, duplicate lengths, encodings lists and case, folded and
// malformed lines, control bytes), chunked framing, pipelining, Expect: 100-continue, HTTP/1.0
// keep-alive, Connection: close mid-pipeline, upgrades, request targets and versions, limits,
// split writes and half-closed clients.
import {
  body,
  chunkedCall,
  createRoom,
  get,
  oneChunk,
  regions,
  request,
  twirpHeaders,
  twirpPath,
  type FramingShape,
} from "./framing-shape.js";

const shape = (group: string, id: string, pieces: string | readonly string[], options: Partial<FramingShape> = {}): FramingShape => ({
  id,
  group,
  pieces: typeof pieces === "string" ? [pieces] : pieces,
  ...options,
});
const call = createRoom();
const call10 = createRoom(body, { version: "HTTP/1.0" });
/** The bytes of a head just over `size` bytes long. */
const headOf = (size: number): string => get("/settings/regions", ["Host: x", `X-Pad: ${"p".repeat(size - 60)}`]);

export const framingShapes: readonly FramingShape[] = [
  // ---- the baseline --------------------------------------------------------------------------
  shape("baseline", "get-regions", regions),
  shape("baseline", "get-not-found", get("/nope")),
  shape("baseline", "post-create-room", call),
  shape("baseline", "keep-alive-two-gets", regions + get("/nope")),
  shape("baseline", "http10-get-closes", get("/settings/regions", [], "HTTP/1.0")),
  shape("baseline", "http10-post", call10),

  // ---- Content-Length ------------------------------------------------------------------------
  shape("content-length", "cl-duplicate-same", createRoom(body, { framing: ["Content-Length: 13", "Content-Length: 13"] })),
  shape("content-length", "cl-duplicate-different", createRoom(body, { framing: ["Content-Length: 13", "Content-Length: 12"] })),
  shape("content-length", "cl-list", createRoom(body, { framing: ["Content-Length: 13, 13"] })),
  shape("content-length", "cl-plus-sign", createRoom(body, { framing: ["Content-Length: +13"] })),
  shape("content-length", "cl-negative", createRoom(body, { framing: ["Content-Length: -1"] })),
  shape("content-length", "cl-spaces-around", createRoom(body, { framing: ["Content-Length:   13  "] })),
  shape("content-length", "cl-empty", createRoom(body, { framing: ["Content-Length: "] })),
  shape("content-length", "cl-hex", createRoom(body, { framing: ["Content-Length: 0xd"] })),
  shape("content-length", "cl-leading-zeros", createRoom(body, { framing: ["Content-Length: 0013"] })),
  shape("content-length", "cl-twenty-digits", createRoom(body, { framing: ["Content-Length: 99999999999999999999"] })),
  shape("content-length", "cl-shorter-than-body", createRoom(`${body}XY`, { framing: ["Content-Length: 13"] })),
  shape("content-length", "cl-longer-than-body-then-fin", createRoom(body, { framing: ["Content-Length: 20"] }), { halfClose: true }),
  shape("content-length", "cl-space-before-colon", createRoom(body, { framing: ["Content-Length : 13"] })),
  shape("content-length", "cl-on-get", request("GET /settings/regions HTTP/1.1", ["Host: x", "Content-Length: 5"], "hello") + regions),

  // ---- Transfer-Encoding ---------------------------------------------------------------------
  shape("transfer-encoding", "te-chunked", chunkedCall(oneChunk())),
  shape("transfer-encoding", "te-chunked-capitalised", createRoom(oneChunk(), { framing: ["Transfer-Encoding: Chunked"] })),
  shape("transfer-encoding", "te-chunked-upper", createRoom(oneChunk(), { framing: ["Transfer-Encoding: CHUNKED"] })),
  shape("transfer-encoding", "te-chunked-twice-in-a-list", createRoom(oneChunk(), { framing: ["Transfer-Encoding: chunked, chunked"] })),
  shape("transfer-encoding", "te-identity-then-chunked", createRoom(oneChunk(), { framing: ["Transfer-Encoding: identity, chunked"] })),
  shape("transfer-encoding", "te-gzip-then-chunked", createRoom(oneChunk(), { framing: ["Transfer-Encoding: gzip, chunked"] })),
  shape("transfer-encoding", "te-gzip", createRoom(body, { framing: ["Transfer-Encoding: gzip", "Content-Length: 13"] })),
  shape(
    "transfer-encoding",
    "te-two-headers",
    createRoom(oneChunk(), { framing: ["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"] }),
  ),
  shape("transfer-encoding", "te-empty", createRoom(body, { framing: ["Transfer-Encoding: ", "Content-Length: 13"] })),
  shape("transfer-encoding", "te-tab-before-value", createRoom(oneChunk(), { framing: ["Transfer-Encoding:\tchunked"] })),
  shape("transfer-encoding", "te-vertical-tab-after-value", createRoom(oneChunk(), { framing: ["Transfer-Encoding: chunked\x0b"] })),
  shape("transfer-encoding", "te-space-before-colon", createRoom(oneChunk(), { framing: ["Transfer-Encoding : chunked"] })),
  shape("transfer-encoding", "te-folded-value", createRoom(oneChunk(), { framing: ["Transfer-Encoding:", " chunked"] })),
  shape("transfer-encoding", "te-underscore-name", createRoom(body, { framing: ["Transfer_Encoding: chunked", "Content-Length: 13"] })),

  // ---- Content-Length with Transfer-Encoding ---------------------------------------------------
  shape("cl-te", "cl-then-te", createRoom(oneChunk(), { framing: ["Content-Length: 3", "Transfer-Encoding: chunked"] })),
  shape("cl-te", "te-then-cl", createRoom(oneChunk(), { framing: ["Transfer-Encoding: chunked", "Content-Length: 3"] })),
  shape("cl-te", "cl-invalid-with-te", createRoom(oneChunk(), { framing: ["Content-Length: x", "Transfer-Encoding: chunked"] })),
  shape(
    "cl-te",
    "cl-te-then-pipelined",
    createRoom(oneChunk(), { framing: ["Content-Length: 3", "Transfer-Encoding: chunked"] }) + regions,
  ),
  shape(
    "cl-te",
    "http10-te-and-cl",
    createRoom(body, { version: "HTTP/1.0", framing: ["Transfer-Encoding: chunked", "Content-Length: 13"] }),
  ),
  shape("cl-te", "http10-te-only", createRoom(oneChunk(), { version: "HTTP/1.0", framing: ["Transfer-Encoding: chunked"] })),
  shape(
    "cl-te",
    "http10-te-gzip-and-cl",
    createRoom(body, { version: "HTTP/1.0", framing: ["Transfer-Encoding: gzip", "Content-Length: 13"] }),
  ),

  // ---- chunked bodies ------------------------------------------------------------------------
  shape("chunked", "chunk-extension", chunkedCall(oneChunk(body, "d;a=b"))),
  shape("chunked", "chunk-extension-quoted", chunkedCall(oneChunk(body, 'd;a="b c"'))),
  shape("chunked", "chunk-extension-bare-name", chunkedCall(oneChunk(body, "d;a"))),
  shape("chunked", "chunk-extension-empty", chunkedCall(oneChunk(body, "d;"))),
  shape("chunked", "chunk-extension-space-before", chunkedCall(oneChunk(body, "d ;a=b"))),
  shape("chunked", "chunk-extension-space-after", chunkedCall(oneChunk(body, "d; a=b"))),
  shape("chunked", "chunk-extension-control-byte", chunkedCall(oneChunk(body, "d;a\x01"))),
  shape("chunked", "chunk-line-4094-bytes", chunkedCall(oneChunk(body, `d;${"x".repeat(4092)}`))),
  shape("chunked", "chunk-line-4095-bytes", chunkedCall(oneChunk(body, `d;${"x".repeat(4093)}`))),
  shape("chunked", "chunk-size-leading-space", chunkedCall(oneChunk(body, " d"))),
  shape("chunked", "chunk-size-leading-tab", chunkedCall(oneChunk(body, "\td"))),
  shape("chunked", "chunk-size-leading-vt", chunkedCall(oneChunk(body, "\x0bd"))),
  shape("chunked", "chunk-size-leading-ff", chunkedCall(oneChunk(body, "\x0cd"))),
  shape("chunked", "chunk-size-leading-nbsp", chunkedCall(oneChunk(body, "\xa0d"))),
  shape("chunked", "chunk-size-trailing-space", chunkedCall(oneChunk(body, "d "))),
  shape("chunked", "chunk-size-0x", chunkedCall(oneChunk(body, "0xd"))),
  shape("chunked", "chunk-size-upper-hex", chunkedCall(oneChunk(body, "D"))),
  shape("chunked", "chunk-size-16-digits", chunkedCall(oneChunk(body, "000000000000000d"))),
  shape("chunked", "chunk-size-17-digits", chunkedCall(oneChunk(body, "0000000000000000d"))),
  shape("chunked", "chunk-size-bare-lf", chunkedCall(`d\n${body}\r\n0\r\n\r\n`)),
  shape("chunked", "chunk-size-bare-cr", chunkedCall(`d\r${body}\r\n0\r\n\r\n`)),
  shape("chunked", "chunk-data-bare-lf", chunkedCall(`d\r\n${body}\n0\r\n\r\n`)),
  shape("chunked", "chunk-data-no-crlf", chunkedCall(`d\r\n${body}0\r\n\r\n`)),
  shape("chunked", "chunk-data-longer-than-size", chunkedCall(`c\r\n${body}\r\n0\r\n\r\n`)),
  shape("chunked", "chunk-last-bare-lf", chunkedCall(oneChunk(body, "d", "0\n\r\n"))),
  shape("chunked", "chunk-final-bare-lf", chunkedCall(oneChunk(body, "d", "0\r\n\n")), { halfClose: true }),
  shape("chunked", "chunk-last-extension", chunkedCall(oneChunk(body, "d", "0;end=1\r\n\r\n"))),
  shape("chunked", "chunk-two-chunks", chunkedCall(`5\r\n{"nam\r\n8\r\ne":"ab"}\r\n0\r\n\r\n`)),
  shape("chunked", "chunk-zero-chunk-early", chunkedCall(`0\r\n\r\n${body}`)),
  shape("chunked", "trailer-field", chunkedCall(oneChunk(body, "d", "0\r\nX-Trailer: 1\r\n\r\n"))),
  shape("chunked", "trailer-content-length", chunkedCall(oneChunk(body, "d", "0\r\nContent-Length: 5\r\n\r\n"))),
  shape("chunked", "trailer-transfer-encoding", chunkedCall(oneChunk(body, "d", "0\r\nTransfer-Encoding: chunked\r\n\r\n"))),
  shape("chunked", "trailer-request-line", chunkedCall(oneChunk(body, "d", "0\r\nGET /x HTTP/1.1\r\n\r\n"))),
  shape("chunked", "trailer-no-colon", chunkedCall(oneChunk(body, "d", "0\r\nnot a field\r\n\r\n"))),
  shape("chunked", "trailer-folded", chunkedCall(oneChunk(body, "d", "0\r\nX-T: 1\r\n 2\r\n\r\n"))),
  shape("chunked", "trailer-4096-bytes", chunkedCall(oneChunk(body, "d", `0\r\nX-T: ${"y".repeat(4087)}\r\n\r\n`))),
  shape("chunked", "trailer-4097-bytes", chunkedCall(oneChunk(body, "d", `0\r\nX-T: ${"y".repeat(4088)}\r\n\r\n`))),
  shape("chunked", "trailer-declared-content-length", chunkedCall(oneChunk(), ["Trailer: Content-Length"])),

  // ---- header lines ----------------------------------------------------------------------------
  shape("headers", "obs-fold", request("GET /settings/regions HTTP/1.1", ["Host: x", "X-A: a", " b"])),
  shape("headers", "obs-fold-first-line", request("GET /settings/regions HTTP/1.1", [" X-A: a", "Host: x"])),
  shape("headers", "bare-lf-line-endings", "GET /settings/regions HTTP/1.1\nHost: x\n\n"),
  shape("headers", "bare-cr-in-value", request("GET /settings/regions HTTP/1.1", ["Host: x", "X-A: a\rb"])),
  shape("headers", "nul-in-value", request("GET /settings/regions HTTP/1.1", ["Host: x", "X-A: a\x00b"])),
  shape("headers", "del-in-value", request("GET /settings/regions HTTP/1.1", ["Host: x", "X-A: a\x7fb"])),
  shape("headers", "obs-text-in-value", request("GET /settings/regions HTTP/1.1", ["Host: x", "X-A: caf\xe9"])),
  shape("headers", "space-in-name", request("GET /settings/regions HTTP/1.1", ["Host: x", "X A: a"])),
  shape("headers", "empty-name", request("GET /settings/regions HTTP/1.1", ["Host: x", ": a"])),
  shape("headers", "at-sign-in-name", request("GET /settings/regions HTTP/1.1", ["Host: x", "X@A: a"])),
  shape("headers", "line-without-colon", request("GET /settings/regions HTTP/1.1", ["Host: x", "just words"])),
  shape("headers", "value-of-100-kb", request("GET /settings/regions HTTP/1.1", ["Host: x", `X-A: ${"v".repeat(100_000)}`])),
  shape(
    "headers",
    "a-thousand-fields",
    request("GET /settings/regions HTTP/1.1", ["Host: x", ...Array.from({ length: 1000 }, (_, i) => `X-F${i}: ${i}`)]),
  ),

  // ---- the request line ------------------------------------------------------------------------
  shape("request-line", "leading-crlf", `\r\n${regions}`),
  shape("request-line", "leading-lf", `\n${regions}`),
  shape("request-line", "crlf-after-a-post", `${call}\r\n${regions}`),
  shape("request-line", "http-1-2", get("/settings/regions", ["Host: x"], "HTTP/1.2") + get("/nope", ["Host: x"], "HTTP/1.2")),
  shape("request-line", "http-1-9-without-host", get("/settings/regions", [], "HTTP/1.9")),
  shape("request-line", "http-2-0", get("/settings/regions", ["Host: x"], "HTTP/2.0")),
  shape("request-line", "http-0-9", get("/settings/regions", ["Host: x"], "HTTP/0.9")),
  shape("request-line", "http-1-10", get("/settings/regions", ["Host: x"], "HTTP/1.10")),
  shape("request-line", "lower-case-version", get("/settings/regions", ["Host: x"], "http/1.1")),
  shape("request-line", "two-spaces-after-method", request("GET  /settings/regions HTTP/1.1", ["Host: x"])),
  shape("request-line", "space-in-target", request("GET /settings/ regions HTTP/1.1", ["Host: x"])),
  shape("request-line", "tab-separators", request("GET\t/settings/regions\tHTTP/1.1", ["Host: x"])),
  shape("request-line", "lower-case-method", request("get /settings/regions HTTP/1.1", ["Host: x"])),
  shape("request-line", "method-with-a-slash", request("GE/T /settings/regions HTTP/1.1", ["Host: x"])),
  shape("request-line", "control-byte-in-target", request("GET /settings/regions\x01 HTTP/1.1", ["Host: x"])),
  shape("request-line", "non-ascii-target", request("GET /settings/r\xc3\xa9gions HTTP/1.1", ["Host: x"])),

  // ---- request targets -----------------------------------------------------------------------
  shape("target", "percent-encoded-twirp-path", createRoom(body).replace("RoomService", "Room%53ervice")),
  shape("target", "percent-encoded-slash", get("/settings%2Fregions")),
  shape("target", "broken-percent-escape", get("/a%zz")),
  shape("target", "absolute-form", get("http://h/settings/regions")),
  shape("target", "absolute-form-https-port-userinfo", get("https://u:p@h:8443/settings/regions")),
  shape("target", "absolute-form-bad-port", get("http://h:x/settings/regions")),
  shape("target", "absolute-form-without-host-header", get("http://h/settings/regions", [])),
  shape("target", "relative-target", get("settings/regions")),
  shape("target", "options-asterisk", request("OPTIONS * HTTP/1.1", ["Host: x"]) + regions),
  shape("target", "get-asterisk", get("*")),
  shape("target", "connect-authority", request("CONNECT h:443 HTTP/1.1", [])),
  shape("target", "fragment-in-target", get("/settings/regions#top")),

  // ---- Host ------------------------------------------------------------------------------------
  shape("host", "host-missing", get("/settings/regions", [])),
  shape("host", "host-missing-http10", get("/settings/regions", [], "HTTP/1.0")),
  shape("host", "host-twice", get("/settings/regions", ["Host: a", "Host: b"])),
  shape("host", "host-with-space", get("/settings/regions", ["Host: a b"])),
  shape("host", "host-empty", get("/settings/regions", ["Host:"])),

  // ---- pipelining ------------------------------------------------------------------------------
  shape("pipelining", "two-posts", call + createRoom('{"name":"cd"}')),
  shape("pipelining", "get-post-get", regions + call + get("/nope")),
  shape("pipelining", "connection-close-mid-pipeline", regions + get("/settings/regions", ["Host: x", "Connection: close"]) + get("/nope")),
  shape("pipelining", "chunked-then-get", chunkedCall(oneChunk()) + regions),
  shape("pipelining", "bad-second-request", regions + "NOT HTTP\r\n\r\n" + regions),
  shape(
    "pipelining",
    "http10-keep-alive-pipeline",
    get("/settings/regions", ["Connection: keep-alive"], "HTTP/1.0") + get("/nope", [], "HTTP/1.0"),
  ),
  shape("pipelining", "http10-pipeline-without-keep-alive", get("/settings/regions", [], "HTTP/1.0") + get("/nope", [], "HTTP/1.0")),
  shape(
    "pipelining",
    "body-left-unread-then-get",
    request("GET /settings/regions HTTP/1.1", ["Host: x", "Content-Length: 3"], "abc") + get("/nope"),
  ),

  // ---- Expect: 100-continue ----------------------------------------------------------------------
  shape(
    "expect",
    "expect-continue-body-later",
    [createRoom("", { extra: ["Expect: 100-continue"], framing: ["Content-Length: 13"] }), body],
    { pauseMs: 150 },
  ),
  shape("expect", "expect-continue-body-at-once", createRoom(body, { extra: ["Expect: 100-continue"] })),
  shape("expect", "expect-continue-without-body", request("GET /settings/regions HTTP/1.1", ["Host: x", "Expect: 100-continue"])),
  shape("expect", "expect-something-else", createRoom(body, { extra: ["Expect: magic"] })),
  shape("expect", "expect-continue-upper-case", createRoom(body, { extra: ["Expect: 100-Continue"] })),
  shape("expect", "expect-continue-http10", createRoom(body, { version: "HTTP/1.0", extra: ["Expect: 100-continue"] })),

  // ---- Connection --------------------------------------------------------------------------------
  shape("connection", "connection-close", get("/settings/regions", ["Host: x", "Connection: close"]) + get("/nope")),
  shape("connection", "connection-close-upper-case", get("/settings/regions", ["Host: x", "Connection: CLOSE"]) + get("/nope")),
  shape("connection", "connection-keep-alive-and-close", get("/settings/regions", ["Host: x", "Connection: keep-alive, close"])),
  shape("connection", "http10-keep-alive", get("/settings/regions", ["Connection: keep-alive"], "HTTP/1.0")),
  shape("connection", "http10-keep-alive-in-a-list", get("/settings/regions", ["Connection: foo , Keep-Alive"], "HTTP/1.0")),

  // ---- upgrades ----------------------------------------------------------------------------------
  shape("upgrade", "websocket-upgrade-elsewhere", get("/settings/regions", ["Host: x", "Connection: Upgrade", "Upgrade: websocket"])),
  shape(
    "upgrade",
    "h2c-upgrade-on-twirp",
    createRoom(body, { extra: ["Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA"] }),
  ),
  shape(
    "upgrade",
    "websocket-upgrade-without-token",
    get("/rtc", [
      "Host: x",
      "Connection: Upgrade",
      "Upgrade: websocket",
      "Sec-WebSocket-Version: 13",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    ]),
  ),
  shape("upgrade", "h2-preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),

  // ---- limits ------------------------------------------------------------------------------------
  shape("limits", "head-of-1040000-bytes", headOf(1_040_000)),
  shape("limits", "head-of-1100000-bytes", headOf(1_100_000)),
  shape("limits", "target-of-60-kb", get(`/settings/regions?${"q".repeat(60_000)}`)),
  shape("limits", "ten-thousand-blank-lines", `${"\r\n".repeat(10_000)}${regions}`),
  shape("limits", "a-megabyte-of-blank-lines", "\r\n".repeat(600_000)),
  shape("limits", "body-of-5-mib", createRoom(`{"name":"ab","metadata":"${"m".repeat(5 * 1024 * 1024)}"}`)),

  // ---- split writes ------------------------------------------------------------------------------
  shape("split", "split-inside-crlf", [call.slice(0, call.indexOf("\r\n") + 1), call.slice(call.indexOf("\r\n") + 1)]),
  shape("split", "split-head-and-body", [call.slice(0, call.length - body.length), body]),
  shape("split", "split-body-in-three", [call.slice(0, call.length - 9), body.slice(4, 8), body.slice(8)]),
  shape(
    "split",
    "split-inside-chunk-size",
    (() => {
      const whole = chunkedCall(`5\r\n{"nam\r\n8\r\ne":"ab"}\r\n0\r\n\r\n`);
      const at = whole.indexOf("8\r\n") + 1;
      return [whole.slice(0, at), whole.slice(at)];
    })(),
  ),
  shape(
    "split",
    "split-inside-trailer",
    (() => {
      const whole = chunkedCall(oneChunk(body, "d", "0\r\nX-Trailer: 1\r\n\r\n"));
      const at = whole.indexOf("X-Tr") + 2;
      return [whole.slice(0, at), whole.slice(at)];
    })(),
  ),
  shape("split", "split-byte-by-byte", [...request(`POST ${twirpPath} HTTP/1.1`, [...twirpHeaders, "Content-Length: 13"], body)], {
    pauseMs: 2,
  }),

  // ---- half-closed clients -------------------------------------------------------------------------
  shape("half-close", "fin-after-request", call, { halfClose: true }),
  shape("half-close", "fin-after-two-requests", call + regions, { halfClose: true }),
  shape("half-close", "fin-mid-head", call.slice(0, 40), { halfClose: true }),
  shape("half-close", "fin-mid-body", call.slice(0, call.length - 4), { halfClose: true }),
  shape("half-close", "fin-mid-chunked-body", chunkedCall(`5\r\n{"nam\r\n`), { halfClose: true }),
];
