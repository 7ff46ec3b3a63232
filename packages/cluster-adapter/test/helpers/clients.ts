// Client sockets of both libraries (the published socket.io-client and @volley/client) for
// the cluster tests, behind one small interface; closeAll() ends every one of them.
import { io as volleyIo } from "@volley/client";
import { io as socketIoClient } from "socket.io-client";
import { within } from "./cluster";

export type ClientLibrary = "socket.io-client" | "@volley/client";
export const CLIENT_LIBRARIES: readonly ClientLibrary[] = ["socket.io-client", "@volley/client"];

/** How a client reaches the server: polling only, WebSocket only, or polling upgraded to WebSocket. */
export type TransportMode = "polling" | "websocket" | "upgrade";
export const TRANSPORT_MODES: readonly TransportMode[] = ["polling", "websocket", "upgrade"];

const TRANSPORTS: Record<TransportMode, string[]> = {
  polling: ["polling"],
  websocket: ["websocket"],
  upgrade: ["polling", "websocket"],
};

type Listener = (...args: never[]) => void;

/** What the tests use of a client socket; both libraries' sockets fit. */
export interface ClientSocket {
  readonly id: string | undefined;
  readonly connected: boolean;
  readonly recovered: boolean;
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
  off(event: string, listener?: Listener): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
  connect(): unknown;
  disconnect(): unknown;
  readonly io: {
    readonly engine: {
      readonly readyState: string;
      readonly transport: { readonly name: string };
      close(): unknown;
      once(event: string, listener: () => void): unknown;
      on(event: string, listener: (...args: never[]) => void): unknown;
    };
  };
}

export interface Hello {
  workerId: number;
  id: string;
  recovered: boolean;
}

export class Clients {
  readonly #sockets: ClientSocket[] = [];

  /** A client with its own connection that does not reconnect by itself, unless `reconnection`. */
  create(library: ClientLibrary, url: string, mode: TransportMode, reconnection = false): ClientSocket {
    const options = { transports: TRANSPORTS[mode], forceNew: true, reconnection, reconnectionDelay: 50, reconnectionDelayMax: 200 };
    const socket = (library === "socket.io-client" ? socketIoClient(url, options) : volleyIo(url, options)) as unknown as ClientSocket;
    this.#sockets.push(socket);
    return socket;
  }

  /** A client and the fixture's hello (which worker it landed on). */
  async connect(library: ClientLibrary, url: string, mode: TransportMode, reconnection = false): Promise<{ socket: ClientSocket; hello: Hello }> {
    const socket = this.create(library, url, mode, reconnection);
    const hello = await nextEvent<Hello>(socket, "hello");
    return { socket, hello };
  }

  /**
   * Disconnects every client and resolves once each Engine.IO connection is closed (a
   * polling client closed mid-upgrade closes only when its requests end).
   */
  async closeAll(ms = 10_000): Promise<void> {
    const engines = this.#sockets.map((socket) => socket.io.engine).filter((engine) => engine.readyState !== "closed");
    const closed = Promise.all(engines.map((engine) => new Promise<void>((resolve) => engine.once("close", () => resolve()))));
    for (const socket of this.#sockets) socket.disconnect();
    this.#sockets.length = 0;
    await within(ms, `${engines.length} client connection(s) closed`, closed);
  }
}

/** The first argument of the next `event` on `socket`. */
export function nextEvent<T>(socket: ClientSocket, event: string, ms = 10_000): Promise<T> {
  return within(ms, `event ${event}`, new Promise<T>((resolve) => socket.once(event, ((value: T) => resolve(value)) as Listener)));
}

/** Records the first argument of every `event` on `socket`. */
export class Recorder<T = unknown> {
  readonly items: T[] = [];
  readonly #waiters = new Set<() => void>();

  constructor(socket: ClientSocket, event: string) {
    socket.on(event, ((value: T) => {
      this.items.push(value);
      for (const waiter of [...this.#waiters]) waiter();
    }) as Listener);
  }

  /** Resolves once `count` items arrived (bounded). */
  async until(count: number, ms = 10_000): Promise<T[]> {
    let waiter: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => {
      waiter = () => {
        if (this.items.length >= count) resolve();
      };
      this.#waiters.add(waiter);
      waiter();
    });
    await within(ms, `${count} items (have ${this.items.length})`, reached).finally(() => this.#waiters.delete(waiter));
    return this.items;
  }
}
