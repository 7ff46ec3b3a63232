import { afterEach, describe, expect, it } from "@jest/globals";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { Duplex } from "node:stream";
import type { Packet, Socket, SocketState } from "../../src";
import {
  closeClient,
  closeWebSocket,
  createClient,
  eioHandshake,
  eioPoll,
  eioPush,
  nextMessages,
  openWebSocket,
  startServer,
  pendingGet,
  waitFor,
  waitUntil,
  wsHandshake,
  type TestServer,
} from "../helpers";

let server: TestServer;
afterEach(async () => {
  await server.close();
});

function trackStates(socket: Socket): { states: SocketState[]; closes: unknown[][] } {
  const states: SocketState[] = [socket.readyState];
  const closes: unknown[][] = [];
  const record = (): void => {
    if (states[states.length - 1] !== socket.readyState) states.push(socket.readyState);
  };
  socket.on("flush", record);
  socket.on("drain", record);
  socket.on("close", (...args) => {
    record();
    closes.push(args);
  });
  return { states, closes };
}

describe("socket.close()", () => {
  it("polling with a pending GET: the GET gets the close packet, close('forced close') once", async () => {
    server = await startServer();
    const { sid } = await eioHandshake(server);
    const socket = server.engine.clients[sid]!;
    const { closes } = trackStates(socket);
    const poll = eioPoll(server, sid);
    await pendingGet(socket);
    socket.close();
    expect((await poll).text).toBe("1");
    await waitUntil(socket, "close", () => closes.length === 1, 5000, "the close event");
    expect(closes).toEqual([["forced close", undefined]]);
    expect(socket.readyState).toBe("closed");
    socket.close();
    socket.close(true);
    expect(closes).toHaveLength(1);
    expect(server.engine.clients[sid]).toBeUndefined();
    expect(server.engine.clientsCount).toBe(0);
  });

  it("polling without a pending GET: closing until the next GET delivers queued packets then the close packet", async () => {
    server = await startServer();
    const { sid } = await eioHandshake(server);
    const socket = server.engine.clients[sid]!;
    socket.send("last words");
    socket.close();
    expect(socket.readyState).toBe("closing");
    socket.send("ignored once closing");
    const bodies: string[] = [];
    while (bodies[bodies.length - 1] !== "1") bodies.push((await eioPoll(server, sid)).text);
    expect(bodies.join("\x1e")).toBe("4last words\x1e1");
    await waitUntil(socket, "close", () => socket.readyState === "closed", 5000, "the session to close");
  });

  it("websocket: queued messages are delivered before the WebSocket closes", async () => {
    server = await startServer();
    const { ws, sid } = await wsHandshake(server);
    const socket = server.engine.clients[sid]!;
    const closed = waitFor<[string]>(socket, "close");
    const wsClosed = waitFor(ws, "close");
    socket.send("one");
    socket.send("two");
    socket.close();
    expect(await nextMessages(ws, 2)).toEqual(["4one", "4two"]);
    expect((await closed)[0]).toBe("forced close");
    await wsClosed;
  });

  it("close(true) discards the queue and closes right away", async () => {
    server = await startServer();
    const { sid } = await eioHandshake(server);
    const socket = server.engine.clients[sid]!;
    const closed = waitFor<[string]>(socket, "close");
    socket.send("dropped");
    socket.close(true);
    expect((await closed)[0]).toBe("forced close");
    expect(socket.readyState).toBe("closed");
    expect((await eioPoll(server, sid)).status).toBe(400);
  });

  it("readyState goes open → closing → closed (polling waits for its next GET)", async () => {
    server = await startServer();
    const states: SocketState[] = [];
    server.engine.on("connection", (socket) => states.push(socket.readyState));
    const { sid } = await eioHandshake(server);
    const socket = server.engine.clients[sid]!;
    const closed = waitFor(socket, "close");
    socket.close();
    states.push(socket.readyState);
    expect((await eioPoll(server, sid)).text).toBe("1");
    await closed;
    states.push(socket.readyState);
    expect(states).toEqual(["open", "closing", "closed"]);
  });

  it("websocket: close() with nothing queued closes at once", async () => {
    server = await startServer();
    const { ws, sid } = await wsHandshake(server);
    const socket = server.engine.clients[sid]!;
    const reasons: string[] = [];
    socket.on("close", (reason) => reasons.push(reason));
    socket.close();
    expect(socket.readyState).toBe("closed");
    expect(reasons).toEqual(["forced close"]);
    await waitFor(ws, "close");
  });
});

describe("the client closes", () => {
  it.each([["polling"], ["websocket"]])("over %s: 'transport close'", async (transport) => {
    server = await startServer();
    const connection = waitFor<[Socket]>(server.engine, "connection");
    const client = createClient(server, { transports: [transport] });
    const [socket] = await connection;
    await waitFor(client, "open");
    const closed = waitFor<[string]>(socket, "close");
    client.close();
    expect((await closed)[0]).toBe("transport close");
    expect(server.engine.clientsCount).toBe(0);
  });

  it("a close packet in a POST closes the session", async () => {
    server = await startServer();
    const { sid } = await eioHandshake(server);
    const closed = waitFor<[string]>(server.engine.clients[sid]!, "close");
    expect((await eioPush(server, sid, "1")).text).toBe("ok");
    expect((await closed)[0]).toBe("transport close");
  });

  it("a dropped TCP connection closes a websocket session", async () => {
    server = await startServer();
    const { ws, sid } = await wsHandshake(server);
    const closed = waitFor<[string]>(server.engine.clients[sid]!, "close");
    ws.terminate();
    expect((await closed)[0]).toBe("transport close");
  });
});

describe("server.close()", () => {
  it("closes every session with 'server shutting down'", async () => {
    server = await startServer();
    const polling = createClient(server, { transports: ["polling"] });
    const websocket = createClient(server, { transports: ["websocket"] });
    await Promise.all([waitFor(polling, "open"), waitFor(websocket, "open")]);
    expect(server.engine.clientsCount).toBe(2);
    const reasons: string[] = [];
    for (const id of Object.keys(server.engine.clients)) server.engine.clients[id]!.on("close", (reason) => reasons.push(reason));
    const clientsClosed = Promise.all([waitFor(polling, "close"), waitFor(websocket, "close")]);
    server.engine.close();
    expect(reasons).toEqual(["server shutting down", "server shutting down"]);
    expect(server.engine.clientsCount).toBe(0);
    expect(Object.keys(server.engine.clients)).toEqual([]);
    await clientsClosed;
    await closeClient(polling);
    await closeClient(websocket);
  });
});

describe("server.close() while a session is closing", () => {
  it("finishes the close at once and leaves no timer behind", async () => {
    server = await startServer();
    const { sid } = await eioHandshake(server);
    const socket = server.engine.clients[sid]!;
    const timers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
    socket.close(); // no pending GET: waits (up to pingTimeout) for the next one
    expect(socket.readyState).toBe("closing");
    // the heartbeat timer and the close wait
    const before = timers();
    const closed = waitFor<[string]>(socket, "close");
    server.engine.close();
    expect((await closed)[0]).toBe("server shutting down");
    expect(timers()).toBe(before - 2);
  });
});

describe("events", () => {
  it("packet, packetCreate, message/data, heartbeat, flush and drain", async () => {
    server = await startServer({ pingInterval: 40 });
    const { ws, sid } = await wsHandshake(server);
    const socket = server.engine.clients[sid]!;
    const received: Packet[] = [];
    const created: Packet[] = [];
    const data: unknown[] = [];
    const flushes: number[] = [];
    let drains = 0;
    let serverFlushes = 0;
    let serverDrains = 0;
    socket.on("packet", (packet) => received.push(packet));
    socket.on("packetCreate", (packet) => created.push(packet));
    socket.on("data", (d) => data.push(d));
    socket.on("flush", (packets) => flushes.push(packets.length));
    socket.on("drain", () => drains++);
    server.engine.on("flush", (s) => s === socket && serverFlushes++);
    server.engine.on("drain", (s) => s === socket && serverDrains++);
    const heartbeat = waitFor(socket, "heartbeat");
    expect(await nextMessages(ws, 1)).toEqual(["2"]);
    ws.send("3");
    await heartbeat;
    ws.send("4hi");
    await waitUntil(socket, "data", () => data.length === 1, 5000, "the message");
    socket.send("a");
    socket.send("b");
    await nextMessages(ws, 2);
    expect(received.map((p) => p.type)).toEqual(["pong", "message"]);
    expect(data).toEqual(["hi"]);
    expect(created.map((p) => [p.type, p.data])).toEqual([
      ["ping", undefined],
      ["message", "a"],
      ["message", "b"],
    ]);
    expect(flushes).toEqual([1, 2]);
    expect(drains).toBe(2);
    expect(serverFlushes).toBe(2);
    expect(serverDrains).toBe(2);
    await closeWebSocket(ws);
  });

});

describe("diagnostics_channel", () => {
  it("publishes connection, close and connection_error on volley:engine-server:*", async () => {
    server = await startServer();
    const seen: string[] = [];
    const onConnection = (message: unknown): void => {
      seen.push(`connection ${(message as { socket: Socket }).socket.id}`);
    };
    const onClose = (message: unknown): void => {
      const { socket, reason } = message as { socket: Socket; reason: string };
      seen.push(`close ${socket.id} ${reason}`);
    };
    const onError = (message: unknown): void => {
      seen.push(`connection_error ${(message as { error: { code: number } }).error.code}`);
    };
    subscribe("volley:engine-server:connection", onConnection);
    subscribe("volley:engine-server:close", onClose);
    subscribe("volley:engine-server:connection_error", onError);
    try {
      const { sid } = await eioHandshake(server);
      server.engine.clients[sid]!.close(true);
      await eioPoll(server, "nope");
      expect(seen).toEqual([`connection ${sid}`, `close ${sid} forced close`, "connection_error 1"]);
    } finally {
      unsubscribe("volley:engine-server:connection", onConnection);
      unsubscribe("volley:engine-server:close", onClose);
      unsubscribe("volley:engine-server:connection_error", onError);
    }
  });
});

describe("remoteAddress and request", () => {
  it("keeps the handshake request and the client's address", async () => {
    server = await startServer();
    const { sid } = await eioHandshake(server, "&foo=bar");
    const socket = server.engine.clients[sid]!;
    expect(socket.remoteAddress).toBe("127.0.0.1");
    expect(socket.request._query["foo"]).toBe("bar");
    expect(socket.protocol).toBe(4);
    expect(socket.server).toBe(server.engine);
    const tcp: Duplex = socket.request.socket;
    expect(tcp).toBeDefined();
  });
});

describe("request.socket after an upgrade", () => {
  it("is the WebSocket's live connection (same client), not the polling connection of the handshake", async () => {
    server = await startServer();
    const { sid } = await eioHandshake(server, "&foo=bar");
    const socket = server.engine.clients[sid]!;
    const request = socket.request;
    const handshakeConnection: Duplex = request.socket;
    const ws = await openWebSocket(server, `EIO=4&transport=websocket&sid=${sid}`);
    const poll = eioPoll(server, sid);
    // the upgrade starts in the server's handling of the upgrade request (before the 101)
    await waitUntil(server.http, "upgrade", () => socket.upgrading, 5000, "the upgrade to start");
    ws.send("2probe");
    expect(await nextMessages(ws, 1)).toEqual(["3probe"]);
    expect((await poll).text).toBe("6");
    const upgraded = waitFor(socket, "upgrade");
    ws.send("5");
    await upgraded;
    // the same request object, with the handshake's url, headers and query
    expect(socket.request).toBe(request);
    expect(request._query["foo"]).toBe("bar");
    expect(request.url).toContain("transport=polling");
    // its connection is the WebSocket's one: alive, same client address
    expect(request.socket).not.toBe(handshakeConnection);
    expect(request.connection).toBe(request.socket);
    expect((request as unknown as { client: unknown }).client).toBe(request.socket);
    expect(request.socket.destroyed).toBe(false);
    expect(request.socket.remoteAddress).toBe("127.0.0.1");
    expect(request.socket.remoteAddress).toBe(socket.remoteAddress);
    // the session keeps going over that connection
    socket.send("over the websocket");
    expect(await nextMessages(ws, 1)).toEqual(["4over the websocket"]);
    await closeWebSocket(ws);
  });
});
