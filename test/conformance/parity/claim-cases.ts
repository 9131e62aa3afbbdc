// Token claims as Go's encoding/json decodes them into golang-jwt's and LiveKit's structs: keys in
// any case (Go's fold), repeated keys (the later wins, objects merge, null resets pointers), numbers
// as NumericDate reads them (quoted, fractional, overflowing), wrong types anywhere in the struct
// tree, the header's alg, base64 details. Each token goes to an API call, whose status shows what
// the original granted, and to /rtc/validate, whose body shows the original's reason word for word.
import { rawTokenText, nowPlus } from "../../support/raw-jwt.js";
import { plainCase, twirpCase } from "./case-builder.js";
import type { ParityCase } from "./parity-case.js";

interface ClaimCase {
  readonly id: string;
  /** The claims segment's JSON, `$E` standing for a valid exp and `$N` for now. */
  readonly payload: string;
  /** The header segment's JSON, verbatim. */
  readonly header?: string;
  /** The RPC that shows the outcome; default CreateRoom, which needs video.roomCreate. */
  readonly key?: string;
  /** Rewrites the finished token (to break its base64). */
  readonly mangle?: (token: string) => string;
  /** Also ask /rtc/validate (default true): its body carries the reason text. */
  readonly validate?: boolean;
  /** The token verifies but lacks the grant: 403, whose msg names the grant here (intended). */
  readonly denied?: true;
}

const createRoom = "livekit.RoomService/CreateRoom";
const listSipTrunk = "livekit.SIP/ListSIPTrunk";
const room = '"video":{"roomCreate":true}';

function claimCaseList(): ClaimCase[] {
  const nest = (depth: number): string => `${"[".repeat(depth)}${"]".repeat(depth)}`;
  return [
    // Keys in another case, and Go's folding.
    { id: "all keys upper-cased", payload: '{"EXP":$E,"VIDEO":{"ROOMCREATE":true}}' },
    { id: "grant key lower-cased", payload: '{"exp":$E,"video":{"roomcreate":true}}' },
    { id: "long s (U+017F) folds to s: ſip is sip", payload: '{"exp":$E,"ſip":{"admin":true}}', key: listSipTrunk },
    { id: "Kelvin sign (U+212A) folds to k: Kind is kind", payload: '{"exp":$E,"Kind":5,' + room + "}" },
    { id: "dotless i (U+0131) does not fold to i", payload: '{"exp":$E,"vıdeo":{"roomCreate":true}}', denied: true },
    // Repeated keys.
    { id: "video then Video: the grants merge", payload: '{"exp":$E,"video":{"roomList":true},"Video":{"roomCreate":true}}' },
    {
      id: "roomCreate then RoomCreate false: the later wins",
      payload: '{"exp":$E,"video":{"roomCreate":true,"RoomCreate":false}}',
      denied: true,
    },
    { id: "RoomCreate false then roomCreate: the later wins", payload: '{"exp":$E,"video":{"RoomCreate":false,"roomCreate":true}}' },
    { id: "video then video null: no grants", payload: '{"exp":$E,' + room + ',"video":null}', denied: true },
    { id: "video null then video", payload: '{"exp":$E,"video":null,' + room + "}" },
    { id: "roomCreate then roomCreate null: null leaves a bool", payload: '{"exp":$E,"video":{"roomCreate":true,"roomCreate":null}}' },
    { id: "exp then an expired EXP", payload: '{"exp":$E,"EXP":1000,' + room + "}" },
    { id: "an expired exp then a valid EXP", payload: '{"exp":1000,"EXP":$E,' + room + "}" },
    { id: "exp then exp null: exp is missing", payload: '{"exp":$E,"exp":null,' + room + "}" },
    { id: "sip then SIP merge", payload: '{"exp":$E,"sip":{"call":true},"SIP":{"admin":true}}', key: listSipTrunk },
    { id: "roomConfig null then a valid one", payload: '{"exp":$E,"roomConfig":null,"roomConfig":{"name":"x"},' + room + "}" },
    // NumericDate.
    { id: "exp 1e20 overflows into the past", payload: '{"exp":1e20,' + room + "}" },
    { id: "exp -1e20", payload: '{"exp":-1e20,' + room + "}" },
    { id: "exp 1e18 is far in the future", payload: '{"exp":1e18,' + room + "}" },
    { id: "exp 9.2233720368547e18 wraps past the int64 range", payload: '{"exp":9.2233720368547e18,' + room + "}" },
    { id: "exp 1e400 is out of range", payload: '{"exp":1e400,' + room + "}" },
    { id: "exp 1e-400 is zero", payload: '{"exp":1e-400,' + room + "}" },
    { id: "exp with a fraction", payload: '{"exp":$E.999999,' + room + "}" },
    { id: "exp as a quoted float", payload: '{"exp":"$E.5",' + room + "}" },
    { id: "exp as a quoted exponent", payload: '{"exp":"1.7e9",' + room + "}" },
    { id: "exp quoted with a space", payload: '{"exp":" $E",' + room + "}" },
    { id: "exp quoted with escapes", payload: '{"exp":"\\u0031$E",' + room + "}" },
    { id: "exp as an empty string", payload: '{"exp":"",' + room + "}" },
    { id: "exp true", payload: '{"exp":true,' + room + "}" },
    { id: "exp an object", payload: '{"exp":{},' + room + "}" },
    { id: "exp an array", payload: '{"exp":[1],' + room + "}" },
    { id: "nbf 1e20 overflows into the past", payload: '{"exp":$E,"nbf":1e20,' + room + "}" },
    { id: "nbf far ahead and exp expired", payload: '{"exp":1000,"nbf":99999999999,' + room + "}" },
    { id: "nbf far ahead and no exp", payload: '{"nbf":99999999999,' + room + "}" },
    { id: "iat out of range", payload: '{"exp":$E,"iat":1e999,' + room + "}" },
    // Wrong types: the first one names the field as Go names it.
    { id: "iss a number", payload: '{"exp":$E,"iss":5,' + room + "}" },
    { id: "sub true", payload: '{"exp":$E,"sub":true,' + room + "}" },
    { id: "name an object", payload: '{"exp":$E,"name":{},' + room + "}" },
    { id: "video an array", payload: '{"exp":$E,"video":[]}' },
    { id: "video a string", payload: '{"exp":$E,"video":"x"}' },
    { id: "room a number", payload: '{"exp":$E,"video":{"roomCreate":true,"room":1}}' },
    { id: "roomCreate a number", payload: '{"exp":$E,"video":{"roomCreate":1}}' },
    { id: "canPublish a string", payload: '{"exp":$E,"video":{"roomCreate":true,"canPublish":"x"}}' },
    { id: "canPublishSources with a bool", payload: '{"exp":$E,"video":{"roomCreate":true,"canPublishSources":[true]}}' },
    { id: "kindDetails a string", payload: '{"exp":$E,"kindDetails":"x",' + room + "}" },
    { id: "attributes with a number", payload: '{"exp":$E,"attributes":{"a":1},' + room + "}" },
    { id: "attributes an array", payload: '{"exp":$E,"attributes":[],' + room + "}" },
    { id: "the first of two wrong types is named", payload: '{"exp":$E,"video":{"room":1},"sip":{"admin":"x"}}' },
    { id: "a NumericDate error wins over an earlier type error", payload: '{"exp":$E,"name":5,"iat":"x",' + room + "}" },
    { id: "agent with an unknown key", payload: '{"exp":$E,"agent":{"whatever":"x"},' + room + "}" },
    { id: "agent.admin a number", payload: '{"exp":$E,"agent":{"admin":1},' + room + "}" },
    { id: "agentEndpoint.call a string", payload: '{"exp":$E,"agentEndpoint":{"call":"x"},' + room + "}" },
    { id: "agentThread.threadIds with a number", payload: '{"exp":$E,"agentThread":{"threadIds":[1]},' + room + "}" },
    { id: "aud a number", payload: '{"exp":$E,"aud":5,' + room + "}" },
    { id: "aud with a number", payload: '{"exp":$E,"aud":["a",1],' + room + "}" },
    { id: "aud null", payload: '{"exp":$E,"aud":null,' + room + "}" },
    { id: "roomConfig a number", payload: '{"exp":$E,"roomConfig":5,' + room + "}", validate: false },
    { id: "roomConfig with a repeated field", payload: '{"exp":$E,"roomConfig":{"name":"a","name":"b"},' + room + "}", validate: false },
    { id: "roomConfig with an unknown field", payload: '{"exp":$E,"roomConfig":{"nope":1,"name":"a"},' + room + "}" },
    { id: "unknown claims of any shape", payload: '{"exp":$E,"x":{"y":[1,{"z":null}],"w":1e999},' + room + "}" },
    // The payload as a whole.
    { id: "payload null", payload: "null" },
    { id: "payload an array", payload: "[]" },
    { id: "payload a string", payload: '"x"' },
    { id: "payload with trailing bytes", payload: '{"exp":$E,' + room + "} x" },
    { id: "payload cut short", payload: '{"exp":$E,' + room },
    { id: "payload with a bad literal", payload: '{"exp":$E,"video":{"roomCreate":tru}}' },
    { id: "payload with a bad escape", payload: '{"exp":$E,"name":"\\x",' + room + "}" },
    { id: "payload with a bad number", payload: '{"exp":$E,"n":-x,' + room + "}" },
    { id: "payload with a missing colon", payload: '{"exp" $E}' },
    { id: "payload nested 5000 deep in an unknown claim", payload: `{"exp":$E,"x":${nest(5000)},${room}}` },
    // Go's limit is 10000 levels, the payload object being the first.
    { id: "payload nested 10000 deep in all", payload: `{"exp":$E,"x":${nest(9999)},${room}}` },
    { id: "payload nested 10001 deep in all", payload: `{"exp":$E,"x":${nest(10000)},${room}}` },
    // The header.
    { id: "alg repeated: the last wins", payload: '{"exp":$E,' + room + "}", header: '{"alg":"HS256","alg":"none"}' },
    { id: "alg in another case", payload: '{"exp":$E,' + room + "}", header: '{"ALG":"HS256"}' },
    { id: "alg a number", payload: '{"exp":$E,' + room + "}", header: '{"alg":5}' },
    { id: "alg EdDSA", payload: '{"exp":$E,' + room + "}", header: '{"alg":"EdDSA"}' },
    { id: "header null", payload: '{"exp":$E,' + room + "}", header: "null" },
    { id: "header an array", payload: '{"exp":$E,' + room + "}", header: "[]" },
    { id: "header not JSON", payload: '{"exp":$E,' + room + "}", header: "{alg}" },
    // base64.
    {
      id: "a signature with two extra characters (a lone final base64 character)",
      payload: '{"exp":$E,' + room + "}",
      mangle: (t) => `${t}AA`,
    },
    {
      id: "a signature with a standard-alphabet character",
      payload: '{"exp":$E,' + room + "}",
      mangle: (t) => `${t.slice(0, -1)}+`,
    },
    {
      id: "a claims segment with a padding character",
      payload: '{"exp":$E,' + room + "}",
      mangle: (t) => t.replace(/\.([^.]*)\./, (_, p: string) => `.${p}=.`),
    },
  ];
}

export function claimCases(): ParityCase[] {
  const exp = String(nowPlus(3600));
  const now = String(nowPlus(0));
  return claimCaseList().flatMap((c) => {
    const payload = c.payload.replaceAll("$E", exp).replaceAll("$N", now);
    let jwt = rawTokenText(payload, c.header === undefined ? {} : { header: c.header });
    if (c.mangle !== undefined) jwt = c.mangle(jwt);
    const api = twirpCase({
      id: `claims: ${c.id}`,
      group: "token claims as Go decodes them: API",
      key: c.key ?? createRoom,
      request: c.key === undefined ? { name: "r" } : {},
      token: { authorization: `Bearer ${jwt}` },
      ...(c.denied === true ? { tags: ["auth:missing-grant"] } : {}),
    });
    if (c.validate === false) return [api];
    const validate = plainCase({
      id: `claims validate: ${c.id}`,
      group: "token claims as Go decodes them: validate reasons",
      path: `/rtc/validate?access_token=${encodeURIComponent(jwt)}`,
    });
    return [api, validate];
  });
}
