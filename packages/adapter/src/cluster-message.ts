// The messages that nodes of a cluster exchange. Plain data only (strings, numbers,
// booleans, arrays, plain objects, and the Buffers of binary packets), so that any
// binary-safe serialiser (msgpack, structured clone) carries them. Optional fields are
// omitted rather than undefined, and the parser accepts null for them, because msgpack
// turns undefined into null.
import type { Packet, PacketType } from "@volley/parser";
import type { SerializedBroadcastFlags, SerializedBroadcastOptions } from "./broadcast-options";
import { InvalidClusterMessageError } from "./errors";
import { randomId } from "./offset";
import type { NodeId, Offset, PrivateSessionId, Room, Session, SocketId } from "./types";

/**
 * The type of a cluster message (numbers: compact on the wire). A TypeScript enum, as in
 * socket.io-adapter: each member is a value and a type (`MessageType.BROADCAST`), with the
 * same names and numbers. 14 and 15 are Volley's (session restore across nodes).
 */
export enum MessageType {
  INITIAL_HEARTBEAT = 1,
  HEARTBEAT = 2,
  BROADCAST = 3,
  SOCKETS_JOIN = 4,
  SOCKETS_LEAVE = 5,
  DISCONNECT_SOCKETS = 6,
  FETCH_SOCKETS = 7,
  FETCH_SOCKETS_RESPONSE = 8,
  SERVER_SIDE_EMIT = 9,
  SERVER_SIDE_EMIT_RESPONSE = 10,
  BROADCAST_CLIENT_COUNT = 11,
  BROADCAST_ACK = 12,
  ADAPTER_CLOSE = 13,
  RESTORE_SESSION = 14,
  RESTORE_SESSION_RESPONSE = 15,
}

/**
 * The node id that emitters outside the cluster publish with (socket.io's emitters use it).
 * Volley's emitters publish with an id of their own made by {@link createEmitterUid}.
 */
export const EMITTER_UID: NodeId = "emitter";

/** What starts the id of an emitter that has one of its own (node ids are hex: no clash). */
const EMITTER_UID_PREFIX = `${EMITTER_UID}-`;

/**
 * A fresh id for an emitter outside the cluster (`emitter-` and 16 hex digits): nodes take
 * messages published with it as they come and never count its sender as a node.
 */
export function createEmitterUid(): NodeId {
  return `${EMITTER_UID_PREFIX}${randomId()}`;
}

/**
 * Whether `uid` is an emitter's ({@link EMITTER_UID}, or one made by {@link createEmitterUid})
 * rather than a node's: an emitter publishes, never answers requests and sends no heartbeats.
 */
export function isEmitterUid(uid: NodeId): boolean {
  return uid === EMITTER_UID || uid.startsWith(EMITTER_UID_PREFIX);
}

/** A Socket.IO packet as plain data. */
export interface SerializedPacket {
  type: PacketType;
  nsp: string;
  data?: unknown;
  id?: number;
  attachments?: number;
}

/** A socket of `fetchSockets` as plain data. */
export interface SerializedSocketDetails {
  id: SocketId;
  handshake: unknown;
  rooms: Room[];
  data: unknown;
}

interface Envelope<T extends MessageType> {
  /** The node that sent the message. */
  uid: NodeId;
  /** The namespace the message is about. */
  nsp: string;
  type: T;
}

/** "I just started": every node answers with a HEARTBEAT (node up). */
export type InitialHeartbeatMessage = Envelope<MessageType.INITIAL_HEARTBEAT>;
/** "I am alive" (any message also counts). */
export type HeartbeatMessage = Envelope<MessageType.HEARTBEAT>;
/** "I am closing" (node down). */
export type AdapterCloseMessage = Envelope<MessageType.ADAPTER_CLOSE>;

/** Broadcast a packet; with `requestId`, the receivers answer with client counts and acks. */
export interface BroadcastMessage extends Envelope<MessageType.BROADCAST> {
  data: {
    packet: SerializedPacket;
    opts: SerializedBroadcastOptions;
    requestId?: string;
    /**
     * With connection state recovery: the offset every node appends to `packet.data` (the
     * packet travels without it). An offset the transport hands to `onMessage` wins.
     */
    offset?: Offset;
  };
}

/** Make the matching sockets join (SOCKETS_JOIN) or leave (SOCKETS_LEAVE) rooms. */
export interface SocketsJoinLeaveMessage
  extends Envelope<MessageType.SOCKETS_JOIN | MessageType.SOCKETS_LEAVE> {
  data: { opts: SerializedBroadcastOptions; rooms: Room[] };
}

/** Disconnect the matching sockets. */
export interface DisconnectSocketsMessage extends Envelope<MessageType.DISCONNECT_SOCKETS> {
  data: { opts: SerializedBroadcastOptions; close: boolean };
}

/** Request: the matching sockets of every node. */
export interface FetchSocketsMessage extends Envelope<MessageType.FETCH_SOCKETS> {
  data: { opts: SerializedBroadcastOptions; requestId: string };
}

/** Deliver a server-side event; with `requestId`, each node answers with its listener's response. */
export interface ServerSideEmitMessage extends Envelope<MessageType.SERVER_SIDE_EMIT> {
  data: { packet: [string, ...unknown[]]; requestId?: string };
}

/** Request: the session `pid` with the packets after `offset`, from the node that holds it. */
export interface RestoreSessionMessage extends Envelope<MessageType.RESTORE_SESSION> {
  data: { requestId: string; pid: PrivateSessionId; offset: Offset };
}

/** Response: how many sockets a node wrote a broadcast-with-ack to. */
export interface BroadcastClientCountMessage extends Envelope<MessageType.BROADCAST_CLIENT_COUNT> {
  data: { requestId: string; clientCount: number };
}

/** Response: one client's ACK of a broadcast-with-ack (its first argument, as socket.io-adapter sends it). */
export interface BroadcastAckMessage extends Envelope<MessageType.BROADCAST_ACK> {
  data: { requestId: string; packet: unknown };
}

/** Response: a node's matching sockets. */
export interface FetchSocketsResponseMessage extends Envelope<MessageType.FETCH_SOCKETS_RESPONSE> {
  data: { requestId: string; sockets: SerializedSocketDetails[] };
}

/** Response: a node's answer to a server-side event. */
export interface ServerSideEmitResponseMessage extends Envelope<MessageType.SERVER_SIDE_EMIT_RESPONSE> {
  data: { requestId: string; packet: unknown };
}

/** Response: the session, or null when this node does not hold it. */
export interface RestoreSessionResponseMessage extends Envelope<MessageType.RESTORE_SESSION_RESPONSE> {
  data: { requestId: string; session: Session | null };
}

/**
 * Messages published to every node with `doPublish` (socket.io-adapter's name; Volley adds
 * RESTORE_SESSION).
 */
export type ClusterMessage =
  | InitialHeartbeatMessage
  | HeartbeatMessage
  | AdapterCloseMessage
  | BroadcastMessage
  | SocketsJoinLeaveMessage
  | DisconnectSocketsMessage
  | FetchSocketsMessage
  | ServerSideEmitMessage
  | RestoreSessionMessage;

/** Messages sent back to the requesting node with `doPublishResponse`. */
export type ClusterResponse =
  | BroadcastClientCountMessage
  | BroadcastAckMessage
  | FetchSocketsResponseMessage
  | ServerSideEmitResponseMessage
  | RestoreSessionResponseMessage;

/** Volley's earlier name for {@link ClusterMessage}: the messages published to every node. */
export type ClusterRequest = ClusterMessage;

/** Any cluster message: one published to every node, or a response to one node. */
export type AnyClusterMessage = ClusterMessage | ClusterResponse;

/** `Omit` applied to each member of a union (so each keeps its own `data`). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A message before the adapter stamps its `uid` and `nsp`. */
export type UnstampedMessage<M extends AnyClusterMessage = ClusterMessage> = DistributiveOmit<M, "uid" | "nsp">;

const RESPONSE_TYPES: ReadonlySet<unknown> = new Set<MessageType>([
  MessageType.BROADCAST_CLIENT_COUNT,
  MessageType.BROADCAST_ACK,
  MessageType.FETCH_SOCKETS_RESPONSE,
  MessageType.SERVER_SIDE_EMIT_RESPONSE,
  MessageType.RESTORE_SESSION_RESPONSE,
]);

/** Whether a message answers a request. */
export function isResponse(message: AnyClusterMessage): message is ClusterResponse {
  return RESPONSE_TYPES.has(message.type);
}

/** Whether a raw (not yet validated) value claims to be a response. */
export function looksLikeResponse(value: unknown): boolean {
  return typeof value === "object" && value !== null && RESPONSE_TYPES.has((value as { type?: unknown }).type);
}

/** A packet as plain data (no undefined fields). */
export function serializePacket(packet: Packet): SerializedPacket {
  const plain: SerializedPacket = { type: packet.type, nsp: packet.nsp };
  if (packet.data !== undefined) plain.data = packet.data;
  if (packet.id !== undefined) plain.id = packet.id;
  if (packet.attachments !== undefined) plain.attachments = packet.attachments;
  return plain;
}

/**
 * Checks that `value` is a cluster message and returns it as one, with nulls of optional
 * fields removed. Throws {@link InvalidClusterMessageError} otherwise.
 */
export function parseClusterMessage(value: unknown): AnyClusterMessage {
  const message = record(value, "message");
  const uid = string(message["uid"], "uid");
  const nsp = string(message["nsp"], "nsp");
  const type = message["type"];
  const envelope = { uid, nsp };
  switch (type) {
    case MessageType.INITIAL_HEARTBEAT:
    case MessageType.HEARTBEAT:
    case MessageType.ADAPTER_CLOSE:
      return { ...envelope, type };
    case MessageType.BROADCAST: {
      const data = record(message["data"], "data");
      const requestId = optional(data["requestId"], string, "requestId");
      const offset = optional(data["offset"], string, "offset");
      return {
        ...envelope,
        type,
        data: {
          packet: packet(data["packet"]),
          opts: options(data["opts"]),
          ...(requestId === undefined ? {} : { requestId }),
          ...(offset === undefined ? {} : { offset }),
        },
      };
    }
    case MessageType.SOCKETS_JOIN:
    case MessageType.SOCKETS_LEAVE: {
      const data = record(message["data"], "data");
      return { ...envelope, type, data: { opts: options(data["opts"]), rooms: strings(data["rooms"], "rooms") } };
    }
    case MessageType.DISCONNECT_SOCKETS: {
      const data = record(message["data"], "data");
      return { ...envelope, type, data: { opts: options(data["opts"]), close: boolean(data["close"], "close") } };
    }
    case MessageType.FETCH_SOCKETS: {
      const data = record(message["data"], "data");
      return {
        ...envelope,
        type,
        data: { opts: options(data["opts"]), requestId: string(data["requestId"], "requestId") },
      };
    }
    case MessageType.SERVER_SIDE_EMIT: {
      const data = record(message["data"], "data");
      const requestId = optional(data["requestId"], string, "requestId");
      return {
        ...envelope,
        type,
        data: { packet: eventPacket(data["packet"]), ...(requestId === undefined ? {} : { requestId }) },
      };
    }
    case MessageType.RESTORE_SESSION: {
      const data = record(message["data"], "data");
      return {
        ...envelope,
        type,
        data: {
          requestId: string(data["requestId"], "requestId"),
          pid: string(data["pid"], "pid"),
          offset: string(data["offset"], "offset"),
        },
      };
    }
    case MessageType.BROADCAST_CLIENT_COUNT: {
      const data = record(message["data"], "data");
      return {
        ...envelope,
        type,
        data: { requestId: string(data["requestId"], "requestId"), clientCount: count(data["clientCount"], "clientCount") },
      };
    }
    case MessageType.BROADCAST_ACK: {
      const data = record(message["data"], "data");
      return {
        ...envelope,
        type,
        data: { requestId: string(data["requestId"], "requestId"), packet: data["packet"] },
      };
    }
    case MessageType.FETCH_SOCKETS_RESPONSE: {
      const data = record(message["data"], "data");
      return {
        ...envelope,
        type,
        data: {
          requestId: string(data["requestId"], "requestId"),
          sockets: array(data["sockets"], "sockets").map(socketDetails),
        },
      };
    }
    case MessageType.SERVER_SIDE_EMIT_RESPONSE: {
      const data = record(message["data"], "data");
      return {
        ...envelope,
        type,
        data: { requestId: string(data["requestId"], "requestId"), packet: data["packet"] },
      };
    }
    case MessageType.RESTORE_SESSION_RESPONSE: {
      const data = record(message["data"], "data");
      const session = data["session"];
      return {
        ...envelope,
        type,
        data: {
          requestId: string(data["requestId"], "requestId"),
          session: session === null || session === undefined ? null : restoredSession(session),
        },
      };
    }
    default:
      throw new InvalidClusterMessageError(`unknown type ${String(type)}`);
  }
}

type Fields = Record<string, unknown>;

function record(value: unknown, name: string): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidClusterMessageError(`${name} must be an object`);
  }
  return value as Fields;
}

function string(value: unknown, name: string): string {
  if (typeof value !== "string") throw new InvalidClusterMessageError(`${name} must be a string`);
  return value;
}

function boolean(value: unknown, name: string): boolean {
  if (typeof value !== "boolean") throw new InvalidClusterMessageError(`${name} must be a boolean`);
  return value;
}

function count(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidClusterMessageError(`${name} must be an integer >= 0`);
  }
  return value;
}

function array(value: unknown, name: string): unknown[] {
  if (!Array.isArray(value)) throw new InvalidClusterMessageError(`${name} must be an array`);
  return value;
}

function strings(value: unknown, name: string): string[] {
  const list = array(value, name);
  for (const item of list) string(item, `${name}[]`);
  return list as string[];
}

function optional<T>(value: unknown, check: (value: unknown, name: string) => T, name: string): T | undefined {
  return value === undefined || value === null ? undefined : check(value, name);
}

function packet(value: unknown): SerializedPacket {
  const fields = record(value, "packet");
  const type = fields["type"];
  if (typeof type !== "number" || !Number.isInteger(type) || type < 0 || type > 6) {
    throw new InvalidClusterMessageError("packet.type must be a Socket.IO packet type");
  }
  const plain: SerializedPacket = { type: type as PacketType, nsp: string(fields["nsp"], "packet.nsp") };
  if (fields["data"] !== undefined && fields["data"] !== null) plain.data = fields["data"];
  const id = optional(fields["id"], count, "packet.id");
  if (id !== undefined) plain.id = id;
  const attachments = optional(fields["attachments"], count, "packet.attachments");
  if (attachments !== undefined) plain.attachments = attachments;
  return plain;
}

function eventPacket(value: unknown): [string, ...unknown[]] {
  const list = array(value, "packet");
  string(list[0], "packet[0] (the event name)");
  return list as [string, ...unknown[]];
}

function options(value: unknown): SerializedBroadcastOptions {
  const fields = record(value, "opts");
  const flagFields = optional(fields["flags"], record, "opts.flags") ?? {};
  const flags: SerializedBroadcastFlags = {};
  for (const name of ["volatile", "compress", "local", "broadcast", "binary"] as const) {
    const flag = optional(flagFields[name], boolean, `opts.flags.${name}`);
    if (flag !== undefined) flags[name] = flag;
  }
  const timeout = optional(flagFields["timeout"], count, "opts.flags.timeout");
  if (timeout !== undefined) flags.timeout = timeout;
  return {
    rooms: strings(fields["rooms"], "opts.rooms"),
    except: optional(fields["except"], strings, "opts.except") ?? [],
    flags,
  };
}

function socketDetails(value: unknown): SerializedSocketDetails {
  const fields = record(value, "socket");
  return {
    id: string(fields["id"], "socket.id"),
    handshake: fields["handshake"],
    rooms: strings(fields["rooms"], "socket.rooms"),
    data: fields["data"],
  };
}

function restoredSession(value: unknown): Session {
  const fields = record(value, "session");
  const missed = array(fields["missedPackets"], "session.missedPackets");
  for (const item of missed) array(item, "session.missedPackets[]");
  return {
    sid: string(fields["sid"], "session.sid"),
    pid: string(fields["pid"], "session.pid"),
    rooms: strings(fields["rooms"], "session.rooms"),
    data: fields["data"],
    missedPackets: missed as unknown[][],
  };
}
