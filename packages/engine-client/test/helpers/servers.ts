// Disposable test peers: the published engine.io server, and raw HTTP servers that misbehave
// on purpose. Each one closes every connection it accepted, so no handle outlives a test.
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { AddressInfo, Socket as NetSocket } from "node:net";
import { attach, type Server as EngineServer, type ServerOptions, type AttachOptions } from "engine.io";
import { BaseSocket, Socket, type SocketOptions } from "../../src/index";

export interface EngineFixture {
  engine: EngineServer;
  http: HttpServer;
  port: number;
  url: string;
  /** The upgrade/requests the HTTP server saw, for assertions on URLs and headers. */
  requests: IncomingMessage[];
  close(): Promise<void>;
}

/** The published engine.io server on a loopback port: 127.0.0.1, or `host` (e.g. "::1"). */
export async function startEngine(options: ServerOptions & AttachOptions = {}, host = "127.0.0.1"): Promise<EngineFixture> {
  const http = createServer();
  const requests: IncomingMessage[] = [];
  const connections = trackConnections(http);
  const engine = attach(http, { pingInterval: 10_000, pingTimeout: 5_000, ...options });
  // After attach(): engine.io takes over the listeners that were there before it.
  http.prependListener("request", (request: IncomingMessage) => requests.push(request));
  // Without websocket, engine.io does not listen to upgrades and Node drops them: keep that.
  const dropsUpgrades = http.listenerCount("upgrade") === 0;
  http.prependListener("upgrade", (request: IncomingMessage, socket: NetSocket) => {
    requests.push(request);
    if (dropsUpgrades) socket.destroy();
  });
  const port = await listen(http, host);
  return {
    engine,
    http,
    port,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    requests,
    close: async () => {
      engine.close();
      await closeServer(http, connections);
    },
  };
}

export interface RawFixture {
  http: HttpServer;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** A raw HTTP server: `handler` plays the Engine.IO server by hand. */
export async function startRaw(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<RawFixture> {
  const http = createServer(handler);
  const connections = trackConnections(http);
  const port = await listen(http);
  return { http, port, url: `http://127.0.0.1:${port}`, close: () => closeServer(http, connections) };
}

/** Creates clients and closes all of them at the end of a test. */
export class ClientPool {
  readonly #clients: BaseSocket[] = [];

  create(uri: string, options?: SocketOptions): Socket {
    const socket = new Socket(uri, options);
    this.#clients.push(socket);
    return socket;
  }

  add<T extends BaseSocket>(socket: T): T {
    this.#clients.push(socket);
    return socket;
  }

  closeAll(): void {
    for (const socket of this.#clients.splice(0)) {
      socket.removeAllListeners();
      socket.close();
    }
  }
}

function trackConnections(http: HttpServer): Set<NetSocket> {
  const connections = new Set<NetSocket>();
  http.on("connection", (socket: NetSocket) => {
    connections.add(socket);
    socket.on("close", () => connections.delete(socket));
  });
  return connections;
}

function listen(http: HttpServer, host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    http.once("error", reject);
    http.listen(0, host, () => resolve((http.address() as AddressInfo).port));
  });
}

function closeServer(http: HttpServer, connections: Set<NetSocket>): Promise<void> {
  return new Promise((resolve) => {
    for (const socket of connections) socket.destroy();
    http.close(() => resolve());
  });
}

/** The session id of an engine.io server socket (typed private upstream). */
export function sidOf(serverSocket: object): string {
  return (serverSocket as { id: string }).id;
}
