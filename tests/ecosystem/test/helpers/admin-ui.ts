// What the admin-ui tests share: one server of either stack (socket.io 4.8 or @volley/server)
// instrumented by the published @socket.io/admin-ui, an admin client that records what the
// dashboard would receive, and the normalisation that makes two runs comparable (ids become
// labels, dates and ports go).
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { instrument } from "@socket.io/admin-ui";
import type { AdapterConstructor, Adapter } from "@volley/adapter";
import { Server as VolleyServer } from "@volley/server";
import { Server as SocketIoServer } from "socket.io";
import { io as ioc, type ManagerOptions, type Socket as ClientSocket, type SocketOptions } from "socket.io-client";
import { once } from "../../../../packages/redis-adapter/test/helpers/wait";

export type Stack = "socket.io 4.8" | "@volley/server";
export const STACKS: readonly Stack[] = ["socket.io 4.8", "@volley/server"];

export type InstrumentOptions = NonNullable<Parameters<typeof instrument>[1]>;

/** The plaintext of ADMIN_PASSWORD_HASH (bcrypt, cost 4: cheap on a loaded machine). */
export const ADMIN_PASSWORD = "volley-admin";
export const ADMIN_PASSWORD_HASH = "$2a$04$stL47bCQop8EG5KFs0VO6.m97JFx73w/6wBPAJloPdiFO4rRbLsku";

/** What the scenarios use of a server socket, which both stacks have. */
export interface AppSocket {
  readonly id: string;
  data: Record<string, unknown>;
  readonly handshake: { readonly auth: Record<string, unknown> };
  join(room: string): unknown;
  emit(event: string, ...args: unknown[]): boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
}

/** What the scenarios use of a server, which both stacks have. */
export interface AppServer {
  use(middleware: (socket: AppSocket, next: (err?: Error) => void) => void): unknown;
  on(event: "connection", listener: (socket: AppSocket) => void): unknown;
  of(name: string | RegExp): {
    on(event: "connection", listener: (socket: AppSocket) => void): unknown;
    in(room: string): { fetchSockets(): Promise<Array<{ id: string }>> };
    sockets: Map<string, AppSocket>;
  };
  close(): Promise<void> | void;
}

export interface InstrumentedServer {
  readonly io: AppServer;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts a server of `stack` on a loopback port, lets `setup` add the application's
 * handlers, then instruments it with admin-ui. admin-ui has no teardown: the stats timer
 * it starts is caught here and cleared on close, so that it never emits through an adapter
 * whose Redis clients are gone.
 */
export async function startInstrumented(
  stack: Stack,
  options: Partial<InstrumentOptions>,
  setup: (io: AppServer) => void = () => {},
  adapter?: { volley: AdapterConstructor<Adapter>; socketIo: unknown },
): Promise<InstrumentedServer> {
  const http: HttpServer = createServer();
  const io =
    stack === "@volley/server"
      ? new VolleyServer(http, adapter === undefined ? {} : { adapter: adapter.volley })
      : new SocketIoServer(http, adapter === undefined ? {} : { adapter: adapter.socketIo as never });
  const app = io as unknown as AppServer;
  setup(app);
  const timers = catchIntervals(() => instrument(io as unknown as SocketIoServer, options));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    io: app,
    url,
    async close() {
      for (const timer of timers) clearInterval(timer);
      await io.close();
    },
  };
}

/** Runs `fn` and returns the interval timers it started. */
function catchIntervals(fn: () => void): NodeJS.Timeout[] {
  const original = global.setInterval;
  const timers: NodeJS.Timeout[] = [];
  global.setInterval = ((...args: Parameters<typeof setInterval>) => {
    const timer = original(...args);
    timers.push(timer);
    return timer;
  }) as typeof setInterval;
  try {
    fn();
  } finally {
    global.setInterval = original;
  }
  return timers;
}

/** The application of the scenarios: a user from the auth, a lobby, a chat with an ack. */
export function chatApp(io: AppServer): void {
  io.use((socket, next) => {
    socket.data = { user: socket.handshake.auth["user"] };
    next();
  });
  io.of("/chat");
  io.on("connection", (socket) => {
    socket.join("lobby");
    socket.on("chat", (text: string, ack: (answer: string) => void) => {
      socket.emit("chat", `echo ${text}`);
      ack("ok");
    });
    socket.on("mood", (mood: string) => {
      socket.data["mood"] = mood;
    });
  });
}

/** A socket.io-client socket that never reconnects by itself (so that a failure stays one). */
export function connect(url: string, options: Partial<ManagerOptions & SocketOptions> = {}): ClientSocket {
  return ioc(url, { forceNew: true, reconnection: false, ...options });
}

/** Resolves once `socket` is connected; rejects on connect_error or after `timeoutMs`. */
export function connected(socket: ClientSocket, timeoutMs = 10_000): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not connected within ${timeoutMs} ms`)), timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once("connect_error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Resolves with the arguments of the next `event` of `socket`; rejects after `timeoutMs`. */
export function nextEvent(socket: ClientSocket, event: string, timeoutMs = 10_000): Promise<unknown[]> {
  return once(socket as unknown as Parameters<typeof once>[0], event, timeoutMs);
}

type Recorded = { readonly event: string; readonly args: unknown[] };

/** The dashboard's side: an admin client that records every event it receives, in order. */
export class AdminClient {
  readonly socket: ClientSocket;
  readonly events: Recorded[] = [];
  readonly #waiters = new Set<() => void>();

  constructor(url: string, namespaceName: string, auth: Record<string, unknown> = {}, options: Partial<ManagerOptions & SocketOptions> = {}) {
    // as the hosted dashboard connects: the admin namespace, auth in the CONNECT packet
    this.socket = connect(`${url}${namespaceName}`, { auth, ...options });
    this.socket.onAny((event: string, ...args: unknown[]) => {
      this.events.push({ event, args });
      for (const waiter of [...this.#waiters]) waiter();
    });
  }

  /** The arguments of the events named `event` received so far. */
  all(event: string): unknown[][] {
    return this.events.filter((recorded) => recorded.event === event).map((recorded) => recorded.args);
  }

  /**
   * Resolves with the arguments of the first `event` (received so far or later) for which
   * `match` holds; rejects after `timeoutMs` with what was received.
   */
  waitFor(event: string, match: (args: unknown[]) => boolean = () => true, timeoutMs = 10_000): Promise<unknown[]> {
    const find = (): unknown[] | undefined => this.all(event).find(match);
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = (): void => {
        const args = find();
        if (args === undefined) return;
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        resolve(args);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        const seen = this.events.map((recorded) => recorded.event).join(", ");
        reject(new Error(`no matching "${event}" within ${timeoutMs} ms; received: ${seen}`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** Resolves with the next `server_stats` received after this call. */
  nextStats(match: (stats: ServerStats) => boolean = () => true, timeoutMs = 10_000): Promise<ServerStats> {
    const seen = this.all("server_stats").length;
    return this.waitFor("server_stats", (args) => this.all("server_stats").indexOf(args) >= seen && match(args[0] as ServerStats), timeoutMs).then(
      (args) => args[0] as ServerStats,
    );
  }

  close(): void {
    this.socket.close();
  }
}

/** What admin-ui sends as `server_stats`. */
export interface ServerStats {
  serverId: string;
  hostname: string;
  pid: number;
  uptime: number;
  clientsCount: number;
  pollingClientsCount: number;
  aggregatedEvents: Array<{ timestamp: number; type: string; subType?: string; count: number }>;
  namespaces: Array<{ name: string; socketsCount: number }>;
}

/** A socket as admin-ui serialises it (`all_sockets`, `socket_connected`). */
export interface SerializedSocket {
  id: string;
  clientId: string;
  transport: string;
  nsp: string;
  data: Record<string, unknown>;
  handshake: {
    address: string;
    headers: Record<string, string>;
    query: Record<string, string>;
    issued: number;
    secure: boolean;
    time: string;
    url: string;
    xdomain: boolean;
  };
  rooms: string[];
}

const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/;

/** Gives socket ids stable names, so that runs on two stacks compare. */
export class Labels {
  readonly #names = new Map<string, string>();

  set(id: string | undefined, name: string): void {
    if (id === undefined) throw new Error(`${name} has no id`);
    this.#names.set(id, name);
  }

  /** The label of an id, or the string itself (a room name). */
  of(value: unknown): unknown {
    return typeof value === "string" ? (this.#names.get(value) ?? value) : value;
  }

  /** A serialised socket with labels for ids and only what two runs share. */
  socket(serialized: unknown): Record<string, unknown> {
    const socket = serialized as SerializedSocket;
    const handshake = socket.handshake;
    const { EIO, transport, t, ...query } = handshake.query;
    return {
      id: this.of(socket.id),
      clientId: typeof socket.clientId === "string" && socket.clientId.length === 12 ? "<12 chars>" : socket.clientId,
      transport: socket.transport,
      nsp: socket.nsp,
      data: socket.data,
      rooms: socket.rooms.map((room) => this.of(room)).sort(),
      handshake: {
        address: handshake.address,
        query: { EIO, transport, hasT: t !== undefined, ...query },
        url: handshake.url.replace(/&t=[^&]*/, ""),
        secure: handshake.secure,
        xdomain: handshake.xdomain,
        issued: typeof handshake.issued,
        time: typeof handshake.time,
        host: handshake.headers["host"]?.replace(/:\d+$/, ":<port>"),
        custom: handshake.headers["x-volley-test"],
      },
    };
  }

  /** An event's arguments with labels for ids and without its date (last argument). */
  event(args: unknown[]): unknown[] {
    const last = args[args.length - 1];
    const withoutDate = typeof last === "string" && ISO_DATE.test(last) ? args.slice(0, -1) : args;
    return withoutDate.map((arg) => this.of(arg));
  }
}

/** The stats with what varies between runs (uptime, pid, timings) reduced to its shape. */
export function statsShape(stats: ServerStats): Record<string, unknown> {
  return {
    keys: Object.keys(stats).sort(),
    serverId: stats.serverId,
    clientsCount: stats.clientsCount,
    pollingClientsCount: stats.pollingClientsCount,
    namespaces: [...stats.namespaces].sort((a, b) => a.name.localeCompare(b.name)),
    uptime: typeof stats.uptime,
    pid: stats.pid === process.pid,
  };
}
