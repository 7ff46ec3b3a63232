import createDebug from "debug";
import { ClusterAdapter } from "./cluster-adapter";
import {
  isEmitterUid,
  MessageType,
  type AnyClusterMessage,
  type ClusterMessage,
  type ClusterResponse,
  type UnstampedMessage,
} from "./cluster-message";
import type { AdapterNamespace } from "./contract";
import {
  resolveClusterAdapterWithHeartbeatOptions,
  type ClusterAdapterWithHeartbeatOptions,
  type ResolvedClusterAdapterWithHeartbeatOptions,
} from "./options";
import type { Responders } from "./pending-requests";
import type { NodeId, Offset } from "./types";

const debug = createDebug("volley:adapter:heartbeat");

/** The liveness check runs at least this often, so that a dead node is noticed soon after its timeout. */
const MAX_LIVENESS_CHECK_MS = 1_000;

/**
 * A {@link ClusterAdapter} that knows the other nodes by their heartbeats: on `init()` it
 * announces itself (every node answers), then publishes a heartbeat whenever it has been
 * silent for `heartbeatInterval`. A node not heard from for `heartbeatTimeout`, or that
 * announced its close, is down: pending requests stop waiting for it and `node-down` is
 * emitted. `serverCount()` is 1 + the live nodes. A request waits for the nodes live when it
 * was sent; if it times out, its RequestTimeoutError's `missingNodes` names those that
 * neither answered nor went down.
 *
 * Subclasses implement only `doPublish` and `doPublishResponse`, and call `onMessage` (and
 * `onResponse`, if their transport tells responses apart). As in socket.io-adapter,
 * `onMessage`, `onResponse` and `publish` are public here.
 */
export abstract class ClusterAdapterWithHeartbeat extends ClusterAdapter {
  override readonly options: ResolvedClusterAdapterWithHeartbeatOptions;
  /** Node id -> when it was last heard from (ms since epoch). */
  readonly #nodes = new Map<NodeId, number>();
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #livenessTimer: NodeJS.Timeout | undefined;
  /** Set by close(): the closing under way (a second call waits for it). */
  #closing: Promise<void> | undefined;

  constructor(nsp: AdapterNamespace, options?: ClusterAdapterWithHeartbeatOptions) {
    const resolved = resolveClusterAdapterWithHeartbeatOptions(options);
    super(nsp, resolved);
    this.options = resolved;
  }

  /**
   * Announces this node and starts the heartbeat and the liveness check. Returns a promise
   * (settled once the announcement was published); overrides may return nothing.
   */
  override init(): void | Promise<void> {
    if (this.isClosed || this.#closing !== undefined || this.#livenessTimer !== undefined) return Promise.resolve();
    this.#livenessTimer = setInterval(
      () => this.#pruneNodes(),
      Math.min(this.options.heartbeatInterval, MAX_LIVENESS_CHECK_MS),
    );
    return this.publishThroughHook({ type: MessageType.INITIAL_HEARTBEAT }).then(
      () => undefined,
      // Already reported by publish().
      (error: Error) => debug("initial heartbeat failed: %s", error.message),
    );
  }

  override onMessage(message: unknown, offset?: Offset): Promise<void> {
    return super.onMessage(message, offset);
  }

  override onResponse(response: ClusterResponse): void {
    super.onResponse(response);
  }

  override publish(message: UnstampedMessage<ClusterMessage>): void {
    super.publish(message);
  }

  /** The ids of the other nodes currently considered alive. */
  liveNodes(): NodeId[] {
    this.#pruneNodes();
    return [...this.#nodes.keys()];
  }

  override serverCount(): Promise<number> {
    this.#pruneNodes();
    return Promise.resolve(1 + this.#nodes.size);
  }

  /**
   * Tells the other nodes this one is gone, then stops. Returns a promise; overrides may
   * return nothing.
   */
  override close(): void | Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (this.isClosed) return;
    const announced = this.#livenessTimer !== undefined;
    // The timers stop first: no heartbeat may follow the goodbye (the others would take
    // this node for alive again), however long the goodbye takes to publish.
    clearTimeout(this.#heartbeatTimer);
    clearInterval(this.#livenessTimer);
    this.#heartbeatTimer = undefined;
    this.#livenessTimer = undefined;
    if (announced) {
      await this.publishThroughHook({ type: MessageType.ADAPTER_CLOSE }).catch((error: Error) => {
        debug("close announcement failed: %s", error.message);
      });
    }
    this.#nodes.clear();
    await super.close();
  }

  protected override async handleMessage(message: AnyClusterMessage, offset?: Offset): Promise<void> {
    switch (message.type) {
      case MessageType.INITIAL_HEARTBEAT:
        this.#markAlive(message.uid);
        // Answer so that the new node learns about this one at once.
        // A failure is reported by publish().
        await this.publishThroughHook({ type: MessageType.HEARTBEAT }).catch(() => undefined);
        return;
      case MessageType.HEARTBEAT:
        this.#markAlive(message.uid);
        return;
      case MessageType.ADAPTER_CLOSE:
        this.#markDown(message.uid);
        return;
      default:
        // Any message proves its sender is alive.
        this.#markAlive(message.uid);
        await super.handleMessage(message, offset);
    }
  }

  protected override async expectedResponders(): Promise<Responders> {
    return new Set(this.liveNodes());
  }

  /** Every message published counts as a heartbeat: the next one is due a full interval later. */
  protected override publishAndReturnOffset(message: UnstampedMessage<ClusterMessage>): Promise<Offset> {
    if (!this.isClosed && this.#livenessTimer !== undefined) this.#scheduleHeartbeat();
    return super.publishAndReturnOffset(message);
  }

  #scheduleHeartbeat(): void {
    clearTimeout(this.#heartbeatTimer);
    this.#heartbeatTimer = setTimeout(() => this.publish({ type: MessageType.HEARTBEAT }), this.options.heartbeatInterval);
  }

  #markAlive(uid: NodeId): void {
    // An emitter outside the cluster publishes but is not a node.
    if (isEmitterUid(uid)) return;
    const isNew = !this.#nodes.has(uid);
    this.#nodes.set(uid, Date.now());
    if (isNew) {
      debug("node %s is up", uid);
      this.emit("node-up", uid);
    }
  }

  #markDown(uid: NodeId): void {
    if (!this.#nodes.delete(uid)) return;
    debug("node %s is down", uid);
    this.releaseNode(uid);
    this.emit("node-down", uid);
  }

  #pruneNodes(): void {
    const threshold = Date.now() - this.options.heartbeatTimeout;
    for (const [uid, lastSeen] of this.#nodes) {
      if (lastSeen < threshold) this.#markDown(uid);
    }
  }
}
