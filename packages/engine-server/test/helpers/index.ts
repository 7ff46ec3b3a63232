import { once, type EventEmitter } from "node:events";
import { createServer, request, type IncomingHttpHeaders, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Socket as ClientSocket, type SocketOptions } from "engine.io-client";
import { WebSocket } from "ws";
import { Server, type ServerOptions, type Socket as EngineSocket } from "../../src";

/** Waits for one event, failing after `timeoutMs`. Resolves with the event's arguments. */
/* eslint-disable @typescript-eslint/no-explicit-any -- any emitter of any library */
type AnyListener = (...args: any[]) => void;
/** Node EventEmitters, ws, engine.io-client's emitter: anything with once/removeListener. */
export type Emitter = { once(event: string, listener: AnyListener): unknown; removeListener?(event: string, listener: AnyListener): unknown } | object;

export function waitFor<T extends unknown[] = unknown[]>(
  target: Emitter,
  event: string,
  timeoutMs = 5000,
): Promise<T> {
  const emitter = target as { once(event: string, listener: AnyListener): unknown; removeListener?(event: string, listener: AnyListener): unknown };
  return new Promise<T>((resolve, reject) => {
    const listener = (...args: unknown[]): void => {
      clearTimeout(timer);
      resolve(args as T);
    };
    const timer = setTimeout(() => {
      emitter.removeListener?.(event, listener);
      reject(new Error(`timed out after ${timeoutMs}ms waiting for "${event}"`));
    }, timeoutMs);
    emitter.once(event, listener);
  });
}

/** Settles like `promise`, or rejects after `timeoutMs` (the timer never outlives it). */
export function within<T>(promise: Promise<T>, timeoutMs: number, what = "promise"): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs}ms waiting for ${what}`)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error as Error);
      },
    );
  });
}

type ListeningEmitter = {
  on(event: string, listener: AnyListener): unknown;
  removeListener(event: string, listener: AnyListener): unknown;
};

/**
 * Resolves once `predicate()` holds: checked at once, then each time `target` emits one of
 * `events` (never on a timer). Rejects after `timeoutMs`; the listeners go with it.
 * Listeners added before this one see each event first, so state they record is current.
 */
export function waitUntil(
  target: Emitter,
  events: string | readonly string[],
  predicate: () => boolean,
  timeoutMs = 5000,
  what = "condition",
): Promise<void> {
  if (predicate()) return Promise.resolve();
  const emitter = target as ListeningEmitter;
  const names = typeof events === "string" ? [events] : events;
  return new Promise<void>((resolve, reject) => {
    const stop = (): void => {
      clearTimeout(timer);
      for (const name of names) emitter.removeListener(name, check);
    };
    const check = (): void => {
      let holds: boolean;
      try {
        holds = predicate();
      } catch (error) {
        stop();
        reject(error as Error);
        return;
      }
      if (!holds) return;
      stop();
      resolve();
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out after ${timeoutMs}ms waiting for ${what} (on ${names.join("/")})`));
    }, timeoutMs);
    for (const name of names) emitter.on(name, check);
  });
}

/**
 * Referenced timers of the process (unref'd ones, such as Node's Date header cache, are
 * not counted).
 */
export const activeTimers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;

/**
 * Resolves once at most `expected` timers are active; bounded. The one wait that polls
 * (every 5 ms): clearing a timer emits nothing, and the timers counted here include other
 * libraries' (ws keeps a close timer until its TCP socket is gone, a few ms after the close
 * the test can await). Used by the tests that check no timer is left behind.
 */
export async function pollActiveTimersAtMost(expected: number, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (activeTimers() > expected) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${expected} active timers (now ${activeTimers()})`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Resolves once the session's polling GET is pending (its transport `writable`): checked at
 * once, then on the transport's `ready`, which it emits when a GET arrives.
 */
export function pendingGet(socket: EngineSocket, timeoutMs = 5000): Promise<void> {
  const transport = socket.transport;
  return waitUntil(transport, "ready", () => transport.writable, timeoutMs, "the GET to be pending");
}

/** Where a server listens on 127.0.0.1: enough for the raw request helpers below. */
export type Endpoint = { port: number };

export interface TestServer {
  engine: Server;
  http: HttpServer;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

/** An Engine.IO server attached to a fresh http server on 127.0.0.1, port 0. */
export async function startServer(options: ServerOptions = {}, setup?: (http: HttpServer) => void): Promise<TestServer> {
  const http = createServer();
  setup?.(http);
  const engine = new Server(options);
  engine.attach(http);
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  const port = (http.address() as AddressInfo).port;
  return {
    engine,
    http,
    port,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      engine.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** The published engine.io-client, connected to a test server. */
export function createClient(server: TestServer, options: Partial<SocketOptions> = {}): ClientSocket {
  return new ClientSocket(`ws://127.0.0.1:${server.port}`, options);
}

/** Closes a client and waits for its close event (if it was not closed already). */
export async function closeClient(client: ClientSocket): Promise<void> {
  if (client.readyState === "closed") return;
  const closed = waitFor(client as unknown as EventEmitter, "close");
  client.close();
  await closed;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/** A raw HTTP request with full control over method, headers and body. */
export function httpRequest(
  server: Endpoint,
  path: string,
  init: { method?: string; headers?: Record<string, string | number>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: server.port, path, method: init.method ?? "GET", headers: init.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString("utf8") });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

const PATH = "/engine.io/";

/** Opens a polling session by hand; returns its sid and the open packet's data. */
export async function eioHandshake(
  server: Endpoint,
  query = "",
): Promise<{ sid: string; open: { sid: string; upgrades: string[]; pingInterval: number; pingTimeout: number; maxPayload: number }; response: RawResponse }> {
  const response = await httpRequest(server, `${PATH}?EIO=4&transport=polling${query}`);
  if (response.status !== 200) throw new Error(`handshake failed: ${response.status} ${response.text}`);
  const first = response.text.split("\x1e")[0]!;
  if (first[0] !== "0") throw new Error(`not an open packet: ${response.text}`);
  const open = JSON.parse(first.slice(1)) as { sid: string; upgrades: string[]; pingInterval: number; pingTimeout: number; maxPayload: number };
  return { sid: open.sid, open, response };
}

/** One polling GET of a session. */
export function eioPoll(server: Endpoint, sid: string, headers?: Record<string, string>): Promise<RawResponse> {
  return httpRequest(server, `${PATH}?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`, { headers });
}

/** One polling POST of a session. */
export function eioPush(server: Endpoint, sid: string, body: string | Buffer, headers?: Record<string, string | number>): Promise<RawResponse> {
  return httpRequest(server, `${PATH}?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`, {
    method: "POST",
    body,
    headers: { "Content-Type": "text/plain;charset=UTF-8", ...headers },
  });
}

const queues = new WeakMap<WebSocket, { messages: Array<string | Buffer>; wake: (() => void) | undefined }>();

/**
 * A raw WebSocket to the server; resolves once open. Messages are queued from the first
 * frame on (the open packet may arrive in the same TCP chunk as the 101).
 */
export async function openWebSocket(server: Endpoint, query: string): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}${PATH}?${query}`);
  const queue = { messages: [] as Array<string | Buffer>, wake: undefined as (() => void) | undefined };
  queues.set(ws, queue);
  ws.on("message", (data: Buffer, isBinary: boolean) => {
    queue.messages.push(isBinary ? data : data.toString());
    queue.wake?.();
  });
  await waitFor(ws, "open");
  return ws;
}

/** Takes the next `count` messages of a WebSocket opened with {@link openWebSocket}. */
export async function nextMessages(ws: WebSocket, count: number, timeoutMs = 5000): Promise<Array<string | Buffer>> {
  const queue = queues.get(ws);
  if (queue === undefined) throw new Error("open the WebSocket with openWebSocket()");
  const deadline = Date.now() + timeoutMs;
  while (queue.messages.length < count) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out waiting for ${count} messages, got ${JSON.stringify(queue.messages)}`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, left);
      queue.wake = () => {
        clearTimeout(timer);
        queue.wake = undefined;
        resolve();
      };
    });
  }
  return queue.messages.splice(0, count);
}

/** Opens a websocket-only session by hand; returns the socket and its sid. */
export async function wsHandshake(server: Endpoint, query = "EIO=4&transport=websocket"): Promise<{ ws: WebSocket; sid: string }> {
  const ws = await openWebSocket(server, query);
  const [open] = await nextMessages(ws, 1);
  const sid = (JSON.parse((open as string).slice(1)) as { sid: string }).sid;
  return { ws, sid };
}

/** Closes a raw WebSocket and waits until it is closed. */
export async function closeWebSocket(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return;
  const closed = waitFor(ws, "close");
  if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close();
  await closed;
}

/** The upgrade response to a raw WebSocket request: a refusal's status and body, or 101. */
export function upgradeRequest(server: Endpoint, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: "127.0.0.1",
      port: server.port,
      path,
      agent: false,
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        ...headers,
      },
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: "", headers: res.headers });
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}
