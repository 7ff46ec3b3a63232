// Options of the adapters: interfaces with TSDoc, frozen defaults, and resolvers that
// validate every value and merge with `??` (a user's 0 is never replaced by a default).
import type { ConnectionStateRecoverySettings } from "./contract";
import { InvalidOptionError } from "./errors";

/** The longest delay Node.js timers accept; anything larger fires at once. */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** Options of the {@link SessionAwareAdapter} (connection state recovery on one node). */
export interface SessionAwareAdapterOptions {
  /**
   * How long, in milliseconds, a disconnected session and the broadcast packets are kept.
   * Unset: the server's `connectionStateRecovery.maxDisconnectionDuration`, else the default.
   * @default 120000
   */
  maxDisconnectionDuration?: number;
  /**
   * How many broadcast packets the recovery buffer keeps at most; the oldest are dropped
   * first. A client whose last offset was dropped is not recovered (rather than recovered
   * with a gap).
   * @default 10000
   */
  maxBufferedPackets?: number;
}

export type ResolvedSessionAwareAdapterOptions = Readonly<Required<SessionAwareAdapterOptions>>;

export const DEFAULT_SESSION_AWARE_ADAPTER_OPTIONS: ResolvedSessionAwareAdapterOptions = Object.freeze({
  maxDisconnectionDuration: 120_000,
  maxBufferedPackets: 10_000,
});

/**
 * Options of the {@link ClusterAdapter} and {@link ClusterAdapterWithHeartbeat} base
 * classes. socket.io-adapter's `ClusterAdapterOptions` holds the two heartbeat options
 * only; the plain ClusterAdapter ignores them.
 */
export interface ClusterAdapterOptions {
  /**
   * How long, in milliseconds, a request to the other nodes (fetchSockets, serverSideEmit
   * with ack, session restore) waits for their answers. Acks of `broadcastWithAck` are
   * awaited for the broadcast's `timeout` flag, else this.
   * @default 5000
   */
  requestsTimeout?: number;
  /**
   * With connection state recovery on: how many broadcast packets this node keeps for
   * recovering sessions.
   * @default 10000
   */
  maxBufferedPackets?: number;
  /**
   * ClusterAdapterWithHeartbeat: how often, in milliseconds, this node tells the others it
   * is alive when it has published nothing else meanwhile (any message counts as a
   * heartbeat).
   * @default 5000
   */
  heartbeatInterval?: number;
  /**
   * ClusterAdapterWithHeartbeat: after how many milliseconds without any message a node is
   * considered down. Must be larger than `heartbeatInterval`.
   * @default 10000
   */
  heartbeatTimeout?: number;
}

export type ResolvedClusterAdapterOptions = Readonly<
  Required<Omit<ClusterAdapterOptions, "heartbeatInterval" | "heartbeatTimeout">>
>;

export const DEFAULT_CLUSTER_ADAPTER_OPTIONS: ResolvedClusterAdapterOptions = Object.freeze({
  requestsTimeout: 5_000,
  maxBufferedPackets: 10_000,
});

/** Options of the {@link ClusterAdapterWithHeartbeat} base class (the same interface). */
export type ClusterAdapterWithHeartbeatOptions = ClusterAdapterOptions;

export type ResolvedClusterAdapterWithHeartbeatOptions = Readonly<Required<ClusterAdapterOptions>>;

export const DEFAULT_CLUSTER_ADAPTER_WITH_HEARTBEAT_OPTIONS: ResolvedClusterAdapterWithHeartbeatOptions =
  Object.freeze({
    ...DEFAULT_CLUSTER_ADAPTER_OPTIONS,
    heartbeatInterval: 5_000,
    heartbeatTimeout: 10_000,
  });

/** Validates the options of a {@link SessionAwareAdapter}, falling back to the server's settings. */
export function resolveSessionAwareAdapterOptions(
  options: SessionAwareAdapterOptions = {},
  server?: ConnectionStateRecoverySettings,
): ResolvedSessionAwareAdapterOptions {
  checkObject(options);
  return Object.freeze({
    maxDisconnectionDuration: checkDuration(
      "maxDisconnectionDuration",
      options.maxDisconnectionDuration ??
        server?.maxDisconnectionDuration ??
        DEFAULT_SESSION_AWARE_ADAPTER_OPTIONS.maxDisconnectionDuration,
      Number.MAX_SAFE_INTEGER,
    ),
    maxBufferedPackets: checkCount(
      "maxBufferedPackets",
      options.maxBufferedPackets ?? DEFAULT_SESSION_AWARE_ADAPTER_OPTIONS.maxBufferedPackets,
    ),
  });
}

/** Validates the options of a {@link ClusterAdapter}. */
export function resolveClusterAdapterOptions(options: ClusterAdapterOptions = {}): ResolvedClusterAdapterOptions {
  checkObject(options);
  return Object.freeze({
    requestsTimeout: checkDuration(
      "requestsTimeout",
      options.requestsTimeout ?? DEFAULT_CLUSTER_ADAPTER_OPTIONS.requestsTimeout,
    ),
    maxBufferedPackets: checkCount(
      "maxBufferedPackets",
      options.maxBufferedPackets ?? DEFAULT_CLUSTER_ADAPTER_OPTIONS.maxBufferedPackets,
    ),
  });
}

/** Validates the options of a {@link ClusterAdapterWithHeartbeat}. */
export function resolveClusterAdapterWithHeartbeatOptions(
  options: ClusterAdapterWithHeartbeatOptions = {},
): ResolvedClusterAdapterWithHeartbeatOptions {
  const base = resolveClusterAdapterOptions(options);
  const heartbeatInterval = checkDuration(
    "heartbeatInterval",
    options.heartbeatInterval ?? DEFAULT_CLUSTER_ADAPTER_WITH_HEARTBEAT_OPTIONS.heartbeatInterval,
  );
  const heartbeatTimeout = checkDuration(
    "heartbeatTimeout",
    options.heartbeatTimeout ?? DEFAULT_CLUSTER_ADAPTER_WITH_HEARTBEAT_OPTIONS.heartbeatTimeout,
  );
  // A timeout not above the interval would declare healthy nodes down between two heartbeats.
  if (heartbeatTimeout <= heartbeatInterval) {
    throw new InvalidOptionError(
      "heartbeatTimeout",
      `larger than heartbeatInterval (${heartbeatInterval})`,
      heartbeatTimeout,
    );
  }
  return Object.freeze({ ...base, heartbeatInterval, heartbeatTimeout });
}

function checkObject(options: unknown): void {
  if (typeof options !== "object" || options === null) {
    throw new InvalidOptionError("options", "an object", options);
  }
}

function checkDuration(name: string, value: unknown, max = MAX_TIMER_DELAY_MS): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > max) {
    throw new InvalidOptionError(name, `a number of milliseconds in (0, ${max}]`, value);
  }
  return value;
}

function checkCount(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidOptionError(name, "an integer >= 1", value);
  }
  return value;
}
