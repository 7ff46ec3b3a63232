// Differential testing: one scenario runs against the published engine.io server and against
// this package's server, and the test compares what each one let the outside world observe.
import { once, type EventEmitter } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo, Socket as NetSocket } from "node:net";
import { attach as attachEngineIo } from "engine.io";
import { WebSocketServer } from "ws";
import { Server } from "../../src";

/** Which server a scenario runs against. */
export type Flavour = "engine.io" | "volley" | "volley+ws";

/** The published engine.io, this package with its built-in WebSocket engine, and with ws's. */
export const FLAVOURS: readonly Flavour[] = ["engine.io", "volley", "volley+ws"];

/** What the scenarios use of a session, common to both servers. */
export interface PeerSocket extends EventEmitter {
  readonly id: string;
  readonly protocol: number;
  readonly readyState: string;
  readonly transport: PeerTransport;
  send(data: unknown, options?: { compress?: boolean }, callback?: (transport: unknown) => void): PeerSocket;
  close(): void;
}

/** What the scenarios use of a transport, common to both servers. */
export interface PeerTransport extends EventEmitter {
  readonly sid: string | undefined;
  readonly name: string;
  readonly writable: boolean;
}

/** What the scenarios use of a server, common to both. */
export interface PeerEngine extends EventEmitter {
  readonly clients: Record<string, PeerSocket>;
  readonly clientsCount: number;
}

export interface Peer {
  flavour: Flavour;
  engine: PeerEngine;
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * A server of the given flavour attached to a fresh http server on 127.0.0.1, port 0. Its
 * close() ends every connection it accepted, so that no handle outlives a test.
 */
export async function startPeer(flavour: Flavour, options: Record<string, unknown> = {}): Promise<Peer> {
  const http = createServer();
  const connections = new Set<NetSocket>();
  http.on("connection", (socket: NetSocket) => {
    connections.add(socket);
    socket.once("close", () => connections.delete(socket));
  });
  let engine: PeerEngine;
  let closeEngine: () => void;
  if (flavour === "engine.io") {
    const published = attachEngineIo(http, options);
    engine = published as unknown as PeerEngine;
    closeEngine = () => published.close();
  } else {
    const volley = new Server(flavour === "volley+ws" ? { wsEngine: WebSocketServer, ...options } : options);
    volley.attach(http);
    engine = volley as unknown as PeerEngine;
    closeEngine = () => volley.close();
  }
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  const port = (http.address() as AddressInfo).port;
  return {
    flavour,
    engine,
    port,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      closeEngine();
      for (const socket of connections) socket.destroy();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/**
 * Runs `scenario` against a fresh server of each flavour in turn and returns what each one
 * observed, by flavour. Servers are closed even when a scenario throws.
 */
export async function observeEach<T>(
  flavours: readonly Flavour[],
  options: Record<string, unknown>,
  scenario: (peer: Peer) => Promise<T>,
): Promise<Record<Flavour, T>> {
  const observed: Partial<Record<Flavour, T>> = {};
  for (const flavour of flavours) {
    const peer = await startPeer(flavour, options);
    try {
      observed[flavour] = await scenario(peer);
    } finally {
      await peer.close();
    }
  }
  return observed as Record<Flavour, T>;
}

/** The next session a server opens. */
export function nextConnection(engine: PeerEngine, timeoutMs = 5000): Promise<PeerSocket> {
  return new Promise<PeerSocket>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timed out waiting for a connection")), timeoutMs);
    engine.once("connection", (socket: PeerSocket) => {
      clearTimeout(timer);
      resolve(socket);
    });
  });
}
