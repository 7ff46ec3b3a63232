// A complete multi-node adapter in ~100 lines: the cluster base class does rooms,
// broadcasting, requests, timeouts, heartbeats and recovery; this class only moves
// messages. Every node of a namespace listens on one shared channel for requests, and on
// a channel of its own for the responses addressed to it. Messages travel as MessagePack
// bytes, the way they would over Redis.
import { BroadcastChannel } from "node:worker_threads";
import { decode, encode } from "@msgpack/msgpack";
import {
  ClusterAdapterWithHeartbeat,
  type AdapterNamespace,
  type ClusterAdapterWithHeartbeatOptions,
  type ClusterRequest,
  type ClusterResponse,
  type NodeId,
} from "@volley/adapter";

export interface BroadcastChannelAdapterOptions extends ClusterAdapterWithHeartbeatOptions {
  /**
   * The prefix of the channel names: nodes with the same prefix form one cluster.
   * @default "volley"
   */
  channel?: string;
}

export class BroadcastChannelAdapter extends ClusterAdapterWithHeartbeat {
  readonly #prefix: string;
  readonly #requests: BroadcastChannel;
  readonly #responses: BroadcastChannel;
  /** Channels to other nodes' response inboxes, opened on first use. */
  readonly #outboxes = new Map<NodeId, BroadcastChannel>();

  constructor(nsp: AdapterNamespace, options: BroadcastChannelAdapterOptions = {}) {
    super(nsp, options);
    this.#prefix = `${options.channel ?? "volley"}#${nsp.name}`;
    this.#requests = this.#listen(this.#prefix);
    this.#responses = this.#listen(`${this.#prefix}#${this.uid}`);
    // A node that went down will not read its inbox again.
    this.on("node-down", (uid) => {
      this.#outboxes.get(uid)?.close();
      this.#outboxes.delete(uid);
    });
  }

  protected doPublish(message: ClusterRequest): void {
    this.#requests.postMessage(encode(message));
  }

  protected doPublishResponse(requesterUid: NodeId, response: ClusterResponse): void {
    let outbox = this.#outboxes.get(requesterUid);
    if (outbox === undefined) {
      outbox = new BroadcastChannel(`${this.#prefix}#${requesterUid}`);
      this.#outboxes.set(requesterUid, outbox);
    }
    outbox.postMessage(encode(response));
  }

  override async close(): Promise<void> {
    await super.close();
    this.closeChannels();
  }

  /** Stops all traffic at once (close() calls it after saying goodbye). */
  protected closeChannels(): void {
    this.#requests.close();
    this.#responses.close();
    for (const outbox of this.#outboxes.values()) outbox.close();
    this.#outboxes.clear();
  }

  #listen(name: string): BroadcastChannel {
    const channel = new BroadcastChannel(name);
    channel.onmessage = (event) => {
      const { data } = event as { data: unknown };
      let message: unknown;
      try {
        message = decode(data as Uint8Array);
      } catch {
        message = data; // not MessagePack: let the adapter report it as invalid
      }
      // onMessage validates, acts, and never rejects.
      void this.onMessage(message);
    };
    return channel;
  }
}
