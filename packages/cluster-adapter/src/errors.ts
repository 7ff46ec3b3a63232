// The error catalogue of @volley/cluster-adapter, and the one place its errors are defined.
// Every error has a stable string `code` from CLUSTER_ADAPTER_ERROR_CODES. `instanceof` works
// across copies of the package (ESM and CJS builds in one process, two installed versions):
// it checks a brand registered with Symbol.for, not the class identity (brandErrors of
// @volley/shared).
import { brandErrors, describeValue, errorCodes } from "@volley/shared";

/** Every code an error of this package may carry: `CLUSTER_ADAPTER_ERROR_CODES.NAME === "VOLLEY_CLUSTER_ADAPTER_ERR_NAME"`. */
export const CLUSTER_ADAPTER_ERROR_CODES = errorCodes("VOLLEY_CLUSTER_ADAPTER_ERR_", [
  // An option has the wrong type, is out of range or unknown ({@link InvalidOptionError}).
  "INVALID_OPTION",
  // The adapter was created in a process with no IPC channel to a primary ({@link NotAWorkerError}).
  "NOT_A_WORKER",
  // `setupPrimary()` was called outside the primary of a Node.js cluster ({@link NotPrimaryError}).
  "NOT_PRIMARY",
  // Some workers did not answer a request in time; the error names them ({@link WorkersTimeoutError}).
  "REQUEST_TIMEOUT",
]);

/** The union of every code of {@link CLUSTER_ADAPTER_ERROR_CODES}. */
export type ClusterAdapterErrorCode = (typeof CLUSTER_ADAPTER_ERROR_CODES)[keyof typeof CLUSTER_ADAPTER_ERROR_CODES];

/** Base class of every error thrown or reported by the cluster adapter. */
export class ClusterAdapterError extends Error {
  /** The code of errors of this class; the base class has none of its own. */
  static readonly code: ClusterAdapterErrorCode | undefined = undefined;
  readonly code: ClusterAdapterErrorCode;

  constructor(code: ClusterAdapterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** An option is of the wrong type or out of range (thrown by `createAdapter`). */
export class InvalidOptionError extends ClusterAdapterError {
  static override readonly code = CLUSTER_ADAPTER_ERROR_CODES.INVALID_OPTION;
  /** The name of the option. */
  readonly option: string;

  constructor(option: string, expectation: string, value: unknown, options?: { cause?: unknown }) {
    super(
      CLUSTER_ADAPTER_ERROR_CODES.INVALID_OPTION,
      `option "${option}" must be ${expectation}, got ${describeValue(value)}`,
      options,
    );
    this.option = option;
  }
}

/**
 * The adapter was built in a process that has no IPC channel (`process.send` is missing):
 * not a cluster worker. Thrown when the server creates the adapter of a namespace.
 */
export class NotAWorkerError extends ClusterAdapterError {
  static override readonly code = CLUSTER_ADAPTER_ERROR_CODES.NOT_A_WORKER;

  constructor() {
    super(
      CLUSTER_ADAPTER_ERROR_CODES.NOT_A_WORKER,
      "the cluster adapter needs an IPC channel to the primary: create the server in a worker of a Node.js cluster (cluster.fork())",
    );
  }
}

/** `setupPrimary()` was called in a process that is not the primary of a Node.js cluster. */
export class NotPrimaryError extends ClusterAdapterError {
  static override readonly code = CLUSTER_ADAPTER_ERROR_CODES.NOT_PRIMARY;

  constructor() {
    super(CLUSTER_ADAPTER_ERROR_CODES.NOT_PRIMARY, "setupPrimary() must be called in the primary process (cluster.isPrimary)");
  }
}

/** A worker that did not answer a request: its adapter id, and its `cluster.worker.id` when known. */
export interface MissingWorker {
  readonly uid: string;
  readonly workerId: number | undefined;
}

/**
 * Not every worker answered a request (fetchSockets, serverSideEmit with ack) in time. The
 * message starts with socket.io-adapter's ("timeout reached: missing N responses") and names
 * the workers; the `cause` is @volley/adapter's RequestTimeoutError.
 */
export class WorkersTimeoutError extends ClusterAdapterError {
  static override readonly code = CLUSTER_ADAPTER_ERROR_CODES.REQUEST_TIMEOUT;
  /** The workers that were alive when the request was sent and did not answer. */
  readonly missingWorkers: readonly MissingWorker[];
  /** How many workers answered. */
  readonly received: number;
  /** How many workers were expected to answer. */
  readonly expected: number;

  constructor(missingWorkers: readonly MissingWorker[], received: number, expected: number, cause?: unknown) {
    const names = missingWorkers.map(({ uid, workerId }) => (workerId === undefined ? uid : `${workerId} (${uid})`));
    super(
      CLUSTER_ADAPTER_ERROR_CODES.REQUEST_TIMEOUT,
      `timeout reached: missing ${missingWorkers.length} responses (no answer from worker${names.length === 1 ? "" : "s"} ${names.join(", ")})`,
      { cause },
    );
    this.missingWorkers = Object.freeze(missingWorkers.map((worker) => Object.freeze({ ...worker })));
    this.received = received;
    this.expected = expected;
  }
}

brandErrors("cluster-adapter", ClusterAdapterError, [InvalidOptionError, NotAWorkerError, NotPrimaryError, WorkersTimeoutError]);
