// Handshakes that gorilla/websocket (and so the original) upgrades although a header is malformed
// or unusual, each with what the original answers: 101, and whether it compresses. ws alone
// refused each of these with 400 (docs/spec/signal.md#handshake).
import { randomBytes } from "node:crypto";
import { handshakeLines } from "./raw-websocket.js";

export interface HandshakeCase {
  readonly name: string;
  /** The handshake's header lines after Host. */
  readonly lines: () => [string, string][];
  /** The original's answer. */
  readonly status: number;
  readonly compressed: boolean;
}

const key = (): string => randomBytes(16).toString("base64");

export const acceptedHandshakes: readonly HandshakeCase[] = [
  ...(
    [
      ["permessage-deflate; client_max_window_bits=abc", true],
      ["permessage-deflate; foo=bar", true],
      ["permessage-deflate; server_max_window_bits=7", true],
      ["permessage-deflate; client_max_window_bits; client_max_window_bits", true],
      ['permessage-deflate; client_max_window_bits="15"', true],
      ["x-webkit-deflate-frame, permessage-deflate", true],
      ["permessage-deflate, permessage-deflate; server_no_context_takeover", true],
      ["PERMESSAGE-DEFLATE", false],
      ["permessage-deflate;;", false],
      ["permessage-deflate; =1", false],
      ['"quoted", permessage-deflate', false],
      ["@@@", false],
      [",", false],
      ["permessage-deflate x", false],
    ] as const
  ).map(([value, compressed]) => ({
    name: `Sec-WebSocket-Extensions: ${value}`,
    lines: () => handshakeLines([["Sec-WebSocket-Extensions", value]]),
    status: 101,
    compressed,
  })),
  {
    name: "two Sec-WebSocket-Extensions lines, the first malformed",
    lines: () =>
      handshakeLines([
        ["Sec-WebSocket-Extensions", "@@@"],
        ["Sec-WebSocket-Extensions", "permessage-deflate"],
      ]),
    status: 101,
    compressed: true,
  },
  ...["a b", ",", "chat, chat", '"x"', "livekit, livekit, @"].map((value) => ({
    name: `Sec-WebSocket-Protocol: ${value}`,
    lines: () => handshakeLines([["Sec-WebSocket-Protocol", value]]),
    status: 101,
    compressed: false,
  })),
  {
    name: "Upgrade: websocket, h2c",
    lines: () => [
      ["Connection", "Upgrade"],
      ["Upgrade", "websocket, h2c"],
      ["Sec-WebSocket-Version", "13"],
      ["Sec-WebSocket-Key", key()],
    ],
    status: 101,
    compressed: false,
  },
  {
    name: "Sec-WebSocket-Version: 13, 8",
    lines: () => [
      ["Connection", "Upgrade"],
      ["Upgrade", "websocket"],
      ["Sec-WebSocket-Version", "13, 8"],
      ["Sec-WebSocket-Key", key()],
    ],
    status: 101,
    compressed: false,
  },
  {
    name: "two Sec-WebSocket-Key lines, the first valid",
    lines: () => [
      ["Connection", "Upgrade"],
      ["Upgrade", "websocket"],
      ["Sec-WebSocket-Version", "13"],
      ["Sec-WebSocket-Key", key()],
      ["Sec-WebSocket-Key", "not a key"],
    ],
    status: 101,
    compressed: false,
  },
];

/** Handshakes both refuse with 400: gorilla's own checks, which ours keeps. */
export const refusedHandshakes: readonly HandshakeCase[] = [
  {
    name: "Connection: ,Upgrade (gorilla stops at the empty token)",
    lines: () => [
      ["Connection", ",Upgrade"],
      ["Upgrade", "websocket"],
      ["Sec-WebSocket-Version", "13"],
      ["Sec-WebSocket-Key", key()],
    ],
    status: 400,
    compressed: false,
  },
  {
    name: "Sec-WebSocket-Version: 8",
    lines: () => [
      ["Connection", "Upgrade"],
      ["Upgrade", "websocket"],
      ["Sec-WebSocket-Version", "8"],
      ["Sec-WebSocket-Key", key()],
    ],
    status: 400,
    compressed: false,
  },
  {
    name: "two Sec-WebSocket-Key lines, the first invalid",
    lines: () => [
      ["Connection", "Upgrade"],
      ["Upgrade", "websocket"],
      ["Sec-WebSocket-Version", "13"],
      ["Sec-WebSocket-Key", "not a key"],
      ["Sec-WebSocket-Key", key()],
    ],
    status: 400,
    compressed: false,
  },
];
