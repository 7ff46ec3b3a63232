// The published @socket.io/redis-adapter 8.3: createAdapter(pub, sub) and, over Redis 7's
// sharded pub/sub, createShardedAdapter(pub, sub), each with node-redis 5 and with ioredis,
// each on three nodes of socket.io 4.8 and of @volley/server over a redis-server of
// this file: the same scenarios on both servers, the same observable results.
import { describe } from "@jest/globals";
import { CLASSIC_IOREDIS, CLASSIC_NODE_REDIS, redisFixture, SHARDED_IOREDIS, SHARDED_NODE_REDIS } from "./helpers/redis";
import { registerRedisScenarios } from "./helpers/redis-scenarios";

const fixture = redisFixture();

for (const setup of [CLASSIC_NODE_REDIS, CLASSIC_IOREDIS, SHARDED_NODE_REDIS, SHARDED_IOREDIS]) {
  // the wait for a silent node once per flavour, with the first client library
  const silentNode = setup === CLASSIC_NODE_REDIS || setup === SHARDED_NODE_REDIS;
  describe(`@socket.io/redis-adapter ${setup.title}`, () => registerRedisScenarios(fixture, setup, { silentNode }));
}
