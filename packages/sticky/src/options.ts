// Options of setupPrimary() and setupWorker(): defaults in one frozen object each, checked
// one by one so that a typo fails at start-up instead of silently changing the routing.
import { InvalidOptionError } from "./errors";

/** How the primary picks the worker of a new session (a request that names no known session). */
export type LoadBalancingMethod = "random" | "round-robin" | "least-connection";

/** The load balancing methods, in the order the README lists them. */
export const LOAD_BALANCING_METHODS: readonly LoadBalancingMethod[] = Object.freeze([
  "random",
  "round-robin",
  "least-connection",
]);

/** Options of {@link setupPrimary}. */
export interface PrimaryOptions {
  /**
   * How a new session picks its worker: `"random"`, `"round-robin"` (worker after worker,
   * in id order) or `"least-connection"` (the worker holding the fewest open sessions).
   * @default "least-connection"
   */
  loadBalancingMethod?: LoadBalancingMethod;
  /**
   * Bytes the primary reads from a new connection to find the request line; a connection
   * that sends more without ending the line goes to a worker chosen by the balancer, whose
   * HTTP server refuses it (431).
   * @default 16384 (Node.js's default maximum header size)
   */
  maxHeaderSize?: number;
  /**
   * Milliseconds a new connection may stay idle before its request line is complete; it
   * is then destroyed.
   * @default 60000 (Node.js's `headersTimeout`)
   */
  headersTimeout?: number;
  /**
   * Milliseconds a request naming a session the primary does not know yet waits for a
   * worker to report that session, before it goes to the balancer (whose worker answers
   * `400 Session ID unknown`). A worker reports a session once it has answered its
   * handshake, so a client quick to open another connection can get there first.
   * @default 1000
   */
  sessionLookupTimeout?: number;
}

/** Options of {@link setupWorker}. */
export interface WorkerOptions {
  /**
   * Bytes of a request head (request line and headers) the worker holds while it decides
   * where the request goes; a longer head goes to the worker's HTTP server, which refuses it.
   * @default 16384
   */
  maxHeaderSize?: number;
  /**
   * Milliseconds a request head may take to arrive once it has begun; the connection is
   * then destroyed.
   * @default 60000
   */
  headersTimeout?: number;
}

/** {@link PrimaryOptions} with every default applied. */
export type ResolvedPrimaryOptions = Readonly<Required<PrimaryOptions>>;
/** {@link WorkerOptions} with every default applied. */
export type ResolvedWorkerOptions = Readonly<Required<WorkerOptions>>;

/** The defaults of {@link PrimaryOptions}. */
export const DEFAULT_PRIMARY_OPTIONS: ResolvedPrimaryOptions = Object.freeze({
  loadBalancingMethod: "least-connection",
  maxHeaderSize: 16384,
  headersTimeout: 60_000,
  sessionLookupTimeout: 1000,
});

/** The defaults of {@link WorkerOptions}. */
export const DEFAULT_WORKER_OPTIONS: ResolvedWorkerOptions = Object.freeze({
  maxHeaderSize: 16384,
  headersTimeout: 60_000,
});

/**
 * Checks `options` and applies the defaults.
 * @throws InvalidOptionError for an unknown option or a wrong value
 */
export function resolvePrimaryOptions(options: PrimaryOptions | undefined): ResolvedPrimaryOptions {
  const given = checkObject(options, Object.keys(DEFAULT_PRIMARY_OPTIONS));
  const method = given["loadBalancingMethod"] ?? DEFAULT_PRIMARY_OPTIONS.loadBalancingMethod;
  if (!LOAD_BALANCING_METHODS.includes(method as LoadBalancingMethod)) {
    throw new InvalidOptionError(
      "loadBalancingMethod",
      `option loadBalancingMethod must be one of ${LOAD_BALANCING_METHODS.map((m) => `"${m}"`).join(", ")}, got ${describe(method)}`,
    );
  }
  return Object.freeze({
    loadBalancingMethod: method as LoadBalancingMethod,
    maxHeaderSize: positiveInteger("maxHeaderSize", given["maxHeaderSize"], DEFAULT_PRIMARY_OPTIONS.maxHeaderSize),
    headersTimeout: positiveInteger("headersTimeout", given["headersTimeout"], DEFAULT_PRIMARY_OPTIONS.headersTimeout),
    sessionLookupTimeout: positiveInteger("sessionLookupTimeout", given["sessionLookupTimeout"], DEFAULT_PRIMARY_OPTIONS.sessionLookupTimeout),
  });
}

/**
 * Checks `options` and applies the defaults.
 * @throws InvalidOptionError for an unknown option or a wrong value
 */
export function resolveWorkerOptions(options: WorkerOptions | undefined): ResolvedWorkerOptions {
  const given = checkObject(options, Object.keys(DEFAULT_WORKER_OPTIONS));
  return Object.freeze({
    maxHeaderSize: positiveInteger("maxHeaderSize", given["maxHeaderSize"], DEFAULT_WORKER_OPTIONS.maxHeaderSize),
    headersTimeout: positiveInteger("headersTimeout", given["headersTimeout"], DEFAULT_WORKER_OPTIONS.headersTimeout),
  });
}

function checkObject(options: unknown, known: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InvalidOptionError("options", `options must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new InvalidOptionError(key, `unknown option ${JSON.stringify(key)} (known: ${known.join(", ")})`);
    }
  }
  return options as Record<string, unknown>;
}

function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidOptionError(name, `option ${name} must be a positive integer, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  return typeof value === "object" ? (Array.isArray(value) ? "an array" : "an object") : `${typeof value} ${String(value)}`;
}
