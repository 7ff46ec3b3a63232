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
  MessageType,
  parseClusterMessage,
  serializePacket,
  type BroadcastMessage,
  type ClusterMessage,
  type ClusterRequest,
  type ClusterResponse,
  type SerializedSocketDetails,
  type UnstampedMessage,
} from "./cluster-message";
import type { AckCallback, AdapterNamespace } from "./contract";
import { AdapterClosedError, PublishError } from "./errors";
import { Adapter, splitServerSideEmit } from "./in-memory-adapter";
import { createOffsetGenerator, randomId } from "./offset";
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
  PrivateSessionId,
  Room,
  Session,
  SessionToPersist,
  SocketDetails,
} from "./types";

const debug = createDebug("volley:adapter:cluster");

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
 * A subclass implements the transport only:
 * - `doPublish(message)`: send a message to every other node of the namespace;
 * - `doPublishResponse(requesterUid, response)`: send a response to the requesting node
 *   (or to every node: the others ignore it);
 * - `serverCount()`: how many nodes there are (or extend {@link ClusterAdapterWithHeartbeat},
 *   which counts them);
 * and calls `onMessage(message)` for every message it receives.
 *
 * With connection state recovery on (the namespace's `connectionStateRecovery`), the
 * origin of a broadcast appends an offset that every node records, and sessions are kept
 * on the node where the socket disconnected; any node can restore them.
 */
export abstract class ClusterAdapter extends Adapter {
  /** This node's id (per namespace). */
  readonly uid: NodeId = randomId();
  /** The resolved options. */
  readonly options: ResolvedClusterAdapterOptions;
  readonly #requests = new PendingRequests();
  readonly #ackRequests = new Map<string, AckRequest>();
  readonly #store: SessionStore | undefined;
  readonly #nextOffset: () => Offset = createOffsetGenerator();
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

  /** Send `message` to every other node of this namespace. Reject if it could not be sent. */
  protected abstract doPublish(message: ClusterRequest): Promise<void> | void;

  /** Send `response` to node `requesterUid` (sending it to every node is fine too). */
  protected abstract doPublishResponse(requesterUid: NodeId, response: ClusterResponse): Promise<void> | void;

  /** How many nodes serve this namespace, this one included. */
  abstract override serverCount(): Promise<number>;

  /** Whether close() was called. */
  protected get isClosed(): boolean {
    return this.#closed;
  }

  /**
   * Hand every message received from the bus to this method (already deserialised). It
   * validates it (a malformed one is dropped with an `invalid-message` event), ignores this
   * node's own messages and other namespaces', and never rejects.
   */
  async onMessage(message: unknown): Promise<void> {
    if (this.#closed) return;
    let parsed: ClusterMessage;
    try {
      parsed = parseClusterMessage(message);
    } catch (error) {
      debug("dropping an invalid message: %s", (error as Error).message);
      this.emit("invalid-message", error as Error, message);
      return;
    }
    if (parsed.uid === this.uid || parsed.nsp !== this.nsp.name) return;
    try {
      await this.handleMessage(parsed);
    } catch (error) {
      debug("handling message type %d from %s failed: %O", parsed.type, parsed.uid, error);
    }
  }

  /** Acts on a valid message from another node. Subclasses handle their own types first. */
  protected async handleMessage(message: ClusterMessage): Promise<void> {
    if (isResponse(message)) {
      this.#onResponse(message);
      return;
    }
    switch (message.type) {
      case MessageType.BROADCAST:
        this.#onBroadcast(message);
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
        await this.publishResponse(message.uid, {
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
        await this.publishResponse(message.uid, {
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
    let outgoing = this.stampPacket(packet);
    let offset: Offset | undefined;
    if (this.#store !== undefined && isRecoverable(outgoing, opts)) {
      offset = this.#nextOffset();
      const data = [...outgoing.data, offset];
      outgoing = { ...outgoing, data };
      this.#store.record(offset, data, opts);
    }
    super.broadcast(outgoing, opts);
    if (isLocalOnly(opts)) return Promise.resolve();
    const data: BroadcastMessage["data"] = {
      packet: serializePacket(outgoing),
      opts: serializeBroadcastOptions(opts),
    };
    if (offset !== undefined) data.offset = offset;
    return this.#publishQuietly({ type: MessageType.BROADCAST, data });
  }

  override broadcastWithAck(
    packet: Packet,
    opts: BroadcastOptions,
    clientCountCallback: (clientCount: number) => void,
    ack: AckCallback,
  ): Promise<void> {
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
    return this.#publishQuietly({
      type: MessageType.BROADCAST,
      data: { packet: remotePacket, opts: serializeBroadcastOptions(opts), requestId },
    });
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
   * The matching sockets of every node. Rejects with RequestTimeoutError when a node did
   * not answer within the `timeout` flag (else `requestsTimeout`), with PublishError when
   * the request could not be sent.
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
   * `(RequestTimeoutError, partialResponses)` after `requestsTimeout`.
   */
  override serverSideEmit(packet: readonly unknown[]): Promise<void> {
    const { args, ack } = splitServerSideEmit(packet);
    if (ack === undefined) {
      return this.#publishQuietly({ type: MessageType.SERVER_SIDE_EMIT, data: { packet: args } });
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

  /** Stops every pending request (they fail with AdapterClosedError) and drops messages from now on. */
  override async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#requests.closeAll();
    for (const { timer } of this.#ackRequests.values()) clearTimeout(timer);
    this.#ackRequests.clear();
    this.#store?.close();
    await super.close();
  }

  /** Who must answer a request: here `serverCount() - 1` nodes. */
  protected async expectedResponders(): Promise<Responders> {
    return Math.max(0, (await this.serverCount()) - 1);
  }

  /** Pending requests stop waiting for a node that went down. */
  protected releaseNode(uid: NodeId): void {
    this.#requests.releaseNode(uid);
  }

  /** Stamps `uid` and `nsp` and publishes; rejects with PublishError or AdapterClosedError. */
  protected async publish(message: UnstampedMessage<ClusterRequest>): Promise<void> {
    if (this.#closed) throw new AdapterClosedError();
    const stamped = { ...message, uid: this.uid, nsp: this.nsp.name } as ClusterRequest;
    try {
      await this.doPublish(stamped);
    } catch (error) {
      throw new PublishError(error);
    }
  }

  /** Stamps and sends a response; failures are reported, never thrown. */
  protected async publishResponse(requesterUid: NodeId, response: UnstampedMessage<ClusterResponse>): Promise<void> {
    if (this.#closed) return;
    const stamped = { ...response, uid: this.uid, nsp: this.nsp.name } as ClusterResponse;
    try {
      await this.doPublishResponse(requesterUid, stamped);
    } catch (error) {
      this.#reportPublishError(new PublishError(error));
    }
  }

  async #publishQuietly(message: UnstampedMessage<ClusterRequest>): Promise<void> {
    try {
      await this.publish(message);
    } catch (error) {
      if (!(error instanceof AdapterClosedError)) this.#reportPublishError(error as Error);
    }
  }

  #reportPublishError(error: Error): void {
    debug("publish failed: %O", error);
    this.emit("publish-error", error);
  }

  async #sendRequest<T>(
    build: (requestId: string) => UnstampedMessage<ClusterRequest>,
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
        reject: (error, responses) => resolve({ responses, error }),
        ...(isFinal === undefined ? {} : { isFinal }),
      });
      this.publish(build(requestId)).catch((error: Error) => this.#requests.fail(requestId, error));
    });
  }

  #onBroadcast(message: BroadcastMessage): void {
    const { packet, requestId, offset } = message.data;
    const opts = deserializeBroadcastOptions(message.data.opts);
    const requester = message.uid;
    if (requestId !== undefined) {
      super.broadcastWithAck(
        packet,
        opts,
        (clientCount) => {
          void this.publishResponse(requester, {
            type: MessageType.BROADCAST_CLIENT_COUNT,
            data: { requestId, clientCount },
          });
        },
        (...args) => {
          void this.publishResponse(requester, { type: MessageType.BROADCAST_ACK, data: { requestId, args } });
        },
      );
      return;
    }
    if (offset !== undefined && this.#store !== undefined && isRecoverable(packet, opts)) {
      this.#store.record(offset, packet.data, opts);
    }
    super.broadcast(packet, opts);
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
      void this.publishResponse(requester, {
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
        this.#ackRequests.get(response.data.requestId)?.ack(...response.data.args);
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

function serializeSocketDetails(socket: SocketDetails): SerializedSocketDetails {
  return { id: socket.id, handshake: socket.handshake, rooms: [...socket.rooms], data: socket.data };
}
