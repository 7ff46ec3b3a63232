// Hooks the test files share: Redis servers started for a file and stopped after it, the
// unhandled promise rejections seen while it runs, and what each test starts.
import { afterAll, afterEach, beforeAll } from "@jest/globals";
import type { RedisCluster } from "./cluster";
import { killNode, type ChildNode } from "./node-process";
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

/** What a test started and the afterEach of its file stops: set them as the test goes. */
export interface TestResources {
  /** Clients to disconnect. */
  readonly clients: { disconnect(): unknown }[];
  /** The Volley nodes to close. */
  cluster: RedisCluster | undefined;
  /** A node in a child process to kill. */
  childNode: ChildNode | undefined;
}

/** Registers the afterEach that stops a test's {@link TestResources}: clients, child node, then nodes. */
export function resourcesOfEachTest(): TestResources {
  const resources: TestResources = { clients: [], cluster: undefined, childNode: undefined };
  afterEach(async () => {
    for (const client of resources.clients.splice(0)) client.disconnect();
    if (resources.childNode !== undefined) await killNode(resources.childNode.process);
    resources.childNode = undefined;
    await resources.cluster?.close();
    resources.cluster = undefined;
  });
  return resources;
}
