// What both Redis adapters share: the subscriptions of one node, decoding what arrives,
// reporting the clients' errors through an `error` event, and requests that fail naming
// the nodes that did not answer. The subclasses say which channels and commands to use.
import { EventEmitter } from "node:events";
import {
  ClusterAdapterWithHeartbeat,
  createBroadcastOptions,
  MessageType,
  type AdapterEvents,
  type AdapterNamespace,
  type ClusterAdapterWithHeartbeatOptions,
  type RequestTimeoutError,
  type Room,
} from "@volley/adapter";
import createDebug from "debug";
import type { RedisClientLike, RedisMessageListener } from "./client";
import { NodesTimeoutError, RedisClientError, SubscribeError } from "./errors";
import type { RedisAdapterParser } from "./options";
import { SubscriptionChecker, type SubscriptionCheck } from "./subscription-check";
import { encodeMessage } from "./wire";

const debug = createDebug("volley:redis-adapter");

/** The events of the Redis adapters: those of every cluster adapter, and `error`. */
export interface RedisAdapterEvents extends AdapterEvents {
  /**
   * A Redis client reported an error, a (un)subscription or a publish failed. Emitted only
   * when someone listens: without a listener the error is logged with `debug` and the
   * process goes on.
   */
  error: [error: Error];
  /**
   * A check of this node's subscriptions ended (after a reconnection or an error of the
   * subscriber client): which channels answered, which the adapter had to subscribe
   * again, which still do not answer.
   */
  "subscriptions-checked": [check: SubscriptionCheck];
}

type EventListener<K extends keyof RedisAdapterEvents> = (...args: RedisAdapterEvents[K]) => void;

/** The clients and codec a Redis adapter works with. */
export interface RedisTransport {
  readonly pubClient: RedisClientLike;
  readonly subClient: RedisClientLike;
  readonly parser: RedisAdapterParser;
}

/**
 * Base class of {@link RedisAdapter} and {@link ShardedRedisAdapter}: a
 * ClusterAdapterWithHeartbeat whose bus is Redis.
 */
export abstract class RedisAdapterBase extends ClusterAdapterWithHeartbeat {
  /** The client this adapter publishes with. */
  readonly pubClient: RedisClientLike;
  /** The client this adapter subscribes with (in subscriber mode). */
  readonly subClient: RedisClientLike;
  readonly #parser: RedisAdapterParser;
  /** Channel -> its SUBSCRIBE, settled once subscribed (or failed and reported). */
  readonly #subscriptions = new Map<string, Promise<void>>();
  readonly #onRedisMessage: RedisMessageListener = (message, channel) => this.#receive(message, channel);
  readonly #stopListening: (() => void)[];
  readonly #checker: SubscriptionChecker;
  #closing: Promise<void> | undefined;
  #isClosing = false;

  protected constructor(nsp: AdapterNamespace, transport: RedisTransport, options: ClusterAdapterWithHeartbeatOptions) {
    super(nsp, options);
    this.pubClient = transport.pubClient;
    this.subClient = transport.subClient;
    this.#parser = transport.parser;
    this.#checker = new SubscriptionChecker({
      channels: () => [...this.#subscriptions.keys()],
      probe: (channel) => this.publishTo(channel, this.encode({ uid: this.uid, nsp: this.nsp.name, type: MessageType.HEARTBEAT })),
      resubscribe: (channel) => this.#resubscribe(channel),
      windowMs: this.options.requestsTimeout,
      checked: (check, resubscribedSilent) => this.#checked(check, resubscribedSilent),
    });
    this.#stopListening = [
      this.pubClient.onError((error) => this.reportError(new RedisClientError("pubClient", error))),
      this.subClient.onError((error) => {
        this.reportError(new RedisClientError("subClient", error));
        this.#checker.noteDisconnected();
      }),
    ];
    const stopReconnect = this.subClient.onReconnect?.(() => this.#checker.noteReconnected());
    if (stopReconnect !== undefined) this.#stopListening.push(stopReconnect);
    this.on("publish-error", (error) => this.reportError(error));
  }

  /** SUBSCRIBE or SSUBSCRIBE, as the subclass' pub/sub flavour. */
  protected abstract subscribeCommand(channel: string, listener: RedisMessageListener): Promise<void>;

  /** UNSUBSCRIBE or SUNSUBSCRIBE. */
  protected abstract unsubscribeCommand(channel: string, listener: RedisMessageListener): Promise<void>;

  /** PUBLISH or SPUBLISH `message` on `channel`, with the pubClient. */
  protected abstract publishCommand(channel: string, message: Buffer): Promise<unknown>;

  /**
   * Publishes `message` on `channel` (every message of this node goes through here). One
   * on a channel this node listens to must come back: if it does not, the subscriptions
   * are checked.
   */
  protected publishTo(channel: string, message: Buffer): Promise<unknown> {
    if (this.#subscriptions.has(channel)) this.#checker.noteSent(channel);
    return this.publishCommand(channel, message);
  }

  /**
   * Checks that this node is still subscribed to each of its channels: publishes a probe
   * (a heartbeat of this node) on each one and waits up to `requestsTimeout` for it to come
   * back; subscribes again to the silent ones and probes them again. Never rejects. The
   * adapter runs it by itself when the subscriber client reconnects or reports an error,
   * until every channel answers, and emits `subscriptions-checked` with each outcome.
   */
  checkSubscriptions(): Promise<SubscriptionCheck> {
    return this.#checker.check();
  }

  /** The channels this node listens to, subscribed before it announces itself. */
  get channels(): string[] {
    return [...this.#subscriptions.keys()];
  }

  /** Subscribes this node to `channel` (once); a failure is reported with `error`. */
  protected subscribe(channel: string): Promise<void> {
    let subscribing = this.#subscriptions.get(channel);
    if (subscribing === undefined) {
      subscribing = this.subscribeCommand(channel, this.#onRedisMessage).catch((error: unknown) => {
        this.reportError(new SubscribeError(channel, error));
      });
      this.#subscriptions.set(channel, subscribing);
    }
    return subscribing;
  }

  /** Unsubscribes this node from `channel`; a failure is reported with `error`. */
  protected unsubscribe(channel: string): Promise<void> {
    const subscribing = this.#subscriptions.get(channel);
    if (subscribing === undefined) return Promise.resolve();
    this.#subscriptions.delete(channel);
    // A client that was closed under the adapter never answers an UNSUBSCRIBE (node-redis).
    return this.#bounded(subscribing.then(() => this.unsubscribeCommand(channel, this.#onRedisMessage)), "UNSUBSCRIBE")
      .catch((error: unknown) => this.reportError(new SubscribeError(channel, error)));
  }

  /**
   * `command` as is, except while closing: then bounded by `requestsTimeout`, so that
   * close() settles even when Redis is down and the client queues commands until it is back.
   */
  protected whileClosing<T>(command: Promise<T>): Promise<T> {
    return this.#isClosing ? this.#bounded(command, "command") : command;
  }

  #bounded<T>(command: Promise<T>, what: string): Promise<T> {
    const timeoutMs = this.options.requestsTimeout;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer the ${what} within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([command, timeout]).finally(() => clearTimeout(timer));
  }

  /** The bytes published for `message`. */
  protected encode(message: unknown): Buffer {
    return encodeMessage(this.#parser, message);
  }

  /**
   * Subscribes, then announces this node (the server calls it once). Resolves once the
   * announcement was published.
   */
  override async init(): Promise<void> {
    // Bounded: with Redis down the client queues the SUBSCRIBEs until it is back.
    await this.#bounded(Promise.all(this.#subscriptions.values()), "SUBSCRIBE").catch((error: Error) => {
      debug("not subscribed yet: %s", error.message);
    });
    await super.init();
  }

  /**
   * Says goodbye to the other nodes, fails the pending requests, unsubscribes and stops
   * listening to the clients' errors. The clients stay open: they are the caller's.
   */
  override close(): Promise<void> {
    this.#isClosing = true;
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#checker.close();
    await super.close();
    await Promise.all([...this.#subscriptions.keys()].map((channel) => this.unsubscribe(channel)));
    for (const stop of this.#stopListening) stop();
  }

  /**
   * fetchSockets and serverSideEmit with ack: a node alive when the request was sent that
   * does not answer within `requestsTimeout` makes it fail with NodesTimeoutError, naming it.
   */
  protected override mapRequestTimeout(error: RequestTimeoutError): Error {
    if (error.missingNodes === undefined) return error;
    return new NodesTimeoutError(error.missingNodes, error.received, error.expected, error);
  }

  /**
   * Every room of every node (socket ids included, as the in-memory adapter's `rooms`).
   * Rejects as `fetchSockets` does (NodesTimeoutError naming the nodes that did not answer).
   */
  async allRooms(): Promise<Set<Room>> {
    const rooms = new Set<Room>(this.rooms.keys());
    const remote = await this.fetchSockets(createBroadcastOptions({}));
    for (const socket of remote) for (const room of socket.rooms) rooms.add(room);
    return rooms;
  }

  /** Emits `error` when someone listens; otherwise logs it, so that no error crashes the process. */
  protected reportError(error: Error): void {
    if (this.listenerCount("error") > 0) {
      // `error` is this class' own event, outside the base class' event map.
      EventEmitter.prototype.emit.call(this, "error", error);
    } else {
      debug("error (no listener): %O", error);
    }
  }

  override on<K extends keyof RedisAdapterEvents>(event: K, listener: EventListener<K>): this {
    return super.on(event as keyof AdapterEvents, listener as never);
  }

  override once<K extends keyof RedisAdapterEvents>(event: K, listener: EventListener<K>): this {
    return super.once(event as keyof AdapterEvents, listener as never);
  }

  override off<K extends keyof RedisAdapterEvents>(event: K, listener: EventListener<K>): this {
    return super.off(event as keyof AdapterEvents, listener as never);
  }

  #receive(data: Buffer, channel: string): void {
    let message: unknown;
    try {
      message = this.#parser.decode(data);
    } catch (error) {
      debug("undecodable message on %s: %s", channel, (error as Error).message);
      message = data; // reported by onMessage as an invalid message
    }
    if (typeof message === "object" && message !== null && (message as { uid?: unknown }).uid === this.uid) {
      this.#checker.noteEcho(channel);
    }
    // onMessage validates, passes responses on to onResponse, and never rejects.
    void this.onMessage(message);
  }

  /** Subscribes again to a channel that does not answer (UNSUBSCRIBE, then SUBSCRIBE). */
  async #resubscribe(channel: string): Promise<void> {
    const subscribing = this.#subscriptions.get(channel);
    if (subscribing === undefined) return;
    const again = this.#bounded(
      subscribing
        .then(() => this.unsubscribeCommand(channel, this.#onRedisMessage))
        .then(() => this.subscribeCommand(channel, this.#onRedisMessage)),
      "SUBSCRIBE",
    ).catch((error: unknown) => this.reportError(new SubscribeError(channel, error)));
    // Later operations on the channel (an UNSUBSCRIBE) come after this one.
    if (this.#subscriptions.get(channel) === subscribing) this.#subscriptions.set(channel, again);
    await again;
  }

  #checked(check: SubscriptionCheck, resubscribedSilent: boolean): void {
    debug("subscriptions checked: %d answered, %d subscribed again, %d silent", check.verified.length, check.resubscribed.length, check.failed.length);
    // While the subscriber connection is down, its client's errors tell it already.
    for (const channel of resubscribedSilent ? check.failed : []) {
      this.reportError(
        new SubscribeError(channel, new Error(`no message came back on the channel within ${this.options.requestsTimeout} ms, even after subscribing again`)),
      );
    }
    // `subscriptions-checked` is this class' own event, outside the base class' event map.
    EventEmitter.prototype.emit.call(this, "subscriptions-checked", check);
  }
}
