import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import type { Socket as ServerSocket } from "engine.io";
import { ProbeError, Socket, TransportError, type Transport } from "../../src/index";
import { ClientPool, startEngine, type EngineFixture } from "../helpers/servers";
import { collect, waitFor } from "../helpers/wait-for";

type Message = string | Buffer;

function label(message: unknown): string {
  return typeof message === "string" ? message : `bin:${Buffer.from(message as Buffer).toString("hex")}`;
}

describe("upgrade from polling to WebSocket", () => {
  let server: EngineFixture;
  const clients = new ClientPool();

  beforeEach(async () => {
    server = await startEngine();
  });

  afterEach(async () => {
    clients.closeAll();
    // The memory shared by sockets without a store of their own must not leak into the next test.
    Socket.priorWebsocketSuccess = false;
    await server.close();
  });

  it("opens with polling, probes, then switches to WebSocket", async () => {
    const client = clients.create(server.url);
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    const events: string[] = [];
    client.on("open", () => events.push(`open:${client.transport.name}`));
    client.on("upgrading", (transport: Transport) => events.push(`upgrading:${transport.name}`));
    const [upgraded] = await waitFor<[Transport]>(client, "upgrade");
    expect(events).toEqual(["open:polling", "upgrading:websocket"]);
    expect(upgraded.name).toBe("websocket");
    expect(client.transport).toBe(upgraded);
    expect(client.upgrading).toBe(false);
    await waitFor(serverSocket, "upgrade");
    expect(serverSocket.transport.name).toBe("websocket");

    const atServer = waitFor<[string]>(serverSocket, "message");
    client.send("after upgrade");
    expect((await atServer)[0]).toBe("after upgrade");
    const atClient = waitFor<[string]>(client, "message");
    serverSocket.send("back");
    expect((await atClient)[0]).toBe("back");
  });

  it("loses and reorders nothing sent during the upgrade, both ways", async () => {
    const client = clients.create(server.url);
    const batch = (prefix: string): Message[] => [
      ...Array.from({ length: 30 }, (_, i) => `${prefix}${i}`),
      Buffer.from(prefix),
    ];
    const clientBatches = [batch("a"), batch("b"), batch("c"), batch("d")];
    const serverBatches = [batch("w"), batch("x"), batch("y"), batch("z")];
    const expectedAtServer = clientBatches.flat().map(label);
    const expectedAtClient = serverBatches.flat().map(label);

    const atClient = collect<unknown>(client, "message", expectedAtClient.length, 10_000);
    // Client side: before open, at open (polling), when the probe succeeds, after the switch.
    for (const message of clientBatches[0]!) client.send(message);
    client.once("open", () => clientBatches[1]!.forEach((message) => client.send(message)));
    client.once("upgrading", () => clientBatches[2]!.forEach((message) => client.send(message)));
    client.once("upgrade", () => clientBatches[3]!.forEach((message) => client.send(message)));

    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    const atServer = collect<unknown>(serverSocket, "message", expectedAtServer.length, 10_000);
    for (const message of serverBatches[0]!) serverSocket.send(message);
    serverSocket.once("upgrading", () => serverBatches[1]!.forEach((message) => serverSocket.send(message)));
    serverSocket.once("upgrade", () => {
      serverBatches[2]!.forEach((message) => serverSocket.send(message));
      setImmediate(() => serverBatches[3]!.forEach((message) => serverSocket.send(message)));
    });

    expect((await atServer).map(label)).toEqual(expectedAtServer);
    expect((await atClient).map(label)).toEqual(expectedAtClient);
    expect(client.transport.name).toBe("websocket");
  });

  it("stays on polling with upgrade: false", async () => {
    const client = clients.create(server.url, { upgrade: false });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "open");
    let upgrading = false;
    client.on("upgrading", () => (upgrading = true));
    // Round trips take several poll cycles: a probe would have been opened by then.
    for (let i = 0; i < 5; i++) {
      const echo = waitFor(client, "message");
      serverSocket.once("message", (data: string) => serverSocket.send(data));
      client.send(`ping ${i}`);
      await echo;
    }
    expect(upgrading).toBe(false);
    expect(client.transport.name).toBe("polling");
    expect(server.requests.some((request) => request.headers.upgrade === "websocket")).toBe(false);
  });

  it("rememberUpgrade opens straight with WebSocket after a successful upgrade (shared store)", async () => {
    const store = new Map<string, boolean>();
    const first = clients.create(server.url, { rememberUpgrade: true, rememberUpgradeStore: store });
    await waitFor(first, "upgrade");
    expect([...store.values()]).toEqual([true]);
    first.close();

    const requestsBefore = server.requests.length;
    const second = clients.create(server.url, { rememberUpgrade: true, rememberUpgradeStore: store });
    await waitFor(second, "open");
    expect(second.transport.name).toBe("websocket");
    expect(server.requests[requestsBefore]!.headers.upgrade).toBe("websocket");
  });

  it("without a store, remembers across the sockets of the process; a store of its own is apart", async () => {
    const first = clients.create(server.url, { rememberUpgrade: true });
    await waitFor(first, "upgrade");
    expect(Socket.priorWebsocketSuccess).toBe(true);
    const second = clients.create(server.url, { rememberUpgrade: true });
    await waitFor(second, "open");
    expect(second.transport.name).toBe("websocket");
    const apart = clients.create(server.url, { rememberUpgrade: true, rememberUpgradeStore: new Map() });
    await waitFor(apart, "open");
    expect(apart.transport.name).toBe("polling");
    // Another server (another port) is not covered by this one's success.
    const other = await startEngine();
    try {
      const elsewhere = clients.create(other.url, { rememberUpgrade: true });
      await waitFor(elsewhere, "open");
      expect(elsewhere.transport.name).toBe("polling");
    } finally {
      clients.closeAll();
      await other.close();
    }
    Socket.priorWebsocketSuccess = false;
    const reset = clients.create(server.url, { rememberUpgrade: true });
    await waitFor(reset, "open");
    expect(reset.transport.name).toBe("polling");
  });

  it("tryAllTransports falls back to polling when the WebSocket is refused", async () => {
    await server.close();
    server = await startEngine({ transports: ["polling"] });
    const client = clients.create(server.url, { transports: ["websocket", "polling"], tryAllTransports: true });
    let errors = 0;
    client.on("error", () => errors++);
    await waitFor(client, "open");
    expect(client.transport.name).toBe("polling");
    expect(errors).toBe(0);
    expect(server.requests[0]!.headers.upgrade).toBe("websocket");
  });

  it("without tryAllTransports, a refused WebSocket is an error and a close", async () => {
    await server.close();
    server = await startEngine({ transports: ["polling"] });
    const client = clients.create(server.url, { transports: ["websocket", "polling"] });
    const errored = waitFor<[TransportError]>(client, "error");
    const closed = waitFor<[string, unknown]>(client, "close");
    const [error] = await errored;
    expect(error).toBeInstanceOf(TransportError);
    expect(error.message).toBe("websocket error");
    expect(error.code).toBe("VOLLEY_ENGINE_CLIENT_ERR_WEBSOCKET_ERROR");
    const [reason, details] = await closed;
    expect(reason).toBe("transport error");
    expect(details).toBe(error);
    expect(client.readyState).toBe("closed");
  });

  it("a failed probe emits upgradeError and the socket carries on over polling", async () => {
    await server.close();
    // Upgrades to an unknown path are dropped by the server after 10 ms.
    server = await startEngine({ destroyUpgradeTimeout: 10 });
    const client = clients.create(server.url, { transportOptions: { websocket: { path: "/nowhere" } } });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    const [error] = await waitFor<[ProbeError]>(client, "upgradeError");
    expect(error).toBeInstanceOf(ProbeError);
    expect(error.code).toBe("VOLLEY_ENGINE_CLIENT_ERR_PROBE_ERROR");
    expect(error.transport).toBe("websocket");
    expect(error.message).toMatch(/^probe error/);
    expect(client.transport.name).toBe("polling");
    expect(client.upgrading).toBe(false);
    expect(client.readyState).toBe("open");
    const echo = waitFor<[string]>(client, "message");
    serverSocket.once("message", (data: string) => serverSocket.send(`echo ${data}`));
    client.send("still polling");
    expect((await echo)[0]).toBe("echo still polling");
  });
});
