// The adapter conformance kit of @volley/adapter run against the published Redis adapters
// written for socket.io, on three @volley/server nodes over a redis-server of this file.
//
// What they cannot do is never skipped silently. @socket.io/redis-adapter (classic and
// sharded) keeps no sessions (its persistSession/restoreSession are socket.io-adapter's
// no-ops): the kit reports the recovery cases as not applicable
// (`connectionStateRecovery: false`). Both of its flavours miss a broadcast sent right
// after a socketsJoin() on some node (the same on socket.io 4.8): that case runs and must
// fail with the kit's message for it. The streams adapter passes every case.
import { describe, expect, it } from "@jest/globals";
import {
  adapterConformanceCases,
  type AdapterConformanceHarness,
  type AdapterConformanceOptions,
  type ConformanceClient,
  type ConformanceServer,
} from "@volley/adapter/conformance";
import { io as ioc } from "socket.io-client";
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

/** socket.io-adapter's ClusterAdapter (the base of the sharded and streams adapters) waits a fixed 5 s for other nodes. */
const CLUSTER_ADAPTER_REQUESTS_TIMEOUT_MS = 5000;

function harness(setup: RedisAdapterSetup): AdapterConformanceHarness {
  return {
    nodes: 3,
    async createCluster(count, options) {
      const recovery = options.connectionStateRecovery ? { connectionStateRecovery: { maxDisconnectionDuration: 10_000 } } : {};
      // the kit closes its clusters itself
      const cluster = await fixture.start(VOLLEY, setup, count, recovery, false);
      return {
        servers: cluster.nodes.map((node) => node.io as unknown as ConformanceServer),
        urls: cluster.nodes.map((node) => node.url),
        stop: cluster.stop,
        close: cluster.close,
      };
    },
    connect: (url) => ioc(url, { forceNew: true, reconnection: false, transports: ["websocket"] }) as unknown as ConformanceClient,
    moveClient: (client, url) => void ((client.io as unknown as { uri: string }).uri = url),
  };
}

/** A case the adapter fails on socket.io 4.8 as on Volley, with the reason and the kit's message. */
interface KnownFailure {
  readonly reason: string;
  readonly message: RegExp;
}

/** Every live client must answer a broadcast within it, on a loaded machine too. */
const ACK_TIMEOUT_MS = 2000;

/** The kit's timeoutMs for the run of a known failure (its connections take milliseconds). */
const KNOWN_FAILURE_TIMEOUT_MS = 2500;

const JOIN_THEN_BROADCAST = "socketsJoin() and socketsLeave() change the rooms of the matching sockets on every node";

/**
 * Registers every case of the kit for `setup`. Cases that are not applicable are reported
 * with the kit's reason; a known failure is run and must fail with its known message (a
 * release that fixes it makes the test fail, and the entry goes).
 */
function registerPublished(
  setup: RedisAdapterSetup,
  options: AdapterConformanceOptions,
  knownFailures: Readonly<Record<string, KnownFailure>> = {},
): void {
  const cases = adapterConformanceCases(harness(setup), options);
  // a known failure waits out the kit's timeoutMs once: a shorter one, the same case
  const shortCases = adapterConformanceCases(harness(setup), { ...options, timeoutMs: KNOWN_FAILURE_TIMEOUT_MS });
  for (const name of Object.keys(knownFailures)) {
    if (!cases.some((testCase) => testCase.name === name)) throw new Error(`no conformance case named "${name}"`);
  }
  describe(`${setup.title} on @volley/server (3 nodes)`, () => {
    for (const testCase of cases) {
      const known = knownFailures[testCase.name];
      if (!testCase.applicable) it(`${testCase.name} [not applicable: ${testCase.notApplicableReason}]`, testCase.run);
      else if (known === undefined) it(testCase.name, testCase.run);
      else {
        const short = shortCases.find((candidate) => candidate.name === testCase.name) ?? testCase;
        it(`${testCase.name} [fails as known: ${known.reason}]`, () => expect(short.run()).rejects.toThrow(known.message));
      }
    }
  });
}

describe("@socket.io/redis-adapter", () => {
  registerPublished(
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
  registerPublished(
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
  registerPublished(STREAMS_NODE_REDIS, { requestsTimeoutMs: CLUSTER_ADAPTER_REQUESTS_TIMEOUT_MS, ackTimeoutMs: ACK_TIMEOUT_MS });
});
