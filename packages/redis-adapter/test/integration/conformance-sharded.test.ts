// The adapter conformance kit of @volley/adapter, 3 Volley nodes over a real redis-server
// (7+), with the sharded pub/sub adapter: each client library in the default "dynamic"
// mode, and the "static" and "dynamic-private" modes.
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { registerAdapterConformance } from "@volley/adapter/conformance";
import { createShardedAdapter, type SubscriptionMode } from "../../src/index";
import type { ClientLibrary } from "../helpers/clients";
import { redisHarness } from "../helpers/cluster";
import { startRedisServer, type RedisServer } from "../helpers/redis-server";

const REQUESTS_TIMEOUT_MS = 1000;

let redis: RedisServer | undefined;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});
const port = (): number => {
  if (redis === undefined) throw new Error("redis-server is not running");
  return redis.port;
};

const RUNS: readonly [ClientLibrary, SubscriptionMode][] = [
  ["redis@5", "dynamic"],
  ["redis@4", "dynamic"],
  ["ioredis", "dynamic"],
  ["redis@5", "static"],
  ["ioredis", "dynamic-private"],
];

for (const [library, subscriptionMode] of RUNS) {
  registerAdapterConformance(
    redisHarness(3, library, port, (pub, sub, key) =>
      createShardedAdapter(pub, sub, {
        channelPrefix: key,
        subscriptionMode,
        requestsTimeout: REQUESTS_TIMEOUT_MS,
        heartbeatInterval: 1000,
        heartbeatTimeout: 3000,
      }),
    ),
    { describe, it },
    {
      title: `createShardedAdapter, ${library}, ${subscriptionMode} (3 nodes)`,
      requestsTimeoutMs: REQUESTS_TIMEOUT_MS,
      ackTimeoutMs: 1000,
    },
  );
}
