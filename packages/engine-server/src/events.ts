import type { IncomingMessage, OutgoingHttpHeaders } from "node:http";
import type { Packet, RawData } from "@volley/engine-parser";
import type { ConnectionError, TransportError } from "./errors";
import type { Socket } from "./socket";
import type { Transport } from "./transport";

/**
 * Why a session closed. `"transport buffer full"` is Volley's own (not in `engine.io`): the
 * client did not take what was sent to it, and more than maxWriteBufferSize bytes waited.
 */
export type CloseReason =
  | "ping timeout"
  | "transport close"
  | "transport error"
  | "forced close"
  | "server shutting down"
  | "parse error"
  | "transport buffer full";

/** Headers of a response, as the `headers` events hand them to listeners (mutable). */
export type ResponseHeaders = OutgoingHttpHeaders;

/** Events of {@link Server}: event name -> listener arguments. */
export interface ServerEventMap {
  /** A new session was opened. */
  connection: [socket: Socket];
  /** A request was refused with an Engine.IO error code. */
  connection_error: [err: ConnectionError];
  /** Headers of the handshake response; add or change entries. */
  initial_headers: [headers: ResponseHeaders, req: IncomingMessage];
  /** Headers of every response (handshake included); add or change entries. */
  headers: [headers: ResponseHeaders, req: IncomingMessage];
  /** Packets of one session are about to be written. */
  flush: [socket: Socket, packets: Packet[]];
  /** Packets of one session were handed to its transport. */
  drain: [socket: Socket];
}

/** Events of {@link Socket}: event name -> listener arguments. */
export interface SocketEventMap {
  /** The session is open (emitted once, during the handshake). */
  open: [];
  /** Any packet received from the client. */
  packet: [packet: Packet];
  /** A packet about to be queued for the client. */
  packetCreate: [packet: Packet];
  /** A message from the client (string or Buffer). */
  message: [data: RawData];
  /** Alias of `message`. */
  data: [data: RawData];
  /** A pong (v4) or ping (v3) was received. */
  heartbeat: [];
  /** Queued packets were handed to the transport. */
  drain: [];
  /** Queued packets are about to be written. */
  flush: [packets: Packet[]];
  /** The client probed a WebSocket for an upgrade. */
  upgrading: [transport: Transport];
  /** The session moved to the new transport. */
  upgrade: [transport: Transport];
  /** The session closed; `description` holds the error when there was one. */
  close: [reason: CloseReason, description?: TransportError | Error];
}
