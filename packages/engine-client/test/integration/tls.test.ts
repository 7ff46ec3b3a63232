import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { createServer, type Server as HttpsServer } from "node:https";
import type { AddressInfo, Socket as NetSocket } from "node:net";
import { join } from "node:path";
import { attach, type Server as EngineServer, type Socket as ServerSocket } from "engine.io";
import type { CloseReason, TransportError } from "../../src/index";
import { ClientPool } from "../helpers/servers";
import { waitFor } from "../helpers/wait-for";

// A self-signed certificate for 127.0.0.1 (test fixture, valid for 100 years).
const cert = readFileSync(join(__dirname, "..", "fixtures", "tls-cert.pem"));
const key = readFileSync(join(__dirname, "..", "fixtures", "tls-key.pem"));

describe("TLS options (Node.js): https and wss", () => {
  let https: HttpsServer;
  let engine: EngineServer;
  let url: string;
  const connections = new Set<NetSocket>();
  const clients = new ClientPool();

  beforeAll(async () => {
    https = createServer({ cert, key });
    https.on("secureConnection", (socket: NetSocket) => {
      connections.add(socket);
      socket.on("close", () => connections.delete(socket));
    });
    engine = attach(https, { pingInterval: 10_000 });
    await new Promise<void>((resolve) => https.listen(0, "127.0.0.1", resolve));
    url = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
  });

  afterEach(() => {
    clients.closeAll();
  });

  afterAll(async () => {
    engine.close();
    for (const socket of connections) socket.destroy();
    await new Promise<void>((resolve) => https.close(() => resolve()));
  });

  it("connects and upgrades to wss when the CA is given", async () => {
    const client = clients.create(url, { ca: cert });
    expect(client.opts.secure).toBe(true);
    const [serverSocket] = await waitFor<[ServerSocket]>(engine, "connection");
    await waitFor(client, "upgrade");
    const message = waitFor<[string]>(serverSocket, "message");
    client.send("over wss");
    expect((await message)[0]).toBe("over wss");
  });

  it.each([["polling"], ["websocket"]] as const)("refuses an untrusted certificate over %s", async (transport) => {
    const client = clients.create(url, { transports: [transport] });
    const errored = waitFor<[TransportError]>(client, "error");
    const closed = waitFor<[CloseReason]>(client, "close");
    expect(String((await errored)[0].description)).toMatch(/self[- ]signed/i);
    expect((await closed)[0]).toBe("transport error");
  });

  it("accepts it with rejectUnauthorized: false", async () => {
    const client = clients.create(url, { transports: ["websocket"], rejectUnauthorized: false });
    await waitFor(client, "open");
    expect(client.transport.name).toBe("websocket");
  });
});
