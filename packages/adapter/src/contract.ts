// The contract between the adapter and the server. The adapter never imports the server:
// it declares here the little it needs of a namespace and of a socket, and the server
// implements these interfaces. Keep them small; every member is used by the adapter.
import type { EncodedChunk, Packet } from "@volley/parser";
import type { SocketId } from "./types";

/**
 * One packet as the server's parser Encoder produced it (`encoder.encode(packet)`): the
 * text part first, then one chunk per binary attachment. The adapter encodes a broadcast
 * once and hands the same array to every socket; nobody may mutate it.
 */
export type EncodedPacket = readonly EncodedChunk[];

/** How a socket should write an already encoded packet. One frozen object per broadcast. */
export interface SocketWriteOptions {
  /** Drop the packet if the transport cannot send it right now. */
  readonly volatile: boolean;
  /** Whether the transport may compress it. */
  readonly compress: boolean;
}

/** Called with the arguments of a client's ACK. */
export type AckCallback = (...args: unknown[]) => void;

/** The answer of one node's listener to a server-side event. */
export type ServerSideAck = (response?: unknown) => void;

/**
 * What the adapter needs of a connected socket of the namespace. The adapter never
 * touches transports: it hands encoded packets to {@link AdapterSocket.writeEncoded}.
 */
export interface AdapterSocket {
  /** The socket id (also the name of its own room). */
  readonly id: SocketId;
  /** The handshake details, returned as is by `fetchSockets`. Plain data for multi-node adapters. */
  readonly handshake: unknown;
  /** `socket.data`, returned as is by `fetchSockets`. */
  readonly data: unknown;
  /**
   * Write an already encoded packet to the client (through the socket's Engine.IO
   * connection). `packet` is the packet the chunks encode, for `onAnyOutgoing` listeners:
   * never encode it again. Must not throw: a closed socket drops the packet.
   *
   * Named apart from the public `socket.write()` (an alias of `send` in Socket.IO) so a
   * server socket can implement both without telling them apart at runtime.
   */
  writeEncoded(encoded: EncodedPacket, options: SocketWriteOptions, packet: Readonly<Packet>): void;
  /**
   * Register `ack` for the client's ACK of packet id `id` (from `broadcastWithAck`). The
   * socket calls it with the ACK's arguments, at most once, and forgets it.
   */
  registerAck(id: number, ack: AckCallback): void;
  /**
   * Forget the ack of packet id `id` registered with {@link AdapterSocket.registerAck}, if
   * the client has not answered yet: a broadcast with a `timeout` flag is over once it
   * elapses, and a client that never answers must not keep its callback alive.
   */
  unregisterAck(id: number): void;
  /**
   * Disconnect the socket from the namespace; `close` also closes the underlying
   * connection. The server calls `adapter.delAll(id)` as part of it.
   */
  disconnect(close: boolean): void;
}

/** The connection state recovery settings of the server, when the feature is on. */
export interface ConnectionStateRecoverySettings {
  /** How long, in milliseconds, sessions and broadcast packets are kept. */
  readonly maxDisconnectionDuration: number;
}

/** What the adapter needs of the namespace it serves. */
export interface AdapterNamespace {
  /** The namespace name, such as `/` or `/admin`; written into every broadcast packet. */
  readonly name: string;
  /** The sockets connected to the namespace on this node, by id. */
  readonly sockets: ReadonlyMap<SocketId, AdapterSocket>;
  /** Encode a packet with the server's parser Encoder (`encoder.encode(packet)`). */
  encode(packet: Packet): EncodedPacket;
  /**
   * Allocate the next ack id of the namespace. Ack ids of broadcasts share the counter of
   * the namespace's own emits so that a socket never sees one id twice.
   */
  nextAckId(): number;
  /**
   * Deliver a server-side event sent by another node (`serverSideEmit`) to the local
   * listeners: `packet` is `[event, ...args]`. When `ack` is given, the listener receives
   * it as last argument and its first argument travels back to the sender. Must not throw.
   */
  receiveServerSideEmit(packet: readonly [string, ...unknown[]], ack?: ServerSideAck): void;
  /** Present when the server has connection state recovery on. */
  readonly connectionStateRecovery?: ConnectionStateRecoverySettings | undefined;
}

/** An adapter class (or a factory class from `createAdapter(...)`) the server instantiates per namespace. */
export type AdapterConstructor<A = unknown> = new (nsp: AdapterNamespace) => A;
