// What goes on Redis, in one place: the channel names of a namespace, the channel each
// message is published on, and the bytes of a message. The two adapters and
// @volley/redis-emitter all publish through these, so the nodes and the emitters of a
// cluster cannot drift apart. The messages themselves are @volley/adapter's cluster messages.
import { MessageType, type ClusterMessage, type Room, type ServerId } from "@volley/adapter";
import type { RedisAdapterParser, SubscriptionMode } from "./options";

/** The channels of one namespace over classic pub/sub (`createAdapter`). */
export interface ClassicChannels {
  /** `<key>#<nsp>#`: every message to all nodes (broadcasts, requests, heartbeats). */
  readonly main: string;
  /**
   * The channel responses to node `uid`'s requests go to: `<key>-response#<nsp>#`, shared by
   * every node, or `<key>-response#<nsp>#<uid>#` with `publishOnSpecificResponseChannel`.
   */
  response(uid: ServerId): string;
}

/** The channels of one namespace over sharded pub/sub (`createShardedAdapter`). */
export interface ShardedChannels {
  /** `<prefix>#<nsp>#`: every message to all nodes. */
  readonly main: string;
  /** `<prefix>#<nsp>#<uid>#`: the responses to node `uid`'s requests. */
  response(uid: ServerId): string;
  /** `<prefix>#<nsp>#<room>#`: broadcasts to that one room (dynamic subscription modes). */
  room(room: Room): string;
}

/** The classic pub/sub channels of namespace `nsp` for the `key` option. */
export function classicChannels(key: string, nsp: string, publishOnSpecificResponseChannel = false): ClassicChannels {
  const responsePrefix = `${key}-response#${nsp}#`;
  return Object.freeze({
    main: `${key}#${nsp}#`,
    response: (uid: ServerId) => (publishOnSpecificResponseChannel ? `${responsePrefix}${uid}#` : responsePrefix),
  });
}

/** The sharded pub/sub channels of namespace `nsp` for the `channelPrefix` option. */
export function shardedChannels(channelPrefix: string, nsp: string): ShardedChannels {
  const main = `${channelPrefix}#${nsp}#`;
  return Object.freeze({
    main,
    response: (uid: ServerId) => `${main}${uid}#`,
    room: (room: Room) => `${main}${room}#`,
  });
}

/**
 * Whether `room` has a channel of its own in `mode`. Publishers and subscribers must agree
 * without knowing the other nodes' sockets, so the test looks at the name only: in
 * `dynamic` mode a 20-character name is taken for a socket id (the server makes them of 20
 * characters of base64url) and has none.
 */
export function roomHasChannel(mode: SubscriptionMode, room: Room): boolean {
  if (mode === "static") return false;
  return mode === "dynamic-private" || room.length !== 20;
}

/**
 * Where a publisher of one namespace (a sharded node, or an emitter) publishes each message
 * over sharded pub/sub. A broadcast without acks to exactly one room that has a channel goes
 * to the room's channel, which only the nodes with members in the room subscribe to; the
 * rest goes to the main channel. The nodes subscribe to a room's channel when a join
 * reaches them: after this publisher's own `socketsJoin(rooms)`, its broadcasts to those
 * rooms go to the main channel for `settleMs`, so that one sent right after the join is
 * not published before anyone listens.
 */
export class ShardedRouter {
  readonly channels: ShardedChannels;
  /** The mode the nodes subscribe with (`static` for nodes with connection state recovery). */
  readonly mode: SubscriptionMode;
  readonly #settleMs: number;
  /** Room -> until when its broadcasts go to the main channel. */
  readonly #settling = new Map<Room, number>();

  constructor(channels: ShardedChannels, mode: SubscriptionMode, settleMs: number) {
    this.channels = channels;
    this.mode = mode;
    this.#settleMs = settleMs;
  }

  /** Whether `room` has a channel of its own (see {@link roomHasChannel}). */
  hasRoomChannel(room: Room): boolean {
    return roomHasChannel(this.mode, room);
  }

  /** Notes that this publisher made sockets join `rooms` (before it publishes the join). */
  joined(rooms: Iterable<Room>): void {
    if (this.mode === "static") return;
    const now = Date.now();
    for (const [room, until] of this.#settling) if (until <= now) this.#settling.delete(room);
    for (const room of rooms) this.#settling.set(room, now + this.#settleMs);
  }

  /** The channel `message` goes to. */
  channelOf(message: ClusterMessage): string {
    // A broadcast with acks must reach every node: each one reports its client count.
    if (this.mode === "static" || message.type !== MessageType.BROADCAST || message.data.requestId !== undefined) {
      return this.channels.main;
    }
    const rooms = message.data.opts.rooms;
    const room = rooms.length === 1 ? rooms[0] : undefined;
    if (room === undefined || !this.hasRoomChannel(room)) return this.channels.main;
    const settlingUntil = this.#settling.get(room);
    if (settlingUntil !== undefined) {
      if (settlingUntil > Date.now()) return this.channels.main;
      this.#settling.delete(room);
    }
    return this.channels.room(room);
  }
}

/** The bytes published for `message` (a cluster message or response) with `parser`. */
export function encodeMessage(parser: RedisAdapterParser, message: unknown): Buffer {
  const encoded = parser.encode(message);
  return typeof encoded === "string"
    ? Buffer.from(encoded)
    : Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
}
