// The options of createAdapter: @volley/adapter's heartbeat and request options (the names
// and defaults of @socket.io/cluster-adapter's typings), validated when createAdapter is
// called, with this package's InvalidOptionError.
import {
  DEFAULT_CLUSTER_ADAPTER_WITH_HEARTBEAT_OPTIONS,
  InvalidOptionError as AdapterInvalidOptionError,
  resolveClusterAdapterWithHeartbeatOptions,
  type ClusterAdapterWithHeartbeatOptions,
  type ResolvedClusterAdapterWithHeartbeatOptions,
} from "@volley/adapter";
import { InvalidOptionError } from "./errors";

/**
 * Options of {@link createAdapter}:
 * - `requestsTimeout` (ms, default 5000): how long fetchSockets, serverSideEmit with an ack
 *   and a session restore wait for the other workers;
 * - `heartbeatInterval` (ms, default 5000): how often a worker that published nothing else
 *   tells the others it is alive;
 * - `heartbeatTimeout` (ms, default 10000): a worker not heard from for this long is dropped
 *   (one that exits is dropped at once: the primary tells the others);
 * - `maxBufferedPackets` (default 10000): with connection state recovery, how many
 *   broadcast packets each worker keeps for recovering sessions.
 */
export type ClusterAdapterOptions = ClusterAdapterWithHeartbeatOptions;

export type ResolvedClusterAdapterOptions = ResolvedClusterAdapterWithHeartbeatOptions;

/** The defaults of {@link ClusterAdapterOptions}. */
export const DEFAULT_CLUSTER_ADAPTER_OPTIONS: ResolvedClusterAdapterOptions = DEFAULT_CLUSTER_ADAPTER_WITH_HEARTBEAT_OPTIONS;

const KNOWN_OPTIONS: ReadonlySet<string> = new Set(Object.keys(DEFAULT_CLUSTER_ADAPTER_OPTIONS));

/**
 * Validates the options of {@link createAdapter}.
 * @throws InvalidOptionError
 */
export function resolveClusterAdapterOptions(options: ClusterAdapterOptions = {}): ResolvedClusterAdapterOptions {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InvalidOptionError("options", "an object", options);
  }
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(name)) throw new InvalidOptionError(name, `one of ${[...KNOWN_OPTIONS].join(", ")} (unknown option)`, name);
  }
  try {
    return resolveClusterAdapterWithHeartbeatOptions(options);
  } catch (error) {
    if (error instanceof AdapterInvalidOptionError) {
      // The same check, reported with this package's error (the adapter's is the cause).
      const expectation = / must be (.*), got /s.exec(error.message)?.[1] ?? "valid";
      throw new InvalidOptionError(error.option, expectation, options[error.option as keyof ClusterAdapterOptions], { cause: error });
    }
    throw error;
  }
}
