import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { Agent } from "node:http";
import type { Socket as ServerSocket } from "engine.io";
import type { HandshakeData } from "../../src/index";
import { ClientPool, sidOf, startEngine, type EngineFixture } from "../helpers/servers";
import { collect, waitFor } from "../helpers/wait-for";

describe("HTTP long-polling (polling only)", () => {
  let server: EngineFixture;
  const clients = new ClientPool();

  beforeEach(async () => {
    server = await startEngine({ transports: ["polling"] });
  });

  afterEach(async () => {
    clients.closeAll();
    await server.close();
  });

  it("opens a session: handshake data, id, transport, readyState", async () => {
    const client = clients.create(server.url, { transports: ["polling"] });
    expect(client.readyState).toBe("opening");
    const connection = waitFor<[ServerSocket]>(server.engine, "connection");
    const handshaken = waitFor<[HandshakeData]>(client, "handshake");
    const opened = waitFor(client, "open");
    const [handshake] = await handshaken;
    await opened;
    const [serverSocket] = await connection;
    expect(client.readyState).toBe("open");
    expect(client.id).toBe(sidOf(serverSocket));
    expect(handshake.sid).toBe(sidOf(serverSocket));
    expect(handshake.pingInterval).toBe(10_000);
    expect(handshake.pingTimeout).toBe(5_000);
    expect(handshake.maxPayload).toBe(1e6);
    expect(client.transport.name).toBe("polling");
    expect(client.protocol).toBe(4);
    expect(serverSocket.protocol).toBe(4);
  });

  it("exchanges text and binary messages both ways, in order", async () => {
    const client = clients.create(server.url, { transports: ["polling"] });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "open");

    const atServer = collect<unknown>(serverSocket, "message", 4);
    client.send("hello");
    client.send(Buffer.from([1, 2, 3]));
    client.send(new Uint8Array([4, 5]).buffer);
    client.send("héllo ✓ 😀");
    const received = await atServer;
    expect(received[0]).toBe("hello");
    expect(Buffer.from(received[1] as Buffer)).toEqual(Buffer.from([1, 2, 3]));
    expect(Buffer.from(received[2] as Buffer)).toEqual(Buffer.from([4, 5]));
    expect(received[3]).toBe("héllo ✓ 😀");

    const atClient = collect<unknown>(client, "message", 3);
    serverSocket.send("world");
    serverSocket.send(Buffer.from([9, 8, 7]));
    serverSocket.send("😀");
    const fromServer = await atClient;
    expect(fromServer[0]).toBe("world");
    expect(Buffer.isBuffer(fromServer[1])).toBe(true);
    expect(fromServer[1]).toEqual(Buffer.from([9, 8, 7]));
    expect(fromServer[2]).toBe("😀");
  });

  it("hands binary as ArrayBuffer when binaryType is arraybuffer", async () => {
    const client = clients.create(server.url, { transports: ["polling"] });
    client.binaryType = "arraybuffer";
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "open");
    const message = waitFor<[ArrayBuffer]>(client, "message");
    serverSocket.send(Buffer.from([1, 2]));
    const [data] = await message;
    expect(data).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(data)]).toEqual([1, 2]);
  });

  it("keeps the order of 500 messages sent at once, both ways", async () => {
    const client = clients.create(server.url, { transports: ["polling"] });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    const expected = Array.from({ length: 500 }, (_, i) => `m${i}`);
    const atServer = collect<string>(serverSocket, "message", 500);
    for (const message of expected) client.send(message);
    expect(await atServer).toEqual(expected);
    const atClient = collect<string>(client, "message", 500);
    for (const message of expected) serverSocket.send(message);
    expect(await atClient).toEqual(expected);
  });

  it("splits a backlog into POSTs that fit the server's maxHttpBufferSize", async () => {
    await server.close();
    server = await startEngine({ transports: ["polling"], maxHttpBufferSize: 1000 });
    const client = clients.create(server.url, { transports: ["polling"] });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    const payloads = Array.from({ length: 10 }, (_, i) => String(i).repeat(300));
    const atServer = collect<string>(serverSocket, "message", 10);
    // Sent before the handshake: all 10 (≈3 KB) are buffered, then flushed in ≤1000-byte POSTs.
    for (const payload of payloads) client.send(payload);
    expect(await atServer).toEqual(payloads);
    expect(client.readyState).toBe("open");
  });

  it("emits packetCreate, flush and drain, and runs send callbacks once flushed", async () => {
    const client = clients.create(server.url, { transports: ["polling"] });
    await waitFor(client, "open");
    const created: unknown[] = [];
    client.on("packetCreate", (packet) => created.push(packet.data));
    const flushed = waitFor(client, "flush");
    const callback = new Promise<void>((resolve) => client.send("a", { compress: false }, resolve));
    const drained = waitFor(client, "drain");
    await flushed;
    await callback;
    await drained;
    expect(created).toEqual(["a"]);
    expect(client.writeBuffer).toHaveLength(0);
  });

  it("answers server pings and emits ping", async () => {
    await server.close();
    server = await startEngine({ transports: ["polling"], pingInterval: 30, pingTimeout: 1000 });
    const client = clients.create(server.url, { transports: ["polling"] });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "ping");
    await waitFor(serverSocket, "heartbeat");
    await waitFor(client, "ping");
    expect(client.readyState).toBe("open");
  });

  it("sends query, path and a cache-busting timestamp", async () => {
    await server.close();
    server = await startEngine({ transports: ["polling"], path: "/custom" });
    const client = clients.create(`${server.url}/ignored?fromUri=1`, {
      transports: ["polling"],
      path: "/custom",
      query: { token: "abc", n: 1 },
      timestampParam: "ts",
    });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "open");
    const handshakeUrl = new URL(server.requests[0]!.url!, server.url);
    expect(handshakeUrl.pathname).toBe("/custom/");
    expect(handshakeUrl.searchParams.get("token")).toBe("abc");
    expect(handshakeUrl.searchParams.get("n")).toBe("1");
    expect(handshakeUrl.searchParams.get("fromUri")).toBe("1");
    expect(handshakeUrl.searchParams.get("EIO")).toBe("4");
    expect(handshakeUrl.searchParams.get("transport")).toBe("polling");
    expect(handshakeUrl.searchParams.get("ts")).toMatch(/^[0-9a-z]+$/);
    expect(serverSocket.request.url).toContain("token=abc");
  });

  it("accepts the query as a string", async () => {
    const client = clients.create(server.url, { transports: ["polling"], query: "a=1&b=two%20words" });
    await waitFor(client, "open");
    const handshakeUrl = new URL(server.requests[0]!.url!, server.url);
    expect(handshakeUrl.searchParams.get("a")).toBe("1");
    expect(handshakeUrl.searchParams.get("b")).toBe("two words");
  });

  it("omits the timestamp when timestampRequests is false", async () => {
    const client = clients.create(server.url, { transports: ["polling"], timestampRequests: false });
    await waitFor(client, "open");
    const handshakeUrl = new URL(server.requests[0]!.url!, server.url);
    expect(handshakeUrl.searchParams.has("t")).toBe(false);
  });

  it("uses the path without trailing slash when addTrailingSlash is false", async () => {
    await server.close();
    server = await startEngine({ transports: ["polling"], path: "/engine.io", addTrailingSlash: false });
    const client = clients.create(server.url, { transports: ["polling"], addTrailingSlash: false });
    await waitFor(client, "open");
    expect(new URL(server.requests[0]!.url!, server.url).pathname).toBe("/engine.io");
  });

  it("sends extraHeaders with every request", async () => {
    const client = clients.create(server.url, { transports: ["polling"], extraHeaders: { "x-volley": "42" } });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "open");
    const atServer = waitFor(serverSocket, "message");
    client.send("x");
    await atServer;
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
    for (const request of server.requests) expect(request.headers["x-volley"]).toBe("42");
  });

  it("asks for base64 binary with forceBase64, and still delivers binary", async () => {
    const client = clients.create(server.url, { transports: ["polling"], forceBase64: true });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "open");
    expect(new URL(server.requests[0]!.url!, server.url).searchParams.get("b64")).toBe("1");
    const atServer = waitFor<[Buffer]>(serverSocket, "message");
    client.send(Buffer.from([1, 2, 3]));
    expect(Buffer.from((await atServer)[0])).toEqual(Buffer.from([1, 2, 3]));
    const atClient = waitFor<[Buffer]>(client, "message");
    serverSocket.send(Buffer.from([4]));
    expect((await atClient)[0]).toEqual(Buffer.from([4]));
  });

  it("makes its requests through the given http.Agent", async () => {
    const agent = new Agent({ keepAlive: true });
    const sockets: unknown[] = [];
    agent.on("free", (socket: unknown) => sockets.push(socket));
    try {
      const client = clients.create(server.url, { transports: ["polling"], agent });
      const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
      await waitFor(client, "open");
      const atServer = waitFor(serverSocket, "message");
      const drained = waitFor(client, "drain");
      client.send("through the agent");
      await atServer;
      await drained;
      // The handshake GET and the POST went back to the agent's pool when done.
      expect(sockets.length).toBeGreaterThanOrEqual(2);
    } finally {
      clients.closeAll();
      agent.destroy();
    }
  });
});
