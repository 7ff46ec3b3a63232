import { afterEach, describe, expect, it } from "@jest/globals";
import type { Socket as ServerSocket } from "engine.io";
import { ClientPool, sidOf, startEngine, type EngineFixture } from "../helpers/servers";
import { waitFor } from "../helpers/wait-for";

describe("withCredentials in Node.js: a cookie jar per socket", () => {
  let server: EngineFixture | undefined;
  const clients = new ClientPool();

  afterEach(async () => {
    clients.closeAll();
    await server?.close();
  });

  it("sends the cookie set at the handshake back on every later request, WebSocket included", async () => {
    server = await startEngine({ cookie: { name: "sticky", path: "/", httpOnly: true, sameSite: "lax" } });
    const client = clients.create(server.url, { withCredentials: true });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "upgrade");
    const [handshake, ...later] = server.requests;
    expect(handshake!.headers.cookie).toBeUndefined();
    expect(later.length).toBeGreaterThanOrEqual(2);
    for (const request of later) expect(request.headers.cookie).toBe(`sticky=${sidOf(serverSocket)}`);
    expect(later.some((request) => request.headers.upgrade === "websocket")).toBe(true);
  });

  it("keeps extraHeaders' own Cookie next to the jar's", async () => {
    server = await startEngine({ cookie: { name: "sticky" }, transports: ["polling"] });
    const client = clients.create(server.url, {
      transports: ["polling"],
      withCredentials: true,
      extraHeaders: { Cookie: "mine=1" },
    });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "open");
    const atServer = waitFor(serverSocket, "message");
    client.send("x");
    await atServer;
    expect(server.requests[0]!.headers.cookie).toBe("mine=1");
    expect(server.requests.at(-1)!.headers.cookie).toBe(`mine=1; sticky=${sidOf(serverSocket)}`);
  });

  it("sends no cookie without withCredentials", async () => {
    server = await startEngine({ cookie: { name: "sticky" } });
    const client = clients.create(server.url);
    await waitFor(client, "upgrade");
    for (const request of server.requests) expect(request.headers.cookie).toBeUndefined();
  });

  it("does not share cookies between sockets", async () => {
    server = await startEngine({ cookie: { name: "sticky" }, transports: ["polling"] });
    const first = clients.create(server.url, { transports: ["polling"], withCredentials: true });
    await waitFor(first, "open");
    const count = server.requests.length;
    const second = clients.create(server.url, { transports: ["polling"], withCredentials: true });
    await waitFor(second, "open");
    expect(server.requests[count]!.headers.cookie).toBeUndefined();
  });
});
