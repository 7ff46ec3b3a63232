// An in-process message bus for cluster adapter tests: every message goes through
// msgpack (as it will over Redis), is delivered on a later turn of the event loop, and a
// node can be cut off (a crash: no ADAPTER_CLOSE) or made to fail its publishes.
import { decode, encode } from "@msgpack/msgpack";
import {
  ClusterAdapter,
  ClusterAdapterWithHeartbeat,
  type ClusterAdapterOptions,
  type ClusterAdapterWithHeartbeatOptions,
  type ClusterMessage,
  type ClusterResponse,
  type NodeId,
} from "../../src/index";
import type { TestNamespace } from "./fake-namespace";

interface BusNode {
  onMessage(message: unknown): Promise<void>;
}

export class MemoryBus {
  readonly #nodes = new Map<NodeId, BusNode>();
  readonly #cut = new Set<NodeId>();
  readonly #failing = new Set<NodeId>();
  readonly #dropping = new Map<NodeId, number>();
  readonly #held = new Map<NodeId, Promise<void>>();
  /** Every message published, decoded, in order. */
  readonly log: unknown[] = [];

  join(uid: NodeId, node: BusNode): void {
    this.#nodes.set(uid, node);
  }

  leave(uid: NodeId): void {
    this.#nodes.delete(uid);
  }

  /** Simulates a crash: the node neither sends nor receives anymore. */
  cut(uid: NodeId): void {
    this.#cut.add(uid);
  }

  /** The next `count` messages to `uid` are lost on the way (a subscription down for a while). */
  dropNext(uid: NodeId, count = 1): void {
    this.#dropping.set(uid, (this.#dropping.get(uid) ?? 0) + count);
  }

  /**
   * Holds the publishes of `uid` (a slow bus) until the returned function is called; they
   * then go out in order.
   */
  hold(uid: NodeId): () => void {
    let release: () => void = () => undefined;
    this.#held.set(uid, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.#held.delete(uid);
      release();
    };
  }

  /** The node's next publishes throw. */
  failPublishes(uid: NodeId): void {
    this.#failing.add(uid);
  }

  /** Sends raw bytes or values as if another node had published them. */
  inject(to: NodeId, message: unknown): Promise<void> {
    return this.#nodes.get(to)?.onMessage(message) ?? Promise.resolve();
  }

  /** Whether the message now on its way to `uid` is lost. */
  #drops(uid: NodeId): boolean {
    const left = this.#dropping.get(uid) ?? 0;
    if (left === 0) return false;
    this.#dropping.set(uid, left - 1);
    return true;
  }

  /** Resolves once every recipient has handled the message. */
  publish(from: NodeId, message: ClusterMessage | ClusterResponse, to?: NodeId): Promise<void> {
    const held = this.#held.get(from);
    if (held !== undefined) return held.then(() => this.publish(from, message, to));
    if (this.#failing.has(from)) return Promise.reject(new Error("bus unavailable"));
    if (this.#cut.has(from)) return Promise.resolve();
    const bytes = encode(message);
    const recipients = [...this.#nodes].filter(
      ([uid]) => uid !== from && !this.#cut.has(uid) && (to === undefined || uid === to) && !this.#drops(uid),
    );
    return new Promise<void>((resolve) => {
      setImmediate(() => {
        this.log.push(decode(bytes));
        void Promise.all(recipients.map(([, node]) => node.onMessage(decode(bytes)))).then(() => resolve());
      });
    });
  }
}

export class BusAdapter extends ClusterAdapterWithHeartbeat {
  readonly #bus: MemoryBus;

  constructor(nsp: TestNamespace, bus: MemoryBus, options?: ClusterAdapterWithHeartbeatOptions) {
    super(nsp, options);
    this.#bus = bus;
    bus.join(this.uid, this);
  }

  protected doPublish(message: ClusterMessage): Promise<void> {
    return this.#bus.publish(this.uid, message);
  }

  protected doPublishResponse(requesterUid: NodeId, response: ClusterResponse): Promise<void> {
    return this.#bus.publish(this.uid, response, requesterUid);
  }

  override async close(): Promise<void> {
    await super.close();
    this.#bus.leave(this.uid);
  }
}

/** A cluster adapter without heartbeats: it is told how many nodes there are. */
export class CountedBusAdapter extends ClusterAdapter {
  readonly #bus: MemoryBus;
  nodeCount: number;

  constructor(nsp: TestNamespace, bus: MemoryBus, nodeCount: number, options?: ClusterAdapterOptions) {
    super(nsp, options);
    this.#bus = bus;
    this.nodeCount = nodeCount;
    bus.join(this.uid, this);
  }

  serverCount(): Promise<number> {
    return Promise.resolve(this.nodeCount);
  }

  // Public here so that the bus can call it (protected in ClusterAdapter, as upstream).
  override onMessage(message: unknown): Promise<void> {
    return super.onMessage(message);
  }

  protected doPublish(message: ClusterMessage): Promise<void> {
    return this.#bus.publish(this.uid, message);
  }

  protected doPublishResponse(requesterUid: NodeId, response: ClusterResponse): Promise<void> {
    return this.#bus.publish(this.uid, response, requesterUid);
  }
}
