import { afterEach, describe, expect, it } from "@jest/globals";
import type { Socket as ClientSocket } from "engine.io-client";
import type { RawData, Socket } from "../../src";
import { closeClient, createClient, startServer, waitFor, waitUntil, within, type TestServer } from "../helpers";

let server: TestServer;
const clients: ClientSocket[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => closeClient(client)));
  await server.close();
});

function connect(options: Parameters<typeof createClient>[1] = {}): ClientSocket {
  const client = createClient(server, options);
  clients.push(client);
  return client;
}

function collect(client: ClientSocket, count: number, timeoutMs = 10000): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const messages: unknown[] = [];
    const timer = setTimeout(() => reject(new Error(`got ${messages.length} of ${count} messages`)), timeoutMs);
    client.on("message", (data: unknown) => {
      messages.push(data);
      if (messages.length === count) {
        clearTimeout(timer);
        resolve(messages);
      }
    });
  });
}

const MODES = [
  ["polling only", { transports: ["polling"] }],
  ["websocket only", { transports: ["websocket"] }],
  ["polling then websocket", {}],
] as const;

describe.each(MODES)("engine.io-client, %s", (mode, options) => {
  it("exchanges text and binary messages both ways", async () => {
    server = await startServer();
    const connection = waitFor<[Socket]>(server.engine, "connection");
    const client = connect({ ...options, transports: [...(options as { transports?: string[] }).transports ?? ["polling", "websocket"]] });
    const [socket] = await connection;
    await waitFor(client, "open");
    if (mode === "polling then websocket") await waitUntil(socket, "upgrade", () => socket.upgraded, 5000, "upgrade");
    expect(socket.transport.name).toBe(mode === "polling only" ? "polling" : "websocket");

    const serverReceived: RawData[] = [];
    socket.on("message", (data) => serverReceived.push(data));
    client.send("héllo ✓");
    client.send(new Uint8Array([1, 2, 3, 255]));
    client.send("");
    await waitUntil(socket, "message", () => serverReceived.length === 3, 5000, "3 messages on the server");
    expect(serverReceived[0]).toBe("héllo ✓");
    expect(Buffer.isBuffer(serverReceived[1])).toBe(true);
    expect([...(serverReceived[1] as Buffer)]).toEqual([1, 2, 3, 255]);
    expect(serverReceived[2]).toBe("");

    const received = collect(client, 3);
    socket.send("wörld ✓");
    socket.send(Buffer.from([9, 8, 7, 0]));
    socket.send(new Uint8Array([42]).buffer);
    const [text, binary, arrayBuffer] = await received;
    expect(text).toBe("wörld ✓");
    expect([...new Uint8Array(binary as ArrayBuffer)]).toEqual([9, 8, 7, 0]);
    expect([...new Uint8Array(arrayBuffer as ArrayBuffer)]).toEqual([42]);
  });

  it("keeps the order of many messages in both directions", async () => {
    server = await startServer();
    const connection = waitFor<[Socket]>(server.engine, "connection");
    const client = connect({ transports: [...((options as { transports?: string[] }).transports ?? ["polling", "websocket"])] });
    const [socket] = await connection;
    await waitFor(client, "open");
    const serverReceived: RawData[] = [];
    socket.on("message", (data) => serverReceived.push(data));
    const received = collect(client, 500);
    for (let i = 0; i < 500; i++) {
      socket.send(String(i));
      client.send(String(i));
    }
    expect(await received).toEqual(Array.from({ length: 500 }, (_, i) => String(i)));
    await waitUntil(socket, "message", () => serverReceived.length === 500, 10000, "500 messages on the server");
    expect(serverReceived).toEqual(Array.from({ length: 500 }, (_, i) => String(i)));
  });

  it("calls send callbacks once the messages are written", async () => {
    server = await startServer();
    const connection = waitFor<[Socket]>(server.engine, "connection");
    const client = connect({ transports: [...((options as { transports?: string[] }).transports ?? ["polling", "websocket"])] });
    const [socket] = await connection;
    await waitFor(client, "open");
    const order: string[] = [];
    const received = collect(client, 2);
    const written = new Promise<void>((resolve) => {
      socket.send("a", () => order.push("a written"));
      socket.send("b", { compress: false }, () => {
        order.push("b written");
        resolve();
      });
    });
    await received;
    await within(written, 5000, "callbacks");
    expect(order).toEqual(["a written", "b written"]);
  });
});

describe("upgrade polling → websocket", () => {
  it("loses and reorders nothing sent while the upgrade happens, in either direction", async () => {
    server = await startServer();
    const connection = waitFor<[Socket]>(server.engine, "connection");
    const client = connect();
    const [socket] = await connection;
    const serverReceived: string[] = [];
    socket.on("message", (data) => serverReceived.push(data as string));
    const clientReceived: string[] = [];
    client.on("message", (data: unknown) => clientReceived.push(data as string));
    let sent = 0;
    let stopAt = Infinity;
    let stopped: () => void = () => undefined;
    const pumpStopped = new Promise<void>((resolve) => (stopped = resolve));
    // both sides keep sending on every turn of the event loop until well after the upgrade
    const pump = (): void => {
      if (sent >= stopAt) {
        stopped();
        return;
      }
      socket.send(String(sent));
      client.send(String(sent));
      sent++;
      setImmediate(pump);
    };
    pump();
    await waitFor(socket, "upgrade", 5000);
    const atUpgrade = sent;
    stopAt = atUpgrade + 50;
    await within(pumpStopped, 5000, "50 more messages");
    await Promise.all([
      waitUntil(client, "message", () => clientReceived.length === sent, 10000, "every message on the client"),
      waitUntil(socket, "message", () => serverReceived.length === sent, 10000, "every message on the server"),
    ]);
    const expected = Array.from({ length: sent }, (_, i) => String(i));
    expect(clientReceived).toEqual(expected);
    expect(serverReceived).toEqual(expected);
    expect(atUpgrade).toBeGreaterThan(0);
    expect(socket.upgraded).toBe(true);
    expect(client.transport.name).toBe("websocket");
  });

  it("emits upgrading then upgrade with the new transport", async () => {
    server = await startServer();
    const connection = waitFor<[Socket]>(server.engine, "connection");
    connect();
    const [socket] = await connection;
    expect(socket.transport.name).toBe("polling");
    const events: string[] = [];
    socket.on("upgrading", (transport) => events.push(`upgrading:${transport.name}`));
    const [transport] = await waitFor<[Socket["transport"]]>(socket, "upgrade");
    events.push(`upgrade:${transport.name}`);
    expect(events).toEqual(["upgrading:websocket", "upgrade:websocket"]);
    expect(socket.transport).toBe(transport);
    expect(socket.upgrading).toBe(false);
  });
});
