// The adapter conformance kit of @volley/adapter, 3 Volley nodes over a real 3-master Redis
// Cluster, with the cluster clients of node-redis 5 (`createCluster()`) and ioredis
// (`Cluster`): the classic adapter (PUBLISH is forwarded to every shard by the cluster
// bus) and the sharded adapter in each subscription mode (SSUBSCRIBE to each channel's
// shard).
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { registerAdapterConformance } from "@volley/adapter/conformance";
import { createAdapter, createShardedAdapter, type SubscriptionMode } from "../../src/index";
import type { ClusterLibrary } from "../helpers/clients";
import { redisHarness, type NodeAdapterFactory } from "../helpers/cluster";
import { startRedisClusterServer, type RedisClusterServer } from "../helpers/redis-cluster-server";

const REQUESTS_TIMEOUT_MS = 1000;
const TIMING = { requestsTimeout: REQUESTS_TIMEOUT_MS, heartbeatInterval: 1000, heartbeatTimeout: 3000 };

let redisCluster: RedisClusterServer | undefined;
beforeAll(async () => {
  redisCluster = await startRedisClusterServer(3);
}, 30_000);
afterAll(async () => {
  await redisCluster?.stop();
});
const port = (): number => {
  const first = redisCluster?.ports[0];
  if (first === undefined) throw new Error("the Redis Cluster is not running");
  return first;
};

const LIBRARIES: readonly ClusterLibrary[] = ["redis@5 cluster", "ioredis Cluster"];
const MODES: readonly SubscriptionMode[] = ["dynamic", "static", "dynamic-private"];

for (const library of LIBRARIES) {
  const runs: [string, NodeAdapterFactory][] = [
    ["createAdapter", (pub, sub, key) => createAdapter(pub, sub, { key, ...TIMING })],
    ...MODES.map((subscriptionMode): [string, NodeAdapterFactory] => [
      `createShardedAdapter, ${subscriptionMode}`,
      (pub, sub, key) => createShardedAdapter(pub, sub, { channelPrefix: key, subscriptionMode, ...TIMING }),
    ]),
  ];
  for (const [name, factory] of runs) {
    registerAdapterConformance(redisHarness(3, library, port, factory), { describe, it }, {
      title: `${name}, ${library}, Redis Cluster of 3 masters (3 nodes)`,
      requestsTimeoutMs: REQUESTS_TIMEOUT_MS,
      ackTimeoutMs: 1000,
    });
  }
}
