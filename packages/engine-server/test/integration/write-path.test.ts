import type { Socket as NetSocket } from "node:net";
import { afterEach, describe, expect, it } from "@jest/globals";
import { WebSocketServer } from "ws";
import type { Socket } from "../../src";
import { closeWebSocket, eioHandshake, eioPoll, nextMessages, pendingGet, startServer, waitFor, wsHandshake, type TestServer } from "../helpers";

let server: TestServer;
afterEach(async () => {
  await server.close();
});

/** Starts a server and keeps the server side of every upgraded TCP connection. */
async function startWithUpgradeSockets(): Promise<NetSocket[]> {
  const sockets: NetSocket[] = [];
  server = await startServer({}, (http) => http.on("upgrade", (_req, socket: NetSocket) => sockets.push(socket)));
  return sockets;
}

function countWrites(socket: NetSocket): { writev: number; write: number } {
  const counts = { writev: 0, write: 0 };
  const target = socket as unknown as { _writev: (...args: unknown[]) => unknown; _write: (...args: unknown[]) => unknown };
  const writev = target._writev.bind(socket);
  const write = target._write.bind(socket);
  target._writev = (...args) => {
    counts.writev++;
    return writev(...args);
  };
  target._write = (...args) => {
    counts.write++;
    return write(...args);
  };
  return counts;
}

describe("write path", () => {
  it("polling: messages sent in one synchronous run while a GET is pending go out in that one response", async () => {
    server = await startServer();
    const { sid } = await eioHandshake(server);
    const socket = server.engine.clients[sid]!;
    const poll = eioPoll(server, sid);
    await pendingGet(socket);
    for (let i = 0; i < 5; i++) socket.send(`m${i}`);
    socket.send(Buffer.from([1, 2]));
    expect((await poll).text).toBe("4m0\x1e4m1\x1e4m2\x1e4m3\x1e4m4\x1ebAQI=");
  });

  it("websocket: messages of one synchronous run reach the TCP socket in a single write", async () => {
    const sockets = await startWithUpgradeSockets();
    const { ws, sid } = await wsHandshake(server);
    const session: Socket = server.engine.clients[sid]!;
    const tcp = sockets[0]!;
    const counts = countWrites(tcp);
    for (let i = 0; i < 10; i++) session.send(`message ${i}`);
    session.send(Buffer.from([7, 7]));
    const messages = await nextMessages(ws, 11);
    expect(messages.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `4message ${i}`));
    expect(messages[10]).toEqual(Buffer.from([7, 7]));
    expect(counts.writev + counts.write).toBe(1);
    await closeWebSocket(ws);
  });

  it("polling: a Blob is sent as base64 in its place", async () => {
    server = await startServer();
    const { sid } = await eioHandshake(server);
    const session = server.engine.clients[sid]!;
    session.send("before");
    session.send(new Blob([Uint8Array.of(1, 2, 3)]));
    session.send("after");
    expect((await eioPoll(server, sid)).text).toBe("4before\x1ebAQID\x1e4after");
  });

  it("sends other values as engine.io does: their string form, a falsy one as an empty message", async () => {
    server = await startServer();
    const { sid } = await eioHandshake(server);
    const session = server.engine.clients[sid]!;
    session.send(42).write({ an: "object" }).send(null).send(0).send(true).send("fine");
    expect((await eioPoll(server, sid)).text).toBe("442\x1e4[object Object]\x1e4\x1e4\x1e4true\x1e4fine");
  });

  it("websocket: a Blob keeps its place among the other messages", async () => {
    server = await startServer();
    const { ws, sid } = await wsHandshake(server);
    const session = server.engine.clients[sid]!;
    session.send("before");
    session.send(new Blob([Uint8Array.of(1, 2, 3)]));
    session.send("after");
    expect(await nextMessages(ws, 3)).toEqual(["4before", Buffer.from([1, 2, 3]), "4after"]);
    for (let i = 0; i < 5; i++) session.send(String(i));
    expect(await nextMessages(ws, 5)).toEqual(["40", "41", "42", "43", "44"]);
    await closeWebSocket(ws);
  });

  it("websocket: frames of every length class (7-bit, 16-bit, 64-bit) arrive intact", async () => {
    server = await startServer({ maxHttpBufferSize: 1e7 });
    const { ws, sid } = await wsHandshake(server);
    const session = server.engine.clients[sid]!;
    const sizes = [0, 124, 125, 126, 65534, 65535, 65536, 200000];
    for (const size of sizes) session.send("é".repeat(size >> 1) + "x".repeat(size & 1));
    for (const size of sizes) session.send(Buffer.alloc(size, size & 0xff));
    const messages = await nextMessages(ws, sizes.length * 2);
    sizes.forEach((size, i) => {
      expect(messages[i]).toBe("4" + "é".repeat(size >> 1) + "x".repeat(size & 1));
      expect(messages[sizes.length + i]).toEqual(Buffer.alloc(size, size & 0xff));
    });
    await closeWebSocket(ws);
  });

  it("websocket from another ws-compatible engine: frames go through its send(), corked into one write", async () => {
    // an engine whose WebSockets are not ws's own class: wrapped, so `instanceof` fails
    class WrappingServer extends WebSocketServer {
      override handleUpgrade(...args: Parameters<WebSocketServer["handleUpgrade"]>): void {
        const [req, socket, head, callback] = args;
        super.handleUpgrade(req, socket, head, (ws, request) => {
          const wrapper = {
            get readyState() {
              return ws.readyState;
            },
            send: ws.send.bind(ws),
            close: ws.close.bind(ws),
            on: (event: string, listener: (...a: unknown[]) => void) => ws.on(event, listener),
          };
          callback(wrapper as never, request);
        });
      }
    }
    const sockets: NetSocket[] = [];
    server = await startServer({ wsEngine: WrappingServer as never }, (http) => http.on("upgrade", (_req, socket: NetSocket) => sockets.push(socket)));
    const { ws, sid } = await wsHandshake(server);
    const session = server.engine.clients[sid]!;
    const counts = countWrites(sockets[0]!);
    for (let i = 0; i < 10; i++) session.send(`m${i}`);
    session.send(Buffer.from([1]));
    const messages = await nextMessages(ws, 11);
    expect(messages).toEqual([...Array.from({ length: 10 }, (_, i) => `4m${i}`), Buffer.from([1])]);
    expect(counts).toEqual({ writev: 1, write: 0 });
    const received = waitFor<[string]>(session, "message");
    ws.send("4from client");
    expect((await received)[0]).toBe("from client");
    await closeWebSocket(ws);
  });

  it("websocket with per-message deflate: ws writes the frames, in order", async () => {
    server = await startServer({ perMessageDeflate: { threshold: 0 } });
    const { ws, sid } = await wsHandshake(server);
    const session = server.engine.clients[sid]!;
    for (let i = 0; i < 20; i++) session.send(i % 2 === 0 ? `text ${i}` : Buffer.from([i]));
    const messages = await nextMessages(ws, 20);
    expect(messages).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? `4text ${i}` : Buffer.from([i]))));
    expect(ws.extensions).toContain("permessage-deflate");
    await closeWebSocket(ws);
  });

  it("latency: a message is written before the next turn of the event loop", async () => {
    const sockets = await startWithUpgradeSockets();
    const { ws, sid } = await wsHandshake(server);
    const tcp = sockets[0]!;
    const before = tcp.bytesWritten;
    server.engine.clients[sid]!.send("now");
    await new Promise((resolve) => setImmediate(resolve));
    expect(tcp.bytesWritten).toBeGreaterThan(before);
    expect(await nextMessages(ws, 1)).toEqual(["4now"]);
    await closeWebSocket(ws);
  });

  it("websocket `writable` reflects backpressure of the TCP socket", async () => {
    const sockets = await startWithUpgradeSockets();
    const { ws, sid } = await wsHandshake(server);
    const session = server.engine.clients[sid]!;
    expect(session.transport.writable).toBe(true);
    ws.pause(); // the client stops reading: the server's buffers fill up
    const chunk = "z".repeat(1 << 20);
    for (let i = 0; i < 64 && !sockets[0]!.writableNeedDrain; i++) {
      session.send(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(session.transport.writable).toBe(false);
    ws.resume();
    await waitFor(sockets[0]!, "drain", 10000);
    expect(session.transport.writable).toBe(true);
    ws.terminate();
  });
});

describe("broadcast: the bytes of one session's flush are written again to the next", () => {
  it("every session gets exactly its own frames, whether its flush matches the previous one or not", async () => {
    server = await startServer({ allowEIO3: true });
    const sessions = await Promise.all([
      wsHandshake(server),
      wsHandshake(server),
      wsHandshake(server, "EIO=3&transport=websocket"),
      wsHandshake(server),
      wsHandshake(server),
    ]);
    const [a, b, v3, c, d] = sessions.map(({ ws, sid }) => ({ ws, socket: server.engine.clients[sid]! }));
    const shared = `broadcast ✓ ${"x".repeat(200)}`;
    const sameContent = `broadcast ✓ ${"x".repeat(200)}`.slice(0); // another string, same text
    a!.socket.send(shared);
    a!.socket.send("one");
    b!.socket.send(shared);
    b!.socket.send("one");
    v3!.socket.send(shared);
    v3!.socket.send("one");
    c!.socket.send(sameContent);
    c!.socket.send("two"); // same length as "one", other text
    d!.socket.send(shared);
    d!.socket.send(Buffer.from("one"));
    expect(await nextMessages(a!.ws, 2)).toEqual([`4${shared}`, "4one"]);
    expect(await nextMessages(b!.ws, 2)).toEqual([`4${shared}`, "4one"]);
    expect(await nextMessages(v3!.ws, 2)).toEqual([`4${shared}`, "4one"]);
    expect(await nextMessages(c!.ws, 2)).toEqual([`4${shared}`, "4two"]);
    const [text, binary] = await nextMessages(d!.ws, 2);
    expect(text).toBe(`4${shared}`);
    expect(Buffer.isBuffer(binary) && binary.toString()).toBe("one");
    // on a later turn, the same packets again
    a!.socket.send(shared);
    b!.socket.send(shared);
    expect(await nextMessages(a!.ws, 1)).toEqual([`4${shared}`]);
    expect(await nextMessages(b!.ws, 1)).toEqual([`4${shared}`]);
    await Promise.all(sessions.map(({ ws }) => closeWebSocket(ws)));
  });

  it("1000 messages of a broadcast to 50 sessions arrive complete and in order", async () => {
    server = await startServer();
    const sessions = await Promise.all(Array.from({ length: 50 }, () => wsHandshake(server)));
    const messages = Array.from({ length: 1000 }, (_, i) => `m${i}`);
    for (const { sid } of sessions) for (const message of messages) server.engine.clients[sid]!.send(message);
    for (const { ws } of sessions) expect(await nextMessages(ws, 1000)).toEqual(messages.map((m) => `4${m}`));
    await Promise.all(sessions.map(({ ws }) => closeWebSocket(ws)));
  });
});
