// One Engine.IO connection: decodes what the client sends, routes each packet to the
// socket of its namespace, writes encoded packets, and closes everything exactly once.
import type { EncodedPacket } from "@volley/adapter";
import type { CloseReason, RawData, Socket as EngineSocket } from "@volley/engine-server";
import { PacketType, type Packet, type ParserDecoder } from "@volley/parser";
import createDebug from "debug";
import { CONNECT_ERROR_MESSAGES, ProtocolViolationError } from "./errors";
import type { DisconnectReason } from "./events";
import { connectErrorChannel, parseErrorChannel } from "./internal/diagnostics";
import type { Connection, ConnectionHost, ConnectionSocket, WriteFlags } from "./internal/contracts";
import type { EngineSocketHandler } from "./internal/engine-listeners";
import {
  kCloseConnection,
  kConnect,
  kOnClose,
  kOnEngineClose,
  kOnEngineData,
  kOnError,
  kOnPacket,
  kResolveNamespace,
  kSocketConnected,
  kSocketRemoved,
  kWriteChunks,
} from "./internal/symbols";

const debug = createDebug("volley:server:client");

/** The options of {@link Client.writeToEngine}, as socket.io-adapter passes them. */
export interface WriteToEngineOptions {
  /** Drop the packets if the transport cannot send them now. */
  volatile?: boolean | undefined;
  /** Whether the transport may compress them (default true). */
  compress?: boolean | undefined;
  /** Set by socket.io-adapter; the packets are always taken as already encoded. */
  preEncoded?: boolean | undefined;
}

/**
 * The Socket.IO side of one Engine.IO session. Holds one socket per namespace the client
 * connected to. Created by the server for every engine `connection`.
 */
export class Client implements Connection, EngineSocketHandler {
  /** The Engine.IO session. */
  readonly conn: EngineSocket;
  readonly #host: ConnectionHost;
  // Sized for the common case, an idle client on one namespace (see bench/REPORT.md): no
  // decoder of its own between messages, one socket without a Map, no empty Set.
  /** The decoder this connection keeps while a binary packet is half received. */
  #decoder: ParserDecoder | undefined;
  /** The connected sockets: one alone, or a Map by namespace name from the second on. */
  #sockets: ConnectionSocket | Map<string, ConnectionSocket> | undefined;
  /**
   * Sockets still connected but no longer receiving packets: a second CONNECT sent while
   * the first was pending gives a second socket, which takes the namespace's packets over
   * (as with socket.io); the first lives on until it or the connection closes.
   */
  #shadowed: ConnectionSocket[] | undefined;
  /**
   * DISCONNECTs received in the current event-loop turn, by namespace, handled on the next
   * tick as socket.io does (it hands every packet to its socket on the next tick): within
   * the turn the namespace still counts as connected, so a CONNECT for it is a violation
   * and its other packets are dropped.
   */
  #leaving: Map<string, readonly [ConnectionSocket, Packet]> | undefined;
  #connectTimer: NodeJS.Timeout | undefined;
  /** CONNECTs being handled (namespace lookup, middlewares): they count against the limit. */
  #connecting = 0;
  #closed = false;

  /** @internal */
  constructor(host: ConnectionHost, conn: EngineSocket) {
    this.#host = host;
    this.conn = conn;
    host.engineListeners.attach(conn, this);
    if (conn.protocol === 3) {
      // Socket.IO protocol v4 (Engine.IO v3 clients, socket.io-client 2.x): the client never
      // asks for the main namespace, the server connects it on its own
      this.#onConnect("/", {});
    } else if (host.connectTimeoutMs > 0) {
      this.#connectTimer = setTimeout(() => {
        if (this.#sockets !== undefined) return;
        debug("connection %s: no namespace connected within %d ms", conn.id, host.connectTimeoutMs);
        this.#close("forced server close");
      }, host.connectTimeoutMs);
    }
  }

  /** The Engine.IO session id, as socket.io's `client.id` (tools such as admin-ui read it). */
  get id(): string {
    return this.conn.id;
  }

  /** The first HTTP request of the connection. */
  get request(): EngineSocket["request"] {
    return this.conn.request;
  }

  /** Whether the Engine.IO session is open. */
  isOpen(): boolean {
    return this.conn.readyState === "open";
  }

  /** @internal writes encoded chunks (volatile ones only if the transport can take them now) */
  [kWriteChunks](chunks: EncodedPacket, flags: WriteFlags): void {
    const conn = this.conn;
    if (this.#closed || conn.readyState !== "open") return;
    // The engine queues what is written in one event-loop turn and flushes it on the next
    // tick; anything queued means the transport is already taken, as socket.io's engine
    // (which writes at once and is then not writable until the write completes) sees it.
    if (flags.volatile && (conn.writeBuffer.length > 0 || !conn.transport.writable)) {
      debug("connection %s: volatile packet dropped", this.conn.id);
      return;
    }
    const options = { compress: flags.compress };
    for (const chunk of chunks) conn.write(chunk, options);
  }

  /**
   * Writes packets already encoded by the server's encoder, as socket.io's
   * `client.writeToEngine()` does: adapters written for socket.io-adapter call it for every
   * broadcast. A volatile write is dropped when the transport cannot take it now.
   */
  writeToEngine(encodedPackets: EncodedPacket | EncodedPacket[number], options: WriteToEngineOptions = {}): void {
    const chunks = Array.isArray(encodedPackets) ? (encodedPackets as EncodedPacket) : [encodedPackets as EncodedPacket[number]];
    this[kWriteChunks](chunks, { volatile: options.volatile === true, compress: options.compress !== false });
  }

  /** @internal */
  [kSocketConnected](socket: ConnectionSocket): void {
    if (this.#closed) return;
    this.#addSocket(socket);
    clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
  }

  /** @internal */
  [kSocketRemoved](socket: ConnectionSocket): void {
    const sockets = this.#sockets;
    if (sockets === socket) this.#sockets = undefined;
    else if (sockets instanceof Map && sockets.get(socket.namespaceName) === socket) sockets.delete(socket.namespaceName);
    else if (this.#shadowed !== undefined) {
      const index = this.#shadowed.indexOf(socket);
      if (index !== -1) this.#shadowed.splice(index, 1);
    }
  }

  /** @internal socket.disconnect(true): every namespace leaves, then the connection closes */
  [kCloseConnection](): void {
    for (const socket of this.#socketList()) {
      this.#writePacket({ type: PacketType.DISCONNECT, nsp: socket.namespaceName });
      socket[kOnClose]("server namespace disconnect");
    }
    this.#close("forced server close");
  }

  /** @internal a message of the Engine.IO socket */
  [kOnEngineData](data: RawData): void {
    if (this.#closed) return;
    let packets: readonly Packet[];
    try {
      const result = this.#host.decoders.decode(this.#decoder, data);
      this.#decoder = result.decoder;
      packets = result.packets;
    } catch (error) {
      this.#decoder = undefined;
      debug("connection %s: parse error %O", this.conn.id, error);
      if (parseErrorChannel.hasSubscribers) parseErrorChannel.publish({ conn: this.conn, error });
      // as socket.io: every socket hears the decoder's error before the connection closes
      for (const socket of this.#socketList()) socket[kOnError](error);
      this.#close("parse error", error);
      return;
    }
    // handled after decoding returned, so that an exception of an application listener is
    // never taken for a parse error
    for (const packet of packets) this.#onPacket(packet);
  }

  #onPacket(packet: Packet): void {
    if (this.#closed) return;
    const type = packet.type;
    if (type === PacketType.CONNECT) {
      let name = packet.nsp;
      let auth = packet.data;
      if (this.conn.protocol === 3) {
        // protocol v4 carries the client's query in the namespace: `/admin?token=abc`
        const split = splitNamespaceQuery(name);
        name = split.name;
        auth = split.query;
      }
      if (this.#socketOf(name) !== undefined || this.#leaving?.has(name) === true) {
        this.#violation(type, name, `CONNECT to ${name}, which the client is connected to`);
        return;
      }
      // a CONNECT while another for the same namespace is pending gives a second socket, as
      // with socket.io (socket.io-client sends one on `disconnect().connect()` before `connect`)
      this.#onConnect(name, auth);
      return;
    }
    const socket = this.#socketOf(packet.nsp);
    if (socket === undefined || type === PacketType.CONNECT_ERROR) {
      this.#violation(
        type,
        packet.nsp,
        socket === undefined ? `packet for ${packet.nsp}, which the client is not connected to` : "CONNECT_ERROR sent by a client",
      );
      return;
    }
    if (this.#leaving?.has(packet.nsp) === true) {
      debug("connection %s: packet for %s, which it is leaving, dropped", this.conn.id, packet.nsp);
      return;
    }
    if (type === PacketType.DISCONNECT) {
      this.#leave(socket, packet);
      return;
    }
    socket[kOnPacket](packet);
  }

  /** A packet the protocol does not allow here: the connection is closed, as socket.io does. */
  #violation(type: PacketType, nsp: string, message: string): void {
    debug("connection %s: protocol violation: %s", this.conn.id, message);
    this.#close("parse error", new ProtocolViolationError(type, nsp, message));
  }

  #leave(socket: ConnectionSocket, packet: Packet): void {
    if (this.#leaving === undefined) {
      this.#leaving = new Map();
      process.nextTick(() => {
        const leaving = this.#leaving;
        this.#leaving = undefined;
        // a socket already gone (the connection closed meanwhile) ignores it
        if (leaving !== undefined) for (const [left, disconnect] of leaving.values()) left[kOnPacket](disconnect);
      });
    }
    this.#leaving.set(packet.nsp, [socket, packet]);
  }

  #onConnect(name: string, auth: unknown): void {
    const limit = this.#host.maxNamespacesPerConnection;
    if (this.#connecting + this.#socketList().length >= limit) {
      debug("connection %s: CONNECT to %s refused, already in %d namespaces", this.conn.id, name, limit);
      this.#refuseConnect(name, CONNECT_ERROR_MESSAGES.TOO_MANY_NAMESPACES);
      return;
    }
    this.#connecting++;
    let isSettled = false;
    const settled = (): void => {
      if (isSettled) return;
      isSettled = true;
      this.#connecting--;
    };
    this.#host[kResolveNamespace](name, auth).then(
      (namespace) => {
        if (this.#closed || namespace === undefined) settled();
        if (this.#closed) return;
        if (namespace === undefined) {
          debug("connection %s: CONNECT to unknown namespace %s", this.conn.id, name);
          this.#refuseConnect(name, CONNECT_ERROR_MESSAGES.INVALID_NAMESPACE);
          return;
        }
        namespace[kConnect](this, auth, settled);
      },
      (error: unknown) => {
        settled();
        if (this.#closed) return;
        debug("connection %s: namespace %s could not be resolved: %O", this.conn.id, name, error);
        this.#refuseConnect(name, CONNECT_ERROR_MESSAGES.INVALID_NAMESPACE);
      },
    );
  }

  /** Answers a CONNECT with a CONNECT_ERROR; the connection and its other sockets go on. */
  #refuseConnect(name: string, message: string): void {
    if (connectErrorChannel.hasSubscribers) connectErrorChannel.publish({ namespace: name, error: new Error(message) });
    this.#writePacket({ type: PacketType.CONNECT_ERROR, nsp: name, data: this.#connectErrorData(message) });
  }

  /** Protocol v4 clients expect the reason of a refusal as a bare string. */
  #connectErrorData(message: string): string | { message: string } {
    return this.conn.protocol === 3 ? message : { message };
  }

  #socketOf(name: string): ConnectionSocket | undefined {
    const sockets = this.#sockets;
    if (sockets === undefined) return undefined;
    if (sockets instanceof Map) return sockets.get(name);
    return sockets.namespaceName === name ? sockets : undefined;
  }

  #addSocket(socket: ConnectionSocket): void {
    const name = socket.namespaceName;
    const previous = this.#socketOf(name);
    if (previous !== undefined && previous !== socket) (this.#shadowed ??= []).push(previous);
    const sockets = this.#sockets;
    if (sockets === undefined || sockets === socket) this.#sockets = socket;
    else if (sockets instanceof Map) sockets.set(name, socket);
    else if (sockets.namespaceName === name) this.#sockets = socket;
    else this.#sockets = new Map([[sockets.namespaceName, sockets], [name, socket]]);
  }

  /** A copy: the sockets remove themselves while the caller iterates. */
  #socketList(): ConnectionSocket[] {
    const sockets = this.#sockets;
    const list = sockets === undefined ? [] : sockets instanceof Map ? [...sockets.values()] : [sockets];
    return this.#shadowed === undefined ? list : [...this.#shadowed, ...list];
  }

  #writePacket(packet: Packet): void {
    this[kWriteChunks](this.#host.encoder.encode(packet), { volatile: false, compress: true });
  }

  /** Disconnects every socket with `reason`, then closes the Engine.IO session. */
  #close(reason: DisconnectReason, description?: unknown): void {
    if (this.#closed) return;
    this.#disconnectAll(reason, description);
    this.conn.close();
  }

  /** @internal the Engine.IO socket closed */
  [kOnEngineClose](reason: CloseReason, description: unknown): void {
    this.#disconnectAll(reason, description);
  }

  #disconnectAll(reason: DisconnectReason, description: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#host.engineListeners.detach(this.conn);
    clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
    for (const socket of this.#socketList()) socket[kOnClose](reason, description);
    this.#sockets = undefined;
    this.#shadowed = undefined;
    if (this.#decoder !== undefined) this.#host.decoders.release(this.#decoder);
    this.#decoder = undefined;
  }
}

/** `/admin?token=abc&x=1` → `/admin` and `{ token: "abc", x: "1" }` (the first of repeated keys). */
function splitNamespaceQuery(nsp: string): { name: string; query: Record<string, string> } {
  const start = nsp.indexOf("?");
  const query: Record<string, string> = {};
  if (start === -1) return { name: nsp, query };
  for (const [key, value] of new URLSearchParams(nsp.slice(start + 1))) {
    if (!Object.hasOwn(query, key)) query[key] = value;
  }
  return { name: nsp.slice(0, start), query };
}
