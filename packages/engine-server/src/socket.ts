import { EventEmitter } from "node:events";
import type { Duplex } from "node:stream";
import createDebug from "debug";
import type { Packet, PacketOptions, RawData, WirePacketType } from "@volley/engine-parser";
import { TRANSPORT_ERROR_CODES, TransportError } from "./errors";
import type { CloseReason, SocketEventMap } from "./events";
import { Deadline } from "./internal/deadline-queue";
import { toMessageData } from "./internal/message-data";
import { closeChannel } from "./internal/diagnostics";
import type { EngineHost } from "./internal/host";
import type { EngineRequest } from "./internal/request";
import {
  kConnection,
  kFlush,
  kHeartbeatTimeout,
  kMaybeUpgrade,
  kOnClose,
  kOnError,
  kOnPacket,
  kOnProbe,
  kOnReady,
  kOnUpgrade,
  kOnUpgradeFailed,
  kOpen,
  kOrigin,
  kPing,
  kTerminate,
} from "./internal/symbols";
import { UpgradeAttempt, type UpgradeListener } from "./internal/upgrade";
import type { Server } from "./server";
import type { Transport, TransportHandler } from "./transport";

const debug = createDebug("volley:engine-server:socket");

/** Lifecycle of a session. */
export type SocketState = "opening" | "open" | "closing" | "closed";

/** Options of {@link Socket.send}. */
export interface SendOptions {
  /** Whether the transport may compress this message. @default true */
  compress?: boolean;
}

/** Called once the message was handed to the operating system, with the transport that wrote it. */
export type SendCallback = (transport: Transport) => void;

// Shared packet options, so that queuing a message allocates only the packet.
const COMPRESSED: PacketOptions = Object.freeze({ compress: true });
const UNCOMPRESSED: PacketOptions = Object.freeze({ compress: false });
const NOOP: readonly Packet[] = Object.freeze([Object.freeze({ type: "noop" as const })]);


// The bits of Socket#flags.
const UPGRADED = 1;
const FLUSH_SCHEDULED = 2;
const CLOSE_AFTER_FLUSH = 4;
const AWAITING_PONG = 8;
const TIMEOUT_REFRESHED = 16;

/**
 * One Engine.IO session: what the client and the server say to each other, whatever the
 * transport underneath (and across an upgrade).
 */
export class Socket extends EventEmitter<SocketEventMap> implements TransportHandler, UpgradeListener {
  /** The session id (`sid`). */
  readonly id: string;
  /** The request that opened the session. */
  readonly request: EngineRequest;
  /** Engine.IO protocol revision of the client (3 or 4). */
  readonly protocol: 3 | 4;
  /** Address of the client, as seen at the handshake. */
  readonly remoteAddress: string;
  /** Packets waiting for the transport to be writable. */
  writeBuffer: Packet[] = [];
  /** @internal the Origin of the session's requests, the first one they carried (the server checks later ones against it) */
  [kOrigin]: string | undefined;
  readonly #host: EngineHost;
  #transport: Transport;
  #readyState: SocketState = "opening";
  #upgrade: UpgradeAttempt | undefined;
  /** Callbacks of queued packets, created on first use. */
  #callbacks: SendCallback[] | undefined;
  /** Where the session is in its server's heartbeat queues. */
  readonly #heartbeat: Deadline<Socket> = new Deadline<Socket>(this);
  /**
   * While the transport cannot take a write: how many packets of writeBuffer are counted in
   * #waitingBytes. Counted once each, on the flushes that find the transport busy, so a
   * session whose transport keeps up does no counting at all.
   */
  #countedPackets = 0;
  #waitingBytes = 0;
  /**
   * The session's yes/no states, one bit each (see the accessors below): five boolean
   * fields would cost 32 bytes more per session, and idle sessions are what a server holds
   * most of.
   */
  #flags = 0;

  get #upgraded(): boolean {
    return this.#hasFlag(UPGRADED);
  }
  set #upgraded(value: boolean) {
    this.#setFlag(UPGRADED, value);
  }
  /** A flush is queued for the next tick. */
  get #flushScheduled(): boolean {
    return this.#hasFlag(FLUSH_SCHEDULED);
  }
  set #flushScheduled(value: boolean) {
    this.#setFlag(FLUSH_SCHEDULED, value);
  }
  /** close() waits for the queued packets to be written. */
  get #closeAfterFlush(): boolean {
    return this.#hasFlag(CLOSE_AFTER_FLUSH);
  }
  set #closeAfterFlush(value: boolean) {
    this.#setFlag(CLOSE_AFTER_FLUSH, value);
  }
  /** A ping was sent and its pong has not come yet. */
  get #awaitingPong(): boolean {
    return this.#hasFlag(AWAITING_PONG);
  }
  set #awaitingPong(value: boolean) {
    this.#setFlag(AWAITING_PONG, value);
  }
  /** The pong deadline was already pushed back by a packet since the ping. */
  get #timeoutRefreshed(): boolean {
    return this.#hasFlag(TIMEOUT_REFRESHED);
  }
  set #timeoutRefreshed(value: boolean) {
    this.#setFlag(TIMEOUT_REFRESHED, value);
  }
  #hasFlag(flag: number): boolean {
    return (this.#flags & flag) !== 0;
  }
  #setFlag(flag: number, value: boolean): void {
    this.#flags = value ? this.#flags | flag : this.#flags & ~flag;
  }

  /** @internal sessions are created by the server */
  constructor(id: string, host: EngineHost, transport: Transport, req: EngineRequest, protocol: 3 | 4) {
    super();
    this.id = id;
    this.#host = host;
    this.request = req;
    this.protocol = protocol;
    this.remoteAddress = req.socket.remoteAddress ?? "";
    this[kOrigin] = req.headers.origin;
    this.#transport = transport;
    transport.bind(this);
  }

  /** The server this session belongs to. */
  get server(): Server {
    return this.#host.server;
  }

  get readyState(): SocketState {
    return this.#readyState;
  }

  /** The transport carrying the session now. */
  get transport(): Transport {
    return this.#transport;
  }

  /** Whether the session moved from polling to WebSocket. */
  get upgraded(): boolean {
    return this.#upgraded;
  }

  /** Whether an upgrade is in progress. */
  get upgrading(): boolean {
    return this.#upgrade !== undefined;
  }

  /**
   * Sends a message. Messages sent in one synchronous run go out together, once per
   * event-loop turn. `data` is what `engine.io` accepts: a string or binary data (Buffer,
   * ArrayBuffer, typed array, Blob) is sent as it is; any other value as its string form
   * (`42` as `"42"`), and a falsy one (`0`, `false`, `null`, `undefined`) as an empty
   * message. Once the session is closing or closed, nothing is sent and nothing is thrown.
   */
  send(data: unknown, options?: SendOptions | SendCallback, callback?: SendCallback): this {
    this.#sendPacket("message", typeof data === "string" ? data : toMessageData(data), options, callback);
    return this;
  }

  /** Alias of {@link Socket.send}. */
  write(data: unknown, options?: SendOptions | SendCallback, callback?: SendCallback): this {
    return this.send(data, options, callback);
  }

  /**
   * Closes the session: queued packets are sent first, unless `discard` is true.
   * The `close` event follows with reason "forced close".
   */
  close(discard = false): void {
    if (discard && (this.#readyState === "open" || this.#readyState === "closing")) {
      this.#setReadyState("closing");
      this.#closeTransport(true);
      return;
    }
    if (this.#readyState !== "open") return;
    this.#setReadyState("closing");
    if (this.writeBuffer.length > 0) {
      debug("closing once %d queued packets are written", this.writeBuffer.length);
      this.#closeAfterFlush = true;
      this.#flush();
      return;
    }
    this.#closeTransport(false);
  }

  /** @internal sends the open packet and starts the heartbeat */
  [kOpen](): void {
    this.#setReadyState("open");
    const opts = this.#host.opts;
    this.#sendPacket(
      "open",
      JSON.stringify({
        sid: this.id,
        upgrades: this.#availableUpgrades(),
        pingInterval: opts.pingInterval,
        pingTimeout: opts.pingTimeout,
        maxPayload: opts.maxHttpBufferSize,
      }),
    );
    if (opts.initialPacket !== undefined) this.#sendPacket("message", opts.initialPacket);
    this.emit("open");
    if (this.protocol === 3) this.#resetV3Timeout();
    else this.#schedulePing();
  }

  /** @internal closes the session now (server shutdown) */
  [kTerminate](reason: CloseReason): void {
    if (this.#readyState === "closed") return;
    this.#onClose(reason);
  }

  /** @internal a WebSocket asks to take over this session */
  [kMaybeUpgrade](transport: Transport): void {
    if (this.#readyState !== "open" || this.#upgrade !== undefined || this.#upgraded) {
      transport.close(true);
      return;
    }
    debug("session %s: upgrade to %s started", this.id, transport.name);
    this.#upgrade = new UpgradeAttempt(transport, this.#host.opts.upgradeTimeout, this);
  }

  /** @internal */
  [kOnProbe](transport: Transport): void {
    this.emit("upgrading", transport);
    // answer the pending GET now so that the client can pause polling and send `5`
    if (this.#transport.canSend) {
      if (this.writeBuffer.length > 0) this.#flush();
      else this.#transport.send(NOOP.slice());
    }
  }

  /** @internal */
  [kOnUpgrade](transport: Transport): void {
    debug("session %s upgraded to %s", this.id, transport.name);
    const previous = this.#transport;
    this.#upgrade = undefined;
    previous.bind(undefined);
    previous.discard();
    previous.close(true);
    this.#transport = transport;
    transport.bind(this);
    this.#upgraded = true;
    this.#adoptConnection(transport);
    this.emit("upgrade", transport);
    if (this.#readyState === "closing" && !this.#closeAfterFlush) {
      this.#closeTransport(false);
      return;
    }
    this.#flush();
  }

  /** @internal */
  [kOnUpgradeFailed](): void {
    this.#upgrade = undefined;
  }

  /** @internal */
  [kOnPacket](packet: Packet): void {
    if (this.#readyState !== "open") return;
    // Node's emit() allocates an array for its arguments even when nobody listens: the
    // per-packet and per-flush events are emitted only when someone does.
    if (this.listenerCount("packet") !== 0) this.emit("packet", packet);
    if (this.#awaitingPong && !this.#timeoutRefreshed && packet.type !== "pong") {
      // a busy client may queue its pong behind other packets: give it one more period
      this.#timeoutRefreshed = true;
      this.#host.heartbeats.pong.add(this.#heartbeat);
    }
    switch (packet.type) {
      case "message": {
        // "4" alone is an empty message: hand over "", never undefined
        const data = packet.data ?? "";
        this.emit("data", data);
        if (this.listenerCount("message") !== 0) this.emit("message", data);
        break;
      }
      case "pong":
        if (this.protocol === 3) return this.#heartbeatError();
        this.#awaitingPong = false;
        this.#schedulePing();
        this.emit("heartbeat");
        break;
      case "ping":
        if (this.protocol !== 3) return this.#heartbeatError();
        this.#resetV3Timeout();
        this.#sendPacket("pong", packet.data);
        this.emit("heartbeat");
        break;
      case "close":
        this.#onClose("transport close");
        break;
      case "error":
        this.#onClose("parse error");
        break;
      default:
        break;
    }
  }

  /** @internal the transport can take a write */
  [kOnReady](): void {
    if (this.writeBuffer.length > 0) this.#flush();
    else if (this.#upgrade?.probed === true) this.#transport.send(NOOP.slice());
  }

  /** @internal */
  [kOnError](err: TransportError): void {
    debug("session %s: transport error %s", this.id, err.code);
    this.#onClose("transport error", err);
  }

  /** @internal */
  [kOnClose](): void {
    this.#onClose(this.#readyState === "closing" ? "forced close" : "transport close");
  }

  #sendPacket(
    type: WirePacketType,
    data?: RawData,
    options?: SendOptions | SendCallback,
    callback?: SendCallback,
  ): void {
    if (this.#readyState === "closing" || this.#readyState === "closed") return;
    if (typeof options === "function") {
      callback = options;
      options = undefined;
    }
    const packet: Packet = { type, options: options?.compress === false ? UNCOMPRESSED : COMPRESSED };
    if (data !== undefined) packet.data = data;
    if (this.listenerCount("packetCreate") !== 0) this.emit("packetCreate", packet);
    this.writeBuffer.push(packet);
    if (callback !== undefined) (this.#callbacks ??= []).push(callback);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      process.nextTick(flushOnTick, this);
    }
  }

  /** @internal the write path: everything queued goes to the transport in one send */
  [kFlush](): void {
    this.#flushScheduled = false;
    this.#flush();
  }

  #flush(): void {
    if (this.#readyState === "closed" || this.writeBuffer.length === 0) return;
    if (!this.#transport.canSend) {
      this.#countWaiting();
      return;
    }
    const packets = this.writeBuffer;
    this.writeBuffer = [];
    if (this.#countedPackets !== 0) {
      this.#countedPackets = 0;
      this.#waitingBytes = 0;
    }
    const server = this.#host.server;
    if (this.listenerCount("flush") !== 0) this.emit("flush", packets);
    if (server.listenerCount("flush") !== 0) server.emit("flush", this, packets);
    const callbacks = this.#callbacks;
    this.#callbacks = undefined;
    this.#transport.send(packets, callbacks === undefined ? undefined : () => runCallbacks(callbacks, this.#transport));
    if (this.listenerCount("drain") !== 0) this.emit("drain");
    if (server.listenerCount("drain") !== 0) server.emit("drain", this);
    if (this.#closeAfterFlush && this.writeBuffer.length === 0) {
      this.#closeAfterFlush = false;
      this.#closeTransport(false);
    }
  }

  /**
   * The transport is busy (a WebSocket over its high-water mark, polling without a GET):
   * counts the packets queued since the last look, and closes the session once they and
   * what the transport holds are over maxWriteBufferSize.
   */
  #countWaiting(): void {
    const buffer = this.writeBuffer;
    let bytes = this.#waitingBytes;
    for (let i = this.#countedPackets; i < buffer.length; i++) bytes += packetCost(buffer[i]!);
    this.#countedPackets = buffer.length;
    this.#waitingBytes = bytes;
    const limit = this.#host.opts.maxWriteBufferSize;
    const total = bytes + this.#transport.bufferedBytes;
    if (total <= limit) return;
    debug("session %s: %d bytes waiting for the client, over maxWriteBufferSize", this.id, total);
    this.#onClose(
      "transport buffer full",
      new TransportError(
        TRANSPORT_ERROR_CODES.WRITE_BUFFER_FULL,
        `${total} bytes waiting for the client, over maxWriteBufferSize (${limit})`,
      ),
      true,
    );
  }

  /**
   * After an upgrade, `request.socket` (and `client`, `connection`) become the WebSocket's
   * connection: same client, same TLS state, and alive, while the polling connection of
   * the handshake is no longer the session's. Kept, it would stay in memory (about 1.9 KB
   * with what Node's http server hangs on it) for as long as the session, long after it
   * closed.
   */
  #adoptConnection(transport: Transport): void {
    const connection = (transport as Transport & { [kConnection]?: Duplex })[kConnection];
    const req = this.request as unknown as { socket: Duplex; client?: Duplex };
    if (connection === undefined || req.socket === connection) return;
    req.socket = connection;
    if (req.client !== undefined) req.client = connection;
  }

  #closeTransport(immediate: boolean): void {
    const transport = this.#transport;
    if (transport.readyState === "closed") {
      this.#onClose("forced close");
      return;
    }
    // the transport reports back through kOnClose, now or once the close packet is delivered
    transport.close(immediate);
  }

  /** `abort`: drop what the transport holds instead of trying to deliver a close. */
  #onClose(reason: CloseReason, description?: TransportError | Error, abort = false): void {
    if (this.#readyState === "closed") return;
    this.#setReadyState("closed");
    this.#heartbeat.cancel();
    this.#upgrade?.cancel();
    this.#upgrade = undefined;
    this.#callbacks = undefined;
    const transport = this.#transport;
    transport.bind(undefined);
    // the session is over: nothing waits for another poll
    if (abort) transport.abort();
    else transport.close(true);
    this.#host.removeSession(this);
    debug("session %s closed: %s", this.id, reason);
    if (closeChannel.hasSubscribers) closeChannel.publish({ socket: this, reason, description });
    this.emit("close", reason, description);
    this.writeBuffer = [];
  }

  #setReadyState(state: SocketState): void {
    if (debug.enabled) debug("session %s: %s -> %s", this.id, this.#readyState, state);
    this.#readyState = state;
  }

  #schedulePing(): void {
    this.#host.heartbeats.ping.add(this.#heartbeat);
  }

  /** @internal the ping interval elapsed */
  [kPing](): void {
    this.#sendPacket("ping");
    this.#awaitingPong = true;
    this.#timeoutRefreshed = false;
    this.#host.heartbeats.pong.add(this.#heartbeat);
  }

  /** @internal no pong (v4) or ping (v3) in time */
  [kHeartbeatTimeout](): void {
    this.#onClose("ping timeout");
  }

  #resetV3Timeout(): void {
    // v3 clients ping every pingInterval; the server waits one interval plus the timeout
    this.#host.heartbeats.clientPing.add(this.#heartbeat);
  }

  #heartbeatError(): void {
    this.#onClose(
      "transport error",
      new TransportError(TRANSPORT_ERROR_CODES.HEARTBEAT_DIRECTION, "heartbeat packet in the wrong direction"),
    );
  }

  #availableUpgrades(): string[] {
    const opts = this.#host.opts;
    return opts.allowUpgrades && this.#transport.name === "polling" && opts.transports.includes("websocket")
      ? ["websocket"]
      : [];
  }
}

// A module-level tick function takes the socket as argument: no closure per session.
function flushOnTick(socket: Socket): void {
  socket[kFlush]();
}

/** Memory a queued packet is counted for: its data, plus the packet object itself. */
const PACKET_COST = 32;

function packetCost(packet: Packet): number {
  const data = packet.data;
  if (data === undefined) return PACKET_COST;
  if (typeof data === "string") return PACKET_COST + data.length;
  return PACKET_COST + (data instanceof Blob ? data.size : data.byteLength);
}

function runCallbacks(callbacks: SendCallback[], transport: Transport): void {
  for (let i = 0; i < callbacks.length; i++) callbacks[i]!(transport);
}
