// Type test (checked by `pnpm typecheck`): the clients of node-redis 4 and 5 and ioredis 5,
// standalone and Redis Cluster (`createCluster()`, `Cluster`), are accepted as they are by
// both factories and the wrappers.
import { Cluster, Redis } from "ioredis";
import { createClient, createCluster } from "redis";
import { createClient as createClientV4, createCluster as createClusterV4 } from "redis-v4";
import {
  createAdapter,
  createShardedAdapter,
  ioredisClient,
  nodeRedisClient,
  type RedisAdapter,
  type RedisClientLike,
  type ShardedRedisAdapter,
} from "../../src/index";
import type { AdapterConstructor } from "@volley/adapter";

const v5 = createClient();
const v4 = createClientV4();
const io = new Redis({ lazyConnect: true });
const ioCluster = new Cluster([]);
const v5Cluster = createCluster({ rootNodes: [{ url: "redis://127.0.0.1:7000" }] });
const v4Cluster = createClusterV4({ rootNodes: [{ url: "redis://127.0.0.1:7000" }] });

export const classic: AdapterConstructor<RedisAdapter>[] = [
  createAdapter(v5, v5.duplicate()),
  createAdapter(v4, v4.duplicate(), { key: "app" }),
  createAdapter(io, io.duplicate(), { publishOnSpecificResponseChannel: true }),
  createAdapter(ioCluster, ioCluster.duplicate()),
  createAdapter(v5Cluster, v5Cluster.duplicate()),
  createAdapter(v4Cluster, v4Cluster.duplicate(), { key: "app" }),
];

export const sharded: AdapterConstructor<ShardedRedisAdapter>[] = [
  createShardedAdapter(v5, v5.duplicate(), { subscriptionMode: "static" }),
  createShardedAdapter(v4, v4.duplicate(), { channelPrefix: "app" }),
  createShardedAdapter(io, io.duplicate(), { subscriptionMode: "dynamic-private" }),
  createShardedAdapter(ioCluster, ioCluster.duplicate([], { shardedSubscribers: true })),
  createShardedAdapter(v5Cluster, v5Cluster.duplicate(), { subscriptionMode: "dynamic-private" }),
  createShardedAdapter(v4Cluster, v4Cluster.duplicate()),
];

export const wrapped: RedisClientLike[] = [
  nodeRedisClient(v5),
  nodeRedisClient(v4),
  ioredisClient(io),
  ioredisClient(ioCluster),
  nodeRedisClient(v5Cluster),
  nodeRedisClient(v4Cluster),
];

// @ts-expect-error: not a Redis client
createAdapter({}, {});
// @ts-expect-error: unknown subscription mode
createShardedAdapter(v5, v5, { subscriptionMode: "sometimes" });
