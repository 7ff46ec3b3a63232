// The server behind TLS: https polling, wss with the built-in WebSocket engine (it reads and
// writes a TLSSocket like any other Duplex), the upgrade between them, and the Secure session cookie.
import { readFileSync } from "node:fs";
import { once } from "node:events";
import type { IncomingHttpHeaders } from "node:http";
import { createServer, request, type Server as HttpsServer } from "node:https";
import type { AddressInfo, Socket as NetSocket } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "@jest/globals";
import { Socket as ClientSocket } from "engine.io-client";
import { WebSocketServer } from "ws";
import { Server, type ServerOptions, type Socket } from "../../src";
import { closeClient, waitFor, waitUntil } from "../helpers";

// A self-signed certificate for 127.0.0.1 (test fixture, valid for 100 years).
const cert = readFileSync(join(__dirname, "..", "fixtures", "tls-cert.pem"));
const key = readFileSync(join(__dirname, "..", "fixtures", "tls-key.pem"));

let https: HttpsServer | undefined;
let engine: Server | undefined;
let client: ClientSocket | undefined;
const connections = new Set<NetSocket>();

async function startTlsServer(options: ServerOptions = {}): Promise<string> {
  https = createServer({ cert, key });
  https.on("secureConnection", (socket: NetSocket) => {
    connections.add(socket);
    socket.on("close", () => connections.delete(socket));
  });
  engine = new Server(options);
  engine.attach(https);
  https.listen(0, "127.0.0.1");
  await once(https, "listening");
  return `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
}

afterEach(async () => {
  if (client !== undefined) await closeClient(client);
  engine?.close();
  for (const socket of connections) socket.destroy();
  if (https !== undefined) await new Promise<void>((resolve) => https!.close(() => resolve()));
  client = undefined;
  engine = undefined;
  https = undefined;
});

describe.each([
  ["websocket only", ["websocket"]],
  ["polling upgraded to websocket", ["polling", "websocket"]],
])("over TLS, %s", (mode, transports) => {
  it("exchanges text and binary both ways, in order", async () => {
    const url = await startTlsServer();
    const connection = waitFor<[Socket]>(engine!, "connection");
    client = new ClientSocket(url, { ca: cert.toString(), transports: [...transports] });
    const [socket] = await connection;
    await waitFor(client, "open");
    if (mode !== "websocket only") await waitUntil(socket, "upgrade", () => socket.upgraded, 5000, "upgrade");
    expect(socket.transport.name).toBe("websocket");

    const received: unknown[] = [];
    socket.on("message", (data) => received.push(data));
    for (let i = 0; i < 50; i++) client.send(i % 2 === 0 ? `text ${i} ✓` : new Uint8Array([i, 255 - i]));
    await waitUntil(socket, "message", () => received.length === 50, 5000, "50 messages on the server");
    received.forEach((data, i) => {
      if (i % 2 === 0) expect(data).toBe(`text ${i} ✓`);
      else expect([...(data as Buffer)]).toEqual([i, 255 - i]);
    });

    const echoed: unknown[] = [];
    client.on("message", (data) => echoed.push(data));
    socket.send("back ✓");
    socket.send(Buffer.alloc(70_000, 7)); // a frame with a 64-bit length
    await waitUntil(client, "message", () => echoed.length === 2, 5000, "2 messages on the client");
    expect(echoed[0]).toBe("back ✓");
    const big = new Uint8Array(echoed[1] as ArrayBuffer);
    expect(big.length).toBe(70_000);
    expect(big.every((byte) => byte === 7)).toBe(true);
  });
});

/** One https request to the engine's path (an upgrade when `upgrade`); resolves with the response's status and headers. */
function tlsRequest(url: string, query: string, upgrade: boolean): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({
      host: "127.0.0.1",
      port,
      path: `/engine.io/?${query}`,
      ca: cert,
      agent: false,
      headers: upgrade
        ? { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==" }
        : {},
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the session cookie over TLS", () => {
  it("is Secure, HttpOnly and SameSite=Lax on a polling handshake", async () => {
    const url = await startTlsServer({ cookie: true });
    const connection = waitFor<[Socket]>(engine!, "connection");
    const response = await tlsRequest(url, "EIO=4&transport=polling", false);
    const [socket] = await connection;
    expect(response.status).toBe(200);
    expect(response.headers["set-cookie"]).toEqual([`io=${socket.id}; Path=/; HttpOnly; Secure; SameSite=Lax`]);
  });

  it.each<[string, ServerOptions]>([
    ["the built-in engine", {}],
    ["the ws engine", { wsEngine: WebSocketServer }],
  ])("is Secure on a WebSocket handshake with %s", async (_engine, options) => {
    const url = await startTlsServer({ cookie: { name: "sess" }, ...options });
    const connection = waitFor<[Socket]>(engine!, "connection");
    const response = await tlsRequest(url, "EIO=4&transport=websocket", true);
    const [socket] = await connection;
    expect(response.status).toBe(101);
    expect(response.headers["set-cookie"]).toEqual([`sess=${socket.id}; Path=/; HttpOnly; Secure; SameSite=Lax`]);
  });

  it("keeps what the options say: secure: false, httpOnly: false, sameSite: strict", async () => {
    const url = await startTlsServer({ cookie: { secure: false, httpOnly: false, sameSite: "strict" } });
    const connection = waitFor<[Socket]>(engine!, "connection");
    const response = await tlsRequest(url, "EIO=4&transport=polling", false);
    const [socket] = await connection;
    expect(response.headers["set-cookie"]).toEqual([`io=${socket.id}; Path=/; SameSite=Strict`]);
  });
});
