// Who a broadcast goes to (rooms, exceptions) and how (flags), as an immutable value: every
// modifier returns a new operator, so `io.to("a")` never changes `io`, and a flag set
// before an `await` cannot leak into another emit.
import {
  createBroadcastOptions,
  type AckCallback,
  type BroadcastFlags,
  type BroadcastOptions,
  type Room,
  type SocketDetails,
  type SocketId,
} from "@volley/adapter";
import { PacketType, type Packet } from "@volley/parser";
import createDebug from "debug";
import { AckTimeoutError, InvalidArgumentError, ReservedEventError } from "./errors";
import { RESERVED_EVENTS } from "./events";
import { RemoteSocket } from "./remote-socket";
import type {
  AllButLast,
  CallbackParams,
  DecorateBroadcastAcknowledgements,
  DefaultEventsMap,
  EventNames,
  EventNamesWithAck,
  EventParams,
  EventsMap,
  FirstArg,
  Last,
} from "./typed-events";

const debug = createDebug("volley:server:broadcast");

/**
 * @internal A flag that RemoteSocket sets on its operator (kept by every modifier, dropped
 * before the adapter sees the flags): acks complete with the socket's one answer, not an
 * array, as socket.io's `expectSingleResponse` does.
 */
export const kExpectSingleResponse: unique symbol = Symbol("volley.expectSingleResponse");

/** @internal The flags of an operator that expects a single response. */
export const SINGLE_RESPONSE_FLAGS = Object.freeze({ [kExpectSingleResponse]: true }) as Readonly<BroadcastFlags>;

/**
 * What a broadcast operator needs of the adapter: the in-memory Adapter and every class
 * derived from it fit.
 */
export interface BroadcastTarget {
  broadcast(packet: Packet, opts: BroadcastOptions): void | Promise<void>;
  broadcastWithAck(
    packet: Packet,
    opts: BroadcastOptions,
    clientCountCallback: (clientCount: number) => void,
    ack: AckCallback,
  ): void | Promise<void>;
  serverCount(): Promise<number>;
  sockets(rooms: ReadonlySet<Room>): Promise<Set<SocketId>>;
  fetchSockets(opts: BroadcastOptions): Promise<SocketDetails[]>;
  addSockets(opts: BroadcastOptions, rooms: Iterable<Room>): void | Promise<void>;
  delSockets(opts: BroadcastOptions, rooms: Iterable<Room>): void | Promise<void>;
  disconnectSockets(opts: BroadcastOptions, close: boolean): void | Promise<void>;
}

/** The parameters of a broadcast `emit`: with an ack, every client's answer is collected. */
export type BroadcastEmitParams<Map extends EventsMap, Ev extends EventNames<Map>> = EventParams<
  DecorateBroadcastAcknowledgements<Map>,
  Ev & EventNames<DecorateBroadcastAcknowledgements<Map>>
>;

/** What a broadcast `emitWithAck` resolves with: the first argument of each client's ack. */
export type BroadcastAckResult<Map extends EventsMap, Ev extends EventNames<Map>> = [
  Last<EventParams<Map, Ev>>,
] extends [never]
  ? unknown[]
  : Array<FirstArg<Last<EventParams<Map, Ev>>>>;

/** Rooms given to `to`/`in`/`except`: one or several. */
export type RoomArgument = Room | readonly Room[];

/**
 * An immutable broadcast: target rooms, excluded rooms and flags. Get one from
 * `io.to(room)`, `namespace.except(room)`, `socket.broadcast`, `io.timeout(ms)`…
 */
export class BroadcastOperator<EmitEvents extends EventsMap = DefaultEventsMap, SocketData = unknown> {
  readonly #target: BroadcastTarget;
  readonly #namespace: string;
  readonly #rooms: ReadonlySet<Room>;
  readonly #except: ReadonlySet<Room>;
  readonly #flags: Readonly<BroadcastFlags>;

  /** @internal operators are created by namespaces and sockets */
  constructor(
    target: BroadcastTarget,
    namespace: string,
    rooms: ReadonlySet<Room> = new Set(),
    except: ReadonlySet<Room> = new Set(),
    flags: Readonly<BroadcastFlags> = {},
  ) {
    this.#target = target;
    this.#namespace = namespace;
    this.#rooms = rooms;
    this.#except = except;
    this.#flags = Object.freeze({ ...flags });
  }

  /** The rooms targeted (empty: every socket). */
  get rooms(): ReadonlySet<Room> {
    return this.#rooms;
  }

  /** The rooms (and socket ids) excluded. */
  get exceptRooms(): ReadonlySet<Room> {
    return this.#except;
  }

  /** The flags of this broadcast. */
  get flags(): Readonly<BroadcastFlags> {
    return this.#flags;
  }

  /**
   * Targets a room (or several) in addition to those already targeted.
   * @example io.to("room1").to(["room2", "room3"]).emit("hello")
   */
  to(room: RoomArgument): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator(this.#target, this.#namespace, union(this.#rooms, room), this.#except, this.#flags);
  }

  /** Alias of {@link to}. */
  in(room: RoomArgument): BroadcastOperator<EmitEvents, SocketData> {
    return this.to(room);
  }

  /**
   * Leaves out the sockets of a room (or several, or socket ids).
   * @example io.except("room1").emit("hello")
   */
  except(room: RoomArgument): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator(this.#target, this.#namespace, this.#rooms, union(this.#except, room), this.#flags);
  }

  /** Whether the transport may compress the packets. */
  compress(compress: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return this.#withFlags({ compress });
  }

  /** The packets may be dropped for clients that are not ready to receive them. */
  get volatile(): BroadcastOperator<EmitEvents, SocketData> {
    return this.#withFlags({ volatile: true });
  }

  /** Only the sockets of this node (multi-node adapters publish nothing). */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this.#withFlags({ local: true });
  }

  /**
   * Waits at most `timeoutMs` for the acknowledgements of the clients (and for the other
   * nodes of multi-node adapters).
   * @example io.timeout(1000).emit("ping", (err, responses) => {})
   */
  timeout(timeoutMs: number): BroadcastOperator<EmitEvents, SocketData> {
    if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
      throw new InvalidArgumentError(`timeout must be a non-negative number of milliseconds, got ${String(timeoutMs)}`);
    }
    return this.#withFlags({ timeout: timeoutMs });
  }

  /**
   * Sends an event to every targeted client. With a callback as last argument, the
   * callback gets `(err, responses)` once every client answered, or an AckTimeoutError
   * and the responses so far after `timeout(ms)`.
   * @throws ReservedEventError for a reserved event name
   */
  emit<Ev extends EventNames<EmitEvents>>(event: Ev, ...args: BroadcastEmitParams<EmitEvents, Ev>): boolean {
    assertEmittable(event);
    const data: unknown[] = [event, ...args];
    const last = data[data.length - 1];
    const opts = this.#options();
    if (typeof last !== "function") {
      settle(this.#target.broadcast({ type: PacketType.EVENT, nsp: this.#namespace, data }, opts));
      return true;
    }
    data.pop();
    this.#broadcastWithAck(data, opts, last as (err: Error | null, responses: unknown) => void);
    return true;
  }

  /**
   * Sends an event and resolves with the responses of every targeted client; rejects with
   * an AckTimeoutError after `timeout(ms)` when some did not answer, whose `responses`
   * holds the answers that did arrive.
   */
  emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
    event: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<BroadcastAckResult<EmitEvents, Ev>> {
    assertEmittable(event);
    return new Promise((resolve, reject) => {
      this.#broadcastWithAck([event, ...args], this.#options(), (err, responses) => {
        // a timeout's AckTimeoutError carries the responses that did arrive
        if (err !== null) reject(err);
        else resolve(responses as BroadcastAckResult<EmitEvents, Ev>);
      });
    });
  }

  /** Sends a `message` event. */
  send(...args: CallbackParams<EmitEvents extends { message: infer F } ? F : DefaultEventsMap["message"]>): this {
    this.#emitUnchecked("message", args);
    return this;
  }

  /** Alias of {@link send}. */
  write(...args: CallbackParams<EmitEvents extends { message: infer F } ? F : DefaultEventsMap["message"]>): this {
    this.#emitUnchecked("message", args);
    return this;
  }

  /** Snapshots of the targeted sockets, on every node; each can emit, join, leave, disconnect. */
  async fetchSockets(): Promise<Array<RemoteSocket<EmitEvents, SocketData>>> {
    const details = await this.#target.fetchSockets(this.#options());
    return details.map((detail) => new RemoteSocket<EmitEvents, SocketData>(this.#target, this.#namespace, detail));
  }

  /** Makes the targeted sockets join a room (or several). */
  socketsJoin(room: RoomArgument): void {
    settle(this.#target.addSockets(this.#options(), toArray(room)));
  }

  /** Makes the targeted sockets leave a room (or several). */
  socketsLeave(room: RoomArgument): void {
    settle(this.#target.delSockets(this.#options(), toArray(room)));
  }

  /** Disconnects the targeted sockets; `close` also closes their connections. */
  disconnectSockets(close = false): void {
    settle(this.#target.disconnectSockets(this.#options(), close));
  }

  /**
   * The ids of the targeted sockets.
   * @deprecated use {@link fetchSockets}, which also honours `except`
   */
  allSockets(): Promise<Set<SocketId>> {
    return this.#target.sockets(this.#rooms);
  }

  #emitUnchecked(event: string, args: readonly unknown[]): void {
    settle(this.#target.broadcast({ type: PacketType.EVENT, nsp: this.#namespace, data: [event, ...args] }, this.#options()));
  }

  #withFlags(flags: BroadcastFlags): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator(this.#target, this.#namespace, this.#rooms, this.#except, { ...this.#flags, ...flags });
  }

  #options(): BroadcastOptions {
    return createBroadcastOptions({ rooms: this.#rooms, except: this.#except, flags: this.#flags });
  }

  /**
   * Counts the clients each node wrote to and completes when that many answers came from
   * every node (serverCount), or when the timeout elapses. The adapter unregisters the
   * sockets' acks when the timeout elapses (it has the `timeout` flag too).
   */
  #broadcastWithAck(
    data: unknown[],
    opts: BroadcastOptions,
    done: (err: Error | null, responses: unknown) => void,
  ): void {
    const timeoutMs = this.#flags.timeout;
    const isSingle = (this.#flags as { [kExpectSingleResponse]?: boolean })[kExpectSingleResponse] === true;
    const responses: unknown[] = [];
    let finished = false;
    let expectedServers = -1;
    let reportedServers = 0;
    let expectedClients = 0;
    const finish = (err: Error | null): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      // One socket: its answer, or null when it did not come (socket.io's RemoteSocket).
      if (isSingle) done(err, err === null ? responses[0] : null);
      else done(err, responses.slice());
    };
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => finish(new AckTimeoutError(timeoutMs, isSingle ? null : responses.slice())), timeoutMs);
    const check = (): void => {
      if (expectedServers === reportedServers && responses.length >= expectedClients) finish(null);
    };
    settle(
      this.#target.broadcastWithAck(
        { type: PacketType.EVENT, nsp: this.#namespace, data },
        opts,
        (clientCount) => {
          expectedClients += clientCount;
          reportedServers++;
          check();
        },
        (...answer: unknown[]) => {
          if (finished) return;
          responses.push(answer[0]);
          check();
        },
      ),
    );
    this.#target.serverCount().then(
      (count) => {
        expectedServers = count;
        check();
      },
      (error: unknown) => finish(error instanceof Error ? error : new Error(String(error))),
    );
  }
}

/** Throws for the names the protocol reserves. */
export function assertEmittable(event: unknown): asserts event is string {
  if (typeof event !== "string") throw new InvalidArgumentError("the event name must be a string");
  if (RESERVED_EVENTS.has(event)) throw new ReservedEventError(event);
}

/** Logs the failure of an adapter operation that runs in the background. */
export function settle(result: void | Promise<void>): void {
  if (result instanceof Promise) result.catch((error: unknown) => debug("adapter operation failed: %O", error));
}

/** One room or several, as an array of strings. */
export function toArray(room: RoomArgument): Room[] {
  const rooms = typeof room === "string" ? [room] : Array.isArray(room) ? [...(room as Room[])] : undefined;
  if (rooms === undefined || !rooms.every((r) => typeof r === "string")) {
    throw new InvalidArgumentError("a room must be a string or an array of strings");
  }
  return rooms;
}

function union(set: ReadonlySet<Room>, room: RoomArgument): ReadonlySet<Room> {
  const result = new Set(set);
  for (const r of toArray(room)) result.add(r);
  return result;
}
