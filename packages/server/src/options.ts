// Options of `new Server()`: Volley's own, plus every option of @volley/engine-server,
// passed through to the engine (which validates them itself).
import type { Adapter, AdapterConstructor } from "@volley/adapter";
import { Adapter as InMemoryAdapter, SessionAwareAdapter } from "@volley/adapter";
import {
  resolveServerOptions as resolveEngineOptions,
  type ServerOptions as EngineOptions,
} from "@volley/engine-server";
import { Decoder, Encoder, toParser, type Parser, type ParserOption } from "@volley/parser";
import { InvalidOptionError } from "./errors";

/** Connection state recovery settings (see the README's "Connection state recovery"). */
export interface ConnectionStateRecoveryOptions {
  /**
   * How long, in milliseconds, a disconnected client may come back and get its id, rooms,
   * data and the events it missed.
   * @default 120000
   */
  maxDisconnectionDuration?: number;
  /**
   * Whether a recovered socket skips the namespace middlewares (it passed them once).
   * @default true
   */
  skipMiddlewares?: boolean;
}

/** The recovery settings after defaults and validation. */
export type ResolvedConnectionStateRecovery = Readonly<Required<ConnectionStateRecoveryOptions>>;

/**
 * What the server calls on an adapter written for socket.io-adapter 2.5 (the methods of its
 * `Adapter` class, which every published adapter extends). Parameters are left open: such
 * adapters are typed against socket.io's own classes.
 */
export interface SocketIoAdapterLike {
  addAll(id: never, rooms: never): unknown;
  del(id: never, room: never): unknown;
  delAll(id: never): unknown;
  broadcast(packet: never, opts: never): unknown;
  broadcastWithAck(packet: never, opts: never, clientCountCallback: never, ack: never): unknown;
  fetchSockets(opts: never): Promise<unknown>;
  serverSideEmit(packet: never): unknown;
}

/**
 * The `adapter` option: a Volley adapter class, or an adapter written for socket.io-adapter
 * 2.5 — its class, or the factory function a published `createAdapter(...)` returns (the
 * server calls it with `new`, as socket.io does).
 */
export type ServerAdapterOption =
  | AdapterConstructor<Adapter>
  | (new (nsp: never) => SocketIoAdapterLike)
  | ((nsp: never) => SocketIoAdapterLike);

/** Options of `new Server()` and `server.attach()`. Engine options are passed through. */
export interface ServerOptions extends EngineOptions {
  /**
   * The path the server captures (Engine.IO requests and the client bundle URLs).
   * @default "/socket.io"
   */
  path?: string;
  /**
   * Whether the browser bundles of `@volley/client` are served under the path
   * (`<path>/socket.io.js`, `.min.js`, `.esm.min.js`, `.msgpack.min.js`,
   * `.websocket.min.js` and their `.map`s). With `false`, those URLs are left to the engine.
   * @default true
   */
  serveClient?: boolean;
  /**
   * The adapter class instantiated once per namespace (`new adapter(namespace)`): one of
   * Volley's, or one written for socket.io-adapter 2.5 (see {@link ServerAdapterOption}).
   * @default Adapter (SessionAwareAdapter when connectionStateRecovery is on)
   */
  adapter?: ServerAdapterOption;
  /**
   * The Socket.IO packet parser: an object with `Encoder` and `Decoder` classes.
   * @default the @volley/parser Encoder and Decoder
   */
  parser?: ParserOption;
  /**
   * Milliseconds a client may take to connect to a namespace after its Engine.IO
   * connection opened; past it the connection is closed.
   * @default 45000
   */
  connectTimeout?: number;
  /**
   * Connection state recovery: `true` or an object turns it on (the adapter must keep
   * sessions, like SessionAwareAdapter); `false` leaves it off.
   * @default false
   */
  connectionStateRecovery?: boolean | ConnectionStateRecoveryOptions;
  /**
   * Whether a child namespace created by a parent namespace (`of(regex)`, `of(fn)`) is
   * removed once its last socket disconnected.
   * @default false
   */
  cleanupEmptyChildNamespaces?: boolean;
  /**
   * Most namespaces one connection may be in at once, counting the CONNECTs still being
   * handled: a CONNECT past it gets CONNECT_ERROR "Too many namespaces" (the connection and
   * its sockets go on). A client cannot make the server hold sockets without limit, with
   * parent namespaces (`of(regex)`) in particular. `Infinity` lifts it. Not in socket.io.
   * @default 100
   */
  maxNamespacesPerConnection?: number;
}

/** Volley's own options after defaults and validation (engine options stay as given). */
export interface ResolvedServerOptions {
  readonly path: string;
  readonly serveClient: boolean;
  readonly adapter: AdapterConstructor<Adapter>;
  readonly parser: Parser;
  readonly connectTimeout: number;
  readonly connectionStateRecovery: ResolvedConnectionStateRecovery | false;
  readonly cleanupEmptyChildNamespaces: boolean;
  readonly maxNamespacesPerConnection: number;
  /** Every option given, for the engine (path overridden by ours). */
  readonly engine: Readonly<EngineOptions>;
}

/** The default recovery settings, used when `connectionStateRecovery` is `true` or partial. */
export const DEFAULT_CONNECTION_STATE_RECOVERY: ResolvedConnectionStateRecovery = Object.freeze({
  maxDisconnectionDuration: 2 * 60 * 1000,
  skipMiddlewares: true,
});

/** The defaults of Volley's own options. */
export const DEFAULT_SERVER_OPTIONS = Object.freeze({
  path: "/socket.io",
  serveClient: true,
  adapter: undefined,
  parser: Object.freeze({ Encoder, Decoder }) as Parser,
  connectTimeout: 45000,
  connectionStateRecovery: false,
  cleanupEmptyChildNamespaces: false,
  maxNamespacesPerConnection: 100,
} as const);

const MAX_TIMER = 2 ** 31 - 1;

/**
 * Applies the defaults to `options` and checks every type and range; engine options are
 * checked by the engine's own resolver, so a mistake fails at construction.
 * @throws InvalidOptionError (or the engine's InvalidOptionError for an engine option)
 */
export function resolveServerOptions(options: ServerOptions = {}): ResolvedServerOptions {
  if (typeof options !== "object" || options === null) throw new InvalidOptionError("options", "an object", options);
  const d = DEFAULT_SERVER_OPTIONS;
  const recovery = resolveRecovery(options.connectionStateRecovery ?? d.connectionStateRecovery);
  const path = resolvePath(options.path ?? d.path);
  const engine = Object.freeze({ ...options, path });
  resolveEngineOptions(engine);
  return Object.freeze({
    path,
    serveClient: bool("serveClient", options.serveClient ?? d.serveClient),
    adapter: resolveAdapter(options.adapter, recovery !== false),
    parser: resolveParser(options.parser ?? d.parser),
    connectTimeout: duration("connectTimeout", options.connectTimeout ?? d.connectTimeout),
    connectionStateRecovery: recovery,
    cleanupEmptyChildNamespaces: bool(
      "cleanupEmptyChildNamespaces",
      options.cleanupEmptyChildNamespaces ?? d.cleanupEmptyChildNamespaces,
    ),
    maxNamespacesPerConnection: count("maxNamespacesPerConnection", options.maxNamespacesPerConnection ?? d.maxNamespacesPerConnection),
    engine,
  });
}

/** Validates a path given to `server.path(value)`. */
export function resolvePath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/")) {
    throw new InvalidOptionError("path", 'a string starting with "/"', value);
  }
  // "/socket.io/" and "/socket.io" are the same path
  return value.length > 1 && value.endsWith("/") ? value.slice(0, -1) : value;
}

/** Validates a timeout given to `server.connectTimeout(value)`. */
export function duration(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_TIMER) {
    throw new InvalidOptionError(name, `an integer number of milliseconds in [0, ${MAX_TIMER}]`, value);
  }
  return value;
}

/** A limit: an integer from 1 on, or Infinity. */
function count(name: string, value: unknown): number {
  if (typeof value !== "number" || !(Number.isSafeInteger(value) || value === Infinity) || value < 1) {
    throw new InvalidOptionError(name, "an integer from 1 on, or Infinity", value);
  }
  return value;
}

/** Validates an adapter given to `server.adapter(value)`; the default depends on recovery. */
export function resolveAdapter(value: unknown, recovery: boolean): AdapterConstructor<Adapter> {
  if (value === undefined) return recovery ? SessionAwareAdapter : InMemoryAdapter;
  if (typeof value !== "function") throw new InvalidOptionError("adapter", "an adapter class", value);
  return value as AdapterConstructor<Adapter>;
}

export function bool(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new InvalidOptionError(name, "a boolean", value);
  return value;
}

function resolveParser(value: unknown): Parser {
  const parser = value as Partial<Parser> | null;
  if (
    typeof parser !== "object" ||
    parser === null ||
    typeof parser.Encoder !== "function" ||
    typeof parser.Decoder !== "function"
  ) {
    throw new InvalidOptionError("parser", "an object with Encoder and Decoder classes", value);
  }
  // parsers typed by their own packages may return one chunk from encode(): see toParser
  return toParser(parser as ParserOption);
}

function resolveRecovery(value: unknown): ResolvedConnectionStateRecovery | false {
  if (value === false) return false;
  if (value === true) return DEFAULT_CONNECTION_STATE_RECOVERY;
  if (typeof value !== "object" || value === null) {
    throw new InvalidOptionError("connectionStateRecovery", "a boolean or an options object", value);
  }
  const options = value as ConnectionStateRecoveryOptions;
  const d = DEFAULT_CONNECTION_STATE_RECOVERY;
  const maxDisconnectionDuration = options.maxDisconnectionDuration ?? d.maxDisconnectionDuration;
  if (typeof maxDisconnectionDuration !== "number" || !Number.isInteger(maxDisconnectionDuration) || maxDisconnectionDuration < 1) {
    throw new InvalidOptionError(
      "connectionStateRecovery.maxDisconnectionDuration",
      "a positive integer number of milliseconds",
      maxDisconnectionDuration,
    );
  }
  return Object.freeze({
    maxDisconnectionDuration,
    skipMiddlewares: bool("connectionStateRecovery.skipMiddlewares", options.skipMiddlewares ?? d.skipMiddlewares),
  });
}
