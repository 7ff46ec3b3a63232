import type { CloseDetails } from "@volley/engine-client";
import type { Packet } from "@volley/parser";

/**
 * Why a socket disconnected (the first argument of its `disconnect` event).
 *
 * - `"io server disconnect"`: the server disconnected the socket (`socket.disconnect()` on
 *   the server). No automatic reconnection: call `socket.connect()`.
 * - `"io client disconnect"`: `socket.disconnect()` was called. No automatic reconnection.
 * - `"ping timeout"`: the server stopped pinging within `pingInterval + pingTimeout`.
 * - `"transport close"`: the connection was closed (the network, or the server went away).
 * - `"transport error"`: the connection failed (an HTTP or WebSocket error).
 * - `"parse error"`: the server sent a packet the parser refused.
 * - `"forced close"`: the Engine.IO connection was closed directly (`socket.io.engine.close()`).
 *
 * All but the first two reconnect by themselves when `reconnection` is on.
 */
export type DisconnectReason =
  | "io server disconnect"
  | "io client disconnect"
  | "ping timeout"
  | "transport close"
  | "transport error"
  | "parse error"
  | "forced close";

/** Why the connection closed, in more detail: the transport error, or what the transport knows. */
export type DisconnectDescription = Error | CloseDetails;

/** A `connect_error` error: the server's `data` is set when a middleware refused the connection. */
export interface ExtendedError extends Error {
  data?: unknown;
}

/** The events a {@link Socket} emits itself (the others come from the server). */
export interface SocketReservedEvents {
  /** The namespace connection is established (also after each reconnection). */
  connect: () => void;
  /**
   * The namespace connection failed: the server refused it (`ConnectRefusedError`, with the
   * server's `message` and `data`; no automatic retry) or the low-level connection failed
   * (retried when `reconnection` is on).
   */
  connect_error: (err: ExtendedError) => void;
  /** The socket disconnected. */
  disconnect: (reason: DisconnectReason, description?: DisconnectDescription) => void;
}

/** The events of a {@link Manager}. */
export interface ManagerEvents {
  /** The Engine.IO connection opened. */
  open: () => void;
  /** The Engine.IO connection failed to open, or failed while open. */
  error: (err: Error) => void;
  /** The server pinged. */
  ping: () => void;
  /** A Socket.IO packet arrived (any namespace). */
  packet: (packet: Packet) => void;
  /** The Engine.IO connection closed. */
  close: (reason: string, description?: DisconnectDescription) => void;
  /** Every reconnection attempt failed (`reconnectionAttempts` reached). */
  reconnect_failed: () => void;
  /** A reconnection attempt starts (`attempt` counts from 1). */
  reconnect_attempt: (attempt: number) => void;
  /** A reconnection attempt failed. */
  reconnect_error: (err: Error) => void;
  /** A reconnection attempt succeeded, after `attempt` attempts. */
  reconnect: (attempt: number) => void;
}
