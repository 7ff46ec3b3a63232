import { afterEach, describe, expect, it } from "@jest/globals";
import type { Socket as ServerSocket } from "engine.io";
import { Fetch, NodeWebSocket, type CloseReason, type TransportError } from "../../src/index";
import { startRawEngine } from "../helpers/raw-engine";
import { ClientPool, sidOf, startEngine, type EngineFixture } from "../helpers/servers";
import { collect, waitFor } from "../helpers/wait-for";

// The Fetch polling transport over Node's own fetch (undici), against engine.io.
describe("Fetch polling transport", () => {
  let server: EngineFixture | undefined;
  const clients = new ClientPool();
  const disposers: Array<() => Promise<void>> = [];

  afterEach(async () => {
    clients.closeAll();
    await server?.close();
    server = undefined;
    for (const dispose of disposers.splice(0)) await dispose();
  });

  it("exchanges text and binary, with extraHeaders, then upgrades", async () => {
    server = await startEngine();
    const client = clients.create(server.url, { transports: [Fetch, NodeWebSocket], extraHeaders: { "x-fetch": "1" } });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "open");
    expect(client.transport).toBeInstanceOf(Fetch);
    expect(server.requests[0]!.headers["x-fetch"]).toBe("1");
    const atClient = collect<unknown>(client, "message", 2);
    serverSocket.send("text");
    serverSocket.send(Buffer.from([1, 2]));
    const received = await atClient;
    expect(received[0]).toBe("text");
    expect(received[1]).toEqual(Buffer.from([1, 2]));
    const atServer = waitFor<[string]>(serverSocket, "message");
    client.send("from fetch");
    expect((await atServer)[0]).toBe("from fetch");
    await waitFor(client, "upgrade");
    expect(client.transport.name).toBe("websocket");
  });

  it("keeps the server's cookie with withCredentials (Node.js jar)", async () => {
    server = await startEngine({ transports: ["polling"], cookie: { name: "sticky" } });
    const client = clients.create(server.url, { transports: [Fetch], withCredentials: true });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "open");
    const atServer = waitFor(serverSocket, "message");
    client.send("x");
    await atServer;
    expect(server.requests.at(-1)!.headers.cookie).toBe(`sticky=${sidOf(serverSocket)}`);
  });

  it("a refused handshake is a poll error with the status and the server's error", async () => {
    server = await startEngine({ allowRequest: (_request, callback) => callback("go away", false) });
    const client = clients.create(server.url, { transports: [Fetch] });
    const errored = waitFor<[TransportError]>(client, "error");
    const closed = waitFor<[CloseReason]>(client, "close");
    const [error] = await errored;
    expect(error.code).toBe("VOLLEY_ENGINE_CLIENT_ERR_POLL_ERROR");
    expect(error.status).toBe(403);
    expect(error.serverError).toEqual({ code: 4, message: "go away" });
    expect((await closed)[0]).toBe("transport error");
  });

  it("requestTimeout fails a request that gets no answer", async () => {
    const raw = await startRawEngine({ hangHandshake: true });
    disposers.push(raw.close);
    const client = clients.create(raw.url, { transports: [Fetch], requestTimeout: 100 });
    const [error] = await waitFor<[TransportError]>(client, "error", 3000);
    expect(String(error.description)).toContain("timed out after 100 ms");
  });
});
