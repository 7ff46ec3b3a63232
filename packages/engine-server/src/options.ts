import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { ZlibOptions } from "node:zlib";
import type { SerializeOptions } from "cookie";
import type { CorsOptions, CorsOptionsDelegate } from "cors";
import { WebSocketServer } from "ws";
import { InvalidOptionError } from "./errors";
import { toMessageData } from "./internal/message-data";
import { LeanWebSocketServer } from "./internal/websocket/lean-server";
import type { RawData } from "@volley/engine-parser";

/** The transports this server speaks. */
export type TransportName = "polling" | "websocket";

/** Answer of {@link ServerOptions.allowRequest}: `fn(errorMessage, allowed)`. */
export type AllowRequestCallback = (err: string | null | undefined, success: boolean) => void;

/** Decides whether a handshake may go on. */
export type AllowRequest = (req: IncomingMessage, fn: AllowRequestCallback) => void;

/** zlib parameters of per-message deflate (the subset ws accepts). */
export interface ZlibParameters {
  level?: number;
  memLevel?: number;
  windowBits?: number;
  chunkSize?: number;
  strategy?: number;
  flush?: number;
  finishFlush?: number;
  info?: boolean;
}

/** Per-message deflate settings handed to the WebSocket server (see `ws`). */
export interface PerMessageDeflateOptions {
  /** Messages smaller than this many bytes are not compressed. @default 1024 */
  threshold?: number;
  serverNoContextTakeover?: boolean;
  clientNoContextTakeover?: boolean;
  serverMaxWindowBits?: number;
  clientMaxWindowBits?: number;
  zlibDeflateOptions?: ZlibParameters;
  zlibInflateOptions?: ZlibParameters;
  concurrencyLimit?: number;
}

/** gzip / deflate of polling responses. */
export interface HttpCompressionOptions extends ZlibOptions {
  /** Responses smaller than this many bytes are sent as is. @default 1024 */
  threshold?: number;
}

/** The session cookie: `cookie` serialize options plus its name. */
export interface CookieOptions extends SerializeOptions {
  /** @default "io" */
  name?: string;
}

/** The WebSocket (as created by a ws-compatible server) as this package uses it. */
export interface WebSocketLike {
  readonly readyState: number;
  /** Bytes sent and not yet taken by the operating system (ws's `bufferedAmount`); when absent, the TCP socket's `writableLength` is used. */
  readonly bufferedAmount?: number;
  send(data: string | Uint8Array, options: { compress?: boolean; binary?: boolean }, cb?: (err?: Error) => void): void;
  close(code?: number, reason?: string): void;
  terminate?(): void;
  on(event: "message", listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): unknown;
  on(event: "close", listener: (code: number, reason: Buffer) => void): unknown;
  on(event: "error", listener: (err: Error & { code?: string }) => void): unknown;
}

/** A ws-compatible WebSocket server, as created with `{ noServer: true }`. */
export interface WebSocketServerLike {
  handleUpgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    callback: (websocket: WebSocketLike, req: IncomingMessage) => void,
  ): void;
  on?(event: "headers", listener: (headers: string[], req: IncomingMessage) => void): unknown;
  close(callback?: (err?: Error) => void): void;
}

/** Options handed to the {@link ServerOptions.wsEngine} constructor. */
export interface WebSocketServerConstructorOptions {
  noServer: true;
  clientTracking: false;
  perMessageDeflate: boolean | PerMessageDeflateOptions;
  maxPayload: number;
  /** Milliseconds a closing handshake may wait for the client (the built-in engine; ws's is fixed at 30 s). */
  closeTimeout?: number;
  /**
   * Given to ws's own `WebSocketServer` (and its subclasses) only: ws then leaves the
   * client's pings to the transport, which answers them while the socket is not backed up.
   */
  autoPong?: false;
}

/** A ws-compatible WebSocket server class (the default is ws's `WebSocketServer`). */
export type WsEngine = new (options: WebSocketServerConstructorOptions) => WebSocketServerLike;

/** Options of {@link Server.attach} (also accepted by `new Server()`). */
export interface AttachOptions {
  /**
   * The path whose requests and upgrades this server handles.
   * @default "/engine.io"
   */
  path?: string;
  /**
   * Whether to append a trailing slash to `path` (`/engine.io/`); without it, `/engine.io`,
   * `/engine.io/…` and `/engine.io?…` are matched.
   * @default true
   */
  addTrailingSlash?: boolean;
  /**
   * Whether upgrade requests for other paths that no one answered are destroyed.
   * @default true
   */
  destroyUpgrade?: boolean;
  /**
   * Milliseconds after which an unanswered upgrade request for another path is destroyed.
   * @default 1000
   */
  destroyUpgradeTimeout?: number;
}

/** Options of `new Server()`. Same names and defaults as `engine.io` 6. */
export interface ServerOptions extends AttachOptions {
  /**
   * Milliseconds without a pong, after a ping, before the session is closed ("ping timeout").
   * @default 20000
   */
  pingTimeout?: number;
  /**
   * Milliseconds between two pings sent by the server.
   * @default 25000
   */
  pingInterval?: number;
  /**
   * Milliseconds a transport upgrade may take before it is cancelled.
   * @default 10000
   */
  upgradeTimeout?: number;
  /**
   * Largest polling POST body and largest WebSocket message, in bytes; announced to the
   * client as `maxPayload`.
   * @default 1e6
   */
  maxHttpBufferSize?: number;
  /**
   * Most bytes that may wait for one client: packets queued while its transport cannot take
   * them (a WebSocket whose TCP socket is over its high-water mark, polling between two
   * GETs) plus what its WebSocket holds unsent (`bufferedAmount`). Text counts its length,
   * binary data its byte length, and each queued packet 32 more bytes (its own memory).
   * Past it, the session closes with reason "transport buffer full": a client that does not
   * read cannot make the server buffer without limit. Not in `engine.io`.
   * @default 4e6
   */
  maxWriteBufferSize?: number;
  /**
   * Milliseconds a polling POST body may take to arrive completely; past it the request gets
   * 408 and the session is closed. Not in `engine.io` (which relies on Node's requestTimeout).
   * @default 30000
   */
  httpBodyTimeout?: number;
  /**
   * Milliseconds the built-in WebSocket engine waits, once its close frame is sent, for the
   * client to end the connection before destroying it. Not in `engine.io` (ws waits 30 s).
   * @default 30000
   */
  wsCloseTimeout?: number;
  /**
   * Called for each handshake (a request without `sid`): `fn(null, true)` lets it go on,
   * `fn("message", false)` refuses it with 403 and code 4.
   * @default undefined
   */
  allowRequest?: AllowRequest;
  /**
   * The transports clients may use.
   * @default ["polling", "websocket"]
   */
  transports?: TransportName[];
  /**
   * Whether clients may upgrade from polling to websocket.
   * @default true
   */
  allowUpgrades?: boolean;
  /**
   * WebSocket per-message deflate: false, true, or ws's options (threshold 1024 by default).
   * @default false
   */
  perMessageDeflate?: boolean | PerMessageDeflateOptions;
  /**
   * gzip/deflate of polling responses: false, true, or zlib options plus `threshold`.
   * @default { threshold: 1024 }
   */
  httpCompression?: boolean | HttpCompressionOptions;
  /**
   * The WebSocket server class: ws's `WebSocketServer` or any class with its
   * `handleUpgrade` API. By default, the built-in engine (RFC 6455 without extensions, about
   * 1.2 KB less memory per connection than ws) unless `perMessageDeflate` is on, in which
   * case ws's `WebSocketServer` (it negotiates the extension).
   * @default the built-in engine, or WebSocketServer (from ws) with perMessageDeflate
   */
  wsEngine?: WsEngine;
  /**
   * A message sent to every client right after the open packet: a string, binary data, or
   * any other value sent as its string form; a falsy value sends nothing (as `engine.io`).
   * @default undefined
   */
  initialPacket?: unknown;
  /**
   * The session cookie set on the handshake: false, true (`{ name: "io", path: "/",
   * httpOnly: true, sameSite: "lax" }`), or cookie options (merged over those). Over TLS the
   * cookie is also `Secure`, unless `secure` is given.
   * @default false
   */
  cookie?: boolean | CookieOptions;
  /**
   * CORS, handled by the `cors` package with these options (its own defaults apply). `true`
   * is the `cors` package's defaults, which allow every origin (`Access-Control-Allow-Origin: *`),
   * as in `engine.io` (NestJS gateways pass it). Off when undefined or false. When its
   * `origin` restricts origins (a string other than `"*"`, a list, a RegExp, a function),
   * requests from other origins are refused, WebSocket upgrades included: see `checkOrigin`.
   * @default undefined
   */
  cors?: CorsOptions | CorsOptionsDelegate | boolean;
  /**
   * Whether the origins that `cors.origin` restricts are enforced: a polling request or a
   * WebSocket upgrade whose `Origin` the policy does not allow gets 403 (code 4), and so does
   * a request of a session whose `Origin` changed. Browsers apply CORS to polling only, never
   * to WebSocket: without this check any web page can open a WebSocket with its visitors'
   * cookies. `false` is `engine.io`'s behaviour (CORS headers only); safe only when the
   * application authenticates each connection without anything the browser sends by itself
   * (no cookies, no HTTP authentication, no client certificate, no IP allow-list). Not in `engine.io`.
   * @default true
   */
  checkOrigin?: boolean;
  /**
   * Whether Engine.IO v3 clients (Socket.IO 2) may connect.
   * @default false
   */
  allowEIO3?: boolean;
}

/** Options after defaults and validation. */
export interface ResolvedServerOptions {
  readonly pingTimeout: number;
  readonly pingInterval: number;
  readonly upgradeTimeout: number;
  readonly maxHttpBufferSize: number;
  readonly maxWriteBufferSize: number;
  readonly httpBodyTimeout: number;
  readonly wsCloseTimeout: number;
  readonly allowRequest: AllowRequest | undefined;
  readonly transports: readonly TransportName[];
  readonly allowUpgrades: boolean;
  readonly perMessageDeflate: false | PerMessageDeflateOptions;
  readonly httpCompression: false | Readonly<HttpCompressionOptions> & { readonly threshold: number };
  readonly wsEngine: WsEngine;
  readonly initialPacket: RawData | undefined;
  readonly cookie: false | Readonly<CookieOptions> & { readonly name: string };
  readonly cors: CorsOptions | CorsOptionsDelegate | false;
  readonly checkOrigin: boolean;
  readonly allowEIO3: boolean;
  readonly path: string;
  readonly addTrailingSlash: boolean;
  readonly destroyUpgrade: boolean;
  readonly destroyUpgradeTimeout: number;
}

/** The defaults, as in `engine.io` 6 (and Volley's own options: maxWriteBufferSize, httpBodyTimeout, wsCloseTimeout, checkOrigin). */
export const DEFAULT_SERVER_OPTIONS: ResolvedServerOptions = Object.freeze({
  pingTimeout: 20000,
  pingInterval: 25000,
  upgradeTimeout: 10000,
  maxHttpBufferSize: 1e6,
  maxWriteBufferSize: 4e6,
  httpBodyTimeout: 30000,
  wsCloseTimeout: 30000,
  allowRequest: undefined,
  transports: Object.freeze(["polling", "websocket"] as TransportName[]),
  allowUpgrades: true,
  perMessageDeflate: false,
  httpCompression: Object.freeze({ threshold: 1024 }),
  wsEngine: LeanWebSocketServer,
  initialPacket: undefined,
  cookie: false,
  cors: false,
  checkOrigin: true,
  allowEIO3: false,
  path: "/engine.io",
  addTrailingSlash: true,
  destroyUpgrade: true,
  destroyUpgradeTimeout: 1000,
});

const DEFAULT_COOKIE = Object.freeze({ name: "io", path: "/", httpOnly: true, sameSite: "lax" as const });
const DEFAULT_DEFLATE_THRESHOLD = 1024;
const MAX_TIMER = 2 ** 31 - 1;
const KNOWN_TRANSPORTS: readonly string[] = ["polling", "websocket"];

/** Applies the defaults to `options` and checks every type and range. */
export function resolveServerOptions(options: ServerOptions = {}): ResolvedServerOptions {
  if (typeof options !== "object" || options === null) throw new InvalidOptionError("options", "an object", options);
  const d = DEFAULT_SERVER_OPTIONS;
  const deflate = perMessageDeflate(options.perMessageDeflate ?? d.perMessageDeflate);
  return Object.freeze({
    pingTimeout: duration("pingTimeout", options.pingTimeout ?? d.pingTimeout, 1),
    pingInterval: duration("pingInterval", options.pingInterval ?? d.pingInterval, 1),
    upgradeTimeout: duration("upgradeTimeout", options.upgradeTimeout ?? d.upgradeTimeout, 1),
    maxHttpBufferSize: size("maxHttpBufferSize", options.maxHttpBufferSize ?? d.maxHttpBufferSize),
    maxWriteBufferSize: size("maxWriteBufferSize", options.maxWriteBufferSize ?? d.maxWriteBufferSize),
    httpBodyTimeout: duration("httpBodyTimeout", options.httpBodyTimeout ?? d.httpBodyTimeout, 1),
    wsCloseTimeout: duration("wsCloseTimeout", options.wsCloseTimeout ?? d.wsCloseTimeout, 1),
    allowRequest: optionalFunction("allowRequest", options.allowRequest),
    transports: transports(options.transports ?? d.transports),
    allowUpgrades: bool("allowUpgrades", options.allowUpgrades ?? d.allowUpgrades),
    perMessageDeflate: deflate,
    httpCompression: httpCompression(options.httpCompression ?? d.httpCompression),
    wsEngine: fn("wsEngine", options.wsEngine ?? (deflate === false ? d.wsEngine : (WebSocketServer as unknown as WsEngine))),
    initialPacket: initialPacket(options.initialPacket),
    cookie: cookie(options.cookie ?? d.cookie),
    cors: cors(options.cors ?? d.cors),
    checkOrigin: bool("checkOrigin", options.checkOrigin ?? d.checkOrigin),
    allowEIO3: bool("allowEIO3", options.allowEIO3 ?? d.allowEIO3),
    path: path(options.path ?? d.path),
    addTrailingSlash: bool("addTrailingSlash", options.addTrailingSlash ?? d.addTrailingSlash),
    destroyUpgrade: bool("destroyUpgrade", options.destroyUpgrade ?? d.destroyUpgrade),
    destroyUpgradeTimeout: duration("destroyUpgradeTimeout", options.destroyUpgradeTimeout ?? d.destroyUpgradeTimeout, 0),
  });
}

/** Attach options after defaults (those of `base`) and validation. */
export type ResolvedAttachOptions = Pick<
  ResolvedServerOptions,
  "path" | "addTrailingSlash" | "destroyUpgrade" | "destroyUpgradeTimeout"
>;

/** Resolves the options of `attach()`, falling back to the server's own. */
export function resolveAttachOptions(options: AttachOptions, base: ResolvedAttachOptions): ResolvedAttachOptions {
  return Object.freeze({
    path: path(options.path ?? base.path),
    addTrailingSlash: bool("addTrailingSlash", options.addTrailingSlash ?? base.addTrailingSlash),
    destroyUpgrade: bool("destroyUpgrade", options.destroyUpgrade ?? base.destroyUpgrade),
    destroyUpgradeTimeout: duration(
      "destroyUpgradeTimeout",
      options.destroyUpgradeTimeout ?? base.destroyUpgradeTimeout,
      0,
    ),
  });
}

function duration(name: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > MAX_TIMER) {
    throw new InvalidOptionError(name, `an integer number of milliseconds in [${min}, ${MAX_TIMER}]`, value);
  }
  return value;
}

function size(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidOptionError(name, "a positive integer number of bytes", value);
  }
  return value;
}

function bool(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new InvalidOptionError(name, "a boolean", value);
  return value;
}

function fn<T>(name: string, value: T): T {
  if (typeof value !== "function") throw new InvalidOptionError(name, "a function", value);
  return value;
}

function optionalFunction<T>(name: string, value: T | undefined): T | undefined {
  return value === undefined ? undefined : fn(name, value);
}

function transports(value: unknown): readonly TransportName[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((t) => KNOWN_TRANSPORTS.includes(t as string))) {
    throw new InvalidOptionError("transports", 'a non-empty array of "polling" and "websocket"', value);
  }
  return Object.freeze([...new Set(value as TransportName[])]);
}

function threshold(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new InvalidOptionError(name, "a non-negative integer", value);
  }
  return value;
}

function perMessageDeflate(value: unknown): false | PerMessageDeflateOptions {
  if (value === false) return false;
  if (value === true) return Object.freeze({ threshold: DEFAULT_DEFLATE_THRESHOLD });
  if (typeof value !== "object" || value === null) {
    throw new InvalidOptionError("perMessageDeflate", "a boolean or an options object", value);
  }
  const options = value as PerMessageDeflateOptions;
  return Object.freeze({
    ...options,
    threshold: threshold("perMessageDeflate.threshold", options.threshold, DEFAULT_DEFLATE_THRESHOLD),
  });
}

function httpCompression(value: unknown): ResolvedServerOptions["httpCompression"] {
  if (value === false) return false;
  if (value === true) return DEFAULT_SERVER_OPTIONS.httpCompression;
  if (typeof value !== "object" || value === null) {
    throw new InvalidOptionError("httpCompression", "a boolean or an options object", value);
  }
  const options = value as HttpCompressionOptions;
  return Object.freeze({ ...options, threshold: threshold("httpCompression.threshold", options.threshold, 1024) });
}

function cookie(value: unknown): ResolvedServerOptions["cookie"] {
  if (value === false) return false;
  if (value === true) return DEFAULT_COOKIE;
  if (typeof value !== "object" || value === null) {
    throw new InvalidOptionError("cookie", "a boolean or cookie options", value);
  }
  const merged = { ...DEFAULT_COOKIE, ...(value as CookieOptions) };
  if (typeof merged.name !== "string" || merged.name === "") {
    throw new InvalidOptionError("cookie.name", "a non-empty string", merged.name);
  }
  return Object.freeze(merged);
}

function initialPacket(value: unknown): RawData | undefined {
  const data = toMessageData(value);
  // engine.io sends it only when truthy: "" sends nothing either
  return data === "" ? undefined : data;
}

/** `cors: true`: the cors package's defaults (every origin). */
const CORS_DEFAULTS: CorsOptions = Object.freeze({});

function cors(value: unknown): CorsOptions | CorsOptionsDelegate | false {
  if (value === false) return false;
  if (value === true) return CORS_DEFAULTS;
  if ((typeof value !== "object" || value === null) && typeof value !== "function") {
    throw new InvalidOptionError("cors", "cors options, a cors options delegate or a boolean", value);
  }
  return value as CorsOptions | CorsOptionsDelegate;
}

function path(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/")) {
    throw new InvalidOptionError("path", 'a string starting with "/"', value);
  }
  return value;
}
