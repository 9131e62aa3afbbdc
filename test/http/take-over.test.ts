// A connection handed over to another protocol (a signal WebSocket) stays the server's to forget:
// when its socket closes, nothing of it may be kept. The soak found every WebSocket kept for the
// life of the process, because the hand-over removed the server's own close listener too.
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { describe, it } from "node:test";
import { createHttpServer } from "../../src/http/http-server.js";
import { defaultHttpLimits } from "../../src/http/limits.js";

describe("taking a connection over", () => {
  it("leaves the server's close listener on the socket, and only removes the connection's own", async () => {
    let taken: Socket | undefined;
    let closeListeners = -1;
    let dataListeners = -1;
    const server = createHttpServer(defaultHttpLimits, {
      request(_req, res) {
        taken = res.takeOver().socket;
        closeListeners = taken.listenerCount("close");
        dataListeners = taken.listenerCount("data");
        taken.destroy();
      },
      refused(problem, res) {
        res.send(problem.status, {}, problem.reason);
      },
    });
    const port = await server.listen(0, "127.0.0.1");
    try {
      const client = connect(port, "127.0.0.1");
      client.on("error", () => {});
      client.write("GET /rtc HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
      await new Promise((resolve) => client.once("close", resolve));
      assert.ok(taken !== undefined, "the handler took the connection over");
      // The server's listener, which forgets the socket once it closes, is still there; the
      // connection's own reading is not.
      assert.ok(closeListeners >= 1, `close listeners after the hand-over: ${closeListeners}`);
      assert.equal(dataListeners, 0);
    } finally {
      await server.close();
    }
  });
});
