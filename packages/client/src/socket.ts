import { PacketType, RESERVED_EVENTS, type Packet } from "@volley/parser";
import createDebug from "debug";
import { AckRegistry } from "./acks";
import { EmitOperator } from "./emit-operator";
import { ConnectRefusedError, ReservedEventError, SocketDisconnectedError, UnsupportedServerError } from "./errors";
import type { DisconnectDescription, DisconnectReason, ExtendedError, SocketReservedEvents } from "./events";
import { DEFAULT_FLAGS, kOnManager, kRelease, kState, kWrite, type EmitFlags } from "./internal";
import { TypedListeners } from "./listeners";
import type { Manager } from "./manager";
import { resolveSocketOptions, type AuthOption, type ResolvedSocketOptions, type SocketOptions } from "./options";
import { RetryQueue } from "./retry-queue";
import type {
  AckResult,
  DefaultEventsMap,
  EmitWithAckParams,
  EventNames,
  EventParams,
  EventsMap,
} from "./typed-events";

const debug = createDebug("volley:client:socket");

/** A packet waiting in the offline buffer, with its compression flag. */
export interface BufferedPacket extends Packet {
  options: { compress: boolean };
}

type AnyListener = (...args: any[]) => void;

/**
 * A connection to one namespace of a Socket.IO server, multiplexed with the other
 * namespaces of the same server over the Manager's Engine.IO connection. API-compatible
 * with socket.io-client 4's `Socket`. Create it with `io()` or `manager.socket(nsp)`.
 *
 * @example
 * const socket = io("http://localhost:3000/chat", { auth: { token } });
 * socket.on("connect", () => socket.emit("hello", "world"));
 * socket.on("news", (headline) => console.log(headline));
 * const answer = await socket.timeout(5000).emitWithAck("question", 42);
 */
export class Socket<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>
  extends TypedListeners<SocketReservedEvents, ListenEvents> {
  /** The Manager this socket belongs to. */
  readonly io: Manager<ListenEvents, EmitEvents>;
  /**
   * The credentials sent with each (re)connection (`socket.handshake.auth` on the server):
   * an object, or a function called on every (re)connection. May be changed between connections.
   */
  auth: AuthOption | undefined;
  /** Events received while the socket was not connected, emitted on connection. */
  receiveBuffer: Array<ReadonlyArray<unknown>> = [];
  /** Packets emitted while the socket was not connected, sent in order on (re)connection. */
  sendBuffer: BufferedPacket[] = [];

  readonly #nsp: string;
  readonly #options: ResolvedSocketOptions;
  readonly #acks: AckRegistry;
  readonly #queue: RetryQueue | undefined;
  /** The emitter with the default flags that the modifiers start from (made on first use). */
  #defaultOperator: EmitOperator<EmitEvents, false> | undefined;
  #id: string | undefined;
  #connected = false;
  #recovered = false;
  /** The server's private session id (connection state recovery), and the last offset seen. */
  #pid: string | undefined;
  #lastOffset: string | undefined;
  /** How to stop listening to the Manager; undefined while the socket is inactive. */
  /** Between connect() and disconnect(): the Manager passes its events on (see kOnManager). */
  #isActive = false;
  // Replaced, never changed in place: every socket starts with the same empty list.
  #anyListeners: readonly AnyListener[] = NO_LISTENERS;
  #anyOutgoingListeners: readonly AnyListener[] = NO_LISTENERS;

  /**
   * Prefer `io()` or `manager.socket(nsp)`, which reuse the socket of a namespace.
   * @throws {InvalidOptionError} when an option is invalid
   */
  constructor(io: Manager<ListenEvents, EmitEvents>, nsp: string, opts?: SocketOptions) {
    super();
    this.io = io;
    this.#nsp = nsp;
    this.#options = resolveSocketOptions(opts);
    this.auth = this.#options.auth;
    this.#acks = new AckRegistry(io.opts.autoUnref === true);
    this.#queue =
      this.#options.retries > 0
        ? new RetryQueue(
            this.#options.retries,
            (args, flags) => this.#emit(args, flags, true, true),
            () => this.#connected,
          )
        : undefined;
    if (io[kState]().autoConnect) this.open();
  }

  /** The session id of this namespace connection, while connected (not the Engine.IO id). */
  get id(): string | undefined {
    return this.#id;
  }

  /** Whether the socket is connected to its namespace. */
  get connected(): boolean {
    return this.#connected;
  }

  /** Whether the socket is not connected. */
  get disconnected(): boolean {
    return !this.#connected;
  }

  /**
   * Whether the socket will (re)connect by itself: true from `connect()` until
   * `disconnect()`, a server-side disconnection or a refused connection.
   */
  get active(): boolean {
    return this.#isActive;
  }

  /** Whether the last connection restored the session (connection state recovery). */
  get recovered(): boolean {
    return this.#recovered;
  }

  /** Opens the socket (and the Manager's connection if needed). */
  connect(): this {
    if (this.#connected) return this;
    this.#isActive = true;
    const state = this.io[kState]();
    if (!state.reconnecting) this.io.open();
    if (this.io[kState]().readyState === "open") this.#onOpen();
    return this;
  }

  /** Alias of {@link connect}. */
  open(): this {
    return this.connect();
  }

  /** Sends a `message` event. */
  send(...args: unknown[]): this {
    this.#emit(["message", ...args], DEFAULT_FLAGS, false, false);
    return this;
  }

  /**
   * Sends an event. A last argument that is a function is the acknowledgement callback,
   * called with the server's answer (with an error first when `ackTimeout` is set).
   * Emitted while disconnected, the packet is buffered and sent on (re)connection.
   * @throws {ReservedEventError} for a reserved event name (connect, disconnect…)
   */
  emit<Ev extends EventNames<EmitEvents>>(event: Ev, ...args: EventParams<EmitEvents, Ev>): this {
    this.#emit([event, ...args], DEFAULT_FLAGS, false, false);
    return this;
  }

  /**
   * Sends an event and resolves with the first argument of the server's acknowledgement;
   * rejects with an AckTimeoutError (`ackTimeout`) or a SocketDisconnectedError.
   */
  emitWithAck<Ev extends EventNames<EmitEvents>>(
    event: Ev,
    ...args: EmitWithAckParams<EmitEvents, Ev>
  ): Promise<AckResult<EmitEvents, Ev>> {
    return this.#operator().emitWithAck(event, ...args);
  }

  /** An emitter whose acknowledgement callbacks get an error first after `timeoutMs`. */
  timeout(timeoutMs: number): EmitOperator<EmitEvents, true> {
    return this.#operator().timeout(timeoutMs);
  }

  /** An emitter whose packets are dropped when they cannot be sent at once (not buffered). */
  get volatile(): EmitOperator<EmitEvents, false> {
    return this.#operator().volatile;
  }

  /** An emitter with per-message compression allowed (`true`, the default) or not. */
  compress(compress: boolean): EmitOperator<EmitEvents, false> {
    return this.#operator().compress(compress);
  }

  /**
   * Disconnects from the namespace (the Manager closes its connection when no socket is
   * left). No automatic reconnection follows; `connect()` opens again.
   */
  disconnect(): this {
    const wasConnected = this.#connected;
    if (wasConnected) this.#packet({ type: PacketType.DISCONNECT, nsp: this.#nsp }, true);
    this.#destroy();
    if (wasConnected) this.#onClose("io client disconnect");
    return this;
  }

  /** Alias of {@link disconnect}. */
  close(): this {
    return this.disconnect();
  }

  /** Adds a listener called for every received event, before its own listeners, with `(event, ...args)`. */
  onAny(listener: AnyListener): this {
    this.#anyListeners = [...this.#anyListeners, listener];
    return this;
  }

  /** Like {@link onAny}, before the other catch-all listeners. */
  prependAny(listener: AnyListener): this {
    this.#anyListeners = [listener, ...this.#anyListeners];
    return this;
  }

  /** Removes a catch-all listener, or all of them. */
  offAny(listener?: AnyListener): this {
    this.#anyListeners = removeListener(this.#anyListeners, listener);
    return this;
  }

  /** The catch-all listeners. */
  listenersAny(): AnyListener[] {
    return [...this.#anyListeners];
  }

  /** Adds a listener called for every event sent, with `(event, ...args)`. */
  onAnyOutgoing(listener: AnyListener): this {
    this.#anyOutgoingListeners = [...this.#anyOutgoingListeners, listener];
    return this;
  }

  /** Like {@link onAnyOutgoing}, before the other catch-all listeners. */
  prependAnyOutgoing(listener: AnyListener): this {
    this.#anyOutgoingListeners = [listener, ...this.#anyOutgoingListeners];
    return this;
  }

  /** Removes an outgoing catch-all listener, or all of them. */
  offAnyOutgoing(listener?: AnyListener): this {
    this.#anyOutgoingListeners = removeListener(this.#anyOutgoingListeners, listener);
    return this;
  }

  /** The outgoing catch-all listeners. */
  listenersAnyOutgoing(): AnyListener[] {
    return [...this.#anyOutgoingListeners];
  }

  // --- sending -------------------------------------------------------------------------

  /** The operators are immutable: one with the default flags serves every socket method that makes one. */
  #operator(): EmitOperator<EmitEvents, false> {
    return (this.#defaultOperator ??= new EmitOperator(
      (args, flags, ackWithError) => this.#emit(args, flags, ackWithError, false),
      DEFAULT_FLAGS,
    ));
  }

  #emit(args: unknown[], flags: EmitFlags, ackWithError: boolean, fromQueue: boolean): void {
    const event = args[0];
    if (typeof event === "string" && RESERVED_EVENTS.has(event)) throw new ReservedEventError(event);
    if (this.#queue !== undefined && !fromQueue && !flags.volatile) {
      this.#queue.push(args, flags);
      return;
    }
    const packet: Packet = { type: PacketType.EVENT, nsp: this.#nsp, data: args };
    const last = args[args.length - 1];
    if (typeof last === "function") {
      args.pop();
      packet.id = this.#acks.register(
        last as (...response: unknown[]) => void,
        ackWithError,
        flags.timeout ?? this.#options.ackTimeout,
        (id) => this.#dropBuffered(id),
      );
    }
    const engine = this.io.engine as Manager["engine"] | undefined;
    const isWritable = engine?.transport?.writable === true;
    // A frozen tab may not have noticed that the heartbeat expired: then buffer, don't send.
    const isConnected = this.#connected && engine?.hasPingExpired() !== true;
    // Stricter than socket.io-client, which buffers a volatile packet when the socket is
    // disconnected but the closed transport still looks writable: volatile is never buffered.
    if (flags.volatile && (!isWritable || !isConnected)) {
      debug("volatile packet dropped: not connected or the transport is busy");
    } else if (isConnected) {
      this.#notifyOutgoing(args);
      this.#packet(packet, flags.compress);
    } else {
      this.sendBuffer.push({ ...packet, options: { compress: flags.compress } });
    }
  }

  #packet(packet: Packet, compress: boolean): void {
    this.io[kWrite](packet, compress);
  }

  #dropBuffered(id: number): void {
    const index = this.sendBuffer.findIndex((packet) => packet.id === id);
    if (index !== -1) this.sendBuffer.splice(index, 1);
  }

  #notifyOutgoing(args: readonly unknown[]): void {
    const listeners = this.#anyOutgoingListeners;
    for (const listener of listeners) Reflect.apply(listener, this, args);
  }

  // --- the Manager's events --------------------------------------------------------------

  #destroy(): void {
    this.#isActive = false;
    this.io[kRelease]();
  }

  /** @internal */
  [kOnManager](
    ...[event, arg, description]: ["open"] | ["error", Error] | ["close", string, DisconnectDescription?] | ["packet", Packet]
  ): void {
    if (event === "open") this.#onOpen();
    else if (event === "packet") this.#onPacket(arg);
    else if (event === "error") this.#onError(arg);
    else this.#onClose(arg as DisconnectReason, description);
  }

  #onOpen(): void {
    const auth = this.auth;
    if (typeof auth === "function") {
      auth((data) => {
        // The callback may come late: only answer for the connection it was asked for.
        if (this.active && !this.#connected && this.io[kState]().readyState === "open") this.#sendConnect(data);
      });
    } else {
      this.#sendConnect(auth);
    }
  }

  #sendConnect(auth: object | undefined): void {
    const data = this.#pid === undefined ? auth : { pid: this.#pid, offset: this.#lastOffset, ...auth };
    debug("connecting to namespace %s", this.#nsp);
    this.#packet({ type: PacketType.CONNECT, nsp: this.#nsp, data }, true);
  }

  #onError(err: Error): void {
    if (!this.#connected) this.emitReserved("connect_error", err);
  }

  #onClose(reason: DisconnectReason, description?: DisconnectDescription): void {
    debug("disconnected from %s: %s", this.#nsp, reason);
    this.#connected = false;
    this.#id = undefined;
    this.emitReserved("disconnect", reason, description);
    this.#acks.failSent(
      () => new SocketDisconnectedError(),
      (id) => this.sendBuffer.some((packet) => packet.id === id),
    );
  }

  #onPacket(packet: Packet): void {
    if (packet.nsp !== this.#nsp) return;
    switch (packet.type) {
      case PacketType.CONNECT: {
        const data = packet.data as { sid?: unknown; pid?: unknown } | undefined;
        if (typeof data?.sid === "string") {
          this.#onConnect(data.sid, typeof data.pid === "string" ? data.pid : undefined);
        } else {
          this.emitReserved("connect_error", new UnsupportedServerError());
        }
        break;
      }
      case PacketType.EVENT:
      case PacketType.BINARY_EVENT:
        this.#onEvent(packet);
        break;
      case PacketType.ACK:
      case PacketType.BINARY_ACK:
        if (packet.id !== undefined) this.#acks.settle(packet.id, (packet.data as unknown[] | undefined) ?? []);
        break;
      case PacketType.DISCONNECT:
        this.#destroy();
        this.#onClose("io server disconnect");
        break;
      case PacketType.CONNECT_ERROR: {
        this.#destroy();
        const data = packet.data as { message?: unknown; data?: unknown } | string | undefined;
        const error: ExtendedError =
          typeof data === "string"
            ? new ConnectRefusedError(data, undefined)
            : new ConnectRefusedError(String(data?.message ?? "connection refused"), data?.data);
        this.emitReserved("connect_error", error);
        break;
      }
    }
  }

  #onEvent(packet: Packet): void {
    const args = (packet.data as unknown[] | undefined) ?? [];
    if (packet.id !== undefined) args.push(this.#ack(packet.id));
    if (this.#connected) this.#emitEvent(args);
    else this.receiveBuffer.push(Object.freeze(args));
  }

  #emitEvent(args: readonly unknown[]): void {
    const listeners = this.#anyListeners;
    for (const listener of listeners) Reflect.apply(listener, this, args);
    this.emitReceived(args);
    // With connection state recovery, the server appends the event's offset as last argument.
    if (this.#pid !== undefined && args.length > 0) {
      const last = args[args.length - 1];
      if (typeof last === "string") this.#lastOffset = last;
    }
  }

  /** The acknowledgement function handed to a listener: answers once, ignores later calls. */
  #ack(id: number): (...args: unknown[]) => void {
    let isSent = false;
    return (...args) => {
      if (isSent) return;
      isSent = true;
      this.#packet({ type: PacketType.ACK, nsp: this.#nsp, id, data: args }, true);
    };
  }

  #onConnect(id: string, pid: string | undefined): void {
    debug("connected to %s as %s", this.#nsp, id);
    this.#id = id;
    this.#recovered = pid !== undefined && pid === this.#pid;
    this.#pid = pid;
    this.#connected = true;
    this.#emitBuffered();
    this.#queue?.drain(true);
    this.emitReserved("connect");
  }

  #emitBuffered(): void {
    const received = this.receiveBuffer;
    this.receiveBuffer = [];
    for (const args of received) this.#emitEvent(args);
    const buffered = this.sendBuffer;
    this.sendBuffer = [];
    for (const { options, ...packet } of buffered) {
      this.#notifyOutgoing(packet.data as unknown[]);
      this.#packet(packet, options.compress);
    }
  }
}

const NO_LISTENERS: readonly AnyListener[] = Object.freeze([]);

function removeListener(listeners: readonly AnyListener[], listener: AnyListener | undefined): readonly AnyListener[] {
  if (listener === undefined) return NO_LISTENERS;
  const index = listeners.indexOf(listener);
  return index === -1 ? listeners : [...listeners.slice(0, index), ...listeners.slice(index + 1)];
}

/** A second name of DisconnectReason, so that the namespace below does not refer to itself. */
type SocketDisconnectReason = DisconnectReason;

// socket.io-client users write `Socket.DisconnectReason`: the same type, under the class name.
// eslint-disable-next-line @typescript-eslint/no-namespace -- type-only, for compatibility
export declare namespace Socket {
  /** Why a socket disconnected (the `DisconnectReason` type). */
  type DisconnectReason = SocketDisconnectReason;
}
