// The list of cases bound to a harness, and their registration with a test framework.
import type { CaseDefinition } from "./case-definition";
import { broadcastCases } from "./broadcast-cases";
import { check } from "./assert";
import {
  checkHarness,
  resolveAdapterConformanceOptions,
  type AdapterConformanceOptions,
  type ResolvedAdapterConformanceOptions,
} from "./options";
import { recoveryCases } from "./recovery-cases";
import { ConformanceScope } from "./scope";
import { serverSideCases } from "./server-side-cases";
import { socketCases } from "./socket-cases";
import type { AdapterConformanceHarness } from "./types";

/** One named check of the kit. */
export interface AdapterConformanceCase {
  readonly name: string;
  /** Fewest nodes the case needs; with fewer, it is not applicable. */
  readonly minNodes: number;
  /** Whether the case needs connection state recovery. */
  readonly needsRecovery: boolean;
  /** Whether the case needs `harness.moveClient()`. */
  readonly needsMoveClient: boolean;
  /** Whether the case applies to the harness and options it was built for. */
  readonly applicable: boolean;
  /** Why not, when not applicable (for instance "needs 2 nodes, the cluster has 1"). */
  readonly notApplicableReason: string | undefined;
  /**
   * Runs the case: starts a cluster, connects clients, checks, and closes all of it.
   * Rejects with a ConformanceError saying what differed. For a case that is not
   * applicable, it only checks that the harness's clusters have the node count it claims.
   */
  run(): Promise<void>;
}

/** The functions of a test framework the kit registers its cases with (jest, mocha, vitest, node:test). */
export interface TestFramework {
  describe?: (name: string, body: () => void) => unknown;
  it: (name: string, body: () => Promise<void>) => unknown;
}

/** Every case of the kit, in the order they run. */
const DEFINITIONS: readonly CaseDefinition[] = [...broadcastCases, ...socketCases, ...serverSideCases, ...recoveryCases];

/**
 * Builds the list of checks for the adapter behind `harness`. Each case starts its own
 * cluster with `harness.createCluster()` and closes it, whatever the outcome.
 * @throws InvalidOptionError for a malformed harness or option
 */
export function adapterConformanceCases(
  harness: AdapterConformanceHarness,
  options: AdapterConformanceOptions = {},
): AdapterConformanceCase[] {
  checkHarness(harness);
  const resolved = resolveAdapterConformanceOptions(options);
  return DEFINITIONS.map((definition) => {
    const reason = notApplicableReason(definition, harness, resolved);
    const run = async (): Promise<void> => {
      const scope = new ConformanceScope(harness, resolved);
      try {
        const cluster = await scope.start(definition.needsRecovery && reason === undefined);
        if (reason === undefined) await definition.run(scope);
        else check(cluster.servers.length === harness.nodes, `the cluster has ${cluster.servers.length} nodes, not ${harness.nodes}`);
      } finally {
        await scope.close();
      }
    };
    return Object.freeze({
      name: definition.name,
      minNodes: definition.minNodes,
      needsRecovery: definition.needsRecovery,
      needsMoveClient: definition.needsMoveClient === true,
      applicable: reason === undefined,
      notApplicableReason: reason,
      run,
    });
  });
}

function notApplicableReason(
  definition: CaseDefinition,
  harness: AdapterConformanceHarness,
  options: ResolvedAdapterConformanceOptions,
): string | undefined {
  if (definition.minNodes > harness.nodes) return `needs ${definition.minNodes} nodes, the cluster has ${harness.nodes}`;
  if (definition.needsRecovery && !options.connectionStateRecovery) {
    return "needs connection state recovery, which the options say the adapter does not support";
  }
  if (definition.needsMoveClient === true && harness.moveClient === undefined) {
    return "needs harness.moveClient() to send a client to another node";
  }
  return undefined;
}

/**
 * Registers every case as a test of `framework`, inside a `describe` block when the
 * framework has one. A case that is not applicable is registered under a name that says
 * so (and checks only the cluster's node count), never skipped silently.
 *
 * @example
 * import { describe, it } from "@jest/globals";
 * import { registerAdapterConformance } from "@volley/adapter/conformance";
 *
 * registerAdapterConformance({ nodes: 3, createCluster, connect }, { describe, it });
 */
export function registerAdapterConformance(
  harness: AdapterConformanceHarness,
  framework: TestFramework,
  options: AdapterConformanceOptions & { title?: string } = {},
): void {
  const cases = adapterConformanceCases(harness, options);
  const register = (): void => {
    for (const testCase of cases) {
      const name = testCase.applicable ? testCase.name : `${testCase.name} [not applicable: ${testCase.notApplicableReason}]`;
      framework.it(name, testCase.run);
    }
  };
  const title = options.title ?? `adapter conformance (${harness.nodes} node${harness.nodes === 1 ? "" : "s"})`;
  if (framework.describe !== undefined) framework.describe(title, register);
  else register();
}
