// Options of the two adapters: interfaces with TSDoc, frozen defaults, and resolvers that
// validate every value (the heartbeat and timeout options are validated by @volley/adapter).
import { Decoder, Encoder } from "@msgpack/msgpack";
import type { ClusterAdapterWithHeartbeatOptions } from "@volley/adapter";
import { InvalidOptionError } from "./errors";

/** Encodes and decodes the messages the nodes exchange through Redis. */
export interface RedisAdapterParser {
  /** A cluster message (plain data, with Buffers for binary) to bytes or a string. */
  encode(message: unknown): Uint8Array | string;
  /** Bytes received from Redis back to the message. May throw: the message is then dropped and reported. */
  decode(data: Buffer): unknown;
}

/**
 * A message that grew the shared encoder's buffer past this size makes the parser drop that
 * encoder, so that one large broadcast does not keep its buffer alive for good.
 */
const MAX_KEPT_ENCODER_BYTES = 64 * 1024;
const newEncoder = (): Encoder => new Encoder({ ignoreUndefined: true });
// One encoder and one decoder for every message: the `encode()` and `decode()` functions of
// @msgpack/msgpack build a new one per call, the encoder with a 2 KB buffer of its own, which
// costs about as much as encoding a small broadcast. Both are safe to reuse (a reentrant
// call works on a clone); the decoder holds on to the last message it read until the next.
let encoder = newEncoder();
const decoder = new Decoder();

/** The default parser: MessagePack (binary-safe: Buffers travel as MessagePack `bin`). */
export const msgpackParser: RedisAdapterParser = Object.freeze({
  encode: (message: unknown): Uint8Array => {
    const shared = encoder.encodeSharedRef(message);
    const bytes = Buffer.from(shared); // a copy: the shared buffer is overwritten by the next message
    if (shared.buffer.byteLength > MAX_KEPT_ENCODER_BYTES) encoder = newEncoder();
    return bytes;
  },
  decode: (data: Buffer): unknown => decoder.decode(data),
});

/** Options shared by both adapters. */
interface CommonRedisAdapterOptions extends ClusterAdapterWithHeartbeatOptions {
  /**
   * How the messages between nodes are encoded. Every node of a cluster must use the same.
   * @default MessagePack
   */
  parser?: RedisAdapterParser;
}

/** Options of {@link createAdapter} (Redis pub/sub). */
export interface RedisAdapterOptions extends CommonRedisAdapterOptions {
  /**
   * The prefix of the channel names: nodes with the same `key` form one cluster.
   * @default "socket.io"
   */
  key?: string;
  /**
   * Publish each response on the channel of the node that asked (`<key>-response#<nsp>#<uid>#`)
   * rather than on the namespace's shared response channel, so that nodes do not receive
   * the responses meant for others.
   * @default false
   */
  publishOnSpecificResponseChannel?: boolean;
}

/** How many channels the sharded adapter subscribes to. */
export type SubscriptionMode = "static" | "dynamic" | "dynamic-private";

/** Options of {@link createShardedAdapter} (Redis 7 sharded pub/sub). */
export interface ShardedRedisAdapterOptions extends CommonRedisAdapterOptions {
  /**
   * The prefix of the channel names: nodes with the same prefix form one cluster.
   * @default "socket.io"
   */
  channelPrefix?: string;
  /**
   * - `"static"`: two channels per namespace (and one per node for its responses);
   * - `"dynamic"`: plus one per public room (not a socket id), which only the nodes with
   *   members in the room subscribe to: a broadcast to one room reaches only them;
   * - `"dynamic-private"`: plus one per room, socket ids included.
   * @default "dynamic"
   */
  subscriptionMode?: SubscriptionMode;
}

export type ResolvedRedisAdapterOptions = Readonly<{
  key: string;
  publishOnSpecificResponseChannel: boolean;
  parser: RedisAdapterParser;
  base: ClusterAdapterWithHeartbeatOptions;
}>;

export type ResolvedShardedRedisAdapterOptions = Readonly<{
  channelPrefix: string;
  subscriptionMode: SubscriptionMode;
  parser: RedisAdapterParser;
  base: ClusterAdapterWithHeartbeatOptions;
}>;

export const DEFAULT_REDIS_ADAPTER_OPTIONS = Object.freeze({
  key: "socket.io",
  publishOnSpecificResponseChannel: false,
  parser: msgpackParser,
});

export const DEFAULT_SHARDED_REDIS_ADAPTER_OPTIONS = Object.freeze({
  channelPrefix: "socket.io",
  subscriptionMode: "dynamic" as SubscriptionMode,
  parser: msgpackParser,
});

const SUBSCRIPTION_MODES: readonly string[] = ["static", "dynamic", "dynamic-private"];

/** Validates the options of {@link createAdapter}. */
export function resolveRedisAdapterOptions(options: RedisAdapterOptions = {}): ResolvedRedisAdapterOptions {
  checkObject(options);
  const { key, publishOnSpecificResponseChannel, parser, ...base } = options;
  return Object.freeze({
    key: checkPrefix("key", key ?? DEFAULT_REDIS_ADAPTER_OPTIONS.key),
    publishOnSpecificResponseChannel: checkBoolean(
      "publishOnSpecificResponseChannel",
      publishOnSpecificResponseChannel ?? DEFAULT_REDIS_ADAPTER_OPTIONS.publishOnSpecificResponseChannel,
    ),
    parser: checkParser(parser ?? DEFAULT_REDIS_ADAPTER_OPTIONS.parser),
    base,
  });
}

/** Validates the options of {@link createShardedAdapter}. */
export function resolveShardedRedisAdapterOptions(
  options: ShardedRedisAdapterOptions = {},
): ResolvedShardedRedisAdapterOptions {
  checkObject(options);
  const { channelPrefix, subscriptionMode, parser, ...base } = options;
  const mode = subscriptionMode ?? DEFAULT_SHARDED_REDIS_ADAPTER_OPTIONS.subscriptionMode;
  if (!SUBSCRIPTION_MODES.includes(mode)) {
    throw new InvalidOptionError("subscriptionMode", `one of ${SUBSCRIPTION_MODES.join(", ")}`, mode);
  }
  return Object.freeze({
    channelPrefix: checkPrefix("channelPrefix", channelPrefix ?? DEFAULT_SHARDED_REDIS_ADAPTER_OPTIONS.channelPrefix),
    subscriptionMode: mode,
    parser: checkParser(parser ?? DEFAULT_SHARDED_REDIS_ADAPTER_OPTIONS.parser),
    base,
  });
}

function checkObject(options: unknown): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InvalidOptionError("options", "an object", options);
  }
}

function checkPrefix(name: string, value: unknown): string {
  if (typeof value !== "string" || value === "") throw new InvalidOptionError(name, "a non-empty string", value);
  return value;
}

function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new InvalidOptionError(name, "a boolean", value);
  return value;
}

function checkParser(value: unknown): RedisAdapterParser {
  const parser = value as Partial<RedisAdapterParser> | null;
  if (typeof parser !== "object" || parser === null || typeof parser.encode !== "function" || typeof parser.decode !== "function") {
    throw new InvalidOptionError("parser", "an object with encode() and decode()", value);
  }
  return parser as RedisAdapterParser;
}
