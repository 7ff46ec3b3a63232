import { afterEach, describe, expect, it } from "@jest/globals";
import type { Server as HttpServer } from "node:http";
import type { Socket } from "../../src";
import {
  activeTimers,
  createClient,
  eioHandshake,
  eioPoll,
  eioPush,
  openWebSocket,
  pendingGet,
  pollActiveTimersAtMost,
  startServer,
  waitFor,
  waitUntil,
  within,
  type TestServer,
} from "../helpers";

// Regression tests for a clean shutdown: nothing a session leaves behind (a pending GET, a
// close timer) may keep the http server or the process alive.

let server: TestServer;
afterEach(async () => {
  await server.close();
});

/**
 * `http.close()` without closeAllConnections(): resolves once every connection is gone,
 * fails if one is still held after `timeoutMs` (then drops them so that nothing leaks).
 */
function closeHttpWithin(http: HttpServer, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      http.closeAllConnections();
      reject(new Error(`http server still had open connections after ${timeoutMs}ms`));
    }, timeoutMs);
    http.close(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe("a polling client sends a close packet while its GET is pending", () => {
  it("the GET is answered with a noop and the http server closes without closeAllConnections", async () => {
    server = await startServer();
    const { sid } = await eioHandshake(server);
    const socket = server.engine.clients[sid]!;
    const closed = waitFor<[string]>(socket, "close");
    const poll = eioPoll(server, sid);
    await pendingGet(socket);
    expect((await eioPush(server, sid, "1")).text).toBe("ok");
    expect((await closed)[0]).toBe("transport close");
    const answer = await within(poll, 5000, "the pending GET to be answered");
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("6");
    expect(server.engine.clientsCount).toBe(0);
    await closeHttpWithin(server.http, 5000);
  });

  it("a close packet after messages in the same POST: messages delivered, then the GET gets a noop", async () => {
    server = await startServer();
    const { sid } = await eioHandshake(server);
    const socket = server.engine.clients[sid]!;
    const messages: unknown[] = [];
    socket.on("message", (data) => messages.push(data));
    const closed = waitFor<[string]>(socket, "close");
    const poll = eioPoll(server, sid);
    await pendingGet(socket);
    expect((await eioPush(server, sid, "4a\x1e4b\x1e1")).text).toBe("ok");
    expect((await closed)[0]).toBe("transport close");
    expect(messages).toEqual(["a", "b"]);
    expect((await within(poll, 5000, "the pending GET to be answered")).text).toBe("6");
    await closeHttpWithin(server.http, 5000);
  });

  it("the published engine.io-client over polling: client.close(), then the http server closes", async () => {
    server = await startServer();
    const connection = waitFor<[Socket]>(server.engine, "connection");
    const client = createClient(server, { transports: ["polling"] });
    const [socket] = await connection;
    await waitFor(client, "open");
    await pendingGet(socket);
    const closed = waitFor<[string]>(socket, "close");
    const clientClosed = waitFor(client, "close");
    client.close();
    expect((await closed)[0]).toBe("transport close");
    await clientClosed;
    await closeHttpWithin(server.http, 5000);
  });
});

/**
 * Waits (3 s at most) until at most `expected` timers are active. Not an immediate count:
 * ws keeps its own close timer until the TCP socket is gone, a few ms later; "at most",
 * as a timer of an earlier test (same process with --runInBand) may end meanwhile. A
 * leaked pingTimeout wait (60 s here) fails it.
 */
const timersSettleAt = (expected: number): Promise<void> => pollActiveTimersAtMost(expected, 3000);

// pingTimeout is long here: a close that waited for it would fail the 5 s bounds below.
const SLOW_CLOSE = { pingInterval: 60000, pingTimeout: 60000 };

describe("the server closes while a polling session is closing (no GET pending)", () => {
  it("engine.close(): 'server shutting down' at once, no close timer left, and the next GET is refused", async () => {
    server = await startServer(SLOW_CLOSE);
    const { sid } = await eioHandshake(server);
    const socket = server.engine.clients[sid]!;
    const baseline = activeTimers();
    socket.close();
    expect(socket.readyState).toBe("closing");
    // the close wait (pingTimeout) joins the heartbeat timer
    expect(activeTimers()).toBe(baseline + 1);
    const closed = waitFor<[string]>(socket, "close");
    server.engine.close();
    expect((await within(closed, 5000, "close"))[0]).toBe("server shutting down");
    await timersSettleAt(baseline - 1);
    expect((await eioPoll(server, sid)).status).toBe(400);
  });

  it("with packets still queued (closing once they are written): engine.close() leaves no timer", async () => {
    server = await startServer(SLOW_CLOSE);
    const { sid } = await eioHandshake(server);
    const socket = server.engine.clients[sid]!;
    const baseline = activeTimers();
    socket.send("never polled");
    socket.close();
    expect(socket.readyState).toBe("closing");
    const closed = waitFor<[string]>(socket, "close");
    server.engine.close();
    expect((await within(closed, 5000, "close"))[0]).toBe("server shutting down");
    await timersSettleAt(baseline - 1);
  });

  it("httpServer.close() alone (attach closes the engine): completes at once, no timer left", async () => {
    const baseline = activeTimers();
    server = await startServer(SLOW_CLOSE);
    const { sid } = await eioHandshake(server);
    const socket = server.engine.clients[sid]!;
    const reasons: string[] = [];
    socket.on("close", (reason) => reasons.push(reason));
    socket.close();
    expect(socket.readyState).toBe("closing");
    await closeHttpWithin(server.http, 5000);
    expect(reasons).toEqual(["server shutting down"]);
    // as before the server started: the http server's own interval is gone too
    await timersSettleAt(baseline);
  });

  it("a close that times out (no GET within pingTimeout) ends with 'forced close' and no timer", async () => {
    server = await startServer({ pingInterval: 60000, pingTimeout: 50 });
    const { sid } = await eioHandshake(server);
    const socket = server.engine.clients[sid]!;
    const baseline = activeTimers();
    const closed = waitFor<[string]>(socket, "close");
    socket.close();
    expect(socket.readyState).toBe("closing");
    expect((await within(closed, 5000, "close"))[0]).toBe("forced close");
    await timersSettleAt(baseline - 1);
    expect(server.engine.clientsCount).toBe(0);
  });
});

describe("the server closes while a session is closing over websocket or mid-upgrade", () => {
  it("a polling session upgrading to websocket, closing: engine.close() ends everything, no timer left", async () => {
    server = await startServer(SLOW_CLOSE);
    const { sid } = await eioHandshake(server);
    const socket = server.engine.clients[sid]!;
    const ws = await openWebSocket(server, `EIO=4&transport=websocket&sid=${sid}`);
    // the upgrade starts in the server's handling of the upgrade request (before the 101)
    await waitUntil(server.http, "upgrade", () => socket.upgrading, 5000, "the upgrade to start");
    const baseline = activeTimers();
    socket.close();
    expect(socket.readyState).toBe("closing");
    const closed = waitFor<[string]>(socket, "close");
    const wsClosed = waitFor(ws, "close");
    server.engine.close();
    expect((await within(closed, 5000, "close"))[0]).toBe("server shutting down");
    await wsClosed;
    // the heartbeat, the close wait and the upgrade timeout are gone
    await timersSettleAt(baseline - 2);
  });
});
