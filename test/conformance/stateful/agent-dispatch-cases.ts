// AgentDispatchService sequences of the stateful parity matrix: a dispatch creates its room, is
// listed and read by id, deleted; the dispatches a room is made with; every error.
import { admin, call, roomService as rs, roomCreate, roomList, type StatefulCase } from "./stateful-case.js";

const group = "AgentDispatchService";
const ad = (method: string): string => `livekit.AgentDispatchService/${method}`;

/** Rooms whose webhook events the webhook comparison reads: one made by a dispatch. */
export const dispatchWebhookRooms = ["hook-dispatch"] as const;

export function agentDispatchCases(): StatefulCase[] {
  return [
    {
      id: "agent dispatch: the room a dispatch makes starts and finishes as any room",
      group,
      steps: [
        call(ad("CreateDispatch"), { room: "hook-dispatch", agentName: "hooked" }, admin("hook-dispatch")),
        call(rs("DeleteRoom"), { room: "hook-dispatch" }, roomCreate),
      ],
    },
    {
      id: "agent dispatch: create (which makes the room), list, get, delete, list",
      group,
      steps: [
        call(ad("CreateDispatch"), { room: "ad-room", agentName: "agent-a", metadata: "job" }, admin("ad-room")),
        call(rs("ListRooms"), { names: ["ad-room"] }, roomList),
        call(ad("ListDispatch"), { room: "ad-room" }, admin("ad-room")),
        call(ad("CreateDispatch"), { room: "ad-room", agentName: "agent-b", attributes: { a: "1" } }, admin("ad-room")),
        call(ad("ListDispatch"), { room: "ad-room" }, admin("ad-room")),
        call(ad("ListDispatch"), { room: "ad-room", dispatchId: "<AD_#1>" }, admin("ad-room")),
        call(ad("ListDispatch"), { room: "ad-room", dispatchId: "AD_unknown12345" }, admin("ad-room")),
        call(ad("DeleteDispatch"), { room: "ad-room", dispatchId: "<AD_#1>" }, admin("ad-room")),
        call(ad("DeleteDispatch"), { room: "ad-room", dispatchId: "<AD_#1>" }, admin("ad-room")),
        call(ad("DeleteDispatch"), { room: "ad-room", dispatchId: "" }, admin("ad-room")),
        call(ad("CreateDispatch"), { room: "ad-room", agentName: "bad", deployment: "a_b" }, admin("ad-room")),
        call(ad("CreateDispatch"), { room: "ad-room", agentName: "bad", deployment: "a b" }, admin("ad-room")),
        call(ad("CreateDispatch"), { room: "ad-room", agentName: "bad", deployment: "d".repeat(65) }, admin("ad-room")),
        call(
          ad("CreateDispatch"),
          { room: "ad-room", agentName: "deployed", deployment: "prod-1", restartPolicy: "JRP_NEVER" },
          admin("ad-room"),
        ),
        call(ad("ListDispatch"), { room: "ad-room" }, admin("ad-room")),
        call(rs("DeleteRoom"), { room: "ad-room" }, roomCreate),
      ],
    },
    {
      id: "agent dispatch: a room's own dispatches, a missing room and the limits",
      group,
      steps: [
        call(rs("CreateRoom"), { name: "ad-agents", agents: [{ agentName: "room-agent", metadata: "from the room" }] }, roomCreate),
        call(ad("ListDispatch"), { room: "ad-agents" }, admin("ad-agents")),
        call(rs("CreateRoom"), { name: "ad-plain" }, roomCreate),
        call(ad("ListDispatch"), { room: "ad-plain" }, admin("ad-plain")),
        call(ad("CreateDispatch"), { room: "ad-plain", agentName: "big", metadata: "m".repeat(512 * 1024 + 1) }, admin("ad-plain")),
        call(ad("CreateDispatch"), { room: "ad-plain", agentName: "big", attributes: { k: "v".repeat(64 * 1024) } }, admin("ad-plain")),
        call(ad("DeleteDispatch"), { room: "ad-missing", dispatchId: "AD_unknown12345" }, admin("ad-missing")),
        call(ad("ListDispatch"), { room: "ad-missing" }, admin("ad-missing")),
        call(rs("DeleteRoom"), { room: "ad-agents" }, roomCreate),
        call(rs("DeleteRoom"), { room: "ad-plain" }, roomCreate),
      ],
    },
  ];
}
