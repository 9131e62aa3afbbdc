// Calls into a world over HTTP, as a test of a service's state makes them: each call carries the
// world's key and the token an SDK signs for it (room-scoped admin for a room's participants).
import assert from "node:assert/strict";
import type { MockControl } from "../../src/control/control-fields.js";
import { signToken } from "../support/tokens.js";
import { twirp, type TwirpReply } from "../support/twirp.js";

type Body = Record<string, unknown>;

/** RoomService methods an SDK signs a room-scoped roomAdmin token for. */
const roomScoped = new Set(["livekit.RoomService/ListParticipants", "livekit.RoomService/GetParticipant"]);

export interface WorldClient {
  call(state: string, key: string, body: Body, control?: MockControl): Promise<TwirpReply>;
  /** The answer's JSON, asserting a 200. */
  ok(state: string, key: string, body: Body, control?: MockControl): Promise<any>;
  /** Asserts the status and the Twirp error. */
  refused(state: string, key: string, body: Body, status: number, error: { code: string; msg: string }): Promise<void>;
  /** The answer's JSON once `ready` holds, or the last one after 10 s (a worker's steps take a moment). */
  until(state: string, key: string, body: Body, ready: (answer: any) => boolean): Promise<any>;
}

export function worldClient(url: () => string): WorldClient {
  const client: WorldClient = {
    async call(state, key, body, control = {}) {
      const token = roomScoped.has(key)
        ? await signToken({ identity: "api", video: { roomAdmin: true, room: String(body["room"]) } })
        : undefined;
      return twirp(url(), key, body, { control: { ...control, state }, ...(token === undefined ? {} : { token }) });
    },
    async ok(state, key, body, control) {
      const reply = await client.call(state, key, body, control);
      assert.equal(reply.status, 200, `${key}: ${reply.text}`);
      return reply.json();
    },
    async refused(state, key, body, status, error) {
      const reply = await client.call(state, key, body);
      assert.equal(reply.status, status, `${key} ${JSON.stringify(body)}: ${reply.text}`);
      assert.deepEqual(reply.json(), error);
    },
    async until(state, key, body, ready) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const answer = await client.ok(state, key, body);
        if (ready(answer) || Date.now() > deadline) return answer;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
  return client;
}
