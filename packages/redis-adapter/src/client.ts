// The port between the adapter and a Redis client library. The adapter needs six pub/sub
// commands and the client's errors; `RedisClientLike` says exactly that, and two wrappers
// adapt node-redis (4 and 5) and ioredis (5), standalone or cluster, to it. Users bring
// their own client: the adapter depends on neither library.
//
// Redis Cluster: a cluster client sends a PUBLISH (which has no key) to any node, and the
// cluster bus forwards it to the others; two messages of one publisher sent through two
// nodes may then reach a subscriber in the wrong order. The wrappers send every PUBLISH on
// a channel through the master that owns the channel's hash slot, so that each channel
// has one order for every subscriber, as on a standalone Redis. SPUBLISH is routed so by
// the libraries themselves.
import calculateSlot from "cluster-key-slot";
import { InvalidClientError } from "./errors";

/** Called with each message received on a channel, as raw bytes. */
export type RedisMessageListener = (message: Buffer, channel: string) => void;

/** What the adapter needs of a Redis connection. Messages are binary (Buffer). */
export interface RedisClientLike {
  /** PUBLISH. */
  publish(channel: string, message: Buffer): Promise<unknown>;
  /** SUBSCRIBE, `listener` getting every message of `channel`. */
  subscribe(channel: string, listener: RedisMessageListener): Promise<void>;
  /** UNSUBSCRIBE `listener` from `channel`. */
  unsubscribe(channel: string, listener: RedisMessageListener): Promise<void>;
  /** SPUBLISH (Redis 7 sharded pub/sub). */
  spublish(channel: string, message: Buffer): Promise<unknown>;
  /** SSUBSCRIBE. */
  ssubscribe(channel: string, listener: RedisMessageListener): Promise<void>;
  /** SUNSUBSCRIBE. */
  sunsubscribe(channel: string, listener: RedisMessageListener): Promise<void>;
  /** Listens to the client's errors; returns a function that stops listening. */
  onError(listener: (error: Error) => void): () => void;
  /**
   * Optional: listens to the client's reconnections (its connection, or a subscriber
   * connection of a cluster client, is ready again); returns a function that stops
   * listening. The adapter then checks that its subscriptions came back.
   */
  onReconnect?(listener: () => void): () => void;
}

/**
 * The listener the adapter gives node-redis. In buffer mode (`bufferMode` true, which the
 * adapter always asks for) node-redis calls it with Buffers; the type also admits strings
 * because node-redis' cluster client types every unsubscribe listener so.
 */
export type NodeRedisBufferListener = (message: Buffer | string, channel: Buffer | string) => unknown;

/**
 * The public API of a node-redis 4 or 5 client (`createClient()`, `createCluster()`) that
 * the adapter uses.
 */
export interface NodeRedisClient {
  publish(channel: string, message: Buffer): Promise<unknown>;
  subscribe(channels: string, listener: NodeRedisBufferListener, bufferMode: true): Promise<unknown>;
  unsubscribe(channels: string, listener: NodeRedisBufferListener, bufferMode: true): Promise<unknown>;
  sPublish(channel: string, message: Buffer): Promise<unknown>;
  sSubscribe(channels: string, listener: NodeRedisBufferListener, bufferMode: true): Promise<unknown>;
  sUnsubscribe(channels: string, listener: NodeRedisBufferListener, bufferMode: true): Promise<unknown>;
  on(event: "error" | "node-error", listener: (error: Error) => void): this;
  on(event: "ready", listener: () => void): this;
  off(event: "error" | "node-error", listener: (error: Error) => void): this;
  off(event: "ready", listener: () => void): this;
}

/**
 * What the wrapper uses of a node-redis 4 or 5 Redis Cluster client (`createCluster()`)
 * besides {@link NodeRedisClient}: `sendCommand(firstKey, …)`, which runs a command on the
 * master of `firstKey`'s hash slot, and `getMasters()`, by which it is told from a
 * standalone client.
 */
export interface NodeRedisClusterClient extends NodeRedisClient {
  sendCommand(firstKey: string, isReadonly: boolean, args: Array<string | Buffer>): Promise<unknown>;
  getMasters(): unknown[];
}

/** The listener of ioredis' `messageBuffer` / `smessageBuffer` events. */
export type IoRedisBufferListener = (channel: Buffer, message: Buffer) => void;

/** The public API of an ioredis 5 client (`new Redis()`, `new Cluster()`) that the adapter uses. */
export interface IoRedisClient {
  publish(channel: string, message: Buffer): Promise<unknown>;
  subscribe(channel: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  spublish(channel: string, message: Buffer): Promise<unknown>;
  ssubscribe(channel: string): Promise<unknown>;
  sunsubscribe(channel: string): Promise<unknown>;
  on(event: "messageBuffer" | "smessageBuffer", listener: IoRedisBufferListener): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "ready" | "end" | "+subscriber" | "subscribersReady", listener: () => void): unknown;
  off(event: "messageBuffer" | "smessageBuffer", listener: IoRedisBufferListener): unknown;
  off(event: "error", listener: (error: Error) => void): unknown;
  off(event: "ready" | "end" | "+subscriber" | "subscribersReady", listener: () => void): unknown;
  /** ioredis' connection state ("connect": connected, the ready check not done yet). */
  readonly status?: string;
}

/** One node of an ioredis Cluster, as `cluster.nodes("master")` returns them. */
export interface IoRedisClusterNode {
  publish(channel: string, message: Buffer): Promise<unknown>;
  readonly options: { readonly host?: string | undefined; readonly port?: number | undefined };
}

/**
 * What the wrapper uses of an ioredis 5 `Cluster` besides {@link IoRedisClient}: the slot
 * table (`slots[slot][0]` is the `host:port` of the slot's master) and the master nodes.
 */
export interface IoRedisClusterClient extends IoRedisClient {
  readonly slots: ReadonlyArray<readonly string[] | undefined>;
  nodes(role: "master"): IoRedisClusterNode[];
}

/** Any client `createAdapter` and `createShardedAdapter` accept. */
export type AnyRedisClient = RedisClientLike | NodeRedisClient | IoRedisClient;

const kClientLike = Symbol.for("volley.redis-adapter.client-like");

/**
 * Events of one client (errors, reconnections), fanned out to every adapter (namespace)
 * that uses it: one listener on the client.
 */
class FanOut<A extends unknown[]> {
  readonly #listeners = new Set<(...args: A) => void>();
  readonly #attach: (listener: (...args: A) => void) => void;
  readonly #detach: (listener: (...args: A) => void) => void;
  readonly #onEvent = (...args: A): void => {
    for (const listener of [...this.#listeners]) listener(...args);
  };

  constructor(attach: (listener: (...args: A) => void) => void, detach: (listener: (...args: A) => void) => void) {
    this.#attach = attach;
    this.#detach = detach;
  }

  add(listener: (...args: A) => void): () => void {
    // The wrapper copies the listener, so one adapter registering twice gets it twice.
    const own = (...args: A): void => listener(...args);
    if (this.#listeners.size === 0) this.#attach(this.#onEvent);
    this.#listeners.add(own);
    return () => {
      if (!this.#listeners.delete(own)) return;
      if (this.#listeners.size === 0) this.#detach(this.#onEvent);
    };
  }
}

/** Channel -> listeners, for the libraries that deliver every channel's messages to one event. */
class ChannelListeners {
  readonly #channels = new Map<string, Set<RedisMessageListener>>();

  /** Adds a listener; true when it is the channel's first (the channel must be subscribed). */
  add(channel: string, listener: RedisMessageListener): boolean {
    let listeners = this.#channels.get(channel);
    const first = listeners === undefined;
    if (listeners === undefined) {
      listeners = new Set();
      this.#channels.set(channel, listeners);
    }
    listeners.add(listener);
    return first;
  }

  /** Removes a listener; true when it was the channel's last (the channel must be unsubscribed). */
  delete(channel: string, listener: RedisMessageListener): boolean {
    const listeners = this.#channels.get(channel);
    if (listeners === undefined || !listeners.delete(listener)) return false;
    if (listeners.size > 0) return false;
    this.#channels.delete(channel);
    return true;
  }

  get size(): number {
    return this.#channels.size;
  }

  dispatch(channel: Buffer, message: Buffer): void {
    const name = channel.toString();
    const listeners = this.#channels.get(name);
    if (listeners === undefined) return;
    for (const listener of [...listeners]) listener(message, name);
  }
}

function brand<T extends RedisClientLike>(client: T): T {
  Object.defineProperty(client, kClientLike, { value: true });
  return client;
}

/** Wraps a node-redis 4 or 5 client (standalone or cluster) as a {@link RedisClientLike}. */
export function nodeRedisClient(client: NodeRedisClient | NodeRedisClusterClient): RedisClientLike {
  // node-redis keeps a listener set per channel itself; the bound wrappers must be the same
  // function on unsubscribe as on subscribe.
  const wrappers = new WeakMap<RedisMessageListener, NodeRedisBufferListener>();
  const wrap = (listener: RedisMessageListener): NodeRedisBufferListener => {
    let wrapper = wrappers.get(listener);
    if (wrapper === undefined) {
      wrapper = (message, channel) => listener(Buffer.isBuffer(message) ? message : Buffer.from(message), channel.toString());
      wrappers.set(listener, wrapper);
    }
    return wrapper;
  };
  // node-redis 5's cluster client reports its nodes' connection errors as `node-error`
  // (node-redis 4's as `error`); a standalone client never emits `node-error`.
  const errors = new FanOut<[Error]>(
    (listener) => client.on("error", listener).on("node-error", listener),
    (listener) => client.off("error", listener).off("node-error", listener),
  );
  // A standalone client is `ready` again after each reconnection (its cluster client
  // reports a lost node connection through `node-error` only).
  const reconnections = new FanOut<[]>(
    (listener) => client.on("ready", listener),
    (listener) => client.off("ready", listener),
  );
  const publish = isNodeRedisCluster(client)
    ? (channel: string, message: Buffer) => client.sendCommand(channel, false, ["PUBLISH", channel, message])
    : (channel: string, message: Buffer) => client.publish(channel, message);
  return brand({
    publish,
    subscribe: async (channel, listener) => {
      await client.subscribe(channel, wrap(listener), true);
    },
    unsubscribe: async (channel, listener) => {
      await client.unsubscribe(channel, wrap(listener), true);
    },
    spublish: (channel, message) => client.sPublish(channel, message),
    ssubscribe: async (channel, listener) => {
      await client.sSubscribe(channel, wrap(listener), true);
    },
    sunsubscribe: async (channel, listener) => {
      await client.sUnsubscribe(channel, wrap(listener), true);
    },
    onError: (listener) => errors.add(listener),
    onReconnect: (listener) => reconnections.add(listener),
  });
}

/** Wraps an ioredis 5 client (`Redis` or `Cluster`) as a {@link RedisClientLike}. */
export function ioredisClient(client: IoRedisClient | IoRedisClusterClient): RedisClientLike {
  const classic = new ChannelListeners();
  const sharded = new ChannelListeners();
  const onClassic: IoRedisBufferListener = (channel, message) => classic.dispatch(channel, message);
  const onSharded: IoRedisBufferListener = (channel, message) => sharded.dispatch(channel, message);
  const errors = new FanOut<[Error]>(
    (listener) => client.on("error", listener),
    (listener) => client.off("error", listener),
  );
  // `ready`: a Redis, or a Cluster's connections, are ready again; `+subscriber` /
  // `subscribersReady`: a Cluster replaced a subscriber connection.
  const reconnections = new FanOut<[]>(
    (listener) => {
      for (const event of IOREDIS_RECONNECT_EVENTS) client.on(event, listener);
    },
    (listener) => {
      for (const event of IOREDIS_RECONNECT_EVENTS) client.off(event, listener);
    },
  );
  const subscriber = (
    listeners: ChannelListeners,
    event: "messageBuffer" | "smessageBuffer",
    onMessage: IoRedisBufferListener,
    subscribe: (channel: string) => Promise<unknown>,
  ) => {
    return async (channel: string, listener: RedisMessageListener): Promise<void> => {
      if (listeners.size === 0) client.on(event, onMessage);
      if (listeners.add(channel, listener)) await subscribe(channel);
    };
  };
  const unsubscriber = (
    listeners: ChannelListeners,
    event: "messageBuffer" | "smessageBuffer",
    onMessage: IoRedisBufferListener,
    unsubscribe: (channel: string) => Promise<unknown>,
  ) => {
    return async (channel: string, listener: RedisMessageListener): Promise<void> => {
      if (!listeners.delete(channel, listener)) return;
      if (listeners.size === 0) client.off(event, onMessage);
      await unsubscribe(channel);
    };
  };
  return brand({
    ...publishers(client),
    subscribe: subscriber(classic, "messageBuffer", onClassic, (channel) => client.subscribe(channel)),
    unsubscribe: unsubscriber(classic, "messageBuffer", onClassic, (channel) => client.unsubscribe(channel)),
    ssubscribe: subscriber(sharded, "smessageBuffer", onSharded, (channel) => client.ssubscribe(channel)),
    sunsubscribe: unsubscriber(sharded, "smessageBuffer", onSharded, (channel) => client.sunsubscribe(channel)),
    onError: (listener) => errors.add(listener),
    onReconnect: (listener) => reconnections.add(listener),
  });
}

const IOREDIS_RECONNECT_EVENTS = ["ready", "+subscriber", "subscribersReady"] as const;

/** PUBLISH and SPUBLISH of an ioredis client: a Cluster's to the slot's master, a Redis's in order. */
function publishers(client: IoRedisClient | IoRedisClusterClient): Pick<RedisClientLike, "publish" | "spublish"> {
  if (isIoRedisCluster(client)) {
    return {
      publish: (channel, message) => (slotMaster(client, channel) ?? client).publish(channel, message),
      spublish: (channel, message) => client.spublish(channel, message),
    };
  }
  const inOrder = afterReady(client);
  return {
    publish: (channel, message) => inOrder(() => client.publish(channel, message)),
    spublish: (channel, message) => inOrder(() => client.spublish(channel, message)),
  };
}

/**
 * Sends an ioredis client's publishes in the order they were made across a reconnection.
 * While it reconnects, ioredis queues commands (its offline queue) and sends them once
 * ready; but between connecting and ready (status "connect") it writes a PUBLISH or
 * SPUBLISH at once, ahead of that queue. Those wait here for "ready", whose listeners run
 * after the queue went out (or for "end", where ioredis rejects them).
 */
function afterReady(client: IoRedisClient): (send: () => Promise<unknown>) => Promise<unknown> {
  let held: Array<() => void> | undefined;
  const release = (): void => {
    client.off("ready", release);
    client.off("end", release);
    const sends = held ?? [];
    held = undefined;
    for (const send of sends) send();
  };
  return (send) => {
    if (held === undefined && client.status !== "connect") return send();
    return new Promise((resolve, reject) => {
      if (held === undefined) {
        held = [];
        client.on("ready", release);
        client.on("end", release);
      }
      held.push(() => void send().then(resolve, reject));
    });
  };
}

function isNodeRedisCluster(client: NodeRedisClient | NodeRedisClusterClient): client is NodeRedisClusterClient {
  return typeof (client as Partial<NodeRedisClusterClient>).getMasters === "function";
}

function isIoRedisCluster(client: IoRedisClient | IoRedisClusterClient): client is IoRedisClusterClient {
  const cluster = client as Partial<IoRedisClusterClient>;
  return typeof cluster.nodes === "function" && Array.isArray(cluster.slots);
}

/**
 * The master node of an ioredis Cluster that owns `channel`'s hash slot, or undefined
 * while the slot table is not known (the Cluster then picks a node itself).
 */
function slotMaster(client: IoRedisClusterClient, channel: string): IoRedisClusterNode | undefined {
  const key = client.slots[calculateSlot(channel)]?.[0];
  if (key === undefined) return undefined;
  return client.nodes("master").find((node) => `${node.options.host}:${node.options.port}` === key);
}

/**
 * The {@link RedisClientLike} for any accepted client: one returned by the wrappers (or
 * implementing the port) as is, a node-redis client (it has the camel-cased `sPublish`
 * command), an ioredis client (lower-cased `spublish`). Anything else: InvalidClientError.
 */
export function toRedisClient(client: AnyRedisClient, argument: string): RedisClientLike {
  if (typeof client !== "object" || client === null) throw new InvalidClientError(argument, client);
  if (isRedisClientLike(client)) return client;
  if (typeof (client as Partial<NodeRedisClient>).sPublish === "function") {
    return nodeRedisClient(client as NodeRedisClient);
  }
  if (typeof (client as Partial<IoRedisClient>).spublish === "function") {
    return ioredisClient(client as IoRedisClient);
  }
  throw new InvalidClientError(argument, client);
}

function isRedisClientLike(client: object): client is RedisClientLike {
  if ((client as { [kClientLike]?: unknown })[kClientLike] === true) return true;
  const port = client as Partial<Record<keyof RedisClientLike, unknown>>;
  return (
    typeof port.onError === "function" &&
    typeof port.ssubscribe === "function" &&
    typeof port.subscribe === "function" &&
    typeof port.publish === "function"
  );
}
