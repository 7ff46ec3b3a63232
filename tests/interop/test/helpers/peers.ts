// The two implementations of each side, behind one small shape, so that every flow runs
// for each pairing: Volley ↔ Volley, Volley server ↔ published client, published server ↔
// Volley client.
import { once } from "node:events";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { attach as attachVolley } from "@volley/engine-server";
import { Socket as VolleyClientSocket } from "@volley/engine-client";
import * as publishedEngine from "engine.io";
import { Socket as PublishedClientSocket } from "engine.io-client";

export type Implementation = "volley" | "published";
export type TransportName = "polling" | "websocket";
type Data = string | Buffer | ArrayBuffer | Uint8Array;

/** What a test needs of a server-side session. */
export interface ServerSession {
  send(data: Data): void;
  on(event: "message", listener: (data: Data) => void): unknown;
  once(event: "close", listener: (reason: string) => void): unknown;
}

/** What a test needs of a client. */
export interface ClientSocket {
  readonly transport: { name: string };
  send(data: Data): void;
  close(): void;
  on(event: "message", listener: (data: Data) => void): unknown;
  once(event: "open" | "upgrade" | "close", listener: (arg?: unknown) => void): unknown;
}

export interface TestServer {
  url: string;
  nextSession(): Promise<ServerSession>;
  close(): Promise<void>;
}

export interface ServerOptions {
  transports?: TransportName[];
  maxHttpBufferSize?: number;
  pingInterval?: number;
  pingTimeout?: number;
}

export async function startServer(implementation: Implementation, options: ServerOptions = {}): Promise<TestServer> {
  const httpServer: HttpServer = createServer();
  const engine =
    implementation === "volley"
      ? attachVolley(httpServer, options)
      : publishedEngine.attach(httpServer, options as publishedEngine.AttachOptions);
  const sessions: ServerSession[] = [];
  const waiting: Array<(session: ServerSession) => void> = [];
  (engine as unknown as { on(event: "connection", listener: (socket: ServerSession) => void): void }).on(
    "connection",
    (socket) => {
      const resolve = waiting.shift();
      if (resolve) resolve(socket);
      else sessions.push(socket);
    },
  );
  httpServer.listen(0, "127.0.0.1");
  await once(httpServer, "listening");
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    nextSession: () => {
      const ready = sessions.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
    async close() {
      engine.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

export function connectClient(
  implementation: Implementation,
  url: string,
  options: { transports?: TransportName[]; upgrade?: boolean } = {},
): ClientSocket {
  return implementation === "volley"
    ? (new VolleyClientSocket(url, options) as unknown as ClientSocket)
    : (new PublishedClientSocket(url, options) as unknown as ClientSocket);
}

/** Resolves with the first emission of `event`, or rejects after `timeoutMs`. */
export function waitFor<T = unknown>(
  emitter: { once(event: string, listener: (arg: T) => void): unknown },
  event: string,
  timeoutMs = 10000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for "${event}"`)), timeoutMs);
    emitter.once(event, (arg: T) => {
      clearTimeout(timer);
      resolve(arg);
    });
  });
}

/** Collects `count` messages from `emitter`, or rejects after `timeoutMs` with what came. */
export function collectMessages(
  emitter: { on(event: "message", listener: (data: Data) => void): unknown },
  count: number,
  timeoutMs = 10000,
): Promise<Data[]> {
  const received: Data[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`got ${received.length} of ${count} messages: ${received.slice(-3).map(String).join(", ")}`)),
      timeoutMs,
    );
    emitter.on("message", (data) => {
      received.push(data);
      if (received.length === count) {
        clearTimeout(timer);
        resolve(received);
      }
    });
  });
}

/** Collects messages until the text message `marker` arrives (not included). */
export function collectUntil(
  emitter: { on(event: "message", listener: (data: Data) => void): unknown },
  marker: string,
  timeoutMs = 15000,
): Promise<Data[]> {
  const received: Data[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`"${marker}" not received; got ${received.length} messages`)), timeoutMs);
    emitter.on("message", (data) => {
      if (data === marker) {
        clearTimeout(timer);
        resolve(received);
      } else {
        received.push(data);
      }
    });
  });
}

/**
 * Sends numbered messages one per event-loop turn until `until` settles, then `after` more,
 * then `marker`, so that messages are in flight at every step of a transport upgrade.
 * Returns how many numbered messages were sent.
 */
export async function sendThroughout(
  send: (data: string) => void,
  until: Promise<unknown>,
  marker: string,
  { after = 50, max = 20000 } = {},
): Promise<number> {
  let settled = false;
  void until.then(
    () => (settled = true),
    () => (settled = true),
  );
  let sent = 0;
  while (!settled && sent < max) {
    send(`m${sent++}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  for (let i = 0; i < after; i++) send(`m${sent++}`);
  send(marker);
  return sent;
}

export function numbered(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `m${i}`);
}

export function toBuffer(data: Data): Buffer {
  if (typeof data === "string") throw new Error(`expected binary, got text "${data}"`);
  return data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
