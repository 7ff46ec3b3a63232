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

/** Options of {@link setupPrimary}: the limits of what it keeps for connection state recovery. */
export interface ClusterAdapterPrimaryOptions {
  /**
   * How many recoverable broadcast packets the primary keeps per namespace; the oldest are
   * dropped first. A client whose last packet was dropped is not recovered.
   * @default 10000
   */
  maxBufferedPackets?: number;
  /**
   * How long, in milliseconds, the primary keeps a session and a packet. Set it to the
   * servers' `connectionStateRecovery.maxDisconnectionDuration` (or less).
   * @default 120000
   */
  maxDisconnectionDuration?: number;
}

export type ResolvedClusterAdapterPrimaryOptions = Readonly<Required<ClusterAdapterPrimaryOptions>>;

/** The defaults of {@link ClusterAdapterPrimaryOptions}. */
export const DEFAULT_CLUSTER_ADAPTER_PRIMARY_OPTIONS: ResolvedClusterAdapterPrimaryOptions = Object.freeze({
  maxBufferedPackets: 10_000,
  maxDisconnectionDuration: 120_000,
});

/**
 * Validates the options of {@link setupPrimary}.
 * @throws InvalidOptionError
 */
export function resolvePrimaryOptions(options: ClusterAdapterPrimaryOptions = {}): ResolvedClusterAdapterPrimaryOptions {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InvalidOptionError("options", "an object", options);
  }
  const known = Object.keys(DEFAULT_CLUSTER_ADAPTER_PRIMARY_OPTIONS);
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) throw new InvalidOptionError(name, `one of ${known.join(", ")} (unknown option)`, name);
  }
  const d = DEFAULT_CLUSTER_ADAPTER_PRIMARY_OPTIONS;
  const maxBufferedPackets = options.maxBufferedPackets ?? d.maxBufferedPackets;
  if (!Number.isSafeInteger(maxBufferedPackets) || maxBufferedPackets < 1) {
    throw new InvalidOptionError("maxBufferedPackets", "an integer >= 1", maxBufferedPackets);
  }
  const maxDisconnectionDuration = options.maxDisconnectionDuration ?? d.maxDisconnectionDuration;
  if (typeof maxDisconnectionDuration !== "number" || !Number.isFinite(maxDisconnectionDuration) || maxDisconnectionDuration <= 0) {
    throw new InvalidOptionError("maxDisconnectionDuration", "a number of milliseconds > 0", maxDisconnectionDuration);
  }
  return Object.freeze({ maxBufferedPackets, maxDisconnectionDuration });
}
