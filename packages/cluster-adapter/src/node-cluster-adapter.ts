// The adapter of one namespace in one worker: @volley/adapter's ClusterAdapterWithHeartbeat
// whose bus is the IPC channel to the primary, which relays each message to the other
// workers (see primary.ts). Requests that time out name the workers that did not answer.
import { randomUUID } from "node:crypto";
import {
  Adapter,
  AdapterClosedError,
  ClusterAdapterWithHeartbeat,
  createOffsetGenerator,
  isRecoverable,
  MessageType,
  type AdapterConstructor,
  type AdapterNamespace,
  type BroadcastOptions,
  type ClusterMessage,
  type ClusterResponse,
  type NodeId,
  type Offset,
  type PrivateSessionId,
  type RequestTimeoutError,
  type ServerId,
  type Session,
  type SessionToPersist,
} from "@volley/adapter";
import type { Packet } from "@volley/parser";
import createDebug from "debug";
import { WorkersTimeoutError } from "./errors";
import { resolveClusterAdapterOptions, type ClusterAdapterOptions, type ResolvedClusterAdapterOptions } from "./options";
import { sessionFromPrimary } from "./recovery";
import { MESSAGE_SOURCE, PayloadCodec, type PrimaryEnvelope } from "./wire";
import { checkWorker, hasBinaryChannel, listen, sendToPrimary } from "./worker-channel";

const debug = createDebug("volley:cluster-adapter");

/** A recoverable broadcast of this worker, sent to the primary and delivered here once echoed. */
interface AwaitingEcho {
  readonly packet: Packet & { data: unknown[] };
  readonly opts: BroadcastOptions;
  /** When it was sent (ms since epoch). */
  readonly sentAt: number;
}

interface PendingRestore {
  readonly resolve: (session: Session | null) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * A Volley adapter for the workers of one Node.js cluster: every cross-worker operation
 * (broadcasts, fetchSockets, socketsJoin/Leave, disconnectSockets, serverSideEmit, session
 * restore) goes to the primary over the worker's IPC channel, and the primary (after
 * {@link setupPrimary}) relays it to the other workers. Create it through
 * {@link createAdapter}; the server builds one per namespace.
 *
 * With connection state recovery on, the primary keeps the sessions and the recoverable
 * broadcasts, so that a session survives the worker it disconnected from. Each recoverable
 * broadcast is numbered by its worker, recorded by the primary in the order it relays it,
 * and delivered by every worker, its own sender included, in that order (the sender
 * delivers it when the primary echoes it back): what a client missed is the primary's
 * packets after the client's last offset, exactly.
 */
export class NodeClusterAdapter extends ClusterAdapterWithHeartbeat {
  override readonly options: ResolvedClusterAdapterOptions;
  readonly #codec = new PayloadCodec();
  readonly #stopListening: () => void;
  /** Adapter id of another worker -> its cluster.worker.id, as the primary stamped it. */
  readonly #workerIds = new Map<NodeId, number>();
  /** Whether the namespace has connection state recovery on: the primary keeps the sessions. */
  readonly #isRecovering: boolean;
  readonly #nextOffset: () => Offset = createOffsetGenerator();
  readonly #awaitingEcho = new Map<Offset, AwaitingEcho>();
  /** Delivers what was not echoed within requestsTimeout (no primary relaying): runs while some wait. */
  #echoTimer: NodeJS.Timeout | undefined;
  readonly #restores = new Map<string, PendingRestore>();

  constructor(nsp: AdapterNamespace, options?: ClusterAdapterOptions) {
    checkWorker();
    const resolved = resolveClusterAdapterOptions(options);
    super(nsp, resolved);
    this.options = resolved;
    this.#isRecovering = nsp.connectionStateRecovery !== undefined;
    this.#stopListening = listen(nsp.name, (envelope) => this.#receive(envelope));
    this.on("node-down", (uid) => this.#workerIds.delete(uid));
  }

  /** The cluster.worker.id of another worker's adapter, once a message of it arrived. */
  workerIdOf(uid: NodeId): number | undefined {
    return this.#workerIds.get(uid);
  }

  protected doPublish(message: ClusterMessage): Promise<void> {
    const offset = message.type === MessageType.BROADCAST ? message.data.offset : undefined;
    return sendToPrimary({
      source: MESSAGE_SOURCE,
      kind: "publish",
      nsp: this.nsp.name,
      uid: this.uid,
      payload: this.#codec.encode(message, hasBinaryChannel()),
      ...(offset === undefined ? {} : this.#sequencing(offset)),
    });
  }

  /**
   * With connection state recovery on, a recoverable broadcast (an event without ack, not
   * volatile) goes to the primary first and reaches this worker's clients when the primary
   * echoes it (see the class comment); anything else is delivered here at once. A `local`
   * one is recorded by the primary too (its clients get its offset), and relayed to nobody.
   */
  override broadcast(packet: Packet, opts: BroadcastOptions): Promise<void> {
    if (!this.#isRecovering || !isRecoverable(packet, opts) || !(opts.rooms instanceof Set)) {
      return super.broadcast(packet, opts);
    }
    const outgoing = { ...this.stampPacket(packet), data: packet.data };
    const offset = this.#nextOffset();
    this.#awaitingEcho.set(offset, { packet: outgoing, opts, sentAt: Date.now() });
    this.#echoTimer ??= setTimeout(() => this.#sweepEchoes(), this.options.requestsTimeout);
    const flags = Object.fromEntries(Object.entries(opts.flags ?? {}).filter(([, value]) => value !== undefined));
    return this.publishAndReturnOffset({
      type: MessageType.BROADCAST,
      data: {
        packet: { type: outgoing.type, nsp: outgoing.nsp, data: outgoing.data },
        opts: { rooms: [...opts.rooms], except: [...(opts.except ?? [])], flags },
        offset,
      },
    }).then(
      () => undefined,
      (error: Error) => {
        // Not sent: the other workers miss it, this one's clients need not.
        this.#deliverEchoed(offset);
        if (!(error instanceof AdapterClosedError)) this.emit("publish-error", error);
      },
    );
  }

  /** With connection state recovery on, the session goes to the primary. */
  override persistSession(session: SessionToPersist): void {
    if (!this.#isRecovering) {
      super.persistSession(session);
      return;
    }
    const plain: SessionToPersist = { sid: session.sid, pid: session.pid, rooms: [...session.rooms], data: session.data };
    sendToPrimary({
      source: MESSAGE_SOURCE,
      kind: "session",
      nsp: this.nsp.name,
      uid: this.uid,
      pid: session.pid,
      payload: this.#codec.encode(plain, hasBinaryChannel()),
    }).catch((error: Error) => this.emit("publish-error", error));
  }

  /**
   * With connection state recovery on, asks the primary for the session and the packets
   * after `offset`; null when it has none, or gives no answer within `requestsTimeout`.
   */
  override restoreSession(pid: PrivateSessionId, offset: Offset): Promise<Session | null> {
    if (!this.#isRecovering) return super.restoreSession(pid, offset);
    if (this.isClosed) return Promise.resolve(null);
    const requestId = randomUUID();
    return new Promise<Session | null>((resolve) => {
      const timer = setTimeout(() => this.#settleRestore(requestId, null), this.options.requestsTimeout);
      this.#restores.set(requestId, { resolve, timer });
      sendToPrimary({ source: MESSAGE_SOURCE, kind: "restore", nsp: this.nsp.name, uid: this.uid, requestId, pid, offset }).catch(() =>
        this.#settleRestore(requestId, null),
      );
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
   * fetchSockets and serverSideEmit with ack: a worker alive when the request was sent that
   * does not answer within `requestsTimeout` makes it fail with WorkersTimeoutError, naming it.
   */
  protected override mapRequestTimeout(error: RequestTimeoutError): Error {
    if (error.missingNodes === undefined) return error;
    const missing = error.missingNodes.map((uid) => ({ uid, workerId: this.#workerIds.get(uid) }));
    return new WorkersTimeoutError(missing, error.received, error.expected, error);
  }

  /** Says goodbye to the other workers, fails the pending requests and stops listening. */
  override async close(): Promise<void> {
    await super.close();
    for (const requestId of [...this.#restores.keys()]) this.#settleRestore(requestId, null);
    this.#awaitingEcho.clear();
    clearTimeout(this.#echoTimer);
    this.#echoTimer = undefined;
    this.#workerIds.clear();
    this.#stopListening();
  }

  #receive(envelope: PrimaryEnvelope): void {
    if (envelope.kind === "echo" || envelope.kind === "restored") {
      if (envelope.uid !== this.uid) return;
      if (envelope.kind === "echo") this.#deliverEchoed(envelope.offset);
      else this.#settleRestore(envelope.requestId, sessionFromPrimary(this.#codec, envelope));
      return;
    }
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
    // onMessage validates, passes responses on to onResponse, and never rejects.
    void this.onMessage(message);
  }

  /** The envelope fields of a recoverable broadcast of this worker (none for another message). */
  #sequencing(offset: Offset): { offset?: Offset; isLocal?: true } {
    const awaiting = this.#awaitingEcho.get(offset);
    if (awaiting === undefined) return {};
    return awaiting.opts.flags?.local === true ? { offset, isLocal: true } : { offset };
  }

  /**
   * A broadcast the primary did not echo within requestsTimeout (setupPrimary() not called,
   * or the primary too busy) is delivered here anyway: this worker's clients get it (maybe
   * out of order), and nothing waits for good.
   */
  #sweepEchoes(): void {
    this.#echoTimer = undefined;
    const threshold = Date.now() - this.options.requestsTimeout;
    for (const [offset, awaiting] of this.#awaitingEcho) {
      if (awaiting.sentAt > threshold) break; // in send order: the rest are younger
      debug("broadcast %s not echoed by the primary within %d ms: delivered here", offset, this.options.requestsTimeout);
      this.#deliverEchoed(offset);
    }
    const next = this.#awaitingEcho.values().next();
    if (next.done !== true) {
      this.#echoTimer = setTimeout(() => this.#sweepEchoes(), Math.max(1, next.value.sentAt + this.options.requestsTimeout - Date.now()));
    }
  }

  #deliverEchoed(offset: Offset): void {
    const echoed = this.#awaitingEcho.get(offset);
    if (echoed === undefined) return;
    this.#awaitingEcho.delete(offset);
    // The in-memory delivery, past ClusterAdapter's (which would publish it again).
    void Adapter.prototype.broadcast.call(this, { ...echoed.packet, data: [...echoed.packet.data, offset] }, echoed.opts);
  }

  #settleRestore(requestId: string, session: Session | null): void {
    const pending = this.#restores.get(requestId);
    if (pending === undefined) return;
    this.#restores.delete(requestId);
    clearTimeout(pending.timer);
    pending.resolve(session);
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
