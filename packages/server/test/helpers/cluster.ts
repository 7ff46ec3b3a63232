// A multi-node setup in one process: cluster adapters (the @volley/adapter base class)
// talking over an in-memory bus that clones every message (as a real bus serialises it)
// and delivers it on a later turn of the event loop.
import {
  ClusterAdapterWithHeartbeat,
  type Adapter,
  type AdapterConstructor,
  type AdapterNamespace,
  type ClusterRequest,
  type ClusterResponse,
  type NodeId,
} from "@volley/adapter";

interface BusNode {
  readonly uid: NodeId;
  readonly nsp: AdapterNamespace;
  onMessage(message: unknown): Promise<void>;
}

export class MemoryBus {
  readonly #nodes = new Set<BusNode>();
  /** Messages published and not yet handled by their receiver. */
  #inFlight = 0;
  #idle: Array<() => void> = [];

  join(node: BusNode): void {
    this.#nodes.add(node);
  }

  leave(node: BusNode): void {
    this.#nodes.delete(node);
  }

  publish(from: BusNode, message: ClusterRequest | ClusterResponse, to?: NodeId): void {
    const copy = structuredClone(message);
    for (const node of this.#nodes) {
      if (node === from || node.nsp.name !== from.nsp.name || (to !== undefined && node.uid !== to)) continue;
      this.#inFlight++;
      setImmediate(() => {
        // what the receiver publishes while handling it is in flight before this one ends
        void node.onMessage(structuredClone(copy)).finally(() => {
          this.#inFlight--;
          if (this.#inFlight === 0) for (const done of this.#idle.splice(0)) done();
        });
      });
    }
  }

  /** Resolves once every message published so far, and every answer to it, was handled. */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** The adapter class to give each server (`adapter` option). */
  adapter(): AdapterConstructor<Adapter> {
    const bus = this;
    return class MemoryBusAdapter extends ClusterAdapterWithHeartbeat {
      constructor(nsp: AdapterNamespace) {
        super(nsp, { requestsTimeout: 2000, heartbeatInterval: 1000, heartbeatTimeout: 3000 });
        bus.join(this);
      }

      protected doPublish(message: ClusterRequest): void {
        bus.publish(this, message);
      }

      protected doPublishResponse(requesterUid: NodeId, response: ClusterResponse): void {
        bus.publish(this, response, requesterUid);
      }

      override async close(): Promise<void> {
        await super.close();
        bus.leave(this);
      }
    };
  }
}
