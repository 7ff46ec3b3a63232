import type { SocketOptions as EngineOptions } from "@volley/engine-client";
import type { Parser, ParserOption } from "@volley/parser";
import { optionChecks, resolveOptions, type OptionCheck } from "@volley/shared";
import { InvalidOptionError } from "./errors";

/**
 * Options of a {@link Manager} (and of `io()`): the reconnection and connection settings,
 * plus every option of the Engine.IO client (`@volley/engine-client`), passed through.
 */
export interface ManagerOptions extends EngineOptions {
  /**
   * `io()` only: create a new Manager instead of reusing the cached one of this server.
   * @default false
   */
  forceNew?: boolean;
  /**
   * `io()` only: reuse (and cache) one Manager per server, so namespaces share a connection.
   * `false` is the same as `forceNew: true`.
   * @default true
   */
  multiplex?: boolean;
  /**
   * The path the server listens on.
   * @default "/socket.io"
   */
  path?: string;
  /**
   * Whether to reconnect by itself after the connection is lost.
   * @default true
   */
  reconnection?: boolean;
  /**
   * How many reconnection attempts before giving up (`reconnect_failed`). `0` gives up at once.
   * @default Infinity
   */
  reconnectionAttempts?: number;
  /**
   * The delay before the first reconnection attempt, in milliseconds; it doubles with each
   * attempt, up to `reconnectionDelayMax`.
   * @default 1000
   */
  reconnectionDelay?: number;
  /**
   * The longest delay between two reconnection attempts, in milliseconds.
   * @default 5000
   */
  reconnectionDelayMax?: number;
  /**
   * The jitter of the delay, from 0 to 1: each delay is moved up or down by a random part
   * of this fraction of it, so that clients do not all come back at the same moment.
   * @default 0.5
   */
  randomizationFactor?: number;
  /**
   * How long the connection may take to open, in milliseconds; `false` waits for ever.
   * @default 20000
   */
  timeout?: number | false;
  /**
   * Whether the Manager (and each socket it creates) connects at once. When `false`, call
   * `socket.connect()` or `manager.open()`.
   * @default true
   */
  autoConnect?: boolean;
  /**
   * The parser: an object with an `Encoder` and a `Decoder` class (see `@volley/parser`'s
   * contract), e.g. a MessagePack parser. Both ends must use the same one.
   * @default the parser of @volley/parser
   */
  parser?: ParserOption;
}

/** Options of a {@link Socket} (one namespace). */
export interface SocketOptions {
  /**
   * Credentials sent with each (re)connection to the namespace, read on the server as
   * `socket.handshake.auth`: an object, or a function that is called on every
   * (re)connection and hands the object to its callback.
   * @default undefined
   */
  auth?: AuthOption;
  /**
   * How many times an emit with acknowledgement is retried (at-least-once delivery, one
   * packet in flight at a time). `0` disables the retry queue.
   * @default 0
   */
  retries?: number;
  /**
   * The default acknowledgement timeout, in milliseconds, of every emit with an ack (the
   * ack then gets an error first). Unset: no timeout, unless `timeout(ms)` is used.
   * @default undefined
   */
  ackTimeout?: number;
}

/** The `auth` option: an object, or a function that hands one to its callback. */
export type AuthOption = Record<string, unknown> | ((callback: (data: object) => void) => void);

/** The Manager options that are not Engine.IO's, resolved: defaults applied, values checked. */
export interface ResolvedManagerOptions {
  readonly reconnection: boolean;
  readonly reconnectionAttempts: number;
  readonly reconnectionDelay: number;
  readonly reconnectionDelayMax: number;
  readonly randomizationFactor: number;
  readonly timeout: number | false;
  readonly autoConnect: boolean;
  readonly parser: ParserOption | undefined;
}

/** The resolved options of a {@link Socket}. */
export interface ResolvedSocketOptions {
  readonly auth: AuthOption | undefined;
  readonly retries: number;
  readonly ackTimeout: number | undefined;
}

/** The defaults of the Manager's own options. */
export const DEFAULT_MANAGER_OPTIONS = Object.freeze({
  path: "/socket.io",
  reconnection: true,
  reconnectionAttempts: Infinity,
  reconnectionDelay: 1000,
  reconnectionDelayMax: 5000,
  randomizationFactor: 0.5,
  timeout: 20_000 as number | false,
  autoConnect: true,
});

/** The defaults of a Socket's options. */
export const DEFAULT_SOCKET_OPTIONS = Object.freeze({
  retries: 0,
});

const { is, boolean, count } = optionChecks((name, expected, value) => new InvalidOptionError(name, expected, value));

/** Whether `value` is a number of milliseconds a timer can wait: from 0 to 2147483647 (setTimeout's limit). */
const isDelay = (value: unknown): boolean => Number.isFinite(value) && (value as number) >= 0 && (value as number) <= 2_147_483_647;
const DELAY = "a number of milliseconds from 0 to 2147483647";
const delay = is<number>(isDelay, DELAY);

/** How each of the Manager's own options is checked (by the constructor and the setters). */
export const MANAGER_OPTION_CHECKS: { readonly [K in keyof ResolvedManagerOptions]: OptionCheck<ResolvedManagerOptions[K]> } = {
  reconnection: boolean,
  reconnectionAttempts: count,
  reconnectionDelay: delay,
  reconnectionDelayMax: delay,
  randomizationFactor: is((value) => (value as number) >= 0 && (value as number) <= 1, "a number from 0 to 1"),
  timeout: is((value) => value === false || isDelay(value), DELAY),
  autoConnect: boolean,
  parser: is(
    (parser) => typeof (parser as Parser)?.Encoder === "function" && typeof (parser as Parser).Decoder === "function",
    "an object with Encoder and Decoder classes",
  ),
};

const SOCKET_OPTION_CHECKS: { readonly [K in keyof ResolvedSocketOptions]: OptionCheck<ResolvedSocketOptions[K]> } = {
  auth: is((auth) => typeof auth === "function" || (typeof auth === "object" && auth !== null), "an object or a function"),
  retries: count,
  ackTimeout: delay,
};

const checkObject = is<object>((value) => typeof value === "object" && value !== null, "an object");

/** Applies the defaults to the Manager's own options and checks them. @throws {InvalidOptionError} */
export function resolveManagerOptions(opts: ManagerOptions): ResolvedManagerOptions {
  return resolveOptions(checkObject("options", opts), MANAGER_OPTION_CHECKS, DEFAULT_MANAGER_OPTIONS);
}

/** Applies the defaults to a Socket's options and checks them. @throws {InvalidOptionError} */
export function resolveSocketOptions(opts: SocketOptions = {}): ResolvedSocketOptions {
  return resolveOptions(checkObject("options", opts), SOCKET_OPTION_CHECKS, DEFAULT_SOCKET_OPTIONS);
}
