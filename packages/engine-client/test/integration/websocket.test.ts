import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import type { Socket as ServerSocket } from "engine.io";
import type { WebSocket as WsWebSocket } from "ws";
import { NodeWebSocket } from "../../src/index";
import { ClientPool, sidOf, startEngine, type EngineFixture } from "../helpers/servers";
import { collect, waitFor } from "../helpers/wait-for";

/** The `ws` socket behind an engine.io server socket on the websocket transport. */
function rawWebSocket(serverSocket: ServerSocket): WsWebSocket {
  return (serverSocket.transport as unknown as { socket: WsWebSocket }).socket;
}

describe("WebSocket (websocket only)", () => {
  let server: EngineFixture;
  const clients = new ClientPool();

  beforeEach(async () => {
    server = await startEngine({ transports: ["websocket"] });
  });

  afterEach(async () => {
    clients.closeAll();
    await server.close();
  });

  it("opens a session over WebSocket without any HTTP polling", async () => {
    const client = clients.create(server.url, { transports: ["websocket"] });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "open");
    expect(client.transport.name).toBe("websocket");
    expect(serverSocket.transport.name).toBe("websocket");
    expect(client.id).toBe(sidOf(serverSocket));
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers.upgrade).toBe("websocket");
    // No cache-busting parameter on WebSocket unless asked for.
    expect(new URL(server.requests[0]!.url!, server.url).searchParams.has("t")).toBe(false);
  });

  it("accepts transport classes in `transports`", async () => {
    const client = clients.create(server.url, { transports: [NodeWebSocket] });
    await waitFor(client, "open");
    expect(client.transport).toBeInstanceOf(NodeWebSocket);
  });

  it("exchanges text and binary both ways, binary as binary frames", async () => {
    const client = clients.create(server.url, { transports: ["websocket"] });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "open");
    const frames: Array<{ isBinary: boolean }> = [];
    rawWebSocket(serverSocket).on("message", (_data: unknown, isBinary: boolean) => frames.push({ isBinary }));

    const atServer = collect<unknown>(serverSocket, "message", 3);
    client.send("text");
    client.send(Buffer.from([1, 2, 3]));
    client.send(new Float32Array([1.5]));
    const received = await atServer;
    expect(received[0]).toBe("text");
    expect(Buffer.from(received[1] as Buffer)).toEqual(Buffer.from([1, 2, 3]));
    expect(Buffer.from(received[2] as Buffer)).toEqual(Buffer.from(new Float32Array([1.5]).buffer));
    expect(frames.map((frame) => frame.isBinary)).toEqual([false, true, true]);

    const atClient = collect<unknown>(client, "message", 2);
    serverSocket.send(Buffer.from([7]));
    serverSocket.send("back");
    const fromServer = await atClient;
    expect(fromServer[0]).toEqual(Buffer.from([7]));
    expect(fromServer[1]).toBe("back");
  });

  it("sends binary as base64 text frames with forceBase64 and still delivers binary", async () => {
    const client = clients.create(server.url, { transports: ["websocket"], forceBase64: true });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "open");
    expect(new URL(server.requests[0]!.url!, server.url).searchParams.get("b64")).toBe("1");
    const frames: Array<{ isBinary: boolean; text: string }> = [];
    rawWebSocket(serverSocket).on("message", (data: Buffer, isBinary: boolean) => frames.push({ isBinary, text: data.toString() }));
    const atServer = waitFor<[Buffer]>(serverSocket, "message");
    client.send(Buffer.from([1, 2, 3]));
    expect(Buffer.from((await atServer)[0])).toEqual(Buffer.from([1, 2, 3]));
    expect(frames).toEqual([{ isBinary: false, text: "bAQID" }]);
    const atClient = waitFor<[Buffer]>(client, "message");
    serverSocket.send(Buffer.from([5, 6]));
    expect((await atClient)[0]).toEqual(Buffer.from([5, 6]));
  });

  it("sends extraHeaders, protocols and the timestamp with timestampRequests", async () => {
    const client = clients.create(server.url, {
      transports: ["websocket"],
      extraHeaders: { "x-volley": "ws" },
      protocols: ["volley-test"],
      timestampRequests: true,
      timestampParam: "stamp",
    });
    await waitFor(client, "open");
    const request = server.requests[0]!;
    expect(request.headers["x-volley"]).toBe("ws");
    expect(request.headers["sec-websocket-protocol"]).toBe("volley-test");
    expect(new URL(request.url!, server.url).searchParams.get("stamp")).toMatch(/^[0-9a-z]+$/);
  });

  it("applies transportOptions to the named transport only", async () => {
    const client = clients.create(server.url, {
      transports: ["websocket"],
      extraHeaders: { "x-common": "1" },
      transportOptions: {
        websocket: { extraHeaders: { "x-only-ws": "yes" }, query: { side: "ws" } },
        polling: { extraHeaders: { "x-only-polling": "yes" } },
      },
    });
    await waitFor(client, "open");
    const request = server.requests[0]!;
    expect(request.headers["x-common"]).toBe("1");
    expect(request.headers["x-only-ws"]).toBe("yes");
    expect(request.headers["x-only-polling"]).toBeUndefined();
    expect(new URL(request.url!, server.url).searchParams.get("side")).toBe("ws");
  });

  it("compresses large messages with per-message deflate, and not when disabled", async () => {
    await server.close();
    server = await startEngine({ transports: ["websocket"], perMessageDeflate: { threshold: 0 } });
    const withDeflate = clients.create(server.url, { transports: ["websocket"] });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(withDeflate, "open");
    expect(rawWebSocket(serverSocket).extensions).toContain("permessage-deflate");

    const withoutDeflate = clients.create(server.url, { transports: ["websocket"], perMessageDeflate: false });
    const [otherServerSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(withoutDeflate, "open");
    expect(rawWebSocket(otherServerSocket).extensions).toBe("");
    const big = "x".repeat(5000);
    const atServer = waitFor<[string]>(serverSocket, "message");
    withDeflate.send(big);
    expect((await atServer)[0]).toBe(big);
  });
});
