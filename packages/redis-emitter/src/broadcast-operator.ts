// Who an emitter's broadcast goes to (rooms, exceptions) and how (flags), as an immutable
// value, after @volley/server's BroadcastOperator: every modifier returns a new operator,
// so `emitter.to("a")` never changes `emitter`.
import { MessageType, type BroadcastMessage, type Room, type SerializedBroadcastOptions } from "@volley/adapter";
import { PacketType, RESERVED_EVENTS } from "@volley/parser";
import { AckNotSupportedError, InvalidArgumentError, ReservedEventError } from "./errors";
import type { Publisher } from "./publisher";
import type { DefaultEventsMap, EventNames, EventParams, EventsMap } from "./typed-events";

/** Rooms given to `to` / `in` / `except` / `socketsJoin` / `socketsLeave`: one or several. */
export type RoomArgument = Room | readonly Room[];

/** The flags an emitter can set on a broadcast. */
export interface EmitterBroadcastFlags {
  /** The packet may be dropped for a client that cannot take it now. */
  readonly volatile?: boolean;
  /** Whether the packet may be compressed (per-message deflate, HTTP compression). */
  readonly compress?: boolean;
}

/**
 * An immutable broadcast from outside the cluster: target rooms, excluded rooms and flags.
 * Get one from `emitter.to(room)`, `emitter.except(room)`, `emitter.volatile`…
 */
export class BroadcastOperator<EmitEvents extends EventsMap = DefaultEventsMap> {
  readonly #publisher: Publisher;
  readonly #nsp: string;
  readonly #rooms: ReadonlySet<Room>;
  readonly #except: ReadonlySet<Room>;
  readonly #flags: Readonly<EmitterBroadcastFlags>;

  /** @internal operators are made by the Emitter */
  constructor(
    publisher: Publisher,
    nsp: string,
    rooms: ReadonlySet<Room> = new Set(),
    except: ReadonlySet<Room> = new Set(),
    flags: Readonly<EmitterBroadcastFlags> = {},
  ) {
    this.#publisher = publisher;
    this.#nsp = nsp;
    this.#rooms = rooms;
    this.#except = except;
    this.#flags = Object.freeze({ ...flags });
  }

  /** The rooms targeted (empty: every socket of the namespace). */
  get rooms(): ReadonlySet<Room> {
    return this.#rooms;
  }

  /** The rooms (and socket ids) excluded. */
  get exceptRooms(): ReadonlySet<Room> {
    return this.#except;
  }

  /** The flags of this broadcast. */
  get flags(): Readonly<EmitterBroadcastFlags> {
    return this.#flags;
  }

  /**
   * Targets a room (or several) in addition to those already targeted.
   * @example emitter.to("room1").to(["room2", "room3"]).emit("hello")
   */
  to(room: RoomArgument): BroadcastOperator<EmitEvents> {
    return new BroadcastOperator(this.#publisher, this.#nsp, union(this.#rooms, room, "room"), this.#except, this.#flags);
  }

  /** Alias of {@link to}. */
  in(room: RoomArgument): BroadcastOperator<EmitEvents> {
    return this.to(room);
  }

  /**
   * Leaves out the sockets of a room (or several, or socket ids).
   * @example emitter.except("muted").emit("hello")
   */
  except(room: RoomArgument): BroadcastOperator<EmitEvents> {
    return new BroadcastOperator(this.#publisher, this.#nsp, this.#rooms, union(this.#except, room, "room"), this.#flags);
  }

  /** Whether the packet may be compressed (`true` unless told otherwise). */
  compress(compress: boolean): BroadcastOperator<EmitEvents> {
    if (typeof compress !== "boolean") throw new InvalidArgumentError("compress", "a boolean", compress);
    return new BroadcastOperator(this.#publisher, this.#nsp, this.#rooms, this.#except, { ...this.#flags, compress });
  }

  /**
   * The packet may be lost for a client that cannot take it now (a long-polling client
   * between two requests, a slow network). Volatile packets are not kept for recovery.
   */
  get volatile(): BroadcastOperator<EmitEvents> {
    return new BroadcastOperator(this.#publisher, this.#nsp, this.#rooms, this.#except, { ...this.#flags, volatile: true });
  }

  /**
   * Sends an event to the matching sockets of every node. Returns once the message is
   * handed to the Redis client; a failed PUBLISH goes to the `onError` option.
   * Arguments may hold binary data (Buffer, typed arrays, ArrayBuffer).
   * @returns true, as socket.io's emitters
   * @throws ReservedEventError, AckNotSupportedError (a callback last), InvalidArgumentError,
   *   EncodeError (the parser could not encode an argument)
   */
  emit<Ev extends EventNames<EmitEvents>>(event: Ev, ...args: EventParams<EmitEvents, Ev>): true {
    checkEvent(event, RESERVED_EVENTS, args, "emit");
    const data: BroadcastMessage["data"] = {
      packet: { type: PacketType.EVENT, nsp: this.#nsp, data: [event, ...args] },
      opts: this.#serializedOptions(),
    };
    // Numbered as the nodes number theirs: nodes with connection state recovery keep it
    // for a client that missed it (the others ignore the number).
    if (this.#flags.volatile !== true) data.offset = this.#publisher.nextOffset();
    this.#publisher.publish(this.#nsp, { type: MessageType.BROADCAST, data });
    return true;
  }

  /**
   * Makes the matching sockets of every node join `rooms`.
   * @throws InvalidArgumentError
   */
  socketsJoin(rooms: RoomArgument): void {
    const list = [...union(new Set(), rooms, "rooms")];
    this.#publisher.joined(this.#nsp, list);
    this.#publisher.publish(this.#nsp, { type: MessageType.SOCKETS_JOIN, data: { opts: this.#serializedOptions(), rooms: list } });
  }

  /**
   * Makes the matching sockets of every node leave `rooms`.
   * @throws InvalidArgumentError
   */
  socketsLeave(rooms: RoomArgument): void {
    const list = [...union(new Set(), rooms, "rooms")];
    this.#publisher.publish(this.#nsp, { type: MessageType.SOCKETS_LEAVE, data: { opts: this.#serializedOptions(), rooms: list } });
  }

  /**
   * Disconnects the matching sockets of every node (their clients get `io server disconnect`).
   * @param close also close the underlying connection (every namespace of that client)
   * @throws InvalidArgumentError
   */
  disconnectSockets(close = false): void {
    if (typeof close !== "boolean") throw new InvalidArgumentError("close", "a boolean", close);
    this.#publisher.publish(this.#nsp, { type: MessageType.DISCONNECT_SOCKETS, data: { opts: this.#serializedOptions(), close } });
  }

  #serializedOptions(): SerializedBroadcastOptions {
    const flags: SerializedBroadcastOptions["flags"] = {};
    if (this.#flags.volatile !== undefined) flags.volatile = this.#flags.volatile;
    if (this.#flags.compress !== undefined) flags.compress = this.#flags.compress;
    return { rooms: [...this.#rooms], except: [...this.#except], flags };
  }
}

/** Checks an event name and its arguments before anything is published. */
export function checkEvent(event: unknown, reserved: ReadonlySet<string>, args: readonly unknown[], method: string): void {
  if (typeof event !== "string") throw new InvalidArgumentError("the event name", "a string", event);
  if (reserved.has(event)) throw new ReservedEventError(event);
  if (typeof args[args.length - 1] === "function") throw new AckNotSupportedError(method);
}

function union(set: ReadonlySet<Room>, room: RoomArgument, argument: string): Set<Room> {
  const result = new Set(set);
  const rooms: readonly unknown[] = typeof room === "string" ? [room] : Array.isArray(room) ? room : [room];
  for (const name of rooms) {
    if (typeof name !== "string") throw new InvalidArgumentError(argument, "a string or an array of strings", name);
    result.add(name);
  }
  return result;
}
