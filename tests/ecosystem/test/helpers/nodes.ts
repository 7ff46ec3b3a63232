// Servers of both implementations side by side: the published socket.io 4.8 and
// @volley/server, each on 127.0.0.1 port 0, with socket.io-client clients and bounded waits.
// Both servers are typed as Volley's Server, so the scenarios also check that Volley's types
// accept what code written for socket.io writes.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type ServerOptions } from "@volley/server";
import { Server as SocketIoServer } from "socket.io";
import { io as ioc, type ManagerOptions, type Socket as ClientSocket, type SocketOptions } from "socket.io-client";

/** The two servers under comparison. */
export const IMPLEMENTATIONS = [
  {
    name: "socket.io",
    create: (http: HttpServer, options: ServerOptions): Server => new SocketIoServer(http, options as never) as unknown as Server,
  },
  {
    name: "volley",
    create: (http: HttpServer, options: ServerOptions): Server => new Server(http, options),
  },
] as const;

export type Implementation = (typeof IMPLEMENTATIONS)[number];

export type ClientOptions = Partial<ManagerOptions & SocketOptions>;

/** One server node and the clients opened against it. */
export interface Node {
  readonly io: Server;
  readonly url: string;
  /** A socket.io-client socket (not waiting for the connection); closed by close(). */
  client(nsp?: string, options?: ClientOptions): ClientSocket;
  /** A client, once connected. */
  connected(nsp?: string, options?: ClientOptions): Promise<ClientSocket>;
  close(): Promise<void>;
}

/** Starts a server of `impl` on 127.0.0.1:0. */
export async function startNode(impl: Implementation, options: ServerOptions = {}): Promise<Node> {
  const http = createServer();
  const io = impl.create(http, options);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clients: ClientSocket[] = [];
  const client = (nsp = "/", clientOptions: ClientOptions = {}): ClientSocket => {
    const socket = ioc(`${url}${nsp}`, {
      forceNew: true,
      reconnection: false,
      transports: ["websocket"],
      ...clientOptions,
    });
    clients.push(socket);
    return socket;
  };
  return {
    io,
    url,
    client,
    async connected(nsp, clientOptions) {
      const socket = client(nsp, clientOptions);
      await waitFor(socket, "connect", 10_000);
      return socket;
    },
    async close() {
      for (const socket of clients) {
        socket.io.reconnection(false);
        socket.disconnect();
        socket.io.engine?.close();
      }
      const closed = http.listening ? new Promise((resolve) => http.once("close", resolve)) : Promise.resolve();
      http.closeAllConnections();
      await within(new Promise<void>((resolve) => io.close(() => resolve())), 10_000, "server close");
      await within(closed, 10_000, "http close");
    },
  };
}

interface Emitterish {
  once(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
}

/** Resolves with the arguments of the next `event`, or rejects after `timeoutMs`. */
export function waitFor<T extends unknown[] = unknown[]>(emitter: Emitterish, event: string, timeoutMs = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
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
}

/** Rejects if `promise` does not settle within `timeoutMs`. */
export function within<T>(promise: Promise<T>, timeoutMs = 10_000, what = "operation"): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Collects what `socket` receives of `event`; `until(n)` resolves once n have come. */
export function collect(socket: ClientSocket, event: string): { readonly received: unknown[][]; until(count: number, timeoutMs?: number): Promise<unknown[][]> } {
  const received: unknown[][] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  socket.on(event, (...args: unknown[]) => {
    received.push(args);
    for (const waiter of waiters.slice()) {
      if (received.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  return {
    received,
    until(count, timeoutMs = 10_000) {
      if (received.length >= count) return Promise.resolve(received);
      return within(new Promise<void>((resolve) => waiters.push({ count, resolve })), timeoutMs, `${count} "${event}"`).then(() => received);
    },
  };
}

/**
 * Resolves once `check()` is true, polling every 20 ms (bounded): only for state of other
 * nodes that no event of ours announces (a node joining a cluster).
 */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Resolves once none of `adapters` remembers a broadcast with acks (`ackRequests`, a Map
 * in socket.io-adapter's ClusterAdapter and the classic Redis adapter). They forget one
 * only when a timer of its ack timeout fires, even once every ack came: a test file waits
 * those out, or they outlive it.
 */
export function ackRequestsForgotten(adapters: readonly unknown[], timeoutMs = 15_000): Promise<void> {
  const pending = (adapter: unknown): number => {
    const requests = (adapter as { ackRequests?: unknown }).ackRequests;
    return requests instanceof Map ? requests.size : 0;
  };
  return eventually(() => adapters.every((adapter) => pending(adapter) === 0), timeoutMs, "the adapters forgetting their acks");
}

/** What joins one node to the others: its `adapter` option, and what to close once its server closed. */
export interface NodeLink {
  readonly adapter: unknown;
  close(): Promise<void>;
}

/** Nodes of one implementation joined by an adapter. */
export interface AdapterCluster {
  readonly nodes: Node[];
  /** Stops node `index` (its server, then its link); idempotent. */
  stop(index: number): Promise<void>;
  /** Stops every node. */
  close(): Promise<void>;
}

/**
 * Starts `count` nodes of `impl`, node `index` with `link(index)`'s adapter, and resolves
 * once each counts all of them (`adapter.serverCount()`). Stops those started if any fails.
 */
export async function startAdapterCluster(
  impl: Implementation,
  count: number,
  options: ServerOptions,
  link: (index: number) => Promise<NodeLink>,
): Promise<AdapterCluster> {
  const nodes: Node[] = [];
  const links: NodeLink[] = [];
  const stopping = new Map<number, Promise<void>>();
  const stop = (index: number): Promise<void> => {
    let done = stopping.get(index);
    if (done === undefined) {
      done = (async () => {
        await nodes[index]?.close();
        await links[index]?.close();
      })();
      stopping.set(index, done);
    }
    return done;
  };
  const close = async (): Promise<void> => {
    await Promise.all(links.map((_link, index) => stop(index)));
  };
  try {
    for (let index = 0; index < count; index++) {
      const nodeLink = await link(index);
      links.push(nodeLink);
      nodes.push(await startNode(impl, { ...options, adapter: nodeLink.adapter as never }));
    }
    await Promise.all(
      nodes.map((node) => eventually(async () => (await node.io.of("/").adapter.serverCount()) === count, 15_000, "every node counting the others")),
    );
  } catch (error) {
    await close();
    throw error;
  }
  return { nodes, stop, close };
}
