// Shared helpers: real servers on 127.0.0.1 port 0, real socket.io-client clients, bounded
// waits, and one place that closes everything a test opened.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { io as ioc, type Socket as ClientSocket, type ManagerOptions, type SocketOptions } from "socket.io-client";
import { Server, type ServerOptions } from "../../src";

/** The transport modes every integration feature is run over. */
export const TRANSPORT_MODES = [
  { name: "polling", options: { transports: ["polling"] } },
  { name: "websocket", options: { transports: ["websocket"] } },
  { name: "upgrade", options: { transports: ["polling", "websocket"] } },
] as const;

export type TransportMode = (typeof TRANSPORT_MODES)[number];

interface Emitterish {
  once(event: string, listener: (...args: any[]) => void): unknown;
  off?(event: string, listener: (...args: any[]) => void): unknown;
  removeListener?(event: string, listener: (...args: any[]) => void): unknown;
}

/** Resolves with the arguments of the next `event`, or rejects after `timeoutMs`. */
export function waitFor<T extends unknown[] = unknown[]>(emitter: Emitterish, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const listener = (...args: unknown[]): void => {
      clearTimeout(timer);
      resolve(args as T);
    };
    const timer = setTimeout(() => {
      if (emitter.off !== undefined) emitter.off(event, listener);
      else emitter.removeListener?.(event, listener);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for "${event}"`));
    }, timeoutMs);
    emitter.once(event, listener);
  });
}

/** Rejects if `promise` does not settle within `timeoutMs`. */
export function within<T>(promise: Promise<T>, timeoutMs = 5000, what = "operation"): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Resolves after `count` calls of the returned function (bounded). */
export function countdown(count: number, timeoutMs = 5000): { done: Promise<void>; tick: () => void } {
  let left = count;
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  if (count === 0) resolve();
  return {
    done: within(done, timeoutMs, `countdown of ${count}`),
    tick: () => {
      left--;
      if (left === 0) resolve();
    },
  };
}

/** A server under test and everything opened against it. */
export interface TestServer<S extends Server<any, any, any, any> = Server> {
  io: S;
  http: HttpServer;
  port: number;
  url: string;
  /** Connects a socket.io-client socket (not waiting for the connection). */
  client(nsp?: string, options?: Partial<ManagerOptions & SocketOptions>): ClientSocket;
  /** Connects and waits for `connect`. */
  connected(nsp?: string, options?: Partial<ManagerOptions & SocketOptions>): Promise<ClientSocket>;
  close(): Promise<void>;
}

/** Starts a Volley server on 127.0.0.1:0 with `options`; close it with `close()`. */
export async function startServer<S extends Server<any, any, any, any> = Server>(
  options: ServerOptions = {},
  mode: TransportMode = TRANSPORT_MODES[1],
): Promise<TestServer<S>> {
  const http = createServer();
  const io = new Server(http, options) as unknown as S;
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const clients: ClientSocket[] = [];
  const client = (nsp = "/", clientOptions: Partial<ManagerOptions & SocketOptions> = {}): ClientSocket => {
    const socket = ioc(`${url}${nsp}`, {
      forceNew: true,
      reconnection: false,
      // A client closed while its upgrade probe is in flight can be left "closing" with its
      // ping-timeout timer (pingInterval + pingTimeout, 45 s) armed: an unref'd timer cannot
      // keep jest alive after the run (seen as "Jest did not exit one second after the test
      // run" in namespaces.test.ts, upgrade mode).
      autoUnref: true,
      ...mode.options,
      transports: [...mode.options.transports],
      ...clientOptions,
    });
    clients.push(socket);
    return socket;
  };
  return {
    io,
    http,
    port,
    url,
    client,
    async connected(nsp, clientOptions) {
      const socket = client(nsp, clientOptions);
      await waitFor(socket, "connect");
      return socket;
    },
    async close() {
      for (const socket of clients) {
        socket.io.reconnection(false);
        socket.disconnect();
        socket.io.engine?.close();
      }
      await within(io.close(), 5000, "server close");
    },
  };
}
