// Upgrades on `/rtc` and `/rtc/v1` become signal WebSockets (REFERENCE §6.1, §6.3): the token and
// its `lk.mock` mode are checked before the handshake, and the validate modes refuse it with their
// status so that the client falls back to the validate fetch.
import type { Socket } from "node:net";
import { WebSocketServer } from "ws";
import type { HttpRequest } from "../../http/http-request.js";
import type { HttpResponse } from "../../http/http-response.js";
import { statusText } from "../../http/status-text.js";
import type { Outcome } from "../../shared/outcome.js";
import type { JoinResponse } from "../../../generated/livekit_rtc_pb.js";
import type { TokenClaims } from "../../auth/token-claims.js";
import type { RoomMember } from "../../state/rooms/room-lifecycle.js";
import { modesWithJoin } from "../attribute/signal-mode.js";
import { defaultJoin } from "../session/messages.js";
import { admitSignal, signalToken, upgradeRefusal, type Refusal } from "./admit-signal.js";
import { joinWorld, type WorldJoin } from "./join-world.js";
import { formValue, queryOf } from "./go-form.js";
import { handshakeRefusal } from "./gorilla-handshake.js";
import { joinRequestSaysReconnect } from "./join-request.js";
import { combineLifecycles, participantLifecycle } from "../session/participant-events.js";
import { releaseZlibBetweenMessages } from "./lazy-deflate.js";
import type { SignalContext } from "../signal-context.js";
import { createSignalJournal } from "../session/signal-journal.js";
import { runSignalSession } from "../session/signal-session.js";
import { createSignalSocket } from "../session/signal-socket.js";
import { wsRequestView } from "./ws-request-view.js";

/**
 * The largest message a client may send, after decompression. gorilla as the original uses it has
 * no limit; a signal request is a few KiB at most (an SDP offer with many tracks), so 1 MiB is far
 * above any real one while bounding what a broken client can make the server buffer. Beyond it
 * the connection is closed with 1009 (message too big).
 */
export const maxMessageBytes = 1024 * 1024;

// Stateless apart from ws's own handshake settings: every connection is independent.
const signalServer = new WebSocketServer({
  noServer: true,
  clientTracking: false,
  // gorilla's EnableCompression: accept any permessage-deflate offer, no context takeover either
  // way, and compress every message. Inflate streams live for one message (lazy-deflate.ts), so
  // their output buffer is kept small: signal requests are small, and larger ones take more chunks.
  perMessageDeflate: {
    serverNoContextTakeover: true,
    clientNoContextTakeover: true,
    threshold: 0,
    zlibInflateOptions: { chunkSize: 1024 },
  },
  // gorilla with no Subprotocols never selects one; ws would pick the client's first.
  handleProtocols: () => false,
  // gorilla does not check text frames, which the session ignores anyway.
  skipUTF8Validation: true,
  maxPayload: maxMessageBytes,
});

export async function handleSignalUpgrade(req: HttpRequest, res: HttpResponse, ctx: SignalContext): Promise<Outcome> {
  const { socket, head } = res.takeOver();
  // The HTTP server's own error handling is gone once the connection is handed over.
  socket.on("error", () => socket.destroy());
  try {
    return await upgrade(req, socket, head, ctx);
  } catch (err) {
    // Nothing may answer on a connection taken over: end it rather than leave the client hanging.
    socket.destroy();
    throw err;
  }
}

async function upgrade(req: HttpRequest, socket: Socket, head: Buffer, ctx: SignalContext): Promise<Outcome> {
  const query = queryOf(req.url);
  const admission = await admitSignal(query, req.header("authorization"), ctx.verifier, ctx.webhooks);
  if (socket.destroyed) return { kind: "client-gone", why: "client went away before the upgrade" };
  const refusal = upgradeRefusal(admission) ?? handshakeRefusal(req);
  const journalKey = admission.kind === "admitted" ? admission.mock.journal : undefined;
  const place = { region: ctx.region.name, path: req.path };
  if (refusal !== undefined) {
    if (journalKey !== undefined) createSignalJournal(ctx.journal).refused(journalKey, place, refusal.status, refusal.why);
    return refuse(socket, refusal);
  }
  // upgradeRefusal refuses every admission but "admitted".
  if (admission.kind !== "admitted") throw new Error(`${admission.kind} was not refused`);
  const { mock, claims } = admission;

  const reconnect = formValue(query, "reconnect") === "1" || joinRequestSaysReconnect(formValue(query, "join_request"));
  const identity = claims.identity || "mock-participant";
  // Stateful mode: a connection that sends a join is a participant of its world's room.
  const worldKey = reconnect || !modesWithJoin.includes(mock.mode) ? undefined : (mock.state ?? ctx.state.serverWide);
  let stateful: (WorldJoin & { kind: "joined" }) | undefined;
  if (worldKey !== undefined) {
    const journal = journalKey === undefined ? {} : { journal: { journal: ctx.journal, key: journalKey } };
    const joined = await joinWorld(ctx.state, {
      key: worldKey,
      claims,
      token: signalToken(query, req.header("authorization")),
      identity,
      webhooks: admission.webhooks,
      cause: { region: ctx.region.name, ...journal },
    });
    if (joined.kind === "refused") {
      if (journalKey !== undefined) createSignalJournal(ctx.journal).refused(journalKey, place, joined.refusal.status, joined.refusal.why);
      return refuse(socket, joined.refusal);
    }
    stateful = joined;
    if (socket.destroyed) {
      stateful.member.ended("dropped");
      return { kind: "client-gone", why: "client went away before the upgrade" };
    }
  }

  let outcome = { kind: "error", code: "", status: 400, why: "ws refused the WebSocket handshake" } as Outcome;
  signalServer.handleUpgrade(wsRequestView(req), socket, head, (ws) => {
    outcome = {
      kind: "success",
      status: 101,
      why: `signal mode ${mock.mode}${reconnect ? ", reconnect" : ""}${worldKey === undefined ? "" : `, state ${worldKey}`}`,
    };
    releaseZlibBetweenMessages(ws);
    const conn = createSignalSocket(ws, socket);
    const lifecycle = combineLifecycles([
      journalKey === undefined
        ? undefined
        : createSignalJournal(ctx.journal).connection(journalKey, place, { mode: mock.mode, reconnect, identity }),
      stateful !== undefined
        ? stateful.link.lifecycle(stateful.member)
        : admission.webhooks === undefined
          ? undefined
          : participantLifecycle(
              ctx.webhooks.participantSession(
                admission.webhooks,
                { room: claims.video.room, identity, name: claims.name },
                { region: ctx.region.name },
              ),
            ),
    ]);
    stateful?.link.attach(conn);
    runSignalSession(conn, {
      mock,
      reconnect,
      claims,
      region: ctx.region.name,
      ...(lifecycle === undefined ? {} : { lifecycle }),
      ...(stateful === undefined ? {} : { joinBase: statefulJoin(ctx.region.name, claims, stateful.member) }),
    });
  });
  // ws accepts synchronously, or has already written its refusal of a handshake gorilla would take.
  if (outcome.kind !== "success") stateful?.member.ended("dropped");
  return outcome;
}

/** The default join with the world's room, participant and the others in it. */
function statefulJoin(region: string, claims: TokenClaims, member: RoomMember): () => JoinResponse {
  return () => {
    const join = defaultJoin(region, claims);
    const { room, participant, otherParticipants } = member.joinResponse();
    join.room = room;
    join.participant = participant;
    join.otherParticipants = otherParticipants;
    return join;
  };
}

function refuse(socket: Socket, refusal: Refusal): Outcome {
  const body = Buffer.from(refusal.body);
  const headers = Object.entries(refusal.headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.write(
    `HTTP/1.1 ${refusal.status} ${statusText(refusal.status)}\r\n${headers.join("")}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
  );
  socket.write(body);
  socket.destroySoon();
  return { kind: "success", status: refusal.status, why: refusal.why };
}
