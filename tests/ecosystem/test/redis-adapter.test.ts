// The published @socket.io/redis-adapter 8.3: createAdapter(pub, sub) with node-redis 5 and
// with ioredis, and createShardedAdapter(pub, sub) with node-redis 5 over Redis 7's sharded
// pub/sub, each on three nodes of socket.io 4.8 and of @volley/server over a redis-server of
// this file: the same scenarios on both servers, the same observable results.
import { describe } from "@jest/globals";
import { CLASSIC_IOREDIS, CLASSIC_NODE_REDIS, redisFixture, SHARDED_NODE_REDIS } from "./helpers/redis";
import { registerRedisScenarios } from "./helpers/redis-scenarios";

const fixture = redisFixture();

for (const setup of [CLASSIC_NODE_REDIS, CLASSIC_IOREDIS, SHARDED_NODE_REDIS]) {
  describe(`@socket.io/redis-adapter ${setup.title}`, () => registerRedisScenarios(fixture, setup));
}
