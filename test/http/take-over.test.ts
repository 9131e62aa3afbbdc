// A connection handed over to another protocol (a signal WebSocket) stays the server's to forget:
// when its socket closes, nothing of it may be kept. The soak found every WebSocket kept for the
// life of the process, because the hand-over removed the server's own close listener too.
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { describe, it } from "node:test";
import type { ConnectionHandlers } from "../../src/http/connection.js";
import { createHttpServer } from "../../src/http/http-server.js";
import { defaultHttpLimits } from "../../src/http/limits.js";

/** Starts a server whose requests go to `request`, opens a client connection to it and hands it to `use`. */
async function withServer(request: ConnectionHandlers["request"], use: (client: Socket) => Promise<void>): Promise<void> {
  const server = createHttpServer(defaultHttpLimits, {
    request,
    refused(problem, res) {
      res.send(problem.status, {}, problem.reason);
    },
  });
  const port = await server.listen(0, "127.0.0.1");
  try {
    const client = connect(port, "127.0.0.1");
    client.on("error", () => {});
    await use(client);
  } finally {
    await server.close();
  }
}

describe("taking a connection over", () => {
  it("leaves the server's close listener on the socket, and only removes the connection's own", async () => {
    let taken: Socket | undefined;
    let closeListeners = -1;
    let dataListeners = -1;
    const request: ConnectionHandlers["request"] = (_req, res) => {
      taken = res.takeOver().socket;
      closeListeners = taken.listenerCount("close");
      dataListeners = taken.listenerCount("data");
      taken.destroy();
    };
    await withServer(request, async (client) => {
      client.write("GET /rtc HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
      await new Promise((resolve) => client.once("close", resolve));
      assert.ok(taken !== undefined, "the handler took the connection over");
      // The server's listener, which forgets the socket once it closes, is still there; the
      // connection's own reading is not.
      assert.ok(closeListeners >= 1, `close listeners after the hand-over: ${closeListeners}`);
      assert.equal(dataListeners, 0);
    });
  });

  // The upgrade comes after more pipelined requests than a connection may start in one turn, and
  // more bytes follow it than one turn reads (docs/spec/http.md#fairness): the socket is paused
  // for the next turn when the handler takes it over, in a promise callback as the signal path does.
  it("hands over a socket paused for its next turn, and the new owner reads everything sent with and after the upgrade", async () => {
    const pipelined = defaultHttpLimits.requestsPerTurn + 8;
    const filler = "f".repeat(3 * defaultHttpLimits.bytesPerTurn);
    let received = "";
    let answered = 0;
    const request: ConnectionHandlers["request"] = (req, res) => {
      if (req.path !== "/rtc") {
        answered++;
        res.send(200, {}, "ok");
        return;
      }
      void Promise.resolve().then(() => {
        const { socket, head } = res.takeOver();
        received = head.toString("latin1");
        socket.setEncoding("latin1");
        socket.on("data", (chunk: string) => {
          received += chunk;
          if (received.endsWith("after")) socket.end("taken");
        });
      });
    };
    await withServer(request, async (client) => {
      let text = "";
      client.setEncoding("latin1");
      client.on("data", (chunk: string) => {
        text += chunk;
        if (text.endsWith("ok") && text.match(/HTTP\/1\.1 200/g)?.length === pipelined) client.write("after");
      });
      const ended = new Promise((resolve) => client.once("end", resolve));
      client.write(
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(pipelined) +
          "GET /rtc HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n" +
          filler,
      );
      await ended;
      client.destroy();
      assert.equal(answered, pipelined);
      assert.equal(received, filler + "after");
      assert.ok(text.endsWith("taken"), text.slice(-100));
    });
  });
});
