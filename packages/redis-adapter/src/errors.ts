// The error catalogue of @volley/redis-adapter, and the one place its errors are defined.
// Every error has a stable string `code` from REDIS_ADAPTER_ERROR_CODES, which never changes
// meaning. `instanceof` works across copies of the package (ESM and CJS builds in one
// process, two installed versions): each class checks a brand registered with Symbol.for,
// not the class identity, and every error carries the base brand (brandErrors of
// @volley/shared).
import { brandErrors, errorCodes } from "@volley/shared";

/** Every code an error of this package may carry: `REDIS_ADAPTER_ERROR_CODES.NAME === "VOLLEY_REDIS_ADAPTER_ERR_NAME"`. */
export const REDIS_ADAPTER_ERROR_CODES = errorCodes("VOLLEY_REDIS_ADAPTER_ERR_", [
  // An option has the wrong type or is out of range ({@link InvalidOptionError}).
  "INVALID_OPTION",
  // A Redis client is neither node-redis, ioredis nor a `RedisClientLike` ({@link InvalidClientError}).
  "INVALID_CLIENT",
  // A Redis client reported an error: connection lost, command failed ({@link RedisClientError}).
  "CLIENT_ERROR",
  // Subscribing to or unsubscribing from a channel failed ({@link SubscribeError}).
  "SUBSCRIBE_FAILED",
  // Some nodes did not answer a request in time; the error names them ({@link NodesTimeoutError}).
  "REQUEST_TIMEOUT",
]);

/** The union of every code of {@link REDIS_ADAPTER_ERROR_CODES}. */
export type RedisAdapterErrorCode = (typeof REDIS_ADAPTER_ERROR_CODES)[keyof typeof REDIS_ADAPTER_ERROR_CODES];

/** Base class of every error thrown or reported by the Redis adapter. */
export class RedisAdapterError extends Error {
  /** The code of errors of this class; the base class has none of its own. */
  static readonly code: RedisAdapterErrorCode | undefined = undefined;
  readonly code: RedisAdapterErrorCode;

  constructor(code: RedisAdapterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** An option is of the wrong type or out of range (thrown by `createAdapter` / `createShardedAdapter`). */
export class InvalidOptionError extends RedisAdapterError {
  static override readonly code = REDIS_ADAPTER_ERROR_CODES.INVALID_OPTION;
  /** The name of the option. */
  readonly option: string;

  constructor(option: string, expectation: string, value: unknown) {
    super(REDIS_ADAPTER_ERROR_CODES.INVALID_OPTION, `option "${option}" must be ${expectation}, got ${describe(value)}`);
    this.option = option;
  }
}

/** A client given to `createAdapter` is not a node-redis or ioredis client, nor a `RedisClientLike`. */
export class InvalidClientError extends RedisAdapterError {
  static override readonly code = REDIS_ADAPTER_ERROR_CODES.INVALID_CLIENT;
  /** Which argument: `"pubClient"` or `"subClient"`. */
  readonly argument: string;

  constructor(argument: string, value: unknown) {
    super(
      REDIS_ADAPTER_ERROR_CODES.INVALID_CLIENT,
      `${argument} must be a node-redis client, an ioredis client or a RedisClientLike, got ${describe(value)}`,
    );
    this.argument = argument;
  }
}

/** A Redis client emitted an error (the client's error is the `cause`). */
export class RedisClientError extends RedisAdapterError {
  static override readonly code = REDIS_ADAPTER_ERROR_CODES.CLIENT_ERROR;
  /** Which client: `"pubClient"` or `"subClient"`. */
  readonly client: string;

  constructor(client: string, cause: unknown) {
    super(REDIS_ADAPTER_ERROR_CODES.CLIENT_ERROR, `the Redis ${client} reported an error: ${describe(cause)}`, { cause });
    this.client = client;
  }
}

/** SUBSCRIBE / SSUBSCRIBE (or their UNSUBSCRIBE) failed for a channel (the client's error is the `cause`). */
export class SubscribeError extends RedisAdapterError {
  static override readonly code = REDIS_ADAPTER_ERROR_CODES.SUBSCRIBE_FAILED;
  /** The channel. */
  readonly channel: string;

  constructor(channel: string, cause: unknown) {
    super(
      REDIS_ADAPTER_ERROR_CODES.SUBSCRIBE_FAILED,
      `subscribing to or unsubscribing from channel ${JSON.stringify(channel)} failed: ${describe(cause)}`,
      { cause },
    );
    this.channel = channel;
  }
}

/**
 * Not every node answered a request (fetchSockets, serverSideEmit with ack, allRooms) in
 * time. The message starts with socket.io-adapter's ("timeout reached: missing N
 * responses") and names the nodes; the `cause` is @volley/adapter's RequestTimeoutError.
 */
export class NodesTimeoutError extends RedisAdapterError {
  static override readonly code = REDIS_ADAPTER_ERROR_CODES.REQUEST_TIMEOUT;
  /** The ids (adapter `uid`) of the nodes that were alive when the request was sent and did not answer. */
  readonly missingNodes: readonly string[];
  /** How many nodes answered. */
  readonly received: number;
  /** How many nodes were expected to answer. */
  readonly expected: number;

  constructor(missingNodes: readonly string[], received: number, expected: number, cause?: unknown) {
    super(
      REDIS_ADAPTER_ERROR_CODES.REQUEST_TIMEOUT,
      `timeout reached: missing ${missingNodes.length} responses (no answer from node${missingNodes.length === 1 ? "" : "s"} ${missingNodes.join(", ")})`,
      { cause },
    );
    this.missingNodes = Object.freeze([...missingNodes]);
    this.received = received;
    this.expected = expected;
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  return typeof value;
}

brandErrors("redis-adapter", RedisAdapterError, [
  InvalidOptionError,
  InvalidClientError,
  RedisClientError,
  SubscribeError,
  NodesTimeoutError,
]);
