import { afterEach, describe, expect, it } from "@jest/globals";
import type { Server as HttpServer } from "node:http";
import type { Socket } from "../../src";
import { createClient, eioHandshake, eioPoll, eioPush, startServer, until, waitFor, within, type TestServer } from "../helpers";

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
    await until(() => socket.transport.writable, 5000, "the GET to be pending");
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
    await until(() => socket.transport.writable, 5000, "the GET to be pending");
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
    await until(() => socket.transport.writable, 5000, "the client's GET to be pending");
    const closed = waitFor<[string]>(socket, "close");
    const clientClosed = waitFor(client, "close");
    client.close();
    expect((await closed)[0]).toBe("transport close");
    await clientClosed;
    await closeHttpWithin(server.http, 5000);
  });
});
