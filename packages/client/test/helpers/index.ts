// Shared helpers: real servers (Volley's and the published socket.io) on 127.0.0.1 port 0,
// real clients (ours and the published socket.io-client), bounded waits, and one place that
// closes everything a test opened.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo, Socket as NetSocket } from "node:net";
import { Server as VolleyServer, type ServerOptions as VolleyServerOptions } from "@volley/server";
import { Server as SocketIoServer, type ServerOptions as SocketIoServerOptions, type Socket as ServerSocket } from "socket.io";
import { io as referenceIo } from "socket.io-client";
import { io as volleyIo, type IoOptions, type Socket } from "../../src";

/** The transport modes every integration feature runs over. */
export const TRANSPORT_MODES = [
  { name: "polling", transports: ["polling"] },
  { name: "websocket", transports: ["websocket"] },
  { name: "upgrade", transports: ["polling", "websocket"] },
] as const;
export type TransportMode = (typeof TRANSPORT_MODES)[number];

/** The two server implementations every client feature is checked against. */
export const SERVER_KINDS = ["volley", "socket.io"] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

/** The two client implementations of differential tests. */
export const CLIENT_KINDS = ["volley", "socket.io-client"] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

/** Both servers behind socket.io's typings (Volley's Server is API-compatible). */
export type AnyServer = SocketIoServer;

/** Loose on purpose: our typed emitters, socket.io's and Node's all fit once cast. */
interface LooseEmitter {
  once(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
}

/** Resolves with the arguments of the next `event`, or rejects after `timeoutMs`. */
export function waitFor<T extends unknown[] = any[]>(target: object, event: string, timeoutMs = 5000): Promise<T> {
  const emitter = target as LooseEmitter;
  const promise = new Promise<T>((resolve, reject) => {
    const listener = (...args: unknown[]): void => {
      clearTimeout(timer);
      resolve(args as T);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for "${event}"`));
    }, timeoutMs);
    emitter.once(event, listener);
  });
  // A wait created ahead of time may reject while the test fails elsewhere: no unhandled rejection.
  promise.catch(() => undefined);
  return promise;
}

/** Rejects if `promise` does not settle within `timeoutMs`. */
export function within<T>(promise: Promise<T>, timeoutMs = 5000, what = "operation"): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Records the names (and first arguments) of events, in order. */
export function recordEvents(target: object, events: string[]): string[] {
  const emitter = target as { on(event: string, listener: (...args: any[]) => void): unknown };
  const log: string[] = [];
  for (const event of events) {
    emitter.on(event, (...args: unknown[]) => {
      const first = args[0];
      log.push(typeof first === "string" || typeof first === "number" ? `${event}:${first}` : event);
    });
  }
  return log;
}

/** A server under test and the clients opened against it. */
export interface TestServer {
  kind: ServerKind;
  io: AnyServer;
  http: HttpServer;
  port: number;
  url: string;
  /** Connects a client of `clientKind` (ours by default), not waiting for `connect`. */
  client(nsp?: string, options?: IoOptions, clientKind?: ClientKind): Socket;
  /** Connects and waits for `connect`. */
  connected(nsp?: string, options?: IoOptions, clientKind?: ClientKind): Promise<Socket>;
  /** Stops accepting connections and closes the open ones (clients then see "transport close"). */
  dropConnections(): void;
  close(): Promise<void>;
}

/** The default options of test clients: a fresh Manager, fast reconnection, nothing left alive. */
export function clientDefaults(mode: TransportMode): IoOptions {
  return {
    forceNew: true,
    reconnectionDelay: 20,
    reconnectionDelayMax: 50,
    randomizationFactor: 0,
    autoUnref: true,
    transports: [...mode.transports],
  };
}

/** Starts a server of `kind` on 127.0.0.1:0. */
export async function startServer(
  kind: ServerKind,
  mode: TransportMode,
  options: Partial<VolleyServerOptions & SocketIoServerOptions> = {},
): Promise<TestServer> {
  const http = createServer();
  const sockets = new Set<NetSocket>();
  http.on("connection", (socket: NetSocket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  const serverOptions = { pingInterval: 10_000, pingTimeout: 5_000, ...options };
  const io =
    kind === "volley"
      ? (new VolleyServer(http, serverOptions as VolleyServerOptions) as unknown as AnyServer)
      : new SocketIoServer(http, serverOptions as Partial<SocketIoServerOptions>);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const clients: Socket[] = [];
  const client = (nsp = "/", clientOptions: IoOptions = {}, clientKind: ClientKind = "volley"): Socket => {
    const lookup = clientKind === "volley" ? volleyIo : (referenceIo as unknown as typeof volleyIo);
    const socket = lookup(`${url}${nsp}`, { ...clientDefaults(mode), ...clientOptions });
    clients.push(socket);
    return socket;
  };
  return {
    kind,
    io,
    http,
    port,
    url,
    client,
    async connected(nsp, clientOptions, clientKind) {
      const socket = client(nsp, clientOptions, clientKind);
      await waitFor(socket, "connect");
      return socket;
    },
    dropConnections() {
      for (const socket of sockets) socket.destroy();
    },
    async close() {
      for (const socket of clients) {
        socket.io.reconnection(false);
        socket.disconnect();
        socket.io.engine?.close();
      }
      await within(new Promise<void>((resolve) => io.close(() => resolve())), 5000, "server close");
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** Runs `body` with a fresh server of `kind`, closing it (and its clients) afterwards. */
export async function withServer(
  kind: ServerKind,
  mode: TransportMode,
  options: Partial<VolleyServerOptions & SocketIoServerOptions>,
  body: (server: TestServer) => Promise<void>,
): Promise<void> {
  const server = await startServer(kind, mode, options);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

/**
 * In the upgrade mode, resolves once the connection runs over WebSocket: closing a session
 * in the middle of the upgrade leaves the published engine.io server with a 30 s close timer
 * (it waits for a poll that never comes), which would keep jest alive.
 */
export async function upgraded(socket: Socket, mode: TransportMode, serverSocket?: ServerSocket): Promise<void> {
  if (mode.name !== "upgrade") return;
  if (socket.io.engine.transport.name !== "websocket") await waitFor(socket.io.engine, "upgrade");
  // The server switches when the client's upgrade packet arrives, a little later.
  if (serverSocket !== undefined && serverSocket.conn.transport.name !== "websocket") await waitFor(serverSocket.conn, "upgrade");
}
