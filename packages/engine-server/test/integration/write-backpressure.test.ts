// Flushes wait for the TCP socket to drain instead of piling on, and resume on its drain;
// with ws (or any engine other than the built-in one) every frame goes through its send().
import type { Socket as NetSocket } from "node:net";
import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { WebSocket as WsWebSocket, WebSocketServer } from "ws";
import type { WsEngine } from "../../src";
import { closeWebSocket, nextMessages, startServer, waitFor, waitUntil, wsHandshake, type TestServer } from "../helpers";

let server: TestServer | undefined;
afterEach(async () => {
  jest.restoreAllMocks();
  await server?.close();
  server = undefined;
});

async function start(wsEngine: WsEngine | undefined): Promise<NetSocket[]> {
  const sockets: NetSocket[] = [];
  server = await startServer(wsEngine ? { wsEngine } : {}, (http) => http.on("upgrade", (_req, socket: NetSocket) => sockets.push(socket)));
  return sockets;
}

describe.each<[string, WsEngine | undefined]>([
  ["the built-in engine", undefined],
  ["ws", WebSocketServer as unknown as WsEngine],
])("with %s", (_name, wsEngine) => {
  it("a flush waits while the TCP socket is over its high-water mark, and goes out on its drain", async () => {
    const sockets = await start(wsEngine);
    const { ws, sid } = await wsHandshake(server!);
    const session = server!.engine.clients[sid]!;
    const tcp = sockets[0]!;
    ws.pause();
    const chunk = "z".repeat(64 * 1024);
    let sent = 0;
    // fill the kernel's buffers, then the socket's own, until the transport stops taking writes
    while (session.transport.canSend) {
      session.send(`${sent++}:${chunk}`);
      await new Promise((resolve) => setImmediate(resolve));
      if (sent > 500) throw new Error("the transport never stopped taking writes");
    }
    const held = tcp.writableLength;
    // the write that crossed the high-water mark is the last one the socket took
    expect(held).toBeLessThanOrEqual(tcp.writableHighWaterMark + chunk.length + 64);
    expect(session.transport.bufferedBytes).toBeGreaterThanOrEqual(held);
    for (let i = 0; i < 10; i++) session.send(`${sent++}:${chunk}`);
    await new Promise((resolve) => setImmediate(resolve));
    // queued, not piled on the socket
    expect(session.writeBuffer).toHaveLength(10);
    expect(tcp.writableLength).toBe(held);

    ws.resume();
    const messages = await nextMessages(ws, sent, 10000);
    expect(messages.every((message, i) => message === `4${i}:${chunk}`)).toBe(true);
    // the last TCP drain makes the transport `ready` again
    const transport = session.transport;
    await waitUntil(transport, "ready", () => session.writeBuffer.length === 0 && transport.canSend, 5000, "the queue to be written");
    await closeWebSocket(ws);
  }, 20000);

  it("pings get pongs while the TCP socket is not backed up, none while it is over its high-water mark", async () => {
    const sockets = await start(wsEngine);
    const { ws, sid } = await wsHandshake(server!);
    const session = server!.engine.clients[sid]!;
    const tcp = sockets[0]!;
    let bytesIn = 0;
    tcp.on("data", (chunk: Buffer) => (bytesIn += chunk.length));
    const pongs: string[] = [];
    ws.on("pong", (data: Buffer) => pongs.push(data.toString()));

    ws.ping("a");
    await waitUntil(ws, "pong", () => pongs.length === 1, 5000, "the first pong");
    expect(pongs).toEqual(["a"]);

    ws.pause();
    const chunk = "z".repeat(64 * 1024);
    let sent = 0;
    // fill the kernel's buffers, then the socket's own, until the transport stops taking writes
    while (session.transport.canSend) {
      session.send(`${sent++}:${chunk}`);
      await new Promise((resolve) => setImmediate(resolve));
      if (sent > 500) throw new Error("the transport never stopped taking writes");
    }
    expect(tcp.writableNeedDrain).toBe(true);
    // 20 pings of 1 byte: 7 bytes each from a client (2 head bytes, 4 mask bytes)
    const before = bytesIn;
    for (let i = 0; i < 20; i++) ws.ping("b");
    await waitUntil(tcp, "data", () => bytesIn >= before + 20 * 7, 5000, "the pings to reach the server");
    expect(tcp.writableNeedDrain).toBe(true);

    ws.resume();
    await nextMessages(ws, sent, 10000);
    const transport = session.transport;
    await waitUntil(transport, "ready", () => transport.canSend && !tcp.writableNeedDrain, 5000, "the socket to drain");
    ws.ping("c");
    await waitUntil(ws, "pong", () => pongs.length >= 2, 5000, "a pong after the drain");
    // TCP keeps the order: a pong to a "b" would have come before the one to "c"
    expect(pongs).toEqual(["a", "c"]);
    await closeWebSocket(ws);
  }, 20000);
});

describe("with ws's own WebSocket", () => {
  it("every frame goes through its send(), and its bufferedAmount is what the transport reports", async () => {
    await start(WebSocketServer as unknown as WsEngine);
    const send = jest.spyOn(WsWebSocket.prototype, "send");
    const { ws, sid } = await wsHandshake(server!);
    const session = server!.engine.clients[sid]!;
    const before = send.mock.calls.length;
    for (let i = 0; i < 5; i++) session.send(`m${i}`);
    session.send(Buffer.from([1, 2]));
    const messages = await nextMessages(ws, 6);
    expect(messages).toEqual(["4m0", "4m1", "4m2", "4m3", "4m4", Buffer.from([1, 2])]);
    // the client's own sends are on its side of the spy too: count the server's only
    const serverSends = send.mock.calls.slice(before).filter((_call, i) => send.mock.contexts[before + i] !== ws);
    expect(serverSends.map(([data]) => (typeof data === "string" ? data : "<binary>"))).toEqual(["4m0", "4m1", "4m2", "4m3", "4m4", "<binary>"]);
    const serverWs = send.mock.contexts[before] as WsWebSocket;
    expect(session.transport.bufferedBytes).toBe(serverWs.bufferedAmount);
    const closed = waitFor(session, "close");
    await closeWebSocket(ws);
    await closed;
  });
});
