// beforeAll/afterAll pairs the test files share: Redis servers started for a file and
// stopped after it, and the unhandled promise rejections seen while it runs.
import { afterAll, beforeAll } from "@jest/globals";
import { startRedisClusterServer, type RedisClusterServer } from "./redis-cluster-server";
import { startRedisServer, type RedisServer } from "./redis-server";

/** A standalone Redis, started before the tests of a file and stopped after them. */
export function redisServerForFile(): { readonly redis: RedisServer } {
  const servers = {} as { redis: RedisServer };
  beforeAll(async () => {
    servers.redis = await startRedisServer();
  });
  afterAll(async () => {
    await servers.redis?.stop();
  });
  return servers;
}

/** A standalone Redis and a Redis Cluster, started before the tests of a file and stopped after them. */
export function redisServersForFile(): { readonly redis: RedisServer; readonly redisCluster: RedisClusterServer } {
  const servers = {} as { redis: RedisServer; redisCluster: RedisClusterServer };
  beforeAll(async () => {
    [servers.redis, servers.redisCluster] = await Promise.all([startRedisServer(), startRedisClusterServer()]);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([servers.redis?.stop(), servers.redisCluster?.stop()]);
  });
  return servers;
}

/** The unhandled promise rejections of the process while the tests of a file run (expected: none). */
export function unhandledRejectionsOfFile(): unknown[] {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => void rejections.push(reason);
  beforeAll(() => {
    process.on("unhandledRejection", onRejection);
  });
  afterAll(() => {
    process.off("unhandledRejection", onRejection);
  });
  return rejections;
}
