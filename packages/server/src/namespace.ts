// A namespace: a communication channel of the server with its own sockets, middlewares,
// rooms (through its adapter) and events. Implements what the adapter needs of it.
import type {
  Adapter,
  AdapterConstructor,
  AdapterNamespace,
  ConnectionStateRecoverySettings,
  EncodedPacket,
  ServerSideAck,
  Session,
  SocketId,
} from "@volley/adapter";
import { PacketType, type Packet, type ParserEncoder } from "@volley/parser";
import createDebug from "debug";
import { BroadcastMethods } from "./broadcast-methods";
import { BroadcastOperator, settle } from "./broadcast-operator";
import { InvalidArgumentError, ReservedEventError } from "./errors";
import { RESERVED_SERVER_SIDE_EVENTS, type ExtendedError } from "./events";
import type { Connection, ConnectableNamespace } from "./internal/contracts";
import { connectErrorChannel, connectionChannel } from "./internal/diagnostics";
import { runListener } from "./internal/listeners";
import { kAbort, kBroadcastOperator, kInitAdapter, kChildRemoved, kConnect, kConnected, kForwardConnection, kMiddlewares, kRemoveSocket, kWriteChunks } from "./internal/symbols";
import type { ResolvedConnectionStateRecovery } from "./options";
import type { Server } from "./server";
import { Socket } from "./socket";
import type { TypedListeners } from "./typed-emitter";
import type {
  AllButLast,
  DecorateBroadcastAcknowledgements,
  DefaultEventsMap,
  EventNames,
  EventNamesWithAck,
  EventParams,
  EventsMap,
} from "./typed-events";

const debug = createDebug("volley:server:namespace");

/** The events a namespace emits itself. */
export interface NamespaceReservedEvents<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  ServerSideEvents extends EventsMap,
  SocketData,
> {
  /** A socket connected (after the middlewares). */
  connection: (socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void;
  /** Alias of `connection`. */
  connect: (socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void;
}

/** A connection middleware: `next(err)` refuses the socket (the client gets `connect_error`). */
export type NamespaceMiddleware<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = unknown,
> = (
  socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
  next: (err?: ExtendedError) => void,
) => void;

/** What a namespace needs of its server. */
export interface NamespaceHost {
  /** The server, for `namespace.server`. */
  readonly server: unknown;
  readonly encoder: ParserEncoder;
  readonly adapterConstructor: AdapterConstructor<Adapter>;
  readonly connectionStateRecovery: ResolvedConnectionStateRecovery | false;
  readonly cleanupEmptyChildNamespaces: boolean;
}

/** What a child namespace needs of the parent namespace that created it. */
export interface NamespaceParent {
  readonly [kMiddlewares]: readonly NamespaceMiddleware<never, never, never, never>[];
  [kForwardConnection](socket: unknown): void;
  [kChildRemoved](child: ConnectableNamespace & { readonly name: string }): void;
}

/**
 * A namespace (`io.of("/admin")`): its sockets, middlewares and rooms. `emit` and the
 * other broadcast methods target every socket of the namespace.
 */
export class Namespace<
    ListenEvents extends EventsMap = DefaultEventsMap,
    EmitEvents extends EventsMap = ListenEvents,
    ServerSideEvents extends EventsMap = DefaultEventsMap,
    SocketData = unknown,
  >
  extends BroadcastMethods<NamespaceReservedEvents<ListenEvents, EmitEvents, ServerSideEvents, SocketData>, ServerSideEvents, EmitEvents, SocketData>
  implements AdapterNamespace, ConnectableNamespace
{
  /** The name, such as `/` or `/admin`. */
  readonly name: string;
  /** The connected sockets of this node, by id. */
  readonly sockets = new Map<SocketId, Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();
  /** The adapter (rooms and broadcasting). */
  #adapter: Adapter;
  /** Connection state recovery settings, when the server has it on. */
  readonly connectionStateRecovery: ConnectionStateRecoverySettings | undefined;
  readonly #host: NamespaceHost;
  readonly #parent: NamespaceParent | undefined;
  readonly #middlewares: Array<NamespaceMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> = [];
  /** Sockets between CONNECT and the end of the middlewares. */
  readonly #connecting = new Set<Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();
  #ackId = 0;

  /** @internal namespaces are created by `server.of()` */
  constructor(name: string, host: NamespaceHost, parent?: NamespaceParent, listenersOf?: TypedListeners<EventsMap, EventsMap>) {
    super(listenersOf);
    this.name = name;
    this.#host = host;
    this.#parent = parent;
    const recovery = host.connectionStateRecovery;
    this.connectionStateRecovery =
      recovery === false ? undefined : Object.freeze({ maxDisconnectionDuration: recovery.maxDisconnectionDuration });
    this.#adapter = new host.adapterConstructor(this);
    settle(this.#adapter.init());
  }

  /** The server the namespace belongs to. */
  get server(): Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    return this.#host.server as Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  }

  /** The adapter (rooms and broadcasting). */
  get adapter(): Adapter {
    return this.#adapter;
  }

  /**
   * @internal `server.adapter(Class)` after the namespace was created: a fresh adapter of
   * the new class (the rooms of the sockets already connected are carried over).
   */
  [kInitAdapter](): void {
    const previous = this.#adapter;
    this.#adapter = new this.#host.adapterConstructor(this);
    settle(this.#adapter.init());
    for (const id of this.sockets.keys()) settle(this.#adapter.addAll(id, new Set(previous.socketRooms(id) ?? [id])));
    settle(previous.close());
  }

  /**
   * Adds a connection middleware, run for every socket before `connection`. Calling
   * `next(err)` refuses it: the client gets `connect_error` with `err.message` and `err.data`.
   * @example io.use((socket, next) => (isValid(socket.handshake.auth) ? next() : next(new Error("unauthorized"))))
   */
  use(middleware: NamespaceMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): this {
    if (typeof middleware !== "function") throw new InvalidArgumentError("a middleware must be a function");
    this.#middlewares.push(middleware);
    return this;
  }

  /**
   * Sends an event to the same namespace on the other nodes of a cluster. With a callback
   * last, it gets `(err, responses)`: one response per other node.
   * @throws ReservedEventError for connect, connection, new_namespace…
   */
  serverSideEmit<Ev extends EventNames<ServerSideEvents>>(
    event: Ev,
    ...args: EventParams<DecorateBroadcastAcknowledgements<ServerSideEvents>, Ev & EventNames<DecorateBroadcastAcknowledgements<ServerSideEvents>>>
  ): boolean {
    if (RESERVED_SERVER_SIDE_EVENTS.has(event)) throw new ReservedEventError(event);
    settle(this.adapter.serverSideEmit([event, ...args]));
    return true;
  }

  /** Sends an event to the other nodes and resolves with their responses. */
  serverSideEmitWithAck<Ev extends EventNamesWithAck<ServerSideEvents>>(
    event: Ev,
    ...args: AllButLast<EventParams<ServerSideEvents, Ev>>
  ): Promise<unknown[]> {
    if (RESERVED_SERVER_SIDE_EVENTS.has(event)) return Promise.reject(new ReservedEventError(event));
    return new Promise((resolve, reject) => {
      const callback = (err: Error | null, responses: unknown[]): void => {
        if (err !== null) reject(err);
        else resolve(responses);
      };
      settle(this.adapter.serverSideEmit([event, ...args, callback]));
    });
  }

  /** @internal AdapterNamespace: encodes with the server's encoder. */
  encode(packet: Packet): EncodedPacket {
    return this.#host.encoder.encode(packet);
  }

  /** @internal AdapterNamespace: ack ids shared by emits and broadcasts. */
  nextAckId(): number {
    const id = this.#ackId;
    // stay within what every client parses as an integer
    this.#ackId = id >= Number.MAX_SAFE_INTEGER ? 0 : id + 1;
    return id;
  }

  /** @internal AdapterNamespace: a server-side event from another node. */
  receiveServerSideEmit(packet: readonly [string, ...unknown[]], ack?: ServerSideAck): void {
    this._onServerSideEmit(ack === undefined ? packet : [...packet, ack]);
  }

  /**
   * The next ack id, as socket.io's `nsp._ids`: adapters written for socket.io-adapter
   * take one with `nsp._ids++`, which shares the counter of {@link nextAckId}.
   */
  get _ids(): number {
    return this.#ackId;
  }

  set _ids(value: number) {
    this.#ackId = Number.isSafeInteger(value) && value >= 0 ? value : 0;
  }

  /**
   * Delivers a server-side event from another node to the local listeners, as socket.io's
   * `nsp._onServerSideEmit(args)`: `[event, ...args]`, an acknowledgement callback last if
   * the sender waits for one. Adapters written for socket.io-adapter call it.
   */
  _onServerSideEmit(args: readonly [string, ...unknown[]]): void {
    const [event, ...rest] = args;
    runListener(() => this.emitUntyped(event, rest));
  }

  /** @internal a client sent CONNECT for this namespace; `settled()` once the attempt is over */
  [kConnect](connection: Connection, auth: unknown, settled: () => void): void {
    this.#connect(connection, auth, settled).catch((error: unknown) => {
      // (#connect does not reject; if it ever did, the attempt is over all the same)
      debug("connecting to %s failed: %s", this.name, error instanceof Error ? error.message : String(error));
      settled();
    });
  }

  /** @internal a socket left (or never got in) */
  [kRemoveSocket](socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    this.#connecting.delete(socket);
    if (this.sockets.get(socket.id) === socket) this.sockets.delete(socket.id);
    if (this.#parent !== undefined && this.#host.cleanupEmptyChildNamespaces && this.sockets.size === 0 && this.#connecting.size === 0) {
      debug("child namespace %s is empty: removed", this.name);
      this.#parent[kChildRemoved](this);
    }
  }

  /** @internal BroadcastMethods: every socket of the namespace */
  [kBroadcastOperator](): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator<EmitEvents, SocketData>(this.adapter, this.name);
  }

  /** @internal the middlewares, for child namespaces */
  get [kMiddlewares](): ReadonlyArray<NamespaceMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> {
    return this.#middlewares;
  }

  async #connect(connection: Connection, auth: unknown, settled: () => void): Promise<void> {
    const session = await this.#restoreSession(auth);
    if (!connection.isOpen()) {
      settled();
      return;
    }
    const socket = new Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>(this, connection, auth, session);
    const recovery = this.#host.connectionStateRecovery;
    if (session !== null) {
      // in the namespace at once, so that what is broadcast meanwhile is held, not lost
      this.sockets.set(socket.id, socket);
      // one room at a time, as socket.io joins them (adapters see the same calls)
      for (const room of new Set([socket.id, ...session.rooms])) settle(this.adapter.addAll(socket.id, new Set([room])));
      if (recovery !== false && recovery.skipMiddlewares) {
        settled();
        this.#accept(socket);
        return;
      }
    }
    this.#connecting.add(socket);
    this.#runMiddlewares(socket, (err) => {
      settled();
      if (!connection.isOpen()) {
        socket[kAbort]();
        return;
      }
      if (err !== undefined) {
        debug("socket refused by a middleware of %s: %s", this.name, err.message);
        if (connectErrorChannel.hasSubscribers) connectErrorChannel.publish({ namespace: this.name, error: err });
        const data = connectErrorData(connection.conn.protocol, err);
        connection[kWriteChunks](this.encode({ type: PacketType.CONNECT_ERROR, nsp: this.name, data }), {
          volatile: false,
          compress: true,
        });
        socket[kAbort]();
        return;
      }
      this.#connecting.delete(socket);
      this.#accept(socket);
    });
  }

  #accept(socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    this.sockets.set(socket.id, socket);
    socket[kConnected]();
    // (a debug call allocates its arguments even when off: not once per connection)
    if (debug.enabled) debug("socket %s connected to %s", socket.id, this.name);
    if (connectionChannel.hasSubscribers) connectionChannel.publish({ socket });
    this.emitReserved("connect", socket);
    this.emitReserved("connection", socket);
    this.#parent?.[kForwardConnection](socket);
  }

  async #restoreSession(auth: unknown): Promise<Session | null> {
    if (this.connectionStateRecovery === undefined || typeof auth !== "object" || auth === null) return null;
    const { pid, offset } = auth as { pid?: unknown; offset?: unknown };
    if (typeof pid !== "string" || typeof offset !== "string") return null;
    try {
      const session = await this.adapter.restoreSession(pid, offset);
      // another socket may already use that id (the client reconnected twice)
      if (session === null || this.sockets.has(session.sid)) return null;
      return session;
    } catch (error) {
      // never the pid, a secret of the client's (whoever holds it takes the session over),
      // even when the adapter's error quotes it
      const message = error instanceof Error ? error.message : String(error);
      debug("%s: a session could not be restored: %s", this.name, pid === "" ? message : message.replaceAll(pid, "<pid>"));
      return null;
    }
  }

  #runMiddlewares(
    socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    done: (err?: ExtendedError) => void,
  ): void {
    const parentMiddlewares = (this.#parent?.[kMiddlewares] ?? []) as unknown as Array<
      NamespaceMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
    >;
    const middlewares = [...parentMiddlewares, ...this.#middlewares];
    let index = 0;
    const next = (err?: ExtendedError): void => {
      if (err !== undefined && err !== null) {
        // answered on a later tick, as Socket.IO does: the client's CONNECT handling is done
        process.nextTick(done, err instanceof Error ? err : new Error(String(err)));
        return;
      }
      const middleware = middlewares[index++];
      if (middleware === undefined) {
        process.nextTick(done);
        return;
      }
      let called = false;
      const once = (e?: ExtendedError): void => {
        if (called) return;
        called = true;
        next(e);
      };
      try {
        middleware(socket, once);
      } catch (error) {
        once(error instanceof Error ? error : new Error(String(error)));
      }
    };
    next();
  }

}

/**
 * The payload of a CONNECT_ERROR for a middleware's error: `{ message, data }`, or for
 * protocol v4 clients (Engine.IO v3) a bare string, or `err.data` when it is one the
 * protocol can carry (as socket.io does for them).
 */
function connectErrorData(protocol: 3 | 4, err: ExtendedError): unknown {
  if (protocol === 3) {
    const { data } = err;
    return typeof data === "string" || (typeof data === "object" && data !== null && !Array.isArray(data)) ? data : err.message;
  }
  return err.data === undefined ? { message: err.message } : { message: err.message, data: err.data };
}
