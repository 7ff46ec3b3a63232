export { createAdapter, RedisAdapter } from "./redis-adapter";
export { createShardedAdapter, ShardedRedisAdapter } from "./sharded-redis-adapter";
export { RedisAdapterBase } from "./redis-adapter-base";
export type { RedisAdapterEvents, RedisTransport } from "./redis-adapter-base";
export type { SubscriptionCheck } from "./subscription-check";
export { ioredisClient, nodeRedisClient, toRedisClient } from "./client";
export type {
  AnyRedisClient,
  IoRedisBufferListener,
  IoRedisClient,
  IoRedisClusterClient,
  IoRedisClusterNode,
  NodeRedisBufferListener,
  NodeRedisClient,
  NodeRedisClusterClient,
  RedisClientLike,
  RedisMessageListener,
} from "./client";
export {
  DEFAULT_REDIS_ADAPTER_OPTIONS,
  DEFAULT_SHARDED_REDIS_ADAPTER_OPTIONS,
  msgpackParser,
  resolveRedisAdapterOptions,
  resolveShardedRedisAdapterOptions,
} from "./options";
export type {
  RedisAdapterOptions,
  RedisAdapterParser,
  ResolvedRedisAdapterOptions,
  ResolvedShardedRedisAdapterOptions,
  ShardedRedisAdapterOptions,
  SubscriptionMode,
} from "./options";
export { classicChannels, encodeMessage, roomHasChannel, shardedChannels, ShardedRouter } from "./wire";
export type { ClassicChannels, ShardedChannels } from "./wire";
export {
  InvalidClientError,
  InvalidOptionError,
  NodesTimeoutError,
  REDIS_ADAPTER_ERROR_CODES,
  RedisAdapterError,
  RedisClientError,
  SubscribeError,
} from "./errors";
export type { RedisAdapterErrorCode } from "./errors";
