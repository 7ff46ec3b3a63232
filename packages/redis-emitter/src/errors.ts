// The error catalogue of @volley/redis-emitter, and the one place its errors are defined.
// Every error has a stable string `code` from REDIS_EMITTER_ERROR_CODES, which never changes
// meaning. `instanceof` works across copies of the package (ESM and CJS builds in one
// process, two installed versions): each class checks a brand registered with Symbol.for,
// not the class identity, and every error carries the base brand (brandErrors of
// @volley/shared).
import { brandErrors, errorCodes } from "@volley/shared";

/** Every code an error of this package may carry: `REDIS_EMITTER_ERROR_CODES.NAME === "VOLLEY_REDIS_EMITTER_ERR_NAME"`. */
export const REDIS_EMITTER_ERROR_CODES = errorCodes("VOLLEY_REDIS_EMITTER_ERR_", [
  // An option of `new Emitter()` has the wrong type or value ({@link InvalidOptionError}).
  "INVALID_OPTION",
  // The Redis client is neither node-redis, ioredis nor a `RedisClientLike` ({@link InvalidClientError}).
  "INVALID_CLIENT",
  // A namespace, room, event name or flag given to a method is not of the right type ({@link InvalidArgumentError}).
  "INVALID_ARGUMENT",
  // The event name is reserved by the protocol or the server ({@link ReservedEventError}).
  "RESERVED_EVENT",
  // A callback was given as the last argument: an emitter receives nothing ({@link AckNotSupportedError}).
  "ACK_NOT_SUPPORTED",
  // The parser could not encode the message (a function, a symbol… among the arguments) ({@link EncodeError}).
  "ENCODE_FAILED",
  // Redis refused or never took a PUBLISH / SPUBLISH ({@link PublishError}, given to `onError`).
  "PUBLISH_FAILED",
]);

/** The union of every code of {@link REDIS_EMITTER_ERROR_CODES}. */
export type RedisEmitterErrorCode = (typeof REDIS_EMITTER_ERROR_CODES)[keyof typeof REDIS_EMITTER_ERROR_CODES];

/** Base class of every error thrown or reported by the Redis emitter. */
export class RedisEmitterError extends Error {
  /** The code of errors of this class; the base class has none of its own. */
  static readonly code: RedisEmitterErrorCode | undefined = undefined;
  readonly code: RedisEmitterErrorCode;

  constructor(code: RedisEmitterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** An option of `new Emitter()` has the wrong type or value. */
export class InvalidOptionError extends RedisEmitterError {
  static override readonly code = REDIS_EMITTER_ERROR_CODES.INVALID_OPTION;
  /** The name of the option. */
  readonly option: string;

  /** @param detail what is wrong, e.g. `must be a boolean, got 3` */
  constructor(option: string, detail: string, options?: { cause?: unknown }) {
    super(REDIS_EMITTER_ERROR_CODES.INVALID_OPTION, `option "${option}" ${detail}`, options);
    this.option = option;
  }
}

/** The client given to `new Emitter()` is not a node-redis or ioredis client, nor a `RedisClientLike`. */
export class InvalidClientError extends RedisEmitterError {
  static override readonly code = REDIS_EMITTER_ERROR_CODES.INVALID_CLIENT;

  constructor(value: unknown) {
    super(
      REDIS_EMITTER_ERROR_CODES.INVALID_CLIENT,
      `redisClient must be a node-redis 4/5 client, an ioredis 5 client or a RedisClientLike, got ${describe(value)}`,
    );
  }
}

/** A namespace, room, event name or flag given to a method is not of the right type. */
export class InvalidArgumentError extends RedisEmitterError {
  static override readonly code = REDIS_EMITTER_ERROR_CODES.INVALID_ARGUMENT;
  /** The name of the argument. */
  readonly argument: string;

  constructor(argument: string, expectation: string, value: unknown) {
    super(REDIS_EMITTER_ERROR_CODES.INVALID_ARGUMENT, `${argument} must be ${expectation}, got ${describe(value)}`);
    this.argument = argument;
  }
}

/**
 * The event name is reserved: `connect`, `connect_error`, `disconnect`, `disconnecting`,
 * `newListener`, `removeListener` (and, for `serverSideEmit`, `connection` and `new_namespace`).
 */
export class ReservedEventError extends RedisEmitterError {
  static override readonly code = REDIS_EMITTER_ERROR_CODES.RESERVED_EVENT;
  /** The event name. */
  readonly event: string;

  constructor(event: string) {
    super(REDIS_EMITTER_ERROR_CODES.RESERVED_EVENT, `"${event}" is a reserved event name`);
    this.event = event;
  }
}

/** A callback was given last to `emit` or `serverSideEmit`: an emitter does not receive acknowledgements. */
export class AckNotSupportedError extends RedisEmitterError {
  static override readonly code = REDIS_EMITTER_ERROR_CODES.ACK_NOT_SUPPORTED;

  constructor(method: string) {
    super(
      REDIS_EMITTER_ERROR_CODES.ACK_NOT_SUPPORTED,
      `acknowledgements are not supported by ${method}(): an emitter sends and receives nothing back`,
    );
  }
}

/** The parser threw while encoding a message (the parser's error is the `cause`); nothing was published. */
export class EncodeError extends RedisEmitterError {
  static override readonly code = REDIS_EMITTER_ERROR_CODES.ENCODE_FAILED;

  constructor(cause: unknown) {
    super(REDIS_EMITTER_ERROR_CODES.ENCODE_FAILED, `the message could not be encoded: ${describe(cause)}`, { cause });
  }
}

/** A PUBLISH / SPUBLISH failed (the client's error is the `cause`). Given to the `onError` option. */
export class PublishError extends RedisEmitterError {
  static override readonly code = REDIS_EMITTER_ERROR_CODES.PUBLISH_FAILED;
  /** The channel the message was for. */
  readonly channel: string;

  constructor(channel: string, cause: unknown) {
    super(REDIS_EMITTER_ERROR_CODES.PUBLISH_FAILED, `publishing to ${JSON.stringify(channel)} failed: ${describe(cause)}`, {
      cause,
    });
    this.channel = channel;
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  return typeof value;
}

brandErrors("redis-emitter", RedisEmitterError, [
  InvalidOptionError,
  InvalidClientError,
  InvalidArgumentError,
  ReservedEventError,
  AckNotSupportedError,
  EncodeError,
  PublishError,
]);
