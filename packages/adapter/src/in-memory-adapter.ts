import { EventEmitter } from "node:events";
import type { Packet } from "@volley/parser";
import createDebug from "debug";
import {
  checkBroadcastOptions,
  exceptOf,
  toWriteOptions,
} from "./broadcast-options";
import type { AckCallback, AdapterNamespace, AdapterSocket } from "./contract";
import { InvalidArgumentError } from "./errors";
import { MAX_TIMER_DELAY_MS } from "./options";
import type {
  AdapterEvents,
  BroadcastOptions,
  PrivateSessionId,
  Room,
  Session,
  SessionToPersist,
  SocketDetails,
  SocketId,
} from "./types";

const debug = createDebug("volley:adapter");

/** The callback of `serverSideEmit` with an acknowledgement: one response per other node. */
export type ServerSideEmitCallback = (error: Error | null, responses: unknown[]) => void;

/**
 * The in-memory adapter: rooms and broadcasting for the sockets of one namespace on one
 * node. It is what the server uses by default, and the base of every other adapter.
 *
 * It keeps `rooms` (room -> socket ids) and `sids` (socket id -> rooms), encodes each
 * broadcast once with the namespace's encoder and writes the same chunks to every
 * matching socket through {@link AdapterSocket.writeEncoded}.
 */
export class Adapter extends EventEmitter<AdapterEvents> {
  /** The namespace this adapter serves. */
  readonly nsp: AdapterNamespace;
  /** Room name -> ids of the sockets in it. Read it; change it only through the methods. */
  readonly rooms: Map<Room, Set<SocketId>> = new Map();
  /** Socket id -> the rooms it is in. Read it; change it only through the methods. */
  readonly sids: Map<SocketId, Set<Room>> = new Map();

  constructor(nsp: AdapterNamespace) {
    super();
    this.nsp = nsp;
  }

  /** Called once by the server after construction. Multi-node adapters connect here. */
  init(): void | Promise<void> {}

  /** Called once by the server when it closes. */
  close(): void | Promise<void> {}

  /** How many nodes (servers) serve this namespace: 1 here. */
  serverCount(): Promise<number> {
    return Promise.resolve(1);
  }

  /** Adds a socket to rooms; emits `create-room` and `join-room` as they happen. */
  addAll(id: SocketId, rooms: Iterable<Room>): void | Promise<void> {
    let socketRooms = this.sids.get(id);
    if (socketRooms === undefined) {
      socketRooms = new Set();
      this.sids.set(id, socketRooms);
    }
    for (const room of rooms) {
      socketRooms.add(room);
      let members = this.rooms.get(room);
      if (members === undefined) {
        members = new Set();
        this.rooms.set(room, members);
        this.emit("create-room", room);
      }
      if (!members.has(id)) {
        members.add(id);
        this.emit("join-room", room, id);
      }
    }
  }

  /** Removes a socket from one room; emits `leave-room`, then `delete-room` if it is empty. */
  del(id: SocketId, room: Room): void | Promise<void> {
    this.sids.get(id)?.delete(room);
    this.#leave(room, id);
  }

  /** Removes a socket from every room and forgets it (the server calls it on disconnection). */
  delAll(id: SocketId): void {
    const socketRooms = this.sids.get(id);
    if (socketRooms === undefined) return;
    for (const room of socketRooms) this.#leave(room, id);
    this.sids.delete(id);
  }

  /**
   * Sends a packet to the matching sockets: encoded once, the same chunks written to each.
   * The packet is not mutated; its `nsp` is set to this namespace's name.
   */
  broadcast(packet: Packet, opts: BroadcastOptions): void | Promise<void> {
    checkBroadcastOptions(opts);
    const outgoing = this.stampPacket(packet);
    const encoded = this.nsp.encode(outgoing);
    const writeOptions = toWriteOptions(opts.flags);
    this.forEachSocket(opts, (socket) => socket.writeEncoded(encoded, writeOptions, outgoing));
  }

  /**
   * Sends a packet that expects an acknowledgement from every matching socket. One ack id
   * (from the namespace's counter) serves every socket. `clientCountCallback` is called
   * once per node that handled the broadcast with the number of sockets written to; `ack`
   * once per client ACK, with its arguments.
   *
   * With a `timeout` flag, the acks still awaited when it elapses are unregistered from
   * their sockets (`unregisterAck`): the broadcast is over, and a client that never
   * answers must not keep the callback alive.
   */
  broadcastWithAck(
    packet: Packet,
    opts: BroadcastOptions,
    clientCountCallback: (clientCount: number) => void,
    ack: AckCallback,
  ): void | Promise<void> {
    checkBroadcastOptions(opts);
    const outgoing: Packet = { ...this.stampPacket(packet), id: this.nsp.nextAckId() };
    const ackId = outgoing.id as number;
    const encoded = this.nsp.encode(outgoing);
    const writeOptions = toWriteOptions(opts.flags);
    const timeoutMs = opts.flags?.timeout;
    // Without a timeout the broadcast waits as long as the sockets live: nothing to forget.
    const awaited = timeoutMs === undefined ? undefined : new AwaitedAcks(ack);
    const onAck = awaited === undefined ? ack : awaited.onAck;
    let clientCount = 0;
    this.forEachSocket(opts, (socket) => {
      clientCount++;
      awaited?.ids.push(socket.id);
      socket.registerAck(ackId, onAck);
      socket.writeEncoded(encoded, writeOptions, outgoing);
    });
    awaited?.forgetAfter(timeoutMs as number, (id) => this.nsp.sockets.get(id)?.unregisterAck(ackId));
    clientCountCallback(clientCount);
  }

  /** The ids of the sockets in any of `rooms` (every socket when `rooms` is empty). */
  sockets(rooms: ReadonlySet<Room>): Promise<Set<SocketId>> {
    const ids = new Set<SocketId>();
    this.forEachSocket({ rooms }, (socket) => ids.add(socket.id));
    return Promise.resolve(ids);
  }

  /** The rooms a socket is in (a live read-only view), or undefined for an unknown socket. */
  socketRooms(id: SocketId): ReadonlySet<Room> | undefined {
    return this.sids.get(id);
  }

  /** Snapshots of the matching sockets (multi-node adapters add the other nodes' sockets). */
  fetchSockets(opts: BroadcastOptions): Promise<SocketDetails[]> {
    checkBroadcastOptions(opts);
    const details: SocketDetails[] = [];
    this.forEachSocket(opts, (socket) => {
      details.push({
        id: socket.id,
        handshake: socket.handshake,
        rooms: new Set(this.sids.get(socket.id)),
        data: socket.data,
      });
    });
    return Promise.resolve(details);
  }

  /** Makes the matching sockets join `rooms`. */
  addSockets(opts: BroadcastOptions, rooms: Iterable<Room>): void | Promise<void> {
    checkBroadcastOptions(opts);
    const roomList = [...rooms];
    for (const socket of this.collectSockets(opts)) this.addAll(socket.id, roomList);
  }

  /** Makes the matching sockets leave `rooms`. */
  delSockets(opts: BroadcastOptions, rooms: Iterable<Room>): void | Promise<void> {
    checkBroadcastOptions(opts);
    const roomList = [...rooms];
    for (const socket of this.collectSockets(opts)) {
      for (const room of roomList) this.del(socket.id, room);
    }
  }

  /** Disconnects the matching sockets (`close`: also close their connections). */
  disconnectSockets(opts: BroadcastOptions, close: boolean): void | Promise<void> {
    checkBroadcastOptions(opts);
    for (const socket of this.collectSockets(opts)) socket.disconnect(close);
  }

  /**
   * Sends an event to the other nodes' namespaces: `packet` is `[event, ...args]`, plus
   * an optional last {@link ServerSideEmitCallback}. There is no other node here, so the
   * callback gets `(null, [])` on the next microtask.
   */
  serverSideEmit(packet: readonly unknown[]): void | Promise<void> {
    const { ack } = splitServerSideEmit(packet);
    if (ack !== undefined) queueMicrotask(() => ack(null, []));
  }

  /** Connection state recovery: this adapter keeps no session (see SessionAwareAdapter). */
  persistSession(session: SessionToPersist): void | Promise<void> {
    // the pid is a secret of the client's (whoever holds it takes the session over): never logged
    debug("session of socket %s not persisted: the in-memory adapter keeps no session", session.sid);
  }

  /** Connection state recovery: nothing to restore here. */
  restoreSession(pid: PrivateSessionId, offset: string): Promise<Session | null> {
    debug("session not restored: the in-memory adapter keeps no session");
    return Promise.resolve(null);
  }

  /** The packet as broadcast from this namespace (a copy when the name must change). */
  protected stampPacket(packet: Packet): Packet {
    return packet.nsp === this.nsp.name ? packet : { ...packet, nsp: this.nsp.name };
  }

  /**
   * Calls `callback` once for each connected socket that matches `opts`: in any of
   * `opts.rooms` (all sockets when empty), in none of `opts.except` and whose id is not in
   * it. Iterates live maps: the callback must not change rooms (see collectSockets).
   */
  protected forEachSocket(
    opts: Pick<BroadcastOptions, "rooms" | "except">,
    callback: (socket: AdapterSocket) => void,
  ): void {
    const excluded = this.#excludedIds(exceptOf(opts));
    const { sockets } = this.nsp;
    if (opts.rooms.size === 0) {
      for (const id of this.sids.keys()) {
        if (excluded?.has(id)) continue;
        const socket = sockets.get(id);
        if (socket !== undefined) callback(socket);
      }
      return;
    }
    // A socket in several rooms is written to once.
    const seen = opts.rooms.size > 1 ? new Set<SocketId>() : undefined;
    for (const room of opts.rooms) {
      const members = this.rooms.get(room);
      if (members === undefined) continue;
      for (const id of members) {
        if (excluded?.has(id) || seen?.has(id)) continue;
        seen?.add(id);
        const socket = sockets.get(id);
        if (socket !== undefined) callback(socket);
      }
    }
  }

  /** The matching sockets as an array, for operations that change rooms or disconnect. */
  protected collectSockets(opts: BroadcastOptions): AdapterSocket[] {
    const matched: AdapterSocket[] = [];
    this.forEachSocket(opts, (socket) => matched.push(socket));
    return matched;
  }

  #excludedIds(except: ReadonlySet<Room>): Set<SocketId> | undefined {
    if (except.size === 0) return undefined;
    // A socket id is excluded directly too, even if the socket left its own room.
    const excluded = new Set<SocketId>(except);
    for (const room of except) {
      const members = this.rooms.get(room);
      if (members !== undefined) for (const id of members) excluded.add(id);
    }
    return excluded;
  }

  #leave(room: Room, id: SocketId): void {
    const members = this.rooms.get(room);
    if (members === undefined) return;
    if (members.delete(id)) this.emit("leave-room", room, id);
    if (members.size === 0 && this.rooms.delete(room)) this.emit("delete-room", room);
  }
}

/**
 * The sockets a broadcast with a `timeout` flag waits on. When the timeout elapses, the
 * acks not yet answered are unregistered from their sockets; once every socket answered,
 * the timer is cleared and nothing is left to do.
 */
class AwaitedAcks {
  readonly ids: SocketId[] = [];
  readonly onAck: AckCallback;
  #answered = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(ack: AckCallback) {
    this.onAck = (...args) => {
      this.#answered++;
      if (this.#answered === this.ids.length) clearTimeout(this.#timer);
      ack(...args);
    };
  }

  forgetAfter(timeoutMs: number, forget: (id: SocketId) => void): void {
    if (this.ids.length === 0) return;
    this.#timer = setTimeout(() => {
      for (const id of this.ids) forget(id);
    }, Math.min(timeoutMs, MAX_TIMER_DELAY_MS));
    // Cleanup only: it must not keep the process alive.
    this.#timer.unref();
  }
}

/** Splits `[event, ...args, callback?]` and checks the event name. */
export function splitServerSideEmit(packet: readonly unknown[]): {
  args: [string, ...unknown[]];
  ack: ServerSideEmitCallback | undefined;
} {
  if (!Array.isArray(packet)) throw new InvalidArgumentError("serverSideEmit expects an array");
  const last = packet[packet.length - 1];
  const ack = typeof last === "function" ? (last as ServerSideEmitCallback) : undefined;
  const args = ack === undefined ? packet.slice() : packet.slice(0, -1);
  if (typeof args[0] !== "string") {
    throw new InvalidArgumentError("serverSideEmit expects the event name as first element");
  }
  for (const arg of args) {
    if (typeof arg === "function") {
      throw new InvalidArgumentError("serverSideEmit accepts a callback only as last element");
    }
  }
  return { args: args as [string, ...unknown[]], ack };
}
