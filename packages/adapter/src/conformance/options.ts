// Options of the adapter conformance kit, their defaults and their validation.
import { InvalidOptionError } from "../errors";
import type { AdapterConformanceHarness } from "./types";

/** Options of the adapter conformance kit. */
export interface AdapterConformanceOptions {
  /**
   * Longest wait for anything that should happen (a client connecting, an event
   * arriving, a request settling), in milliseconds. Waits end as soon as the awaited
   * thing happens: this only bounds a failure.
   * @default 5000
   */
  timeoutMs?: number;
  /**
   * The acknowledgement timeout the kit sets on broadcasts with acks in the timeout cases,
   * in milliseconds. Short, since a case waits for it once; every live client must answer
   * within it.
   * @default 500
   */
  ackTimeoutMs?: number;
  /**
   * The adapter's own requests timeout (how long `fetchSockets` and `serverSideEmit` with
   * an ack wait for other nodes), in milliseconds. The node-gone and no-answer cases
   * allow this plus `timeoutMs` for a request to settle; keep it short in the factory.
   * @default 5000
   */
  requestsTimeoutMs?: number;
  /**
   * Whether the adapter supports connection state recovery. `false` reports the recovery
   * cases as not applicable.
   * @default true
   */
  connectionStateRecovery?: boolean;
}

/** The options after defaults and validation. */
export interface ResolvedAdapterConformanceOptions {
  readonly timeoutMs: number;
  readonly ackTimeoutMs: number;
  readonly requestsTimeoutMs: number;
  readonly connectionStateRecovery: boolean;
}

/** The defaults of {@link AdapterConformanceOptions}. */
export const DEFAULT_ADAPTER_CONFORMANCE_OPTIONS: ResolvedAdapterConformanceOptions = Object.freeze({
  timeoutMs: 5000,
  ackTimeoutMs: 500,
  requestsTimeoutMs: 5000,
  connectionStateRecovery: true,
});

/**
 * Applies the defaults and checks every value.
 * @throws InvalidOptionError
 */
export function resolveAdapterConformanceOptions(options: AdapterConformanceOptions = {}): ResolvedAdapterConformanceOptions {
  const d = DEFAULT_ADAPTER_CONFORMANCE_OPTIONS;
  const recovery = options.connectionStateRecovery ?? d.connectionStateRecovery;
  if (typeof recovery !== "boolean") throw new InvalidOptionError("connectionStateRecovery", "a boolean", recovery);
  return Object.freeze({
    timeoutMs: positiveMs("timeoutMs", options.timeoutMs ?? d.timeoutMs),
    ackTimeoutMs: positiveMs("ackTimeoutMs", options.ackTimeoutMs ?? d.ackTimeoutMs),
    requestsTimeoutMs: positiveMs("requestsTimeoutMs", options.requestsTimeoutMs ?? d.requestsTimeoutMs),
    connectionStateRecovery: recovery,
  });
}

/** @throws InvalidOptionError when the harness lacks a function or has a bad node count */
export function checkHarness(harness: AdapterConformanceHarness): void {
  if (typeof harness !== "object" || harness === null) throw new InvalidOptionError("harness", "an object", harness);
  if (!Number.isInteger(harness.nodes) || harness.nodes < 1) {
    throw new InvalidOptionError("nodes", "an integer of at least 1", harness.nodes);
  }
  if (typeof harness.createCluster !== "function") throw new InvalidOptionError("createCluster", "a function", harness.createCluster);
  if (typeof harness.connect !== "function") throw new InvalidOptionError("connect", "a function", harness.connect);
  if (harness.moveClient !== undefined && typeof harness.moveClient !== "function") {
    throw new InvalidOptionError("moveClient", "a function or undefined", harness.moveClient);
  }
}

const MAX_TIMER = 2 ** 31 - 1;

function positiveMs(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0 || value > MAX_TIMER) {
    throw new InvalidOptionError(name, `an integer from 1 to ${MAX_TIMER} (ms)`, value);
  }
  return value;
}
