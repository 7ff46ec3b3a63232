import createDebug from "debug";
import { ClusterAdapter } from "./cluster-adapter";
import { EMITTER_UID, MessageType, type ClusterMessage, type ClusterRequest, type UnstampedMessage } from "./cluster-message";
import type { AdapterNamespace } from "./contract";
import {
  resolveClusterAdapterWithHeartbeatOptions,
  type ClusterAdapterWithHeartbeatOptions,
  type ResolvedClusterAdapterWithHeartbeatOptions,
} from "./options";
import type { Responders } from "./pending-requests";
import type { NodeId } from "./types";

const debug = createDebug("volley:adapter:heartbeat");

/** The liveness check runs at least this often, so that a dead node is noticed soon after its timeout. */
const MAX_LIVENESS_CHECK_MS = 1_000;

/**
 * A {@link ClusterAdapter} that knows the other nodes by their heartbeats: on `init()` it
 * announces itself (every node answers), then publishes a heartbeat whenever it has been
 * silent for `heartbeatInterval`. A node not heard from for `heartbeatTimeout`, or that
 * announced its close, is down: pending requests stop waiting for it and `node-down` is
 * emitted. `serverCount()` is 1 + the live nodes.
 *
 * Subclasses implement only `doPublish` and `doPublishResponse`, and call `onMessage`.
 */
export abstract class ClusterAdapterWithHeartbeat extends ClusterAdapter {
  override readonly options: ResolvedClusterAdapterWithHeartbeatOptions;
  /** Node id -> when it was last heard from (ms since epoch). */
  readonly #nodes = new Map<NodeId, number>();
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #livenessTimer: NodeJS.Timeout | undefined;

  constructor(nsp: AdapterNamespace, options?: ClusterAdapterWithHeartbeatOptions) {
    const resolved = resolveClusterAdapterWithHeartbeatOptions(options);
    super(nsp, resolved);
    this.options = resolved;
  }

  /** Announces this node and starts the heartbeat and the liveness check. */
  override init(): Promise<void> {
    if (this.isClosed || this.#livenessTimer !== undefined) return Promise.resolve();
    this.#livenessTimer = setInterval(
      () => this.#pruneNodes(),
      Math.min(this.options.heartbeatInterval, MAX_LIVENESS_CHECK_MS),
    );
    return this.publish({ type: MessageType.INITIAL_HEARTBEAT }).catch((error: Error) => {
      debug("initial heartbeat failed: %s", error.message);
      this.emit("publish-error", error);
    });
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

  /** Tells the other nodes this one is gone, then stops. */
  override async close(): Promise<void> {
    if (this.isClosed) return;
    if (this.#livenessTimer !== undefined) {
      await this.publish({ type: MessageType.ADAPTER_CLOSE }).catch((error: Error) => {
        debug("close announcement failed: %s", error.message);
      });
    }
    clearTimeout(this.#heartbeatTimer);
    clearInterval(this.#livenessTimer);
    this.#heartbeatTimer = undefined;
    this.#nodes.clear();
    await super.close();
  }

  protected override async handleMessage(message: ClusterMessage): Promise<void> {
    switch (message.type) {
      case MessageType.INITIAL_HEARTBEAT:
        this.#markAlive(message.uid);
        // Answer so that the new node learns about this one at once.
        await this.publish({ type: MessageType.HEARTBEAT }).catch((error: Error) => {
          this.emit("publish-error", error);
        });
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
        await super.handleMessage(message);
    }
  }

  protected override async expectedResponders(): Promise<Responders> {
    return new Set(this.liveNodes());
  }

  /** Every publish counts as a heartbeat: the next one is due a full interval later. */
  protected override publish(message: UnstampedMessage<ClusterRequest>): Promise<void> {
    if (!this.isClosed && this.#livenessTimer !== undefined) this.#scheduleHeartbeat();
    return super.publish(message);
  }

  #scheduleHeartbeat(): void {
    clearTimeout(this.#heartbeatTimer);
    this.#heartbeatTimer = setTimeout(() => {
      this.publish({ type: MessageType.HEARTBEAT }).catch((error: Error) => {
        debug("heartbeat failed: %s", error.message);
        this.emit("publish-error", error);
      });
    }, this.options.heartbeatInterval);
  }

  #markAlive(uid: NodeId): void {
    // An emitter outside the cluster publishes but is not a node.
    if (uid === EMITTER_UID) return;
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
