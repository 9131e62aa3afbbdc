// What the Node SDK's stateful tests share: the two servers every test runs against (ours under
// --stateful, and the real LiveKit server), and the small waits and checks they use.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { TwirpError } from "livekit-server-sdk";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { startLivekitServer, type RunningLivekitServer } from "../conformance/stateful/start-livekit-server.js";

export interface Target {
  readonly name: string;
  /** The real server has no SIP worker, so that what a worker does can be expected of ours only. */
  readonly real: boolean;
  start(): Promise<{ url: string; close(): Promise<unknown> }>;
}

export const statefulTargets: readonly Target[] = [
  {
    name: "ours (--stateful)",
    real: false,
    start: async () => {
      const server: RunningServer = await startServer({ ports: [0], bind: "127.0.0.1", logLevel: "silent", stateful: "node-sdk" });
      return { url: server.url(0), close: () => server.close() };
    },
  },
  {
    name: "the real LiveKit server",
    real: true,
    start: async () => {
      const server: RunningLivekitServer = await startLivekitServer();
      return { url: server.url, close: () => server.close() };
    },
  },
];

/** A fresh room name, so that tests never see each other's rooms in the one world. */
export const roomName = (what: string): string => `${what}-${randomUUID().slice(0, 8)}`;

export async function rejection(promise: Promise<unknown>): Promise<{ status: number; code: string | undefined; message: string }> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof TwirpError, `expected a TwirpError, got ${String(err)}`);
    return { status: err.status, code: err.code, message: err.message };
  }
  throw new Error("the call succeeded");
}

/** Polls `read` until `done` holds (the real server applies some changes a moment later). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
