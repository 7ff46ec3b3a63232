// The adapter conformance kit of @volley/adapter, 3 Volley nodes over a real redis-server,
// with the classic pub/sub adapter and each client library.
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { registerAdapterConformance } from "@volley/adapter/conformance";
import { createAdapter } from "../../src/index";
import { CLIENT_LIBRARIES } from "../helpers/clients";
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

for (const library of CLIENT_LIBRARIES) {
  for (const publishOnSpecificResponseChannel of [false, true]) {
    // one library runs both response channel layouts; the others the default
    if (publishOnSpecificResponseChannel && library !== "ioredis") continue;
    registerAdapterConformance(
      redisHarness(3, library, port, (pub, sub, key) =>
        createAdapter(pub, sub, {
          key,
          requestsTimeout: REQUESTS_TIMEOUT_MS,
          heartbeatInterval: 1000,
          heartbeatTimeout: 3000,
          publishOnSpecificResponseChannel,
        }),
      ),
      { describe, it },
      {
        title: `createAdapter, ${library}${publishOnSpecificResponseChannel ? ", specific response channels" : ""} (3 nodes)`,
        requestsTimeoutMs: REQUESTS_TIMEOUT_MS,
        ackTimeoutMs: 1000,
      },
    );
  }
}
