// The primary on its own (in the test process, which is a cluster primary with no workers):
// what it answers itself, its limits, and that the http server's own handling is taken off.
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "@jest/globals";
import { setupPrimary, type PrimaryOptions, type StickyPrimary } from "../../src";
import { waitUntil } from "../helpers/cluster";
import { RawConnection } from "../helpers/raw-http";

describe("setupPrimary without ready workers", () => {
  let server: Server | undefined;
  let primary: StickyPrimary | undefined;
  const connections: RawConnection[] = [];
  const sockets = new Set<Socket>();

  async function start(options?: PrimaryOptions): Promise<number> {
    server = createServer();
    server.on("connection", (socket: Socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    });
    primary = setupPrimary(server, options);
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  }

  async function open(port: number): Promise<RawConnection> {
    const connection = await RawConnection.open(port);
    connections.push(connection);
    return connection;
  }

  afterEach(async () => {
    for (const connection of connections) connection.close();
    connections.length = 0;
    for (const socket of sockets) socket.destroy();
    primary?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("answers 503 while no worker is ready, and the http server's own request handling stays off", async () => {
    const port = await start();
    let requests = 0;
    server!.on("request", () => requests++);
    const connection = await open(port);
    const response = await connection.request("GET", "/socket.io/?EIO=4&transport=polling");
    expect(response.status).toBe(503);
    expect(requests).toBe(0);
    expect(primary!.sessionCounts()).toEqual(new Map());
    expect(primary!.loadBalancingMethod).toBe("least-connection");
  });

  it("reads at most maxHeaderSize bytes for the request line (at the limit it waits, one past it routes)", async () => {
    const port = await start({ maxHeaderSize: 100 });
    const connection = await open(port);
    await connection.write("GET /" + "a".repeat(95));
    // nothing is answered while the line may still end within the limit
    await expect(connection.response(200)).rejects.toThrow(/timed out/);
    await connection.write("b");
    expect((await connection.response()).status).toBe(503);
  });

  it("holds a request naming an unreported session for sessionLookupTimeout, then balances it", async () => {
    const port = await start({ sessionLookupTimeout: 300 });
    const withSid = await open(port);
    const started = Date.now();
    await withSid.write("GET /socket.io/?EIO=4&transport=polling&sid=notreportedyet HTTP/1.1\r\nHost: x\r\n\r\n");
    const withoutSid = await open(port);
    // a new session is not held
    expect((await withoutSid.request("GET", "/socket.io/?EIO=4&transport=polling")).status).toBe(503);
    expect((await withSid.response()).status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it("destroys a connection that sends no request line within headersTimeout", async () => {
    const port = await start({ headersTimeout: 150 });
    const connection = await open(port);
    await waitUntil(5000, "connection closed", () => connection.closed);
    expect(connection.closed).toBe(true);
  });

  it("close() stops routing and gives the http server its own handling back", async () => {
    const port = await start();
    primary!.close();
    server!.on("request", (_req, res) => res.end("plain"));
    const connection = await open(port);
    const response = await connection.request("GET", "/");
    expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: "plain" });
  });
});
