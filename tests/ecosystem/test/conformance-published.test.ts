// The adapter conformance kit of @volley/adapter run against the published Redis adapters
// written for socket.io, on three @volley/server nodes over a redis-server of this file.
//
// What they cannot do is never skipped silently. @socket.io/redis-adapter (classic and
// sharded) keeps no sessions (its persistSession/restoreSession are socket.io-adapter's
// no-ops): the kit reports the recovery cases as not applicable
// (`connectionStateRecovery: false`). Both of its flavours miss a broadcast sent right
// after a socketsJoin() on some node (the same on socket.io 4.8): that case runs and must
// fail with the kit's message for it. The streams adapter passes every case.
import { describe } from "@jest/globals";
import type { AdapterConformanceOptions } from "@volley/adapter/conformance";
import {
  ACK_TIMEOUT_MS,
  CLUSTER_ADAPTER_REQUESTS_TIMEOUT_MS,
  JOIN_THEN_BROADCAST,
  registerPublished,
  type KnownFailure,
} from "./helpers/conformance";
import { IMPLEMENTATIONS } from "./helpers/nodes";
import {
  CLASSIC_NODE_REDIS,
  CLASSIC_REQUESTS_TIMEOUT_MS,
  redisFixture,
  SHARDED_NODE_REDIS,
  STREAMS_NODE_REDIS,
  type RedisAdapterSetup,
} from "./helpers/redis";

const fixture = redisFixture();
const VOLLEY = IMPLEMENTATIONS[1];

/** Registers every case of the kit for `setup` (see registerPublished). */
function registerRedis(
  setup: RedisAdapterSetup,
  options: AdapterConformanceOptions,
  knownFailures: Readonly<Record<string, KnownFailure>> = {},
): void {
  // the kit closes its clusters itself
  registerPublished(setup.title, (count, serverOptions) => fixture.start(VOLLEY, setup, count, serverOptions, false), options, knownFailures);
}

describe("@socket.io/redis-adapter", () => {
  registerRedis(
    CLASSIC_NODE_REDIS,
    {
      requestsTimeoutMs: CLASSIC_REQUESTS_TIMEOUT_MS,
      ackTimeoutMs: ACK_TIMEOUT_MS,
      // no session store: socket.io-adapter's Adapter keeps none, and this adapter adds none
      connectionStateRecovery: false,
    },
    {
      [JOIN_THEN_BROADCAST]: {
        reason: "socketsJoin() reaches the sockets of its own node only once its request came back from Redis, after a broadcast sent right after it",
        message: /the sockets that joined receiving an event sent to the room/,
      },
    },
  );
  registerRedis(
    SHARDED_NODE_REDIS,
    {
      requestsTimeoutMs: CLUSTER_ADAPTER_REQUESTS_TIMEOUT_MS,
      ackTimeoutMs: ACK_TIMEOUT_MS,
      // a plain ClusterAdapter: no session store either
      connectionStateRecovery: false,
    },
    {
      [JOIN_THEN_BROADCAST]: {
        reason: "a broadcast to one room goes to that room's shard channel, which another node subscribes to only once the socketsJoin() creating the room there arrived, after the broadcast",
        message: /the sockets that joined receiving an event sent to the room/,
      },
    },
  );
});

describe("@socket.io/redis-streams-adapter", () => {
  registerRedis(STREAMS_NODE_REDIS, { requestsTimeoutMs: CLUSTER_ADAPTER_REQUESTS_TIMEOUT_MS, ackTimeoutMs: ACK_TIMEOUT_MS });
});
