// The adapter over Redis 7 sharded pub/sub (SPUBLISH / SSUBSCRIBE), which Redis Cluster
// spreads over the shards by channel. In the dynamic modes a broadcast to one room goes to
// the room's own channel, which only the nodes with members in the room subscribe to.
import {
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
import { ShardedRouter, shardedChannels } from "./wire";

/**
 * A Volley adapter over Redis 7 sharded pub/sub. Channels (`<prefix>` is `channelPrefix`;
 * named by {@link shardedChannels}, chosen by {@link ShardedRouter}):
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
  readonly #router: ShardedRouter;
  /** The SUBSCRIBEs to room channels not settled yet. */
  readonly #roomSubscriptions = new Set<Promise<void>>();

  constructor(nsp: AdapterNamespace, transport: RedisTransport, options: ResolvedShardedRedisAdapterOptions) {
    super(nsp, transport, options.base);
    this.shardedOptions = options;
    // Not with connection state recovery: a node must see every broadcast to keep the
    // packets a disconnected client may miss, even for rooms it has no member in any more.
    const mode = nsp.connectionStateRecovery === undefined ? options.subscriptionMode : "static";
    // Until heartbeatInterval has passed after this node's socketsJoin, the other nodes may
    // not listen to the rooms' channels yet (see ShardedRouter).
    this.#router = new ShardedRouter(shardedChannels(options.channelPrefix, nsp.name), mode, this.options.heartbeatInterval);
    this.channel = this.#router.channels.main;
    this.responseChannel = this.#router.channels.response(this.uid);
    void this.subscribe(this.channel);
    void this.subscribe(this.responseChannel);
    if (mode !== "static") {
      this.on("create-room", (room) => {
        if (!this.#router.hasRoomChannel(room)) return;
        const subscribing = this.subscribe(this.#router.channels.room(room));
        this.#roomSubscriptions.add(subscribing);
        void subscribing.finally(() => this.#roomSubscriptions.delete(subscribing));
      });
      this.on("delete-room", (room) => {
        if (this.#router.hasRoomChannel(room)) void this.unsubscribe(this.#router.channels.room(room));
      });
    }
  }

  /**
   * Makes the matching sockets of every node join `rooms`. Until `heartbeatInterval` has
   * passed, this node's broadcasts to those rooms go to the main channel, so that one sent
   * right after the join is not published before the other nodes subscribed to the rooms.
   */
  override addSockets(opts: Parameters<RedisAdapterBase["addSockets"]>[0], rooms: Iterable<Room>): Promise<void> {
    const roomList = [...rooms];
    this.#router.joined(roomList);
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
    await this.whileClosing(this.publishTo(this.#router.channelOf(message), this.encode(message)));
  }

  /**
   * Answers once the room channels this node is subscribing to are subscribed: a node that
   * names its sockets in an answer (fetchSockets) listens to their rooms' channels by then,
   * so that the requester can send to one of them at once (in `dynamic-private` mode a new
   * socket's own room has a channel, subscribed when the socket connects).
   */
  protected async doPublishResponse(requesterUid: ServerId, response: ClusterResponse): Promise<void> {
    if (this.#roomSubscriptions.size > 0) await this.whileClosing(Promise.all(this.#roomSubscriptions));
    await this.whileClosing(this.publishTo(this.#router.channels.response(requesterUid), this.encode(response)));
  }
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
