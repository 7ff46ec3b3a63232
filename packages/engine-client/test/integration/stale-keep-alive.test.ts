import { afterEach, describe, expect, it } from "@jest/globals";
import { Agent, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket as NetSocket } from "node:net";
import { handshakePacket } from "../helpers/raw-engine";
import { ClientPool, startRaw, type RawFixture } from "../helpers/servers";
import { collect, waitFor } from "../helpers/wait-for";

// A keep-alive socket that the server dropped while it sat idle in the agent fails with
// ECONNRESET when it is reused. The server here plays that race deterministically: the
// first session request on a connection that already served one is answered with a TCP reset.
describe("polling over a stale keep-alive socket (Node.js)", () => {
  const clients = new ClientPool();
  let server: RawFixture | undefined;
  let agent: Agent | undefined;

  afterEach(async () => {
    clients.closeAll();
    agent?.destroy();
    await server?.close();
  });

  async function startResettingServer(resetPosts: boolean): Promise<{ requests: string[]; resets: string[] }> {
    const requests: string[] = [];
    const resets: string[] = [];
    const served = new WeakSet<NetSocket>();
    let hasReset = false;
    const pending: ServerResponse[] = [];
    server = await startRaw((request: IncomingMessage, response: ServerResponse) => {
      const line = `${request.method} ${new URL(request.url ?? "/", "http://x").searchParams.has("sid") ? "session" : "handshake"}`;
      requests.push(line);
      const isSessionRequest = line !== "GET handshake";
      if (isSessionRequest && served.has(request.socket) && !hasReset && (request.method === "GET" || resetPosts)) {
        hasReset = true;
        resets.push(line);
        request.socket.resetAndDestroy();
        return;
      }
      served.add(request.socket);
      request.resume();
      if (request.method === "POST") return void request.on("end", () => response.end("ok"));
      if (!isSessionRequest) return void response.end(handshakePacket({ pingInterval: 10_000, pingTimeout: 10_000 }));
      const polls = requests.filter((r) => r === "GET session").length;
      if (polls === 1) return void response.end("4before the reset");
      if (polls === 3) return void response.end("4after the reset");
      pending.push(response);
    });
    return { requests, resets };
  }

  it("sends a GET again on a new socket and loses nothing", async () => {
    const { resets } = await startResettingServer(false);
    // the first poll goes out while the handshake's socket is still busy, on a second socket;
    // the second poll then takes the handshake's socket from the agent's idle pool
    agent = new Agent({ keepAlive: true });
    const client = clients.create(server!.url, { transports: ["polling"], agent });
    const errors: unknown[] = [];
    client.on("error", (error) => errors.push(error));
    const messages = collect<string>(client, "message", 2);
    await expect(messages).resolves.toEqual(["before the reset", "after the reset"]);
    expect(resets).toEqual(["GET session"]);
    expect(errors).toEqual([]);
    expect(client.readyState).toBe("open");
  });

  it("does not send a POST again: the failure reaches the socket", async () => {
    await startResettingServer(true);
    agent = new Agent({ keepAlive: true, maxSockets: 2 });
    const client = clients.create(server!.url, { transports: ["polling"], agent });
    await waitFor(client, "open");
    // the pending poll holds one socket; the POST reuses the handshake's socket and is reset
    const closed = waitFor<[string]>(client, "close");
    client.send("hello");
    const [reason] = await closed;
    expect(reason).toBe("transport error");
  });
});
