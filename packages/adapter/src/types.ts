/** The id of a socket, unique within a namespace. Every socket is also a room of that name. */
export type SocketId = string;

/** The name of a room: an arbitrary channel that sockets join and leave. */
export type Room = string;

/** The private id of a session, used by connection state recovery (never sent to others). */
export type PrivateSessionId = string;

/** The id of a broadcast packet in the recovery buffer; clients echo the last one they got. */
export type Offset = string;

/** The unique id of one adapter instance (one namespace on one node) in a cluster. */
export type NodeId = string;

/** Upstream's name for {@link NodeId}. */
export type ServerId = NodeId;

/** Modifiers of one broadcast. Never mutated by the adapter. */
export interface BroadcastFlags {
  /**
   * The packet may be dropped for sockets whose transport is not ready to send.
   * @default false
   */
  readonly volatile?: boolean;
  /**
   * The transport may compress the packet.
   * @default true
   */
  readonly compress?: boolean;
  /**
   * Only the sockets of this node: multi-node adapters publish nothing.
   * @default false
   */
  readonly local?: boolean;
  /**
   * How long, in milliseconds, a multi-node adapter waits for the other nodes (acks of
   * `broadcastWithAck`, responses of `fetchSockets`). Unset: the adapter's `requestsTimeout`.
   */
  readonly timeout?: number;
  /**
   * socket.io-adapter's flag, kept for adapters that read it: the packet was sent with
   * `socket.broadcast`. Volley's adapters do not act on it.
   */
  readonly broadcast?: boolean;
  /**
   * socket.io-adapter's flag, kept for adapters that read it: the packet holds binary
   * data. Volley's adapters do not act on it (the parser finds binary by itself).
   */
  readonly binary?: boolean;
}

/**
 * Who a broadcast (or a socket operation) targets. `rooms` empty means every socket of the
 * namespace; a socket in any of `rooms` matches once; a socket in any of `except` (or whose
 * id is in `except`) never matches. Treat it as immutable: build it with
 * {@link createBroadcastOptions}.
 */
export interface BroadcastOptions {
  readonly rooms: ReadonlySet<Room>;
  readonly except?: ReadonlySet<Room>;
  readonly flags?: Readonly<BroadcastFlags>;
}

/** What the server hands to `persistSession` when a socket disconnects unexpectedly. */
export interface SessionToPersist {
  /** The socket id, restored as is. */
  sid: SocketId;
  /** The private session id the client sends back to recover. */
  pid: PrivateSessionId;
  /** The rooms the socket was in. */
  rooms: Room[];
  /** `socket.data`; plain data if a multi-node adapter is to restore it on another node. */
  data: unknown;
}

/** A restored session: the persisted state plus the broadcast packets the client missed. */
export interface Session extends SessionToPersist {
  /** The `data` arrays (event name, arguments, offset) of the missed EVENT packets, in order. */
  missedPackets: unknown[][];
}

/**
 * A snapshot of one socket, local or on another node, as `fetchSockets` returns it. The
 * server wraps it in its `RemoteSocket`.
 */
export interface SocketDetails {
  id: SocketId;
  /** The socket's handshake, as the server's socket exposes it (plain data). */
  handshake: unknown;
  /** The rooms the socket is in (a copy). */
  rooms: Set<Room>;
  /** `socket.data`. */
  data: unknown;
}

/**
 * The events of every adapter (a typed `node:events` EventEmitter). Room events come from
 * every adapter; node and message events only from the multi-node base classes.
 */
export interface AdapterEvents {
  /** A room got its first socket. */
  "create-room": [room: Room];
  /** A room lost its last socket. */
  "delete-room": [room: Room];
  /** A socket joined a room (not emitted when it was already in it). */
  "join-room": [room: Room, id: SocketId];
  /** A socket left a room it was in. */
  "leave-room": [room: Room, id: SocketId];
  /** Multi-node adapters: a node was heard from for the first time (or again after being down). */
  "node-up": [uid: NodeId];
  /** Multi-node adapters: a node closed or was not heard from within `heartbeatTimeout`. */
  "node-down": [uid: NodeId];
  /** Multi-node adapters: a message from the bus was malformed and was dropped. */
  "invalid-message": [error: Error, message: unknown];
  /** Multi-node adapters: publishing a message failed; the local part of the operation ran. */
  "publish-error": [error: Error];
}
