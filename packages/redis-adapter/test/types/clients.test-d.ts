// Type test (checked by `pnpm typecheck`): the clients of node-redis 4 and 5 and ioredis 5,
// (standalone; ioredis' Cluster too), are accepted as they are by both factories and the wrappers.
import { Cluster, Redis } from "ioredis";
import { createClient } from "redis";
import { createClient as createClientV4 } from "redis-v4";
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

export const classic: AdapterConstructor<RedisAdapter>[] = [
  createAdapter(v5, v5.duplicate()),
  createAdapter(v4, v4.duplicate(), { key: "app" }),
  createAdapter(io, io.duplicate(), { publishOnSpecificResponseChannel: true }),
  createAdapter(ioCluster, ioCluster.duplicate()),
];

export const sharded: AdapterConstructor<ShardedRedisAdapter>[] = [
  createShardedAdapter(v5, v5.duplicate(), { subscriptionMode: "static" }),
  createShardedAdapter(v4, v4.duplicate(), { channelPrefix: "app" }),
  createShardedAdapter(io, io.duplicate(), { subscriptionMode: "dynamic-private" }),
  createShardedAdapter(ioCluster, ioCluster.duplicate()),
];

export const wrapped: RedisClientLike[] = [nodeRedisClient(v5), nodeRedisClient(v4), ioredisClient(io), ioredisClient(ioCluster)];

// @ts-expect-error: not a Redis client
createAdapter({}, {});
// @ts-expect-error: unknown subscription mode
createShardedAdapter(v5, v5, { subscriptionMode: "sometimes" });
