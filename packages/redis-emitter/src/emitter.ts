// The emitter: sends events to the sockets of a Volley cluster (nodes with
// @volley/redis-adapter) from a process that runs no server, by publishing the nodes' own
// cluster messages on their channels. The API is @socket.io/redis-emitter's.
import { MessageType, type NodeId } from "@volley/adapter";
import { RESERVED_EVENTS } from "@volley/parser";
import { InvalidClientError as AdapterInvalidClientError, toRedisClient, type AnyRedisClient } from "@volley/redis-adapter";
import { BroadcastOperator, checkEvent, type RoomArgument } from "./broadcast-operator";
import { InvalidArgumentError, InvalidClientError } from "./errors";
import { resolveEmitterOptions, type EmitterOptions, type ResolvedEmitterOptions } from "./options";
import { Publisher } from "./publisher";
import type { DefaultEventsMap, EventNames, EventParams, EventsMap } from "./typed-events";

/** Where of() puts the Publisher its new emitter shares. */
const kPublisher = Symbol("volley.redis-emitter.publisher");

/**
 * Names `serverSideEmit` may not use: the protocol's reserved names, and `connection` and
 * `new_namespace`, which the server emits itself.
 */
export const RESERVED_SERVER_SIDE_EVENTS: ReadonlySet<string> = new Set([...RESERVED_EVENTS, "connection", "new_namespace"]);

/**
 * Emits to the sockets of a Volley cluster through Redis, from any Node.js process.
 *
 * @typeParam EmitEvents the events the server emits to its clients (`ServerToClientEvents`)
 * @typeParam ServerSideEvents the events the nodes exchange with `serverSideEmit`
 * @example
 * const emitter = new Emitter<ServerToClientEvents>(redisClient);
 * emitter.to("room1").emit("news", "hello");
 */
export class Emitter<EmitEvents extends EventsMap = DefaultEventsMap, ServerSideEvents extends EventsMap = DefaultEventsMap> {
  /** The client given to the constructor. */
  readonly redisClient: AnyRedisClient;
  /** The namespace this emitter sends to (`/` by default; see {@link of}). */
  readonly nsp: string;
  readonly #publisher: Publisher;

  /**
   * @param redisClient a connected node-redis 4/5 or ioredis 5 client (or a
   *   `RedisClientLike`); it is only published with, and stays yours to close
   * @param opts see {@link EmitterOptions}
   * @param nsp the namespace (`of()` is the usual way to pick another)
   * @throws InvalidClientError, InvalidOptionError, InvalidArgumentError
   */
  constructor(redisClient: AnyRedisClient, opts?: EmitterOptions, nsp = "/") {
    this.redisClient = redisClient;
    this.nsp = checkNamespace(nsp);
    // of() hands its Publisher over under a module-private symbol, out of the public types.
    const inherited = (opts as { [kPublisher]?: Publisher } | undefined)?.[kPublisher];
    this.#publisher = inherited ?? new Publisher(toClient(redisClient), resolveEmitterOptions(opts));
  }

  /** The id this emitter publishes with (`emitter-` and 16 hex digits); nodes never count it as a node. */
  get uid(): NodeId {
    return this.#publisher.uid;
  }

  /** The resolved options. */
  get options(): ResolvedEmitterOptions {
    return this.#publisher.options;
  }

  /**
   * An emitter for namespace `nsp` (a leading `/` is added when missing), sharing this
   * one's client, options and id.
   * @example emitter.of("/admin").emit("alert", "disk full")
   */
  of(nsp: string): Emitter<EmitEvents, ServerSideEvents> {
    if (typeof nsp !== "string") throw new InvalidArgumentError("nsp", "a string", nsp);
    const shared = { [kPublisher]: this.#publisher } as EmitterOptions;
    return new Emitter<EmitEvents, ServerSideEvents>(this.redisClient, shared, nsp.startsWith("/") ? nsp : `/${nsp}`);
  }

  /**
   * Sends an event to every socket of the namespace, on every node.
   * @returns true
   * @throws ReservedEventError, AckNotSupportedError, InvalidArgumentError, EncodeError
   */
  emit<Ev extends EventNames<EmitEvents>>(event: Ev, ...args: EventParams<EmitEvents, Ev>): true {
    return this.#operator().emit(event, ...args);
  }

  /** Targets a room (or several). */
  to(room: RoomArgument): BroadcastOperator<EmitEvents> {
    return this.#operator().to(room);
  }

  /** Alias of {@link to}. */
  in(room: RoomArgument): BroadcastOperator<EmitEvents> {
    return this.#operator().in(room);
  }

  /** Leaves out the sockets of a room (or several, or socket ids). */
  except(room: RoomArgument): BroadcastOperator<EmitEvents> {
    return this.#operator().except(room);
  }

  /** The next broadcast may be lost for a client that cannot take it now. */
  get volatile(): BroadcastOperator<EmitEvents> {
    return this.#operator().volatile;
  }

  /** Whether the next broadcast may be compressed. */
  compress(compress: boolean): BroadcastOperator<EmitEvents> {
    return this.#operator().compress(compress);
  }

  /** Makes every socket of the namespace, on every node, join `rooms`. */
  socketsJoin(rooms: RoomArgument): void {
    this.#operator().socketsJoin(rooms);
  }

  /** Makes every socket of the namespace, on every node, leave `rooms`. */
  socketsLeave(rooms: RoomArgument): void {
    this.#operator().socketsLeave(rooms);
  }

  /**
   * Disconnects every socket of the namespace, on every node.
   * @param close also close the underlying connections
   */
  disconnectSockets(close = false): void {
    this.#operator().disconnectSockets(close);
  }

  /**
   * Delivers an event to the namespace's `serverSideEmit` listeners on every node
   * (`io.on(event, listener)`). No acknowledgement: a callback last throws.
   * @throws ReservedEventError, AckNotSupportedError, InvalidArgumentError, EncodeError
   */
  serverSideEmit<Ev extends EventNames<ServerSideEvents>>(event: Ev, ...args: EventParams<ServerSideEvents, Ev>): void {
    checkEvent(event, RESERVED_SERVER_SIDE_EVENTS, args, "serverSideEmit");
    this.#publisher.publish(this.nsp, { type: MessageType.SERVER_SIDE_EMIT, data: { packet: [event, ...args] } });
  }

  #operator(): BroadcastOperator<EmitEvents> {
    return new BroadcastOperator<EmitEvents>(this.#publisher, this.nsp);
  }
}

function checkNamespace(nsp: unknown): string {
  if (typeof nsp !== "string" || !nsp.startsWith("/")) throw new InvalidArgumentError("nsp", 'a string starting with "/"', nsp);
  return nsp;
}

function toClient(redisClient: AnyRedisClient) {
  try {
    return toRedisClient(redisClient, "redisClient");
  } catch (error) {
    if (error instanceof AdapterInvalidClientError) throw new InvalidClientError(redisClient);
    throw error;
  }
}
