import type { Packet } from "@volley/parser";
import createDebug from "debug";
import {
  checkBroadcastOptions,
  deserializeBroadcastOptions,
  isLocalOnly,
  serializeBroadcastOptions,
} from "./broadcast-options";
import {
  isResponse,
  looksLikeResponse,
  MessageType,
  parseClusterMessage,
  serializePacket,
  type AnyClusterMessage,
  type BroadcastMessage,
  type ClusterMessage,
  type ClusterResponse,
  type SerializedSocketDetails,
  type UnstampedMessage,
} from "./cluster-message";
import type { AckCallback, AdapterNamespace } from "./contract";
import { AdapterClosedError, PublishError, RequestTimeoutError } from "./errors";
import { Adapter, splitServerSideEmit } from "./in-memory-adapter";
import { createOffsetGenerator, offsetCounter, randomId } from "./offset";
import {
  MAX_TIMER_DELAY_MS,
  resolveClusterAdapterOptions,
  resolveSessionAwareAdapterOptions,
  type ClusterAdapterOptions,
  type ResolvedClusterAdapterOptions,
} from "./options";
import { PendingRequests, type Responders } from "./pending-requests";
import { isRecoverable, SessionStore } from "./session-store";
import type {
  BroadcastOptions,
  NodeId,
  Offset,
  ServerId,
  PrivateSessionId,
  Room,
  Session,
  SessionToPersist,
  SocketDetails,
} from "./types";

const debug = createDebug("volley:adapter:cluster");

/** How many origin nodes a node remembers the last broadcast number of (gap detection). */
const MAX_ORIGINS = 1024;

interface AckRequest {
  readonly clientCountCallback: (clientCount: number) => void;
  readonly ack: AckCallback;
  readonly timer: NodeJS.Timeout;
}

interface RequestOutcome<T> {
  responses: T[];
  error?: Error;
}

/**
 * Base class of multi-node adapters. It runs every operation locally (as the in-memory
 * adapter) and publishes it to the other nodes as a {@link ClusterMessage}; requests
 * (fetchSockets, serverSideEmit with ack, session restore) wait for the other nodes'
 * responses up to `requestsTimeout`.
 *
 * A subclass implements the transport only, with socket.io-adapter's hooks:
 * - `doPublish(message)`: send a message to every other node of the namespace;
 * - `doPublishResponse(requesterUid, response)`: send a response to the requesting node
 *   (or to every node: the others ignore it);
 * - `serverCount()`: how many nodes there are (or extend {@link ClusterAdapterWithHeartbeat},
 *   which counts them);
 * and calls `onMessage(message, offset?)` for every message it receives (or `onResponse`
 * for the responses, when its transport tells them apart).
 *
 * With connection state recovery on (the namespace's `connectionStateRecovery`), the
 * origin of a broadcast numbers it with an offset that every node appends and records,
 * and sessions are kept on the node where the socket disconnected; any node can restore
 * them.
 */
export abstract class ClusterAdapter extends Adapter {
  /** This node's id (per namespace). */
  readonly uid: ServerId = randomId();
  /** The resolved options. */
  readonly options: ResolvedClusterAdapterOptions;
  readonly #requests = new PendingRequests();
  readonly #ackRequests = new Map<string, AckRequest>();
  readonly #store: SessionStore | undefined;
  readonly #nextOffset: () => Offset = createOffsetGenerator();
  /**
   * Numbers this node's `local` broadcasts: the other nodes never see them, so they must
   * not take numbers of the sequence the others check for gaps.
   */
  readonly #nextLocalOffset: () => Offset = createOffsetGenerator();
  /** Origin node -> the counter of the last of its offsets that reached this node. */
  readonly #lastCounters = new Map<NodeId, number>();
  /** What publish() started for a message, for the callers that need the outcome. */
  readonly #sending = new WeakMap<object, Promise<Offset>>();
  #closed = false;

  constructor(nsp: AdapterNamespace, options?: ClusterAdapterOptions) {
    super(nsp);
    this.options = resolveClusterAdapterOptions(options);
    const recovery = nsp.connectionStateRecovery;
    this.#store =
      recovery === undefined
        ? undefined
        : new SessionStore(
            resolveSessionAwareAdapterOptions({ maxBufferedPackets: this.options.maxBufferedPackets }, recovery),
          );
  }

  /**
   * Send `message` to every other node of this namespace; reject if it could not be sent.
   * A transport that numbers its messages (a stream id) may resolve with that number: it
   * is what {@link ClusterAdapter.publishAndReturnOffset} resolves with.
   */
  protected abstract doPublish(message: ClusterMessage): Promise<Offset | void> | void;

  /** Send `response` to node `requesterUid` (sending it to every node is fine too). */
  protected abstract doPublishResponse(requesterUid: ServerId, response: ClusterResponse): Promise<void> | void;

  /** How many nodes serve this namespace, this one included. */
  abstract override serverCount(): Promise<number>;

  /** Whether close() was called. */
  protected get isClosed(): boolean {
    return this.#closed;
  }

  /**
   * Hand every message received from the bus to this method (already deserialised), and
   * the responses too unless they go to {@link ClusterAdapter.onResponse}. It validates the
   * message (a malformed one is dropped with an `invalid-message` event), ignores this
   * node's own messages and other namespaces', and never rejects; the promise settles once
   * the message was acted on. `offset`: the number the transport gave the message, if any;
   * it serves as a broadcast's recovery offset when the message carries none (one from a
   * socket.io-adapter node).
   */
  protected onMessage(message: unknown, offset?: Offset): Promise<void> {
    // Transports that do not tell requests from responses hand both here.
    if (looksLikeResponse(message)) {
      this.onResponse(message as ClusterResponse);
      return Promise.resolve();
    }
    return this.#receive(message, offset);
  }

  /**
   * Hand every response addressed to this node to this method (or to `onMessage`, which
   * passes responses on here). Validated as `onMessage` does.
   */
  protected onResponse(response: ClusterResponse): void {
    void this.#receive(response, undefined);
  }

  async #receive(message: unknown, offset: Offset | undefined): Promise<void> {
    if (this.#closed) return;
    let parsed: AnyClusterMessage;
    try {
      parsed = parseClusterMessage(message);
    } catch (error) {
      debug("dropping an invalid message: %s", (error as Error).message);
      this.emit("invalid-message", error as Error, message);
      return;
    }
    if (parsed.uid === this.uid || parsed.nsp !== this.nsp.name) return;
    try {
      await this.handleMessage(parsed, offset);
    } catch (error) {
      debug("handling message type %d from %s failed: %O", parsed.type, parsed.uid, error);
    }
  }

  /**
   * Acts on a valid message from another node (`offset`: the transport's, see onMessage).
   * Subclasses handle their own types first.
   */
  protected async handleMessage(message: AnyClusterMessage, offset?: Offset): Promise<void> {
    if (isResponse(message)) {
      this.#onResponse(message);
      return;
    }
    switch (message.type) {
      case MessageType.BROADCAST:
        this.#onBroadcast(message, offset);
        return;
      case MessageType.SOCKETS_JOIN:
        await super.addSockets(deserializeBroadcastOptions(message.data.opts), message.data.rooms);
        return;
      case MessageType.SOCKETS_LEAVE:
        await super.delSockets(deserializeBroadcastOptions(message.data.opts), message.data.rooms);
        return;
      case MessageType.DISCONNECT_SOCKETS:
        await super.disconnectSockets(deserializeBroadcastOptions(message.data.opts), message.data.close);
        return;
      case MessageType.FETCH_SOCKETS: {
        const sockets = await super.fetchSockets(deserializeBroadcastOptions(message.data.opts));
        await this.#sendResponse(message.uid, {
          type: MessageType.FETCH_SOCKETS_RESPONSE,
          data: { requestId: message.data.requestId, sockets: sockets.map(serializeSocketDetails) },
        });
        return;
      }
      case MessageType.SERVER_SIDE_EMIT:
        this.#onServerSideEmit(message.uid, message.data.packet, message.data.requestId);
        return;
      case MessageType.RESTORE_SESSION: {
        const session = this.#store?.restore(message.data.pid, message.data.offset) ?? null;
        await this.#sendResponse(message.uid, {
          type: MessageType.RESTORE_SESSION_RESPONSE,
          data: { requestId: message.data.requestId, session },
        });
        return;
      }
      default:
        // Heartbeats and node lifecycle: ClusterAdapterWithHeartbeat handles them.
        return;
    }
  }

  override broadcast(packet: Packet, opts: BroadcastOptions): Promise<void> {
    checkBroadcastOptions(opts);
    const outgoing = this.stampPacket(packet);
    // Delivered here at once, numbered by this node: the bus is not waited for.
    const offset =
      this.#store === undefined || !isRecoverable(outgoing, opts)
        ? undefined
        : isLocalOnly(opts)
          ? this.#nextLocalOffset()
          : this.#nextOffset();
    this.#deliver(outgoing, opts, offset);
    if (isLocalOnly(opts)) return Promise.resolve();
    const data: BroadcastMessage["data"] = {
      packet: serializePacket(outgoing),
      opts: serializeBroadcastOptions(opts),
    };
    if (offset !== undefined) data.offset = offset;
    return this.#publishQuietly({ type: MessageType.BROADCAST, data });
  }

  /**
   * Also returns a promise (settled once published), where socket.io-adapter returns
   * nothing; overrides may return nothing.
   */
  override broadcastWithAck(
    packet: Packet,
    opts: BroadcastOptions,
    clientCountCallback: (clientCount: number) => void,
    ack: AckCallback,
  ): void | Promise<void> {
    checkBroadcastOptions(opts);
    super.broadcastWithAck(packet, opts, clientCountCallback, ack);
    if (isLocalOnly(opts)) return Promise.resolve();
    const requestId = randomId();
    const timeoutMs = Math.min(opts.flags?.timeout ?? this.options.requestsTimeout, MAX_TIMER_DELAY_MS);
    // Late counts and acks of a finished broadcast are dropped: the caller has given up.
    const timer = setTimeout(() => this.#ackRequests.delete(requestId), timeoutMs);
    this.#ackRequests.set(requestId, { clientCountCallback, ack, timer });
    // Each node allocates its own ack id: the local one must not travel.
    const remotePacket = serializePacket({ ...this.stampPacket(packet), id: undefined });
    return this.publishThroughHook({
      type: MessageType.BROADCAST,
      data: { packet: remotePacket, opts: serializeBroadcastOptions(opts), requestId },
    }).then(ignore, ignore);
  }

  override addSockets(opts: BroadcastOptions, rooms: Iterable<Room>): Promise<void> {
    const roomList = [...rooms];
    super.addSockets(opts, roomList);
    if (isLocalOnly(opts)) return Promise.resolve();
    return this.#publishQuietly({
      type: MessageType.SOCKETS_JOIN,
      data: { opts: serializeBroadcastOptions(opts), rooms: roomList },
    });
  }

  override delSockets(opts: BroadcastOptions, rooms: Iterable<Room>): Promise<void> {
    const roomList = [...rooms];
    super.delSockets(opts, roomList);
    if (isLocalOnly(opts)) return Promise.resolve();
    return this.#publishQuietly({
      type: MessageType.SOCKETS_LEAVE,
      data: { opts: serializeBroadcastOptions(opts), rooms: roomList },
    });
  }

  override disconnectSockets(opts: BroadcastOptions, close: boolean): Promise<void> {
    super.disconnectSockets(opts, close);
    if (isLocalOnly(opts)) return Promise.resolve();
    return this.#publishQuietly({
      type: MessageType.DISCONNECT_SOCKETS,
      data: { opts: serializeBroadcastOptions(opts), close },
    });
  }

  /**
   * The matching sockets of every node. Rejects with RequestTimeoutError (as mapped by
   * {@link ClusterAdapter.mapRequestTimeout}) when a node did not answer within the
   * `timeout` flag (else `requestsTimeout`), with PublishError when the request could not
   * be sent.
   */
  override async fetchSockets(opts: BroadcastOptions): Promise<SocketDetails[]> {
    const local = await super.fetchSockets(opts);
    if (isLocalOnly(opts)) return local;
    const { responses, error } = await this.#sendRequest<SerializedSocketDetails[]>(
      (requestId) => ({
        type: MessageType.FETCH_SOCKETS,
        data: { opts: serializeBroadcastOptions(opts), requestId },
      }),
      opts.flags?.timeout ?? this.options.requestsTimeout,
    );
    if (error !== undefined) throw error;
    for (const sockets of responses) {
      for (const socket of sockets) local.push({ ...socket, rooms: new Set(socket.rooms) });
    }
    return local;
  }

  /**
   * Delivers `[event, ...args]` to the other nodes' namespaces. With a callback as last
   * element, it gets `(null, responses)` once every other node answered, or
   * `(RequestTimeoutError, partialResponses)` after `requestsTimeout` (the error as mapped
   * by {@link ClusterAdapter.mapRequestTimeout}).
   */
  override serverSideEmit(packet: readonly unknown[]): Promise<void> {
    const { args, ack } = splitServerSideEmit(packet);
    if (ack === undefined) {
      return this.publishThroughHook({ type: MessageType.SERVER_SIDE_EMIT, data: { packet: args } }).then(ignore, ignore);
    }
    return this.#sendRequest<unknown>(
      (requestId) => ({ type: MessageType.SERVER_SIDE_EMIT, data: { packet: args, requestId } }),
      this.options.requestsTimeout,
    ).then(({ responses, error }) => ack(error ?? null, responses));
  }

  override persistSession(session: SessionToPersist): void {
    if (this.#store === undefined) {
      super.persistSession(session);
      return;
    }
    this.#store.save(session);
  }

  /** Restores a session kept by this node or, failing that, by another node. */
  override async restoreSession(pid: PrivateSessionId, offset: Offset): Promise<Session | null> {
    if (this.#store === undefined) return super.restoreSession(pid, offset);
    const local = this.#store.restore(pid, offset);
    if (local !== null) return local;
    const { responses } = await this.#sendRequest<Session | null>(
      (requestId) => ({ type: MessageType.RESTORE_SESSION, data: { requestId, pid, offset } }),
      this.options.requestsTimeout,
      (session) => session !== null,
    );
    return responses.find((session) => session !== null) ?? null;
  }

  /**
   * Stops every pending request (they fail with AdapterClosedError) and drops messages from
   * now on. Returns a promise; overrides may return nothing, as socket.io-adapter's do.
   */
  override close(): void | Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#requests.closeAll();
    for (const { timer } of this.#ackRequests.values()) clearTimeout(timer);
    this.#ackRequests.clear();
    this.#store?.close();
    return super.close();
  }

  /** Who must answer a request: here `serverCount() - 1` nodes. */
  protected async expectedResponders(): Promise<Responders> {
    return Math.max(0, (await this.serverCount()) - 1);
  }

  /**
   * The error a fetchSockets or serverSideEmit request that timed out fails with: `error`
   * itself here. A subclass may return its own error instead, e.g. one that names the
   * silent nodes of `error.missingNodes` in its transport's terms.
   */
  protected mapRequestTimeout(error: RequestTimeoutError): Error {
    return error;
  }

  /** Pending requests stop waiting for a node that went down. */
  protected releaseNode(uid: NodeId): void {
    this.#requests.releaseNode(uid);
  }

  /**
   * Stamps `uid` and `nsp` and publishes without waiting; a failure is reported with a
   * `publish-error` event. As in socket.io-adapter, heartbeats, requests (fetchSockets,
   * serverSideEmit), and broadcasts with acks go through here, and the other operations
   * (broadcast, socketsJoin/Leave, disconnectSockets) straight through
   * publishAndReturnOffset.
   */
  protected publish(message: UnstampedMessage<ClusterMessage>): void {
    const sending = this.publishAndReturnOffset(message);
    this.#sending.set(message, sending);
    sending.catch((error: Error) => {
      if (!(error instanceof AdapterClosedError)) this.#reportPublishError(error);
    });
  }

  /**
   * Publishes through the publish() hook and returns the outcome that publish() drops
   * (resolved with "" when an override of publish() did not pass this very message on).
   */
  protected publishThroughHook(message: UnstampedMessage<ClusterMessage>): Promise<Offset> {
    this.publish(message);
    const sending = this.#sending.get(message);
    this.#sending.delete(message);
    return sending ?? Promise.resolve("");
  }

  /**
   * Stamps `uid` and `nsp` and publishes: every message this node sends to all others
   * passes here. Resolves with the offset `doPublish` resolved with ("" when it gave
   * none); rejects with PublishError (or AdapterClosedError after close()).
   */
  protected async publishAndReturnOffset(message: UnstampedMessage<ClusterMessage>): Promise<Offset> {
    if (this.#closed) throw new AdapterClosedError();
    const stamped = { ...message, uid: this.uid, nsp: this.nsp.name } as ClusterMessage;
    let offset: Offset | void;
    try {
      offset = await this.doPublish(stamped);
    } catch (error) {
      throw new PublishError(error);
    }
    return typeof offset === "string" ? offset : "";
  }

  /** Stamps and sends a response without waiting; a failure is reported with a `publish-error` event. */
  protected publishResponse(requesterUid: ServerId, response: UnstampedMessage<ClusterResponse>): void {
    void this.#sendResponse(requesterUid, response);
  }

  async #sendResponse(requesterUid: ServerId, response: UnstampedMessage<ClusterResponse>): Promise<void> {
    if (this.#closed) return;
    const stamped = { ...response, uid: this.uid, nsp: this.nsp.name } as ClusterResponse;
    try {
      await this.doPublishResponse(requesterUid, stamped);
    } catch (error) {
      this.#reportPublishError(new PublishError(error));
    }
  }

  async #publishQuietly(message: UnstampedMessage<ClusterMessage>): Promise<void> {
    try {
      await this.publishAndReturnOffset(message);
    } catch (error) {
      if (!(error instanceof AdapterClosedError)) this.#reportPublishError(error as Error);
    }
  }

  #reportPublishError(error: Error): void {
    debug("publish failed: %O", error);
    this.emit("publish-error", error);
  }

  async #sendRequest<T>(
    build: (requestId: string) => UnstampedMessage<ClusterMessage>,
    timeoutMs: number,
    isFinal?: (response: T) => boolean,
  ): Promise<RequestOutcome<T>> {
    if (this.#closed) return { responses: [], error: new AdapterClosedError() };
    const responders = await this.expectedResponders();
    if ((typeof responders === "number" ? responders : responders.size) === 0) return { responses: [] };
    const requestId = randomId();
    return new Promise<RequestOutcome<T>>((resolve) => {
      this.#requests.add<T>(requestId, {
        responders,
        timeoutMs,
        resolve: (responses) => resolve({ responses }),
        reject: (error, responses) =>
          resolve({ responses, error: error instanceof RequestTimeoutError ? this.mapRequestTimeout(error) : error }),
        ...(isFinal === undefined ? {} : { isFinal }),
      });
      // A failed publish fails the request now, not at its timeout.
      this.publishThroughHook(build(requestId)).catch((error: Error) => this.#requests.fail(requestId, error));
    });
  }

  #onBroadcast(message: BroadcastMessage, transportOffset: Offset | undefined): void {
    const { packet, requestId } = message.data;
    const opts = deserializeBroadcastOptions(message.data.opts);
    const requester = message.uid;
    if (requestId !== undefined) {
      super.broadcastWithAck(
        packet,
        opts,
        (clientCount) => {
          this.publishResponse(requester, {
            type: MessageType.BROADCAST_CLIENT_COUNT,
            data: { requestId, clientCount },
          });
        },
        (answer) => {
          // One value per client, as socket.io-adapter sends it (and the server keeps).
          this.publishResponse(requester, { type: MessageType.BROADCAST_ACK, data: { requestId, packet: answer } });
        },
      );
      return;
    }
    // The origin's number wins; a transport's is for messages that carry none.
    const offset = message.data.offset ?? (transportOffset === "" ? undefined : transportOffset);
    if (this.#store === undefined || !isRecoverable(packet, opts)) {
      this.#deliver(packet, opts, undefined);
      return;
    }
    const gapBefore = message.data.offset !== undefined && this.#missedBefore(message.uid, message.data.offset);
    this.#deliver(packet, opts, offset, gapBefore);
  }

  /**
   * Whether broadcasts of `origin` numbered before `offset` never reached this node: an
   * origin numbers its published broadcasts one after the other, so a counter that does
   * not follow the last one seen means lost messages (a subscription down for a while).
   */
  #missedBefore(origin: NodeId, offset: Offset): boolean {
    const counter = offsetCounter(offset);
    if (counter === undefined) return false;
    const last = this.#lastCounters.get(origin);
    // Kept for nodes that went silent too: one back under the same id may have lost some.
    // The least recently heard origins go first past MAX_ORIGINS.
    this.#lastCounters.delete(origin);
    this.#lastCounters.set(origin, counter);
    if (this.#lastCounters.size > MAX_ORIGINS) this.#lastCounters.delete(this.#lastCounters.keys().next().value as NodeId);
    return last !== undefined && counter !== last + 1;
  }

  /** Local delivery; with an offset, appended to the event's arguments and recorded for recovery. */
  #deliver(packet: Packet, opts: BroadcastOptions, offset: Offset | undefined, gapBefore = false): void {
    if (offset === undefined || this.#store === undefined || !isRecoverable(packet, opts)) {
      super.broadcast(packet, opts);
      return;
    }
    const data = [...packet.data, offset];
    this.#store.record(offset, data, opts, gapBefore);
    super.broadcast({ ...packet, data }, opts);
  }

  #onServerSideEmit(requester: NodeId, packet: [string, ...unknown[]], requestId: string | undefined): void {
    if (requestId === undefined) {
      this.nsp.receiveServerSideEmit(packet);
      return;
    }
    let answered = false;
    this.nsp.receiveServerSideEmit(packet, (response) => {
      if (answered) return;
      answered = true;
      this.publishResponse(requester, {
        type: MessageType.SERVER_SIDE_EMIT_RESPONSE,
        data: { requestId, packet: response ?? null },
      });
    });
  }

  #onResponse(response: ClusterResponse): void {
    switch (response.type) {
      case MessageType.BROADCAST_CLIENT_COUNT:
        this.#ackRequests.get(response.data.requestId)?.clientCountCallback(response.data.clientCount);
        return;
      case MessageType.BROADCAST_ACK:
        this.#ackRequests.get(response.data.requestId)?.ack(response.data.packet);
        return;
      case MessageType.FETCH_SOCKETS_RESPONSE:
        this.#requests.respond(response.data.requestId, response.uid, response.data.sockets);
        return;
      case MessageType.SERVER_SIDE_EMIT_RESPONSE:
        this.#requests.respond(response.data.requestId, response.uid, response.data.packet);
        return;
      case MessageType.RESTORE_SESSION_RESPONSE:
        this.#requests.respond(response.data.requestId, response.uid, response.data.session);
        return;
    }
  }
}

function ignore(): void {}

function serializeSocketDetails(socket: SocketDetails): SerializedSocketDetails {
  return { id: socket.id, handshake: socket.handshake, rooms: [...socket.rooms], data: socket.data };
}
