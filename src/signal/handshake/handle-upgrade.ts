// Upgrades on `/rtc` and `/rtc/v1` become signal WebSockets (REFERENCE §6.1, §6.3): the token and
// its `lk.mock` mode are checked before the handshake, and the validate modes refuse it with their
// status so that the client falls back to the validate fetch.
import type { Socket } from "node:net";
import { WebSocketServer } from "ws";
import type { HttpRequest } from "../../http/http-request.js";
import type { HttpResponse } from "../../http/http-response.js";
import type { Outcome } from "../../shared/outcome.js";
import type { JoinResponse } from "../../../generated/livekit_rtc_pb.js";
import type { TokenClaims } from "../../auth/token-claims.js";
import type { RoomMember } from "../../state/rooms/room-lifecycle.js";
import { modesWithJoin } from "../attribute/signal-mode.js";
import { defaultJoin } from "../session/messages.js";
import { admitSignal, sendRefusal, signalToken, upgradeRefusal, type Admission, type Refusal } from "./admit-signal.js";
import { joinWorld, type WorldJoin } from "./join-world.js";
import { formValue, queryOf, type FormValues } from "./go-form.js";
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
  const query = queryOf(req.url);
  const admission = await admitSignal(query, req.header("authorization"), ctx.verifier, ctx.webhooks);
  if (res.clientGone) return { kind: "client-gone", why: "client went away before the upgrade" };
  const refusal = upgradeRefusal(admission) ?? handshakeRefusal(req);
  if (refusal !== undefined) return refuse(req, res, ctx, admission, refusal);
  // upgradeRefusal refuses every admission but "admitted".
  if (admission.kind !== "admitted") throw new Error(`${admission.kind} was not refused`);
  const { mock } = admission;
  const reconnect = formValue(query, "reconnect") === "1" || joinRequestSaysReconnect(formValue(query, "join_request"));
  // Stateful mode: a connection that sends a join is a participant of its world's room.
  const worldKey = reconnect || !modesWithJoin.includes(mock.mode) ? undefined : (mock.state ?? ctx.state.serverWide);
  let stateful: Joined | undefined;
  if (worldKey !== undefined) {
    const joined = await joinWorld(ctx.state, {
      key: worldKey,
      claims: admission.claims,
      token: signalToken(query, req.header("authorization")),
      identity: identityOf(admission.claims),
      webhooks: admission.webhooks,
      cause: { region: ctx.region.name, ...(mock.journal === undefined ? {} : { journal: { journal: ctx.journal, key: mock.journal } }) },
    });
    if (joined.kind === "refused") return refuse(req, res, ctx, admission, joined.refusal);
    stateful = joined;
    if (res.clientGone) {
      stateful.member.ended("dropped");
      return { kind: "client-gone", why: "client went away before the upgrade" };
    }
  }
  const { socket, head } = res.takeOver();
  // The HTTP server's own error handling is gone once the connection is handed over.
  socket.on("error", () => socket.destroy());
  try {
    const outcome = upgrade(req, query, socket, head, ctx, admission, reconnect, stateful, worldKey);
    // ws accepts synchronously, or has already written its refusal of a handshake gorilla would take.
    if (outcome.kind !== "success") stateful?.member.ended("dropped");
    return outcome;
  } catch (err) {
    // Nothing may answer on a connection taken over: end it rather than leave the client hanging.
    socket.destroy();
    stateful?.member.ended("dropped");
    throw err;
  }
}

type Joined = WorldJoin & { kind: "joined" };

function identityOf(claims: TokenClaims): string {
  return claims.identity || "mock-participant";
}

function refuse(req: HttpRequest, res: HttpResponse, ctx: SignalContext, admission: Admission, refusal: Refusal): Outcome {
  if (admission.kind === "admitted" && admission.mock.journal !== undefined) {
    createSignalJournal(ctx.journal).refused(admission.mock.journal, placeOf(req, ctx), refusal.status, refusal.why);
  }
  // An ordinary answer on a connection that stays open, as Go's server writes gorilla's refusals:
  // a client that offered another protocol (Java's `Upgrade: h2c`) reuses it for its next request.
  sendRefusal(res, refusal);
  return { kind: "success", status: refusal.status, why: refusal.why };
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

function placeOf(req: HttpRequest, ctx: SignalContext): { region: string; path: string } {
  return { region: ctx.region.name, path: req.path };
}

function upgrade(
  req: HttpRequest,
  query: FormValues,
  socket: Socket,
  head: Buffer,
  ctx: SignalContext,
  admission: Extract<Admission, { kind: "admitted" }>,
  reconnect: boolean,
  stateful: Joined | undefined,
  worldKey: string | undefined,
): Outcome {
  const { mock, claims } = admission;
  const journalKey = mock.journal;
  const place = placeOf(req, ctx);
  let outcome = { kind: "error", code: "", status: 400, why: "ws refused the WebSocket handshake" } as Outcome;
  signalServer.handleUpgrade(wsRequestView(req), socket, head, (ws) => {
    outcome = {
      kind: "success",
      status: 101,
      why: `signal mode ${mock.mode}${reconnect ? ", reconnect" : ""}${worldKey === undefined ? "" : `, state ${worldKey}`}`,
    };
    releaseZlibBetweenMessages(ws);
    const identity = identityOf(claims);
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
  return outcome;
}
