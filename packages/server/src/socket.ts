// One client connected to one namespace: events in both directions, acknowledgements,
// rooms, per-packet middlewares, and the disconnection sequence.
import type { IncomingMessage } from "node:http";
import {
  createBroadcastOptions,
  type Adapter,
  type AdapterSocket,
  type EncodedPacket,
  type Room,
  type Session,
  type SocketId,
  type SocketWriteOptions,
} from "@volley/adapter";
import { randomId, type Socket as EngineSocket } from "@volley/engine-server";
import { PacketType, type Packet } from "@volley/parser";
import createDebug from "debug";
import { assertEmittable, BroadcastOperator, settle, toArray, type RoomArgument } from "./broadcast-operator";
import { SocketDisconnectedError } from "./errors";
import {
  RECOVERABLE_DISCONNECT_REASONS,
  type DisconnectReason,
  type ExtendedError,
  type Handshake,
} from "./events";
import { AckRegistry, AckRegistryMap, type AcknowledgementMap } from "./internal/acks";
import type { Connection, ConnectionSocket, WriteFlags } from "./internal/contracts";
import { disconnectChannel } from "./internal/diagnostics";
import { runListener } from "./internal/listeners";
import {
  kAbort,
  kCloseConnection,
  kConnected,
  kEmitWithAckWithFlags,
  kEmitWithFlags,
  kOnClose,
  kOnError,
  kOnPacket,
  kPendingAcks,
  kRemoveSocket,
  kSocketConnected,
  kSocketRemoved,
  kWriteChunks,
} from "./internal/symbols";
import type { Client } from "./client";
import type { Namespace } from "./namespace";
import { SocketEmitter, type EmitFlags } from "./socket-emitter";
import { TypedListeners } from "./typed-emitter";
import type {
  AckResult,
  AllButLast,
  CallbackParams,
  DefaultEventsMap,
  EventNames,
  EventNamesWithAck,
  EventParams,
  EventsMap,
} from "./typed-events";

const debug = createDebug("volley:server:socket");

/** The events a socket emits itself. */
export interface SocketReservedEvents {
  /** The socket is about to leave its rooms (they are still readable). */
  disconnecting: (reason: DisconnectReason, description?: unknown) => void;
  /** The socket disconnected. */
  disconnect: (reason: DisconnectReason, description?: unknown) => void;
  /** A per-packet middleware refused a packet (`next(err)`). */
  error: (err: Error) => void;
}

/**
 * A listener of every incoming (onAny) or outgoing (onAnyOutgoing) event. Typed `string`
 * as in socket.io, but an incoming event a client emitted with a numeric name (`emit(1)`)
 * arrives with that number, as socket.io hands it over.
 */
export type AnyListener = (event: string, ...args: unknown[]) => void;

/**
 * An incoming event as per-packet middlewares see it: `[name, ...args]` (an ack callback
 * last, if any). As in socket.io, the name is typed `string` but is a number when the
 * client emitted a numeric name.
 */
export type Event = [string, ...unknown[]];

/** A per-packet middleware: `packet` is `[event, ...args]` and may be changed in place. */
export type PacketMiddleware = (packet: Event, next: (err?: Error) => void) => void;

const DEFAULT_FLAGS: EmitFlags = Object.freeze({ volatile: false, compress: true });
const COMPRESSED_WRITE: WriteFlags = Object.freeze({ volatile: false, compress: true });

/**
 * A client connected to a namespace. Receives the client's events (`socket.on(event)`),
 * sends events (`socket.emit(event)`), joins rooms, and broadcasts to others.
 */
export class Socket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = unknown,
> extends TypedListeners<SocketReservedEvents, ListenEvents> implements AdapterSocket, ConnectionSocket {
  /** The socket id: unique in the namespace, also the name of its own room. */
  readonly id: SocketId;
  /** The details of the connection at the time the socket was created. */
  readonly handshake: Handshake;
  /** Whether the socket was restored by connection state recovery. */
  readonly recovered: boolean;
  readonly #nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  readonly #connection: Connection;
  readonly #pid: string | undefined;
  // What most sockets never use is created on first use: an idle connection should cost
  // as little heap as possible (see bench/REPORT.md, memory per idle connection).
  #data: Partial<SocketData> | undefined;
  #acks: AckRegistry | undefined;
  #middlewares: PacketMiddleware[] | undefined;
  #state: "connecting" | "connected" | "disconnected" = "connecting";
  #anyListeners: AnyListener[] | undefined;
  #anyOutgoingListeners: AnyListener[] | undefined;
  /** Writes that reached a recovered socket before its CONNECT was sent. */
  #heldWrites: Array<[EncodedPacket, WriteFlags, Readonly<Packet>]> | undefined;
  /** The restored session until its rooms are joined and its missed packets replayed. */
  #session: Session | null;

  /** @internal sockets are created by their namespace */
  constructor(
    nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    connection: Connection,
    auth: unknown,
    session: Session | null,
  ) {
    super();
    this.#nsp = nsp;
    this.#connection = connection;
    this.#session = session;
    if (session !== null) {
      this.id = session.sid;
      this.#pid = session.pid;
      this.#data = session.data as Partial<SocketData>;
      this.recovered = true;
      this.#heldWrites = [];
    } else if (connection.conn.protocol === 3) {
      // the id a socket.io-client 2.x computes on its side; no connection state recovery
      this.id = nsp.name === "/" ? connection.conn.id : `${nsp.name}#${connection.conn.id}`;
      this.#pid = undefined;
      this.recovered = false;
    } else {
      this.id = randomId();
      this.#pid = nsp.connectionStateRecovery === undefined ? undefined : randomId();
      this.recovered = false;
    }
    this.handshake = buildHandshake(connection.conn, auth);
  }

  /** Arbitrary data, shared with `fetchSockets()` (also from other nodes). */
  get data(): Partial<SocketData> {
    return (this.#data ??= {});
  }

  set data(value: Partial<SocketData>) {
    this.#data = value;
  }

  /** The namespace of the socket. */
  get nsp(): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    return this.#nsp;
  }

  /** The name of the socket's namespace. */
  get namespaceName(): string {
    return this.#nsp.name;
  }

  /** The Engine.IO session the socket lives on (shared by the sockets of every namespace of that client). */
  get conn(): EngineSocket {
    return this.#connection.conn;
  }

  /** The connection this socket lives on (one per client, shared by its namespaces). */
  get client(): Client {
    // every Connection given to a socket is a Client; the interface keeps the socket decoupled
    return this.#connection as Client;
  }

  /** The first HTTP request of the connection. */
  get request(): IncomingMessage {
    return this.#connection.conn.request;
  }

  /** The namespace's adapter. */
  get adapter(): Adapter {
    return this.#nsp.adapter;
  }

  /** Whether the socket is connected to its namespace. */
  get connected(): boolean {
    return this.#state === "connected";
  }

  /** Whether the socket is not (or no longer) connected. */
  get disconnected(): boolean {
    return this.#state !== "connected";
  }

  /** The rooms the socket is in (a copy: changing it changes nothing). */
  get rooms(): Set<Room> {
    return new Set(this.#nsp.adapter.socketRooms(this.id) ?? []);
  }

  /**
   * Sends an event to the client. With a callback as last argument, the callback gets
   * the client's acknowledgement.
   * @throws ReservedEventError for a reserved event name
   * @example socket.emit("hello", "world", (answer) => {})
   */
  emit<Ev extends EventNames<EmitEvents>>(event: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    return this[kEmitWithFlags](DEFAULT_FLAGS, event, args);
  }

  /**
   * Sends an event and resolves with the client's acknowledgement (its first argument).
   * Use `socket.timeout(ms).emitWithAck()` to bound the wait.
   */
  emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
    event: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<AckResult<EmitEvents, Ev>> {
    return this[kEmitWithAckWithFlags](DEFAULT_FLAGS, event, args) as Promise<AckResult<EmitEvents, Ev>>;
  }

  /** Sends a `message` event. */
  send(...args: CallbackParams<EmitEvents extends { message: infer F } ? F : DefaultEventsMap["message"]>): this {
    this[kEmitWithFlags](DEFAULT_FLAGS, "message", args);
    return this;
  }

  /**
   * An emitter whose acknowledgements must arrive within `timeoutMs`: the callback gets an
   * error first (AckTimeoutError, or null).
   * @example socket.timeout(1000).emit("hello", (err, answer) => {})
   */
  timeout(timeoutMs: number): SocketEmitter<EmitEvents, true> {
    return new SocketEmitter<EmitEvents, false>(this, DEFAULT_FLAGS).timeout(timeoutMs);
  }

  /** An emitter whose packets may be dropped if the client is not ready to receive them. */
  get volatile(): SocketEmitter<EmitEvents, false> {
    return new SocketEmitter<EmitEvents, false>(this, { ...DEFAULT_FLAGS, volatile: true });
  }

  /** An emitter whose packets the transport may compress or not. */
  compress(compress: boolean): SocketEmitter<EmitEvents, false> {
    return new SocketEmitter<EmitEvents, false>(this, { ...DEFAULT_FLAGS, compress });
  }

  /** Broadcasts to every socket of the namespace but this one. */
  get broadcast(): BroadcastOperator<EmitEvents, SocketData> {
    return this.#operator();
  }

  /** Broadcasts to the sockets of this node only, but this one. */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this.#operator().local;
  }

  /** Broadcasts to a room (or several), leaving out this socket. */
  to(room: RoomArgument): BroadcastOperator<EmitEvents, SocketData> {
    return this.#operator().to(room);
  }

  /** Alias of {@link to}. */
  in(room: RoomArgument): BroadcastOperator<EmitEvents, SocketData> {
    return this.to(room);
  }

  /** Broadcasts to every socket but this one and those of `room`. */
  except(room: RoomArgument): BroadcastOperator<EmitEvents, SocketData> {
    return this.#operator().except(room);
  }

  /**
   * Joins a room (or several); works from a connection middleware too, and does nothing
   * once the socket disconnected. Returns the adapter's promise for multi-node adapters.
   */
  join(room: RoomArgument): void | Promise<void> {
    const rooms = new Set(toArray(room));
    // a disconnected socket left every room for good: joining would leak its id into them
    if (this.#state === "disconnected") return;
    return this.#nsp.adapter.addAll(this.id, rooms);
  }

  /** Leaves a room. Returns the adapter's promise for multi-node adapters. */
  leave(room: Room): void | Promise<void> {
    return this.#nsp.adapter.del(this.id, room);
  }

  /**
   * Leaves every room, its own (named after its id) included, as socket.io's `leaveAll`:
   * broadcasts to rooms, and to its id, no longer reach it. It stays connected.
   */
  leaveAll(): void {
    this.#nsp.adapter.delAll(this.id);
  }

  /**
   * Adds a middleware run for every incoming event before the listeners; `next(err)`
   * drops the packet and emits `error` on the socket.
   */
  use(middleware: PacketMiddleware): this {
    (this.#middlewares ??= []).push(middleware);
    return this;
  }

  /** Listens to every incoming event: `listener(event, ...args)`. */
  onAny(listener: AnyListener): this {
    (this.#anyListeners ??= []).push(listener);
    return this;
  }

  /** Same as {@link onAny}, before the other catch-all listeners. */
  prependAny(listener: AnyListener): this {
    (this.#anyListeners ??= []).unshift(listener);
    return this;
  }

  /** Removes a catch-all listener, or all of them. */
  offAny(listener?: AnyListener): this {
    this.#anyListeners = removeListener(this.#anyListeners, listener);
    return this;
  }

  /** The catch-all listeners of incoming events. */
  listenersAny(): AnyListener[] {
    return this.#anyListeners?.slice() ?? [];
  }

  /** Listens to every outgoing event (emits and broadcasts reaching this socket). */
  onAnyOutgoing(listener: AnyListener): this {
    (this.#anyOutgoingListeners ??= []).push(listener);
    return this;
  }

  /** Same as {@link onAnyOutgoing}, before the other outgoing listeners. */
  prependAnyOutgoing(listener: AnyListener): this {
    (this.#anyOutgoingListeners ??= []).unshift(listener);
    return this;
  }

  /** Removes an outgoing catch-all listener, or all of them. */
  offAnyOutgoing(listener?: AnyListener): this {
    this.#anyOutgoingListeners = removeListener(this.#anyOutgoingListeners, listener);
    return this;
  }

  /** The catch-all listeners of outgoing events. */
  listenersAnyOutgoing(): AnyListener[] {
    return this.#anyOutgoingListeners?.slice() ?? [];
  }

  /**
   * Disconnects the socket from its namespace ("server namespace disconnect"). With
   * `close`, the whole connection closes, with every namespace of that client.
   */
  disconnect(close = false): this {
    if (this.#state !== "connected") return this;
    if (close) {
      this.#connection[kCloseConnection]();
      return this;
    }
    this.#writePacket({ type: PacketType.DISCONNECT, nsp: this.#nsp.name }, COMPRESSED_WRITE);
    this[kOnClose]("server namespace disconnect");
    return this;
  }

  /** Alias of {@link send}. */
  write(...args: CallbackParams<EmitEvents extends { message: infer F } ? F : DefaultEventsMap["message"]>): this {
    return this.send(...args);
  }

  /** @internal AdapterSocket: writes a packet the adapter encoded (a broadcast). */
  writeEncoded(encoded: EncodedPacket, options: SocketWriteOptions, packet: Readonly<Packet>): void {
    this.#writeEncoded(encoded, options, packet);
  }

  /** @internal AdapterSocket: waits for the client's ACK of a broadcast. */
  registerAck(id: number, ack: (...args: unknown[]) => void): void {
    this.#ackRegistry().register(id, ack, undefined, false);
  }

  /**
   * @internal AdapterSocket: forgets the ack of a broadcast whose timeout elapsed, so that a
   * client that never answers keeps no callback alive.
   */
  unregisterAck(id: number): void {
    this.#acks?.delete(id);
  }

  /**
   * The acknowledgements awaited from the client, by ack id, as socket.io's `socket.acks`
   * (adapters written for socket.io-adapter register a broadcast's ack through it).
   */
  get acks(): AcknowledgementMap {
    return new AckRegistryMap(this.#ackRegistry());
  }

  /**
   * Calls the `onAnyOutgoing` listeners for an EVENT packet written by someone else, as
   * socket.io's `notifyOutgoingListeners`: adapters written for socket.io-adapter call it
   * before `socket.client.writeToEngine()`.
   */
  notifyOutgoingListeners(packet: Readonly<Packet>): void {
    if (packet.type === PacketType.EVENT) this.#notifyOutgoing(packet);
  }

  /** @internal the number of acknowledgements awaited from the client (tests, diagnostics) */
  get [kPendingAcks](): number {
    return this.#acks?.size ?? 0;
  }

  /** @internal the emit of every flavour (plain, timeout, volatile, compress) */
  [kEmitWithFlags](flags: EmitFlags, event: string, args: readonly unknown[]): boolean {
    assertEmittable(event);
    const data: unknown[] = [event, ...args];
    const packet: Packet = { type: PacketType.EVENT, nsp: this.#nsp.name, data };
    const last = data[data.length - 1];
    if (typeof last === "function") {
      data.pop();
      packet.id = this.#nsp.nextAckId();
      this.#ackRegistry().register(packet.id, last as (...a: unknown[]) => void, flags.timeout);
      this.#sendPacket(packet, flags);
      return true;
    }
    if (this.#nsp.connectionStateRecovery !== undefined && !flags.volatile) {
      // through the adapter, which gives the packet an offset and keeps it for recovery
      settle(
        this.#nsp.adapter.broadcast(
          packet,
          createBroadcastOptions({ rooms: [this.id], flags: { compress: flags.compress, volatile: false } }),
        ),
      );
      return true;
    }
    this.#sendPacket(packet, flags);
    return true;
  }

  /** @internal */
  [kEmitWithAckWithFlags](flags: EmitFlags, event: string, args: readonly unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.#state !== "connected") {
        reject(new SocketDisconnectedError(this.id));
        return;
      }
      const ack = (err: Error | null, answer?: unknown): void => {
        if (err !== null) reject(err);
        else resolve(answer);
      };
      // error-first even without a timeout, so that a disconnection rejects the promise
      assertEmittable(event);
      const id = this.#nsp.nextAckId();
      this.#ackRegistry().register(id, ack as (...a: unknown[]) => void, flags.timeout, true);
      this.#sendPacket({ type: PacketType.EVENT, nsp: this.#nsp.name, id, data: [event, ...args] }, flags);
    });
  }

  /** @internal the namespace accepted the socket: join, replay what a recovered socket missed, CONNECT */
  [kConnected](): void {
    this.#state = "connected";
    const session = this.#session;
    this.#session = null;
    // (a restored session's rooms were joined by the namespace when it restored it)
    settle(this.#nsp.adapter.addAll(this.id, new Set([this.id])));
    // protocol v4 (Engine.IO v3 clients): a CONNECT without payload
    const data =
      this.#connection.conn.protocol === 3 ? undefined : this.#pid === undefined ? { sid: this.id } : { sid: this.id, pid: this.#pid };
    if (session !== null) {
      // before the CONNECT, as socket.io writes them: clients hold events until the CONNECT,
      // so a recovered client's listeners get what it missed before its `connect` listeners run
      for (const missed of session.missedPackets) {
        this.#sendPacket({ type: PacketType.EVENT, nsp: this.#nsp.name, data: missed }, DEFAULT_FLAGS);
      }
      const held = this.#heldWrites ?? [];
      this.#heldWrites = undefined;
      for (const [encoded, flags, packet] of held) this.#writeEncoded(encoded, flags, packet);
    }
    this.#writePacket({ type: PacketType.CONNECT, nsp: this.#nsp.name, data }, COMPRESSED_WRITE);
    this.#connection[kSocketConnected](this);
  }

  /** @internal the namespace refused the socket (middleware error, connection gone) */
  [kAbort](): void {
    this.#state = "disconnected";
    this.#session = null;
    this.#heldWrites = undefined;
    this.#nsp.adapter.delAll(this.id);
    this.#nsp[kRemoveSocket](this);
  }

  /** @internal a packet of the client for this namespace */
  [kOnPacket](packet: Packet): void {
    if (this.#state !== "connected") return;
    switch (packet.type) {
      case PacketType.EVENT:
      case PacketType.BINARY_EVENT:
        this.#onEvent(packet);
        break;
      case PacketType.ACK:
      case PacketType.BINARY_ACK:
        if (packet.id === undefined || this.#acks === undefined || !this.#acks.resolve(packet.id, asArray(packet.data))) {
          debug("socket %s: ACK for unknown id %s ignored", this.id, packet.id);
        }
        break;
      case PacketType.DISCONNECT:
        this[kOnClose]("client namespace disconnect");
        break;
      default:
        debug("socket %s: unexpected packet type %d ignored", this.id, packet.type);
    }
  }

  /** @internal the connection could not decode a packet (it closes next) */
  [kOnError](error: unknown): void {
    if (this.#state !== "connected") return;
    runListener(() => this.emitReserved("error", error instanceof Error ? error : new Error(String(error))));
  }

  /** @internal leaves every room and tells everyone, exactly once */
  [kOnClose](reason: DisconnectReason, description?: unknown): void {
    if (this.#state !== "connected") return;
    if (debug.enabled) debug("socket %s of %s closing: %s", this.id, this.#nsp.name, reason);
    this.emitReserved("disconnecting", reason, description);
    const adapter = this.#nsp.adapter;
    if (this.#pid !== undefined && this.#nsp.connectionStateRecovery !== undefined && RECOVERABLE_DISCONNECT_REASONS.has(reason)) {
      settle(
        adapter.persistSession({ sid: this.id, pid: this.#pid, rooms: [...(adapter.socketRooms(this.id) ?? [])], data: this.data }),
      );
    }
    adapter.delAll(this.id);
    this.#state = "disconnected";
    this.#nsp[kRemoveSocket](this);
    this.#connection[kSocketRemoved](this);
    if (this.#acks !== undefined && this.#acks.size > 0) this.#acks.rejectAll(new SocketDisconnectedError(this.id));
    if (disconnectChannel.hasSubscribers) disconnectChannel.publish({ socket: this, reason, description });
    this.emitReserved("disconnect", reason, description);
  }

  #ackRegistry(): AckRegistry {
    return (this.#acks ??= new AckRegistry());
  }

  #operator(): BroadcastOperator<EmitEvents, SocketData> {
    return this.#nsp.except(this.id);
  }

  #onEvent(packet: Packet): void {
    const data = packet.data;
    if (!Array.isArray(data)) return;
    // a number is a valid event name on the wire (socket.io-parser accepts it, and
    // socket.io hands it to the listeners): onAny and middlewares see the number itself
    const name: unknown = data[0];
    if (typeof name !== "string" && typeof name !== "number") return;
    if (this.#middlewares === undefined || this.#middlewares.length === 0) {
      // the common case: one array (the arguments), no closure
      const args = data.slice(1);
      if (packet.id !== undefined) args.push(this.#ackFor(packet.id));
      this.#notifyAny(name, args);
      this.#dispatch(name, args);
      return;
    }
    // middlewares see (and may change) the whole event: [name, ...args, ack?]
    const event = [...data] as Event;
    if (packet.id !== undefined) event.push(this.#ackFor(packet.id));
    // as in socket.io, the catch-all listeners see the event as received, before the
    // middlewares (even one they refuse)
    this.#notifyAny(name, event.slice(1));
    this.#runMiddlewares(event, (err) => {
      if (err !== undefined) {
        if (this.listenerCount("error") > 0) this.emitReserved("error", err);
        else debug("socket %s: packet refused by a middleware: %s", this.id, err.message);
        return;
      }
      this.#dispatch(event[0], event.slice(1));
    });
  }

  /** Hands a received event to the catch-all listeners. */
  #notifyAny(name: string | number, args: unknown[]): void {
    const listeners = this.#anyListeners;
    if (listeners === undefined || listeners.length === 0) return;
    for (const listener of listeners.slice()) listener(name as string, ...args);
  }

  /**
   * Hands a received event to its listeners. A numeric name reaches the listeners of its
   * string form (`on("1")`), as EventEmitter keys work.
   */
  #dispatch(name: string | number, args: unknown[]): void {
    if (this.#state !== "connected") return;
    this.emitUntyped(typeof name === "string" ? name : String(name), args);
  }

  #runMiddlewares(event: Event, done: (err?: ExtendedError) => void): void {
    if (this.#middlewares === undefined || this.#middlewares.length === 0) {
      done();
      return;
    }
    const middlewares = this.#middlewares.slice();
    let index = 0;
    const next = (err?: ExtendedError): void => {
      if (err !== undefined && err !== null) {
        done(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      const middleware = middlewares[index++];
      if (middleware === undefined) {
        done();
        return;
      }
      let called = false;
      try {
        middleware(event, (e) => {
          if (called) return;
          called = true;
          next(e);
        });
      } catch (error) {
        if (!called) {
          called = true;
          next(error instanceof Error ? error : new Error(String(error)));
        }
      }
    };
    next();
  }

  /** The function the listener calls to answer an event: sends one ACK, once. */
  #ackFor(id: number): (...args: unknown[]) => void {
    let sent = false;
    return (...args: unknown[]) => {
      if (sent) return;
      sent = true;
      this.#sendPacket({ type: PacketType.ACK, nsp: this.#nsp.name, id, data: args }, DEFAULT_FLAGS);
    };
  }

  /** Encodes a packet for this socket alone; outgoing listeners see events. */
  #sendPacket(packet: Packet, flags: WriteFlags): void {
    // As socket.io, a connection middleware may emit before the CONNECT is sent: the client
    // holds such events until it connects (admin-ui sends its session id so). A restored
    // socket holds them until it has replayed what it missed.
    if (this.#state === "disconnected") return;
    if (this.#heldWrites !== undefined) {
      this.#writeEncoded(this.#nsp.encode(packet), flags, packet);
      return;
    }
    if (packet.type === PacketType.EVENT) this.#notifyOutgoing(packet);
    this.#writePacket(packet, flags);
  }

  #writePacket(packet: Packet, flags: WriteFlags): void {
    this.#connection[kWriteChunks](this.#nsp.encode(packet), flags);
  }

  #writeEncoded(encoded: EncodedPacket, flags: WriteFlags, packet: Readonly<Packet>): void {
    if (this.#state === "connecting" && this.#heldWrites !== undefined) {
      this.#heldWrites.push([encoded, flags, packet]);
      return;
    }
    if (this.#state !== "connected") return;
    if (packet.type === PacketType.EVENT) this.#notifyOutgoing(packet);
    this.#connection[kWriteChunks](encoded, flags);
  }

  #notifyOutgoing(packet: Readonly<Packet>): void {
    const listeners = this.#anyOutgoingListeners;
    if (listeners === undefined || listeners.length === 0) return;
    const [name, ...args] = asArray(packet.data);
    for (const listener of listeners.slice()) runListener(() => listener(name as string, ...args));
  }
}

function asArray(data: unknown): unknown[] {
  return Array.isArray(data) ? [...(data as unknown[])] : [];
}

function removeListener(listeners: AnyListener[] | undefined, listener: AnyListener | undefined): AnyListener[] | undefined {
  if (listener === undefined || listeners === undefined) return undefined;
  const index = listeners.indexOf(listener);
  if (index !== -1) listeners.splice(index, 1);
  return listeners;
}

// `handshake.time` has a resolution of one second: the sockets made within one second share
// one string (it is kept for the socket's life), and Date's toString runs once a second.
let lastTime: { readonly second: number; readonly text: string } | undefined;

function timeText(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (lastTime?.second !== second) lastTime = { second, text: new Date(ms).toString() };
  return lastTime.text;
}

function buildHandshake(conn: EngineSocket, auth: unknown): Handshake {
  const req = conn.request;
  const now = Date.now();
  const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
  return {
    headers: req.headers,
    time: timeText(now),
    address: conn.remoteAddress,
    xdomain: req.headers.origin !== undefined,
    secure,
    issued: now,
    url: req.url ?? "",
    // shared, not copied: one query object per connection, as in Socket.IO
    query: req._query,
    // the CONNECT packet's own object (decoded for this socket alone), as in Socket.IO
    auth: typeof auth === "object" && auth !== null && !Array.isArray(auth) ? (auth as Record<string, unknown>) : {},
  };
}
