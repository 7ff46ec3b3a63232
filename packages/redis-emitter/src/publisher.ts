// What every Emitter and BroadcastOperator of one `new Emitter()` share: the client, the
// resolved options, the emitter's own id and recovery offsets, and the sharded routing
// state. It stamps each message, encodes it and publishes it on the channel the nodes
// listen to, through @volley/redis-adapter's wire module (the nodes' own rules).
import {
  createEmitterUid,
  createOffsetGenerator,
  DEFAULT_CLUSTER_ADAPTER_WITH_HEARTBEAT_OPTIONS,
  type ClusterMessage,
  type NodeId,
  type Offset,
  type Room,
  type UnstampedMessage,
} from "@volley/adapter";
import {
  classicChannels,
  encodeMessage,
  shardedChannels,
  ShardedRouter,
  type RedisClientLike,
} from "@volley/redis-adapter";
import createDebug from "debug";
import { EncodeError, PublishError } from "./errors";
import type { ResolvedEmitterOptions } from "./options";

const debug = createDebug("volley:redis-emitter");

type ShardedOptions = Extract<ResolvedEmitterOptions, { sharded: true }>;

/**
 * How long broadcasts to rooms this emitter just made sockets join stay on the main channel
 * (sharded dynamic modes): the nodes' default heartbeat interval, which the adapters use
 * for their own joins.
 */
const JOIN_SETTLE_MS = DEFAULT_CLUSTER_ADAPTER_WITH_HEARTBEAT_OPTIONS.heartbeatInterval;

export class Publisher {
  /** The id this emitter publishes with (nodes never count it as a node). */
  readonly uid: NodeId = createEmitterUid();
  readonly client: RedisClientLike;
  readonly options: ResolvedEmitterOptions;
  /** Numbers broadcasts, so that nodes with connection state recovery keep them. */
  readonly nextOffset: () => Offset = createOffsetGenerator();
  /** Namespace -> its sharded router (which remembers this emitter's recent joins). */
  readonly #routers = new Map<string, ShardedRouter>();

  constructor(client: RedisClientLike, options: ResolvedEmitterOptions) {
    this.client = client;
    this.options = options;
  }

  /** Notes that this emitter made sockets of `nsp` join `rooms` (before publishing the join). */
  joined(nsp: string, rooms: readonly Room[]): void {
    if (this.options.sharded) this.#router(nsp, this.options).joined(rooms);
  }

  /**
   * Stamps, encodes and publishes `message` to namespace `nsp`. Throws EncodeError when the
   * parser cannot encode it; a failed PUBLISH goes to `onError` (or the debug log).
   */
  publish(nsp: string, message: UnstampedMessage<ClusterMessage>): void {
    const stamped = { ...message, uid: this.uid, nsp } as ClusterMessage;
    let bytes: Buffer;
    try {
      bytes = encodeMessage(this.options.parser, stamped);
    } catch (error) {
      throw new EncodeError(error);
    }
    const options = this.options;
    const channel = options.sharded ? this.#router(nsp, options).channelOf(stamped) : classicChannels(options.key, nsp).main;
    debug("publishing message of type %d to %s", stamped.type, channel);
    let sending: Promise<unknown>;
    try {
      sending = options.sharded ? this.client.spublish(channel, bytes) : this.client.publish(channel, bytes);
    } catch (error) {
      sending = Promise.reject(error);
    }
    sending.then(undefined, (error: unknown) => this.#report(new PublishError(channel, error)));
  }

  #router(nsp: string, options: ShardedOptions): ShardedRouter {
    let router = this.#routers.get(nsp);
    if (router === undefined) {
      router = new ShardedRouter(shardedChannels(options.channelPrefix, nsp), options.subscriptionMode, JOIN_SETTLE_MS);
      this.#routers.set(nsp, router);
    }
    return router;
  }

  #report(error: PublishError): void {
    const onError = this.options.onError;
    if (onError === undefined) {
      debug("publish failed (no onError): %O", error);
      return;
    }
    try {
      onError(error);
    } catch (thrown) {
      debug("onError threw: %O", thrown);
    }
  }
}
