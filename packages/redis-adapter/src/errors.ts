// The error catalogue of @volley/redis-adapter, and the one place its errors are defined.
// Every error has a stable string `code` from REDIS_ADAPTER_ERROR_CODES, which never changes
// meaning. `instanceof` works across copies of the package (ESM and CJS builds in one
// process, two installed versions): each class checks a brand registered with Symbol.for,
// not the class identity, and every error carries the base brand.

const kRedisAdapterError = Symbol.for("volley.redis-adapter.error");
const kInvalidOptionError = Symbol.for("volley.redis-adapter.invalid-option-error");
const kInvalidClientError = Symbol.for("volley.redis-adapter.invalid-client-error");
const kRedisClientError = Symbol.for("volley.redis-adapter.redis-client-error");
const kSubscribeError = Symbol.for("volley.redis-adapter.subscribe-error");
const kNodesTimeoutError = Symbol.for("volley.redis-adapter.nodes-timeout-error");

/** Every code an error of this package may carry: `REDIS_ADAPTER_ERROR_CODES.NAME === "VOLLEY_REDIS_ADAPTER_ERR_NAME"`. */
export const REDIS_ADAPTER_ERROR_CODES = Object.freeze({
  /** An option has the wrong type or is out of range ({@link InvalidOptionError}). */
  INVALID_OPTION: "VOLLEY_REDIS_ADAPTER_ERR_INVALID_OPTION",
  /** A Redis client is neither node-redis, ioredis nor a `RedisClientLike` ({@link InvalidClientError}). */
  INVALID_CLIENT: "VOLLEY_REDIS_ADAPTER_ERR_INVALID_CLIENT",
  /** A Redis client reported an error: connection lost, command failed ({@link RedisClientError}). */
  CLIENT_ERROR: "VOLLEY_REDIS_ADAPTER_ERR_CLIENT_ERROR",
  /** Subscribing to or unsubscribing from a channel failed ({@link SubscribeError}). */
  SUBSCRIBE_FAILED: "VOLLEY_REDIS_ADAPTER_ERR_SUBSCRIBE_FAILED",
  /** Some nodes did not answer a request in time; the error names them ({@link NodesTimeoutError}). */
  REQUEST_TIMEOUT: "VOLLEY_REDIS_ADAPTER_ERR_REQUEST_TIMEOUT",
} as const);

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

  get [kRedisAdapterError](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, RedisAdapterError, value, kRedisAdapterError);
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

  get [kInvalidOptionError](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, InvalidOptionError, value, kInvalidOptionError);
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

  get [kInvalidClientError](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, InvalidClientError, value, kInvalidClientError);
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

  get [kRedisClientError](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, RedisClientError, value, kRedisClientError);
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

  get [kSubscribeError](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, SubscribeError, value, kSubscribeError);
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

  get [kNodesTimeoutError](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, NodesTimeoutError, value, kNodesTimeoutError);
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  return typeof value;
}

// The brand answers for the catalogue's own classes; a user's subclass gets the ordinary
// prototype check, so that its instanceof does not accept every sibling.
function isInstance(target: object, owner: object, value: unknown, brand: symbol): boolean {
  if (target !== owner) return Function.prototype[Symbol.hasInstance].call(target, value);
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
