// Options of the emitter. The options it shares with @volley/redis-adapter (`key`,
// `channelPrefix`, `subscriptionMode`, `parser`) have the adapter's names and defaults and
// are validated by the adapter's own resolvers: one definition for both sides.
import {
  InvalidOptionError as AdapterInvalidOptionError,
  resolveRedisAdapterOptions,
  resolveShardedRedisAdapterOptions,
  type RedisAdapterParser,
  type SubscriptionMode,
} from "@volley/redis-adapter";
import { InvalidOptionError, type PublishError } from "./errors";

/** Options of both modes. */
interface CommonEmitterOptions {
  /**
   * How messages are encoded: the nodes' `parser` (every node and emitter of a cluster must
   * use the same).
   * @default MessagePack (`msgpackParser` of @volley/redis-adapter)
   */
  parser?: RedisAdapterParser;
  /**
   * Called with each PUBLISH / SPUBLISH that failed (the methods return before Redis
   * answers). Without it, failures are logged with `debug` (`DEBUG=volley:redis-emitter`)
   * and the process goes on: no unhandled rejection.
   */
  onError?: (error: PublishError) => void;
}

/** Emitting to nodes made with `createAdapter` (Redis pub/sub, PUBLISH). */
export interface ClassicEmitterOptions extends CommonEmitterOptions {
  /** @default false */
  sharded?: false;
  /**
   * The nodes' `key`: the prefix of the channel names.
   * @default "socket.io"
   */
  key?: string;
}

/** Emitting to nodes made with `createShardedAdapter` (Redis 7 sharded pub/sub, SPUBLISH). */
export interface ShardedEmitterOptions extends CommonEmitterOptions {
  sharded: true;
  /**
   * The nodes' `channelPrefix`.
   * @default "socket.io"
   */
  channelPrefix?: string;
  /**
   * The nodes' `subscriptionMode`: where a broadcast to one room is published. Nodes with
   * connection state recovery on subscribe as in `"static"` whatever their option says:
   * give `"static"` here for them.
   * @default "dynamic"
   */
  subscriptionMode?: SubscriptionMode;
}

/** Options of `new Emitter(redisClient, options)`. */
export type EmitterOptions = ClassicEmitterOptions | ShardedEmitterOptions;

/** The options after validation, with every default filled in. */
export type ResolvedEmitterOptions = Readonly<
  | { sharded: false; key: string; parser: RedisAdapterParser; onError: ((error: PublishError) => void) | undefined }
  | {
      sharded: true;
      channelPrefix: string;
      subscriptionMode: SubscriptionMode;
      parser: RedisAdapterParser;
      onError: ((error: PublishError) => void) | undefined;
    }
>;

const CLASSIC_OPTIONS: ReadonlySet<string> = new Set(["sharded", "key", "parser", "onError"]);
const SHARDED_OPTIONS: ReadonlySet<string> = new Set(["sharded", "channelPrefix", "subscriptionMode", "parser", "onError"]);

/** Validates the options of `new Emitter()`; throws {@link InvalidOptionError}. */
export function resolveEmitterOptions(options: EmitterOptions = {}): ResolvedEmitterOptions {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InvalidOptionError("options", `must be an object, got ${options === null ? "null" : typeof options}`);
  }
  const { sharded = false, onError } = options;
  if (typeof sharded !== "boolean") throw new InvalidOptionError("sharded", `must be a boolean, got ${typeof sharded}`);
  if (onError !== undefined && typeof onError !== "function") {
    throw new InvalidOptionError("onError", `must be a function, got ${typeof onError}`);
  }
  checkNames(options, sharded ? SHARDED_OPTIONS : CLASSIC_OPTIONS, sharded);
  try {
    if (!sharded) {
      const { key, parser } = options as ClassicEmitterOptions;
      const resolved = resolveRedisAdapterOptions({ ...defined({ key, parser }) });
      return Object.freeze({ sharded, key: resolved.key, parser: resolved.parser, onError });
    }
    const { channelPrefix, subscriptionMode, parser } = options as ShardedEmitterOptions;
    const resolved = resolveShardedRedisAdapterOptions({ ...defined({ channelPrefix, subscriptionMode, parser }) });
    return Object.freeze({
      sharded,
      channelPrefix: resolved.channelPrefix,
      subscriptionMode: resolved.subscriptionMode,
      parser: resolved.parser,
      onError,
    });
  } catch (error) {
    if (!(error instanceof AdapterInvalidOptionError)) throw error;
    // The adapter's message starts with `option "<name>" `: the same words, this package's class.
    const detail = error.message.replace(/^option "[^"]*" /, "");
    throw new InvalidOptionError(error.option, detail, { cause: error });
  }
}

/** Rejects an option of the other mode (or unknown), pointing to the right name. */
function checkNames(options: object, allowed: ReadonlySet<string>, sharded: boolean): void {
  for (const name of Object.keys(options)) {
    if (allowed.has(name) || (options as Record<string, unknown>)[name] === undefined) continue;
    if (name === "key" && sharded) {
      throw new InvalidOptionError("key", 'is the prefix of the classic mode: with sharded: true, use "channelPrefix"');
    }
    if ((name === "channelPrefix" || name === "subscriptionMode") && !sharded) {
      throw new InvalidOptionError(name, "applies to the sharded mode only: add sharded: true, or use \"key\"");
    }
    throw new InvalidOptionError(name, "is not an option of the emitter");
  }
}

/** The entries whose value is not undefined. */
function defined<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
