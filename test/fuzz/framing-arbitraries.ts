// Raw HTTP/1.1 requests for the framing property: valid ones (Content-Length or chunked bodies,
// extensions, trailers, HTTP/1.0 keep-alive), byte mutations of them, pipelines of up to three, and
// random points where TCP cuts them.
import fc from "fast-check";

export interface RawCase {
  /** The bytes, latin1. */
  readonly bytes: string;
  /** Offsets where the bytes are cut into separate writes. */
  readonly cuts: readonly number[];
  /** How the case was made, for reports. */
  readonly how: string;
}

const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
const fieldValue = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,20}[\x21-\x7e])?$/);
const methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"] as const;
const targets = fc.oneof(
  fc.constantFrom("/", "/a", "/a/b?c=d", "/twirp/livekit.RoomService/CreateRoom", "/settings/regions", "/%41b", "*"),
  fc.stringMatching(/^\/[A-Za-z0-9._~!$&'()*+,;=:@/-]{0,20}(\?[A-Za-z0-9=&%-]{0,10})?$/),
);
const payload = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);

/** A chunked body for `data`: cut into chunks, with extensions and trailers now and then. */
const chunked = (data: string): fc.Arbitrary<string> =>
  fc
    .record({
      cuts: fc.array(fc.nat(Math.max(0, data.length)), { maxLength: 4 }),
      extensions: fc.array(fc.constantFrom("", "", ";a", ";a=b", ';q="x y"', ";n=1;m=2"), { minLength: 6, maxLength: 6 }),
      upper: fc.boolean(),
      trailers: fc.array(fc.tuple(token, fieldValue), { maxLength: 2 }),
    })
    .map(({ cuts, extensions, upper, trailers }) => {
      const points = [...new Set([0, ...cuts, data.length])].sort((a, b) => a - b);
      let out = "";
      for (let i = 0; i + 1 < points.length; i++) {
        const piece = data.slice(points[i], points[i + 1]);
        if (piece === "") continue;
        const size = piece.length.toString(16);
        out += `${upper ? size.toUpperCase() : size}${extensions[i] ?? ""}\r\n${piece}\r\n`;
      }
      return `${out}0${extensions[5]}\r\n${trailers.map(([n, v]) => `X-${n}: ${v}\r\n`).join("")}\r\n`;
    });

/** One valid request. */
export const validRequest: fc.Arbitrary<string> = fc
  .record({
    method: fc.constantFrom(...methods),
    target: targets,
    http10: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
    keepAlive: fc.boolean(),
    fields: fc.array(fc.tuple(token, fieldValue), { maxLength: 4 }),
    body: fc.option(payload, { nil: undefined }),
    framing: fc.constantFrom("length", "length", "chunked"),
    // Now and then a framing field request smuggling is made of.
    quirk: fc.constantFrom(...Array<string>(12).fill(""), "twice", "tab", "both", "list", "case"),
  })
  .chain((r) =>
    (r.body !== undefined && r.framing === "chunked" && !r.http10 ? chunked(r.body) : fc.constant(undefined)).map((encoded) => {
      const lines = [`${r.method} ${r.target} ${r.http10 ? "HTTP/1.0" : "HTTP/1.1"}`, "Host: example"];
      if (r.http10 && r.keepAlive) lines.push("Connection: keep-alive");
      for (const [name, value] of r.fields) lines.push(`X-${name}: ${value}`);
      let body = "";
      if (encoded !== undefined) {
        if (r.quirk === "both") lines.push(`Content-Length: ${encoded.length}`);
        lines.push(
          r.quirk === "list"
            ? "Transfer-Encoding: gzip, chunked"
            : r.quirk === "case"
              ? "Transfer-Encoding: Chunked"
              : "Transfer-Encoding: chunked",
        );
        if (r.quirk === "twice") lines.push("Transfer-Encoding: chunked");
        body = encoded;
      } else if (r.body !== undefined) {
        lines.push(r.quirk === "tab" ? `Content-Length:\t${r.body.length}\t` : `Content-Length: ${r.body.length}`);
        if (r.quirk === "twice") lines.push(`Content-Length: ${r.body.length}`);
        if (r.quirk === "both") lines.push("Transfer-Encoding: chunked");
        body = r.body;
      }
      return `${lines.join("\r\n")}\r\n\r\n${body}`;
    }),
  );

/** Bytes a mutation puts in: those framing turns on, and a few that should never appear. */
const interesting = fc.constantFrom(
  " ",
  "\t",
  "\r",
  "\n",
  "\r\n",
  "\0",
  ":",
  ";",
  "0",
  "a",
  "\x0b",
  "\x0c",
  "\xa0",
  "\xff",
  ",",
  "-",
  "=",
  '"',
);

type Mutation = { readonly kind: "insert" | "replace" | "delete"; readonly at: number; readonly text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: interesting }),
  fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), text: interesting }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), text: fc.constant("") }),
);

function mutate(bytes: string, m: Mutation): string {
  const at = m.at % (bytes.length + 1);
  if (m.kind === "insert") return bytes.slice(0, at) + m.text + bytes.slice(at);
  return bytes.slice(0, at) + m.text + bytes.slice(at + 1);
}

export const rawCase: fc.Arbitrary<RawCase> = fc
  .record({
    requests: fc.array(validRequest, { minLength: 1, maxLength: 3 }),
    mutations: fc.oneof(fc.constant<Mutation[]>([]), fc.array(mutation, { minLength: 1, maxLength: 3 })),
    cuts: fc.array(fc.nat(), { maxLength: 4 }),
  })
  .map(({ requests, mutations, cuts }) => {
    const bytes = mutations.reduce(mutate, requests.join(""));
    const cutAt = [...new Set(cuts.map((c) => c % Math.max(1, bytes.length)))].filter((c) => c > 0).sort((a, b) => a - b);
    return {
      bytes,
      cuts: cutAt,
      how: `${requests.length} request(s), ${mutations.length === 0 ? "unmutated" : mutations.map((m) => `${m.kind}@${m.at}`).join(",")}`,
    };
  });

export function piecesOf(c: RawCase): Buffer[] {
  const bytes = Buffer.from(c.bytes, "latin1");
  const points = [0, ...c.cuts, bytes.length];
  const pieces: Buffer[] = [];
  for (let i = 0; i + 1 < points.length; i++) if (points[i + 1]! > points[i]!) pieces.push(bytes.subarray(points[i], points[i + 1]));
  return pieces;
}
