// The adapter over classic Redis pub/sub (PUBLISH / SUBSCRIBE): every node of a namespace
// subscribes to one channel for the messages to all nodes, and to a response channel.
import type { AdapterConstructor, AdapterNamespace, ClusterMessage, ClusterResponse, ServerId } from "@volley/adapter";
import { toRedisClient, type AnyRedisClient, type RedisMessageListener } from "./client";
import { resolveRedisAdapterOptions, type RedisAdapterOptions, type ResolvedRedisAdapterOptions } from "./options";
import { RedisAdapterBase, type RedisTransport } from "./redis-adapter-base";
import { classicChannels, type ClassicChannels } from "./wire";

/**
 * A Volley adapter over Redis pub/sub. Channels (`<key>` is the `key` option, `<nsp>` the
 * namespace name, `<uid>` a node's id; named by {@link classicChannels}):
 * - `<key>#<nsp>#`: messages to every node (broadcasts, requests, heartbeats);
 * - `<key>-response#<nsp>#`: responses to requests, or `<key>-response#<nsp>#<uid>#` with
 *   `publishOnSpecificResponseChannel`.
 *
 * Create it through {@link createAdapter}; the server builds one per namespace.
 */
export class RedisAdapter extends RedisAdapterBase {
  /** The resolved options. */
  readonly redisOptions: ResolvedRedisAdapterOptions;
  /** The channel of the messages to every node of this namespace. */
  readonly channel: string;
  /** The channel responses to this node's requests arrive on. */
  readonly responseChannel: string;
  readonly #channels: ClassicChannels;

  constructor(nsp: AdapterNamespace, transport: RedisTransport, options: ResolvedRedisAdapterOptions) {
    super(nsp, transport, options.base);
    this.redisOptions = options;
    this.#channels = classicChannels(options.key, nsp.name, options.publishOnSpecificResponseChannel);
    this.channel = this.#channels.main;
    this.responseChannel = this.#channels.response(this.uid);
    void this.subscribe(this.channel);
    void this.subscribe(this.responseChannel);
  }

  protected subscribeCommand(channel: string, listener: RedisMessageListener): Promise<void> {
    return this.subClient.subscribe(channel, listener);
  }

  protected unsubscribeCommand(channel: string, listener: RedisMessageListener): Promise<void> {
    return this.subClient.unsubscribe(channel, listener);
  }

  protected publishCommand(channel: string, message: Buffer): Promise<unknown> {
    return this.pubClient.publish(channel, message);
  }

  protected async doPublish(message: ClusterMessage): Promise<void> {
    await this.whileClosing(this.publishTo(this.channel, this.encode(message)));
  }

  protected async doPublishResponse(requesterUid: ServerId, response: ClusterResponse): Promise<void> {
    await this.whileClosing(this.publishTo(this.#channels.response(requesterUid), this.encode(response)));
  }
}

/**
 * The adapter class for the server's `adapter` option, over Redis pub/sub:
 * `new Server({ adapter: createAdapter(pubClient, subClient) })`.
 *
 * @param pubClient a connected node-redis 4/5 or ioredis 5 client (or a RedisClientLike), used to publish
 * @param subClient another connected client (e.g. `pubClient.duplicate()`), put in subscriber mode
 * @param options see {@link RedisAdapterOptions}
 * @throws InvalidClientError, InvalidOptionError
 */
export function createAdapter(
  pubClient: AnyRedisClient,
  subClient: AnyRedisClient,
  options?: RedisAdapterOptions,
): AdapterConstructor<RedisAdapter> {
  const resolved = resolveRedisAdapterOptions(options);
  const transport: RedisTransport = {
    pubClient: toRedisClient(pubClient, "pubClient"),
    subClient: toRedisClient(subClient, "subClient"),
    parser: resolved.parser,
  };
  return class extends RedisAdapter {
    constructor(nsp: AdapterNamespace) {
      super(nsp, transport, resolved);
    }
  };
}
