// The adapter of one namespace in one worker: @volley/adapter's ClusterAdapterWithHeartbeat
// whose bus is the IPC channel to the primary, which relays each message to the other
// workers (see primary.ts). Requests that time out name the workers that did not answer.
import { AsyncLocalStorage } from "node:async_hooks";
import {
  ClusterAdapterWithHeartbeat,
  MessageType,
  RequestTimeoutError,
  type AdapterConstructor,
  type AdapterNamespace,
  type BroadcastOptions,
  type ClusterMessage,
  type ClusterResponse,
  type NodeId,
  type ServerId,
  type ServerSideEmitCallback,
  type SocketDetails,
  type UnstampedMessage,
} from "@volley/adapter";
import createDebug from "debug";
import { WorkersTimeoutError, type MissingWorker } from "./errors";
import { resolveClusterAdapterOptions, type ClusterAdapterOptions, type ResolvedClusterAdapterOptions } from "./options";
import { MESSAGE_SOURCE, PayloadCodec, type PrimaryEnvelope } from "./wire";
import { checkWorker, hasBinaryChannel, listen, sendToPrimary } from "./worker-channel";

const debug = createDebug("volley:cluster-adapter");

/** Set by the operations that send requests, read by publish(): which request they sent. */
interface RequestContext {
  requestId?: string;
}

/**
 * A Volley adapter for the workers of one Node.js cluster: every cross-worker operation
 * (broadcasts, fetchSockets, socketsJoin/Leave, disconnectSockets, serverSideEmit, session
 * restore) goes to the primary over the worker's IPC channel, and the primary (after
 * {@link setupPrimary}) relays it to the other workers. Create it through
 * {@link createAdapter}; the server builds one per namespace.
 */
export class NodeClusterAdapter extends ClusterAdapterWithHeartbeat {
  override readonly options: ResolvedClusterAdapterOptions;
  readonly #codec = new PayloadCodec();
  readonly #stopListening: () => void;
  /** Adapter id of another worker -> its cluster.worker.id, as the primary stamped it. */
  readonly #workerIds = new Map<NodeId, number>();
  /** Request id -> the workers that must still answer it, to name them on a timeout. */
  readonly #watches = new Map<string, Set<NodeId>>();
  readonly #context = new AsyncLocalStorage<RequestContext>();

  constructor(nsp: AdapterNamespace, options?: ClusterAdapterOptions) {
    checkWorker();
    const resolved = resolveClusterAdapterOptions(options);
    super(nsp, resolved);
    this.options = resolved;
    this.#stopListening = listen(nsp.name, (envelope) => this.#receive(envelope));
    this.on("node-down", (uid) => {
      this.#workerIds.delete(uid);
      for (const waitingFor of this.#watches.values()) waitingFor.delete(uid);
    });
  }

  /** The cluster.worker.id of another worker's adapter, once a message of it arrived. */
  workerIdOf(uid: NodeId): number | undefined {
    return this.#workerIds.get(uid);
  }

  protected doPublish(message: ClusterMessage): Promise<void> {
    return sendToPrimary({
      source: MESSAGE_SOURCE,
      kind: "publish",
      nsp: this.nsp.name,
      uid: this.uid,
      payload: this.#codec.encode(message, hasBinaryChannel()),
    });
  }

  protected doPublishResponse(requesterUid: ServerId, response: ClusterResponse): Promise<void> {
    return sendToPrimary({
      source: MESSAGE_SOURCE,
      kind: "response",
      nsp: this.nsp.name,
      uid: this.uid,
      to: requesterUid,
      payload: this.#codec.encode(response, hasBinaryChannel()),
    });
  }

  /**
   * The matching sockets of every worker. A worker alive when the request was sent that does
   * not answer within `requestsTimeout` makes it reject with WorkersTimeoutError, naming it.
   */
  override async fetchSockets(opts: BroadcastOptions): Promise<SocketDetails[]> {
    const context: RequestContext = {};
    try {
      return await this.#context.run(context, () => super.fetchSockets(opts));
    } catch (error) {
      throw this.#explain(error, context);
    } finally {
      this.#forget(context);
    }
  }

  /**
   * `[event, ...args]` to the other workers; with a callback last, it gets `(null, responses)`,
   * or `(WorkersTimeoutError, partialResponses)` naming the workers that did not answer.
   */
  override serverSideEmit(packet: readonly unknown[]): Promise<void> {
    const ack = packet[packet.length - 1];
    if (typeof ack !== "function") return super.serverSideEmit(packet);
    const context: RequestContext = {};
    const callback: ServerSideEmitCallback = (error, responses) => {
      const explained = error === null ? null : this.#explain(error, context);
      this.#forget(context);
      (ack as ServerSideEmitCallback)(explained, responses);
    };
    return this.#context.run(context, () => super.serverSideEmit([...packet.slice(0, -1), callback]));
  }

  /** Notes which workers a request waits for, to name them if it times out. */
  override publish(message: UnstampedMessage<ClusterMessage>): void {
    const context = this.#context.getStore();
    if (
      context?.requestId === undefined &&
      (message.type === MessageType.FETCH_SOCKETS || message.type === MessageType.SERVER_SIDE_EMIT) &&
      message.data.requestId !== undefined &&
      context !== undefined
    ) {
      context.requestId = message.data.requestId;
      this.#watches.set(message.data.requestId, new Set(this.liveNodes()));
    }
    super.publish(message);
  }

  /** Says goodbye to the other workers, fails the pending requests and stops listening. */
  override async close(): Promise<void> {
    await super.close();
    this.#watches.clear();
    this.#workerIds.clear();
    this.#stopListening();
  }

  #receive(envelope: PrimaryEnvelope): void {
    if (envelope.uid === this.uid) return;
    if (envelope.kind === "gone") {
      debug("worker %d (%s) exited", envelope.workerId, envelope.uid);
      // As if it had said goodbye: requests stop waiting for it at once.
      void this.onMessage({ type: MessageType.ADAPTER_CLOSE, uid: envelope.uid, nsp: envelope.nsp });
      return;
    }
    this.#workerIds.set(envelope.uid, envelope.workerId);
    let message: unknown;
    try {
      message = this.#codec.decode(envelope.payload);
    } catch (error) {
      debug("undecodable message from worker %d: %s", envelope.workerId, (error as Error).message);
      message = envelope.payload; // reported by onMessage as an invalid message
    }
    this.#noteAnswer(message);
    // onMessage validates, passes responses on to onResponse, and never rejects.
    void this.onMessage(message);
  }

  #noteAnswer(message: unknown): void {
    if (this.#watches.size === 0 || typeof message !== "object" || message === null) return;
    const { type, uid, data } = message as { type?: unknown; uid?: unknown; data?: { requestId?: unknown } };
    if (type !== MessageType.FETCH_SOCKETS_RESPONSE && type !== MessageType.SERVER_SIDE_EMIT_RESPONSE) return;
    if (typeof uid !== "string" || typeof data?.requestId !== "string") return;
    this.#watches.get(data.requestId)?.delete(uid);
  }

  #explain<E>(error: E, context: RequestContext): E | WorkersTimeoutError {
    if (!(error instanceof RequestTimeoutError) || context.requestId === undefined) return error;
    const waitingFor = this.#watches.get(context.requestId);
    if (waitingFor === undefined) return error;
    const missing: MissingWorker[] = [...waitingFor].map((uid) => ({ uid, workerId: this.#workerIds.get(uid) }));
    return new WorkersTimeoutError(missing, error.received, error.expected, error);
  }

  #forget(context: RequestContext): void {
    if (context.requestId !== undefined) this.#watches.delete(context.requestId);
  }
}

/**
 * The adapter class for the server's `adapter` option, in each worker:
 * `new Server({ adapter: createAdapter() })` (or `io.adapter(createAdapter())`). The
 * primary must call {@link setupPrimary}.
 *
 * @param options see {@link ClusterAdapterOptions}
 * @throws InvalidOptionError; the server's call of the class throws NotAWorkerError outside a worker
 * @example
 * const io = new Server(httpServer, { adapter: createAdapter({ requestsTimeout: 3000 }) });
 */
export function createAdapter(options?: ClusterAdapterOptions): AdapterConstructor<NodeClusterAdapter> {
  const resolved = resolveClusterAdapterOptions(options);
  return class extends NodeClusterAdapter {
    constructor(nsp: AdapterNamespace) {
      super(nsp, resolved);
    }
  };
}
