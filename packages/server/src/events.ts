// The events Volley emits itself (as opposed to the events of the application), and the
// reasons a socket gets with `disconnect`.
import type { IncomingHttpHeaders } from "node:http";
import { RESERVED_EVENTS } from "@volley/parser";

/**
 * Why a socket disconnected (the first argument of `disconnecting` and `disconnect`).
 *
 * - `transport error`: the connection failed (the description holds the error).
 * - `transport close`: the client closed the connection, or it was lost.
 * - `forced close`: the Engine.IO session was closed by the server (`conn.close()`).
 * - `ping timeout`: the client did not answer a ping within pingTimeout.
 * - `transport buffer full`: the client did not take what was sent to it; more than the
 *   engine's maxWriteBufferSize bytes waited for it, and its connection was closed.
 * - `parse error`: the client sent a packet that could not be decoded; its connection was closed.
 * - `server shutting down`: `io.close()`.
 * - `forced server close`: the server closed the connection (connectTimeout elapsed, `socket.disconnect(true)`).
 * - `client namespace disconnect`: the client left the namespace (`socket.disconnect()` on its side).
 * - `server namespace disconnect`: the server called `socket.disconnect()`.
 */
export type DisconnectReason =
  | "transport error"
  | "transport close"
  | "forced close"
  | "ping timeout"
  | "transport buffer full"
  | "parse error"
  | "server shutting down"
  | "forced server close"
  | "client namespace disconnect"
  | "server namespace disconnect";

/**
 * The reasons after which a session is kept for connection state recovery: the client did
 * not mean to leave and will try to reconnect.
 */
export const RECOVERABLE_DISCONNECT_REASONS: ReadonlySet<DisconnectReason> = new Set<DisconnectReason>([
  "transport error",
  "transport close",
  "forced close",
  "ping timeout",
  "transport buffer full",
  "server shutting down",
  "forced server close",
]);

/**
 * Event names an application may not emit to clients (they have a protocol meaning), nor
 * server-side (`connection`, `new_namespace` are the server's own). The parser's list: the
 * same names the decoder refuses from clients.
 */
export { RESERVED_EVENTS };

/** Names server-side events may not use, on top of {@link RESERVED_EVENTS}. */
export const RESERVED_SERVER_SIDE_EVENTS: ReadonlySet<string> = new Set([
  ...RESERVED_EVENTS,
  "connection",
  "new_namespace",
]);

/** The details of the connection a socket was created from. */
export interface Handshake {
  /** The headers of the first HTTP request of the connection. */
  headers: IncomingHttpHeaders;
  /** When the socket was created, as `Date.prototype.toString()`. */
  time: string;
  /** The client's IP address. */
  address: string;
  /** Whether the request was cross-origin (it had an Origin header). */
  xdomain: boolean;
  /** Whether the connection is over TLS. */
  secure: boolean;
  /** When the socket was created, in milliseconds since the epoch. */
  issued: number;
  /** The URL of the first request. */
  url: string;
  /** The query of the first request. */
  query: Record<string, string>;
  /** The auth payload the client sent with its CONNECT. */
  auth: Record<string, unknown>;
}

/** An error with `data`, passed by a middleware to `next(err)`: the client gets `{ message, data }`. */
export interface ExtendedError extends Error {
  data?: unknown;
}
