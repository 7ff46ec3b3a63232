import { afterEach, describe, expect, it } from "@jest/globals";
import type { Socket as ServerSocket } from "engine.io";
import { InvalidMessageError, ParseError, TransportError, type CloseReason } from "../../src/index";
import { handshakePacket, startRawEngine } from "../helpers/raw-engine";
import { ClientPool, startEngine, type EngineFixture } from "../helpers/servers";
import { waitFor } from "../helpers/wait-for";

const clients = new ClientPool();
const disposers: Array<() => Promise<void>> = [];

afterEach(async () => {
  clients.closeAll();
  for (const dispose of disposers.splice(0)) await dispose();
});

async function engine(options: Parameters<typeof startEngine>[0] = {}): Promise<EngineFixture> {
  const server = await startEngine(options);
  disposers.push(server.close);
  return server;
}

describe.each([["polling"], ["websocket"]] as const)("close reasons over %s", (transport) => {
  it("close() emits 'forced close' once, after sending what was buffered", async () => {
    const server = await engine();
    const client = clients.create(server.url, { transports: [transport] });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "open");
    const reasons: CloseReason[] = [];
    client.on("close", (reason) => reasons.push(reason));
    const lastMessage = waitFor<[string]>(serverSocket, "message");
    const serverClosed = waitFor<[string]>(serverSocket, "close");
    client.send("last words");
    client.close();
    client.close();
    expect((await lastMessage)[0]).toBe("last words");
    expect((await serverClosed)[0]).toBe("transport close");
    expect(reasons).toEqual(["forced close"]);
    expect(client.readyState).toBe("closed");
    expect(client.id).toBeNull();
    let created = 0;
    client.on("packetCreate", () => created++);
    client.send("ignored");
    expect(created).toBe(0);
  });

  it("the server closing the session is a 'transport close'", async () => {
    const server = await engine();
    const client = clients.create(server.url, { transports: [transport] });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "open");
    const closed = waitFor<[CloseReason]>(client, "close");
    serverSocket.close();
    expect((await closed)[0]).toBe("transport close");
  });

  it("a refused handshake emits an error with the HTTP status, then closes", async () => {
    const server = await engine({ allowRequest: (_request, callback) => callback("not today", false) });
    const client = clients.create(server.url, { transports: [transport] });
    const errored = waitFor<[TransportError]>(client, "error");
    const closed = waitFor<[CloseReason, unknown]>(client, "close");
    const [error] = await errored;
    expect(error).toBeInstanceOf(TransportError);
    expect(error.type).toBe("TransportError");
    if (transport === "polling") {
      expect(error.message).toBe("xhr poll error");
      expect(error.code).toBe("VOLLEY_ENGINE_CLIENT_ERR_POLL_ERROR");
      expect(error.status).toBe(403);
      expect(error.serverError).toEqual({ code: 4, message: "not today" });
    } else {
      expect(error.message).toBe("websocket error");
      expect(error.code).toBe("VOLLEY_ENGINE_CLIENT_ERR_WEBSOCKET_ERROR");
      expect(error.status).toBe(400);
    }
    const [reason, details] = await closed;
    expect(reason).toBe("transport error");
    expect(details).toBe(error);
  });
});

describe("close reasons", () => {
  it("a server that goes away is a 'transport error' on polling", async () => {
    const server = await startEngine();
    const client = clients.create(server.url, { transports: ["polling"] });
    await waitFor(client, "open");
    const errored = waitFor<[TransportError]>(client, "error");
    const closed = waitFor<[CloseReason]>(client, "close");
    await server.close();
    expect((await errored)[0].message).toBe("xhr poll error");
    expect((await closed)[0]).toBe("transport error");
  });

  it("a server that goes away is a 'transport close' on WebSocket", async () => {
    const server = await startEngine();
    const client = clients.create(server.url, { transports: ["websocket"] });
    await waitFor(client, "open");
    const closed = waitFor<[CloseReason]>(client, "close");
    await server.close();
    expect((await closed)[0]).toBe("transport close");
  });

  it("no ping within pingInterval + pingTimeout closes with 'ping timeout'", async () => {
    const server = await startRawEngine();
    disposers.push(server.close);
    const client = clients.create(server.url, { transports: ["polling"] });
    // Taken synchronously before the heartbeat starts (not after awaiting "open", which a
    // loaded machine can delay past the start), so the bound below holds under load.
    let handshakeAt = Infinity;
    client.once("handshake", () => {
      handshakeAt = Date.now();
    });
    await waitFor(client, "open");
    const [reason] = await waitFor<[CloseReason]>(client, "close", 3000);
    expect(reason).toBe("ping timeout");
    // pingInterval 40 + pingTimeout 40
    expect(Date.now() - handshakeAt).toBeGreaterThanOrEqual(75);
  });

  it("hasPingExpired() notices a deadline passed while the event loop was frozen", async () => {
    const server = await startRawEngine();
    disposers.push(server.close);
    const client = clients.create(server.url, { transports: ["polling"] });
    await waitFor(client, "open");
    expect(client.hasPingExpired()).toBe(false);
    // Simulates a frozen tab: timers cannot fire while the loop is blocked past the deadline
    // (pingInterval 40 + pingTimeout 40).
    const frozenUntil = Date.now() + 100;
    while (Date.now() <= frozenUntil) {
      // busy on purpose
    }
    const closed = waitFor<[CloseReason]>(client, "close");
    expect(client.hasPingExpired()).toBe(true);
    expect((await closed)[0]).toBe("ping timeout");
  });

  it("pings keep the connection alive past pingInterval + pingTimeout", async () => {
    // The raw server announces a 500 ms deadline (250 + 250) and answers every poll with a
    // ping at once: the client must keep resetting its deadline, well past 2 × 500 ms. No
    // timer on either side is short enough to be hurt by a loaded machine.
    const server = await startRawEngine({
      handshake: handshakePacket({ pingInterval: 250, pingTimeout: 250 }),
      poll: () => "2",
    });
    disposers.push(server.close);
    const client = clients.create(server.url, { transports: ["polling"] });
    await waitFor(client, "open");
    let closed = false;
    client.on("close", () => (closed = true));
    const startedAt = Date.now();
    let pings = 0;
    while (Date.now() - startedAt < 1200) {
      await waitFor(client, "ping");
      pings++;
    }
    expect(closed).toBe(false);
    expect(client.readyState).toBe("open");
    expect(pings).toBeGreaterThan(2);
  });

  it("an invalid handshake is a parse error", async () => {
    const server = await startRawEngine({ handshake: '0{"sid":' });
    disposers.push(server.close);
    const client = clients.create(server.url, { transports: ["polling"] });
    const errored = waitFor<[ParseError]>(client, "error");
    const closed = waitFor<[CloseReason]>(client, "close");
    const [error] = await errored;
    expect(error).toBeInstanceOf(ParseError);
    expect(error.code).toBe("VOLLEY_ENGINE_CLIENT_ERR_PARSE_ERROR");
    expect((await closed)[0]).toBe("parse error");
  });

  it("a handshake without a session id is a parse error", async () => {
    const server = await startRawEngine({ handshake: handshakePacket({ sid: 42 }) });
    disposers.push(server.close);
    const client = clients.create(server.url, { transports: ["polling"] });
    expect((await waitFor<[CloseReason]>(client, "close"))[0]).toBe("parse error");
  });

  it("an invalid packet after the handshake is a parse error", async () => {
    let polls = 0;
    const server = await startRawEngine({ poll: () => (polls++ === 0 ? "4fine\x1e9garbage" : undefined) });
    disposers.push(server.close);
    const client = clients.create(server.url, { transports: ["polling"] });
    const messages: unknown[] = [];
    client.on("message", (data) => messages.push(data));
    expect((await waitFor<[CloseReason]>(client, "close"))[0]).toBe("parse error");
    expect(messages).toEqual(["fine"]);
  });

  it("requestTimeout fails a request that gets no answer", async () => {
    const server = await startRawEngine({ hangHandshake: true });
    disposers.push(server.close);
    const client = clients.create(server.url, { transports: ["polling"], requestTimeout: 100 });
    const startedAt = Date.now();
    const errored = waitFor<[TransportError]>(client, "error", 3000);
    const closed = waitFor<[CloseReason]>(client, "close", 3000);
    const [error] = await errored;
    expect(error.message).toBe("xhr poll error");
    expect(String(error.description)).toContain("timed out after 100 ms");
    expect((await closed)[0]).toBe("transport error");
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(95);
  });

  it("requestTimeout leaves requests alone that are answered in time", async () => {
    const server = await startEngine({ pingInterval: 50, pingTimeout: 1000 });
    disposers.push(server.close);
    // Each poll is held by the server until the next ping (50 ms), well within 1000 ms.
    const client = clients.create(server.url, { transports: ["polling"], requestTimeout: 1000 });
    let errors = 0;
    client.on("error", () => errors++);
    for (let i = 0; i < 3; i++) await waitFor(client, "ping");
    expect(errors).toBe(0);
    expect(client.readyState).toBe("open");
  });

  it("close() during the handshake closes at once, with no open event", async () => {
    const server = await startRawEngine({ hangHandshake: true });
    disposers.push(server.close);
    const client = clients.create(server.url, { transports: ["polling"] });
    let opened = false;
    client.on("open", () => (opened = true));
    const closed = waitFor<[CloseReason]>(client, "close");
    client.close();
    expect((await closed)[0]).toBe("forced close");
    expect(opened).toBe(false);
  });

  it("close() during an upgrade waits for the switch, then closes", async () => {
    const server = await engine();
    const client = clients.create(server.url);
    await waitFor(client, "upgrading");
    const order: string[] = [];
    client.on("upgrade", () => order.push("upgrade"));
    client.on("close", (reason) => order.push(reason));
    const closed = waitFor(client, "close");
    client.close();
    await closed;
    expect(order).toEqual(["upgrade", "forced close"]);
  });
});

describe("bad input from the application", () => {
  it("send() throws a coded error for data that is neither text nor binary", async () => {
    const server = await engine({ transports: ["polling"] });
    const client = clients.create(server.url, { transports: ["polling"] });
    await waitFor(client, "open");
    for (const data of [42, { a: 1 }, null, undefined]) {
      expect(() => client.send(data as never)).toThrow(InvalidMessageError);
    }
    expect(client.writeBuffer).toHaveLength(0);
    expect(client.readyState).toBe("open");
  });

  it("a header value Node refuses is a transport error, not a crash", async () => {
    const server = await engine({ transports: ["polling"] });
    const client = clients.create(server.url, { transports: ["polling"], extraHeaders: { "x-bad": "a\nb" } });
    const errored = waitFor<[TransportError]>(client, "error");
    const closed = waitFor<[CloseReason]>(client, "close");
    const [error] = await errored;
    expect(error.code).toBe("VOLLEY_ENGINE_CLIENT_ERR_POLL_ERROR");
    expect(String(error.description)).toMatch(/header/i);
    expect((await closed)[0]).toBe("transport error");
  });

  it.each([["polling"], ["websocket"]] as const)("nothing listening is a %s transport error", async (transport) => {
    const gone = await startRawEngine();
    await gone.close();
    const client = clients.create(gone.url, { transports: [transport] });
    const errored = waitFor<[TransportError]>(client, "error");
    const closed = waitFor<[CloseReason]>(client, "close");
    const [error] = await errored;
    expect(error).toBeInstanceOf(TransportError);
    expect(String(error.description)).toContain("ECONNREFUSED");
    expect((await closed)[0]).toBe("transport error");
  });
});
