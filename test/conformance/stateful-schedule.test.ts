// The stateful parity matrix's schedule (stateful/case-schedule.ts): which cases wait for which,
// derived from their steps, and a run that keeps to it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { agentDispatchCases } from "./stateful/agent-dispatch-cases.js";
import { runScheduled, waitsFor } from "./stateful/case-schedule.js";
import { egressCases, ingressCases } from "./stateful/media-cases.js";
import { roomCases, webhookCase } from "./stateful/room-cases.js";
import { sipCases } from "./stateful/sip-cases.js";
import { call, roomCreate, roomList, roomService as rs, type StatefulCase } from "./stateful/stateful-case.js";

const makes = (id: string, room: string): StatefulCase => ({ id, group: "g", steps: [call(rs("CreateRoom"), { name: room }, roomCreate)] });
const listsAll = (id: string): StatefulCase => ({ id, group: "g", steps: [call(rs("ListRooms"), {}, roomList)] });
const listsNamed = (id: string): StatefulCase => ({ id, group: "g", steps: [call(rs("ListRooms"), { names: ["r"] }, roomList)] });
const sipCase = (id: string): StatefulCase => ({
  id,
  group: "g",
  steps: [{ kind: "call", key: "livekit.SIP/ListSIPTrunk", body: {}, grant: {} }],
});

describe("which cases of the stateful parity matrix wait for which", () => {
  test("a case that lists every room waits for the earlier cases that make rooms, and the later ones wait for it", () => {
    const cases = [
      makes("a", "a"),
      listsAll("all"),
      makes("b", "b"),
      { id: "join", group: "g", steps: [{ kind: "join", as: "x", room: "c", identity: "x" }] },
    ];
    assert.deepEqual(waitsFor(cases as StatefulCase[]), [[], [0], [1], [1]]);
  });

  test("cases that name their rooms, list by name or only read run at once", () => {
    assert.deepEqual(waitsFor([makes("a", "a"), listsNamed("named"), makes("b", "b"), listsNamed("again")]), [[], [], [], []]);
  });

  test("every case of a service other than rooms and dispatches waits for the earlier ones of it", () => {
    assert.deepEqual(waitsFor([sipCase("one"), makes("a", "a"), sipCase("two"), sipCase("three")]), [[], [], [0], [0, 2]]);
  });

  test("a call of a service the schedule does not know fails it, asking for the service's entry", () => {
    const unknown: StatefulCase = { id: "u", group: "g", steps: [{ kind: "call", key: "livekit.Phone/Dial", body: {}, grant: {} }] };
    assert.throws(() => waitsFor([unknown]), /does not know what a call of livekit\.Phone touches/);
  });

  test("in the matrix only the first case lists every room: the others wait for it and for their service's earlier cases (egress, ingress, SIP)", () => {
    const cases = [...roomCases(), webhookCase(), ...egressCases(), ...ingressCases(), ...sipCases(), ...agentDispatchCases()];
    const waits = waitsFor(cases);
    assert.deepEqual(waits[0], []);
    cases.forEach((c, i) => {
      if (i === 0) return;
      const sameService = cases.flatMap((other, j) => (j > 0 && j < i && other.group === c.group && c.group !== "RoomService" ? [j] : []));
      const expected = c.group === "Ingress" || c.group === "SIP" || c.group === "Egress" ? [0, ...sameService] : [0];
      assert.deepEqual(waits[i], expected, c.id);
    });
  });
});

describe("running cases to the schedule", () => {
  test("a case starts only once the cases it waits for have ended, never more than the limit at once, results in order", async () => {
    const cases = [makes("a", "a"), listsAll("all"), makes("b", "b"), makes("c", "c"), makes("d", "d"), makes("e", "e")];
    const events: string[] = [];
    let running = 0;
    let most = 0;
    const results = await runScheduled(
      cases,
      async (c) => {
        running++;
        most = Math.max(most, running);
        events.push(`start ${c.id}`);
        await new Promise((resolve) => setTimeout(resolve, c.id === "all" ? 50 : 10));
        events.push(`end ${c.id}`);
        running--;
        return c.id;
      },
      2,
    );
    assert.deepEqual(results, ["a", "all", "b", "c", "d", "e"]);
    assert.ok(events.indexOf("end a") < events.indexOf("start all"), events.join(", "));
    for (const later of ["b", "c", "d", "e"]) assert.ok(events.indexOf("end all") < events.indexOf(`start ${later}`), events.join(", "));
    assert.equal(most, 2);
  });

  test("a failed case fails the run once every case has ended", async () => {
    const ended: string[] = [];
    await assert.rejects(
      runScheduled(
        [makes("a", "a"), makes("b", "b")],
        async (c) => {
          await new Promise((resolve) => setTimeout(resolve, c.id === "a" ? 1 : 30));
          ended.push(c.id);
          if (c.id === "a") throw new Error("case a broke");
        },
        4,
      ),
      /case a broke/,
    );
    assert.deepEqual(ended.sort(), ["a", "b"], "the run waited for b");
  });
});
