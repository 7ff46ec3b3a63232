// The adapter conformance kit of @volley/adapter run against an adapter published for
// socket.io, on @volley/server nodes: the kit's harness over a cluster starter, and the
// registration of every case. What the adapter cannot do is never skipped silently: a case
// that is not applicable says why in its name, and a known failure runs and must fail with
// its known message.
import { describe, expect, it } from "@jest/globals";
import {
  adapterConformanceCases,
  type AdapterConformanceHarness,
  type AdapterConformanceOptions,
  type ConformanceClient,
  type ConformanceServer,
} from "@volley/adapter/conformance";
import type { ServerOptions } from "@volley/server";
import { io as ioc } from "socket.io-client";
import type { AdapterCluster } from "./nodes";

/** socket.io-adapter's ClusterAdapter (the base of the sharded, streams and postgres adapters) waits a fixed 5 s for other nodes. */
export const CLUSTER_ADAPTER_REQUESTS_TIMEOUT_MS = 5000;

/** Every live client must answer a broadcast within it, on a loaded machine too. */
export const ACK_TIMEOUT_MS = 2000;

/** The kit's timeoutMs for the run of a known failure (its connections take milliseconds). */
const KNOWN_FAILURE_TIMEOUT_MS = 2500;

/** The case that sends a broadcast to a room right after socketsJoin() into it. */
export const JOIN_THEN_BROADCAST = "socketsJoin() and socketsLeave() change the rooms of the matching sockets on every node";

/**
 * Starts `count` nodes with `options` (plus the adapter) on channels of their own, and
 * resolves once each counts all of them. The kit closes the clusters it starts.
 */
export type StartPublishedCluster = (count: number, options: ServerOptions) => Promise<AdapterCluster>;

/** A case the adapter fails on socket.io 4.8 as on Volley, with the reason and the kit's message. */
export interface KnownFailure {
  readonly reason: string;
  readonly message: RegExp;
}

function harness(start: StartPublishedCluster): AdapterConformanceHarness {
  return {
    nodes: 3,
    async createCluster(count, options) {
      const recovery = options.connectionStateRecovery ? { connectionStateRecovery: { maxDisconnectionDuration: 10_000 } } : {};
      const cluster = await start(count, recovery);
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

/**
 * Registers every case of the kit for the adapter behind `start`, under
 * "`title` on @volley/server (3 nodes)". Cases that are not applicable are reported with
 * the kit's reason; a known failure is run and must fail with its known message (a release
 * that fixes it makes the test fail, and the entry goes).
 */
export function registerPublished(
  title: string,
  start: StartPublishedCluster,
  options: AdapterConformanceOptions,
  knownFailures: Readonly<Record<string, KnownFailure>> = {},
): void {
  const cases = adapterConformanceCases(harness(start), options);
  // a known failure waits out the kit's timeoutMs once: a shorter one, the same case
  const shortCases = adapterConformanceCases(harness(start), { ...options, timeoutMs: KNOWN_FAILURE_TIMEOUT_MS });
  for (const name of Object.keys(knownFailures)) {
    if (!cases.some((testCase) => testCase.name === name)) throw new Error(`no conformance case named "${name}"`);
  }
  describe(`${title} on @volley/server (3 nodes)`, () => {
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
