import type { Packet, RawData } from "@volley/engine-parser";
import type { Transport } from "./transport";

/** The states of a {@link Socket}; `readyState` only moves forward through them. */
export type SocketState = "opening" | "open" | "closing" | "closed";

/**
 * Why a socket closed (the first argument of the `close` event).
 *
 * - `"transport close"`: the connection was closed (by the server, or the network).
 * - `"transport error"`: the transport failed (an HTTP error, a WebSocket error).
 * - `"ping timeout"`: no ping arrived within `pingInterval + pingTimeout`.
 * - `"forced close"`: `socket.close()` was called.
 * - `"parse error"`: the server sent something that is not a valid Engine.IO packet.
 */
export type CloseReason = "transport close" | "transport error" | "ping timeout" | "forced close" | "parse error";

/** What a transport knows about why it closed (the second argument of `close`). */
export interface CloseDetails {
  /** A human-readable cause, e.g. "transport closed by the server". */
  description: string;
  /** The low-level event, when there is one (a WebSocket `CloseEvent`). */
  context?: unknown;
}

/** The JSON payload of the server's `open` packet. */
export interface HandshakeData {
  /** The session id. */
  sid: string;
  /** The transports this session may upgrade to, e.g. `["websocket"]`. */
  upgrades: string[];
  /** How often the server pings, in milliseconds. */
  pingInterval: number;
  /** How long the server waits for a pong, in milliseconds. */
  pingTimeout: number;
  /** The largest HTTP long-polling body the server accepts, in bytes. */
  maxPayload: number;
}

/** Per-message options of {@link Socket.send}. */
export interface WriteOptions {
  /**
   * Whether the message may be compressed (WebSocket per-message deflate).
   * @default true
   */
  compress?: boolean;
}

/** The events of a {@link Socket}, with their listener signatures. */
export interface SocketEvents {
  /** The handshake completed; the socket can send. */
  open: () => void;
  /** The server's handshake data arrived (just before `open`). */
  handshake: (data: HandshakeData) => void;
  /** Any packet arrived from the server. */
  packet: (packet: Packet) => void;
  /** A packet is about to be queued for sending. */
  packetCreate: (packet: Packet) => void;
  /** A message arrived (same as `message`; kept for engine.io-client compatibility). */
  data: (data: RawData) => void;
  /** A message arrived: a string, or binary (Buffer in Node.js, ArrayBuffer in browsers). */
  message: (data: RawData) => void;
  /** The write buffer was fully handed to the network. */
  drain: () => void;
  /** A batch of buffered packets was handed to the transport. */
  flush: () => void;
  /** Any packet arrived, which proves the connection is alive. */
  heartbeat: () => void;
  /** The server pinged (the socket answers with a pong by itself). */
  ping: () => void;
  /** Emitted right after `ping` (kept for engine.io-client compatibility). */
  pong: () => void;
  /** Something failed; a `close` event follows unless another transport is tried. */
  error: (err: Error) => void;
  /** The probe of a better transport succeeded; the switch is starting. */
  upgrading: (transport: Transport) => void;
  /** The socket now uses `transport`. */
  upgrade: (transport: Transport) => void;
  /** The probe of a better transport failed; the socket keeps its current transport. */
  upgradeError: (err: Error) => void;
  /** The socket closed. Emitted exactly once. */
  close: (reason: CloseReason, details?: CloseDetails | Error) => void;
}

/** The events of a {@link Transport}. */
export interface TransportEvents {
  open: () => void;
  close: (details?: CloseDetails) => void;
  error: (err: Error) => void;
  packet: (packet: Packet) => void;
  drain: () => void;
  /** A long-polling GET request was sent. */
  poll: () => void;
  /** A long-polling GET request completed. */
  pollComplete: () => void;
}

/** engine.io-client's name of {@link SocketEvents}. */
export type SocketReservedEvents = SocketEvents;

/** engine.io-client's name of {@link TransportEvents}. */
export type TransportReservedEvents = TransportEvents;
