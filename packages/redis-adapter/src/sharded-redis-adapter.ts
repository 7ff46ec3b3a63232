// The adapter over Redis 7 sharded pub/sub (SPUBLISH / SSUBSCRIBE), which Redis Cluster
// spreads over the shards by channel. In the dynamic modes a broadcast to one room goes to
// the room's own channel, which only the nodes with members in the room subscribe to.
import {
  MessageType,
  type AdapterConstructor,
  type AdapterNamespace,
  type ClusterMessage,
  type ClusterResponse,
  type Room,
  type ServerId,
} from "@volley/adapter";
import { toRedisClient, type AnyRedisClient, type RedisMessageListener } from "./client";
import {
  resolveShardedRedisAdapterOptions,
  type ResolvedShardedRedisAdapterOptions,
  type ShardedRedisAdapterOptions,
} from "./options";
import { RedisAdapterBase, type RedisTransport } from "./redis-adapter-base";

/**
 * A Volley adapter over Redis 7 sharded pub/sub. Channels (`<prefix>` is `channelPrefix`):
 * - `<prefix>#<nsp>#`: messages to every node;
 * - `<prefix>#<nsp>#<uid>#`: responses to node `<uid>`'s requests;
 * - `<prefix>#<nsp>#<room>#` (dynamic modes): broadcasts to that one room.
 *
 * Create it through {@link createShardedAdapter}.
 */
export class ShardedRedisAdapter extends RedisAdapterBase {
  /** The resolved options. */
  readonly shardedOptions: ResolvedShardedRedisAdapterOptions;
  /** The channel of the messages to every node of this namespace. */
  readonly channel: string;
  /** The channel responses to this node's requests arrive on. */
  readonly responseChannel: string;
  /** Room -> until when its broadcasts go to the main channel (see addSockets). */
  readonly #settling = new Map<Room, number>();

  constructor(nsp: AdapterNamespace, transport: RedisTransport, options: ResolvedShardedRedisAdapterOptions) {
    super(nsp, transport, options.base);
    this.shardedOptions = options;
    this.channel = `${options.channelPrefix}#${nsp.name}#`;
    this.responseChannel = `${this.channel}${this.uid}#`;
    void this.subscribe(this.channel);
    void this.subscribe(this.responseChannel);
    if (this.#dynamic) {
      this.on("create-room", (room) => {
        if (this.#roomHasChannel(room)) void this.subscribe(this.#roomChannel(room));
      });
      this.on("delete-room", (room) => {
        if (this.#roomHasChannel(room)) void this.unsubscribe(this.#roomChannel(room));
      });
    }
  }

  /**
   * Whether rooms get channels of their own. Not with connection state recovery: a node
   * must see every broadcast to keep the packets a disconnected client may miss, even for
   * rooms it has no member in any more.
   */
  get #dynamic(): boolean {
    return this.shardedOptions.subscriptionMode !== "static" && this.nsp.connectionStateRecovery === undefined;
  }

  /**
   * Makes the matching sockets of every node join `rooms`. The other nodes subscribe to
   * the rooms' channels only when the join message reaches them: until
   * `heartbeatInterval` has passed, this node's broadcasts to those rooms go to the main
   * channel, so that one sent right after the join is not published before anyone listens.
   */
  override addSockets(opts: Parameters<RedisAdapterBase["addSockets"]>[0], rooms: Iterable<Room>): Promise<void> {
    const roomList = [...rooms];
    if (this.#dynamic) {
      const now = Date.now();
      for (const [room, until] of this.#settling) if (until <= now) this.#settling.delete(room);
      for (const room of roomList) this.#settling.set(room, now + this.options.heartbeatInterval);
    }
    return super.addSockets(opts, roomList);
  }

  protected subscribeCommand(channel: string, listener: RedisMessageListener): Promise<void> {
    return this.subClient.ssubscribe(channel, listener);
  }

  protected unsubscribeCommand(channel: string, listener: RedisMessageListener): Promise<void> {
    return this.subClient.sunsubscribe(channel, listener);
  }

  protected publishCommand(channel: string, message: Buffer): Promise<unknown> {
    return this.pubClient.spublish(channel, message);
  }

  protected async doPublish(message: ClusterMessage): Promise<void> {
    await this.whileClosing(this.publishTo(this.#channelOf(message), this.encode(message)));
  }

  protected async doPublishResponse(requesterUid: ServerId, response: ClusterResponse): Promise<void> {
    await this.whileClosing(this.publishTo(`${this.channel}${requesterUid}#`, this.encode(response)));
  }

  #channelOf(message: ClusterMessage): string {
    // A broadcast with acks must reach every node: each one reports its client count.
    if (!this.#dynamic || message.type !== MessageType.BROADCAST || message.data.requestId !== undefined) {
      return this.channel;
    }
    const rooms = message.data.opts.rooms;
    const room = rooms.length === 1 ? rooms[0] : undefined;
    if (room === undefined || !this.#roomHasChannel(room)) return this.channel;
    const settlingUntil = this.#settling.get(room);
    if (settlingUntil !== undefined) {
      if (settlingUntil > Date.now()) return this.channel;
      this.#settling.delete(room);
    }
    return this.#roomChannel(room);
  }

  /**
   * Whether `room` has a channel of its own. Publishers and subscribers must agree without
   * knowing the other nodes' sockets, so the test looks at the name only.
   */
  #roomHasChannel(room: Room): boolean {
    return this.shardedOptions.subscriptionMode === "dynamic-private" || !looksLikeSocketId(room);
  }

  #roomChannel(room: Room): string {
    return `${this.channel}${room}#`;
  }
}

/**
 * A socket id as the server makes them (20 characters of base64url): in `dynamic` mode,
 * rooms that look like one have no channel of their own, on every node alike.
 */
function looksLikeSocketId(room: Room): boolean {
  return room.length === 20;
}

/**
 * The adapter class for the server's `adapter` option, over Redis 7 sharded pub/sub:
 * `new Server({ adapter: createShardedAdapter(pubClient, subClient) })`.
 *
 * @param pubClient a connected node-redis 4/5 or ioredis 5 client (or a RedisClientLike), used to publish
 * @param subClient another connected client, put in subscriber mode
 * @param options see {@link ShardedRedisAdapterOptions}
 * @throws InvalidClientError, InvalidOptionError
 */
export function createShardedAdapter(
  pubClient: AnyRedisClient,
  subClient: AnyRedisClient,
  options?: ShardedRedisAdapterOptions,
): AdapterConstructor<ShardedRedisAdapter> {
  const resolved = resolveShardedRedisAdapterOptions(options);
  const transport: RedisTransport = {
    pubClient: toRedisClient(pubClient, "pubClient"),
    subClient: toRedisClient(subClient, "subClient"),
    parser: resolved.parser,
  };
  return class extends ShardedRedisAdapter {
    constructor(nsp: AdapterNamespace) {
      super(nsp, transport, resolved);
    }
  };
}
