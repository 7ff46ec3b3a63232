import type { Duplex } from "node:stream";
import createDebug from "debug";
import { WebSocket as WsWebSocket } from "ws";
import type { Packet } from "@volley/engine-parser";
import { ENGINE_SERVER_ERROR_CODES, TRANSPORT_ERROR_CODES, TransportError } from "../errors";
import { codecFor, type Codec } from "../internal/codec";
import { asBytes, encodeFrames } from "../internal/frames";
import type { RecentFrames } from "../internal/recent-frames";
import type { EngineRequest } from "../internal/request";
import { kConnection, kTransport } from "../internal/symbols";
import { LeanWebSocket } from "../internal/websocket/lean-websocket";
import type { PerMessageDeflateOptions, WebSocketLike } from "../options";
import { Transport, type TransportHandler } from "../transport";

const debug = createDebug("volley:engine-server:websocket");

// Shared send options: ws copies them, so no object is allocated per message here.
const COMPRESS = Object.freeze({ compress: true });
const NO_COMPRESS = Object.freeze({ compress: false });

type TaggedWebSocket = WebSocketLike & { [kTransport]?: WebSocketTransport };

/**
 * One WebSocket (from the built-in engine, `ws` or a compatible server). Each packet is one
 * frame.
 * - With the built-in engine, the frames of one flush are encoded here into one buffer and
 *   written to the TCP socket in one write (the engine has no queue or sender of its own).
 * - With any other engine (ws included), each frame goes through the engine's public
 *   `send()`, with the TCP socket corked around them, so that the engine's own sender,
 *   control frames and `bufferedAmount` stay right.
 *
 * Backpressure: once the TCP socket holds more than its high-water mark, the session's
 * flushes wait for its `drain` (canSend is false meanwhile) instead of piling on; the
 * session counts what it queues meanwhile against maxWriteBufferSize.
 */
export class WebSocketTransport extends Transport {
  readonly name = "websocket" as const;
  readonly #ws: TaggedWebSocket;
  readonly #socket: Duplex;
  readonly #codec: Codec;
  /** Whether frames are encoded here and written straight to the TCP socket (built-in engine only). */
  #directWrites: boolean;
  /** Set while the TCP socket is over its high-water mark, until its `drain`. */
  #waitingForDrain = false;
  /** The server's last direct flush, written again as is when the next one is the same. */
  readonly #recentFrames: RecentFrames;
  readonly #perMessageDeflate: false | PerMessageDeflateOptions;
  /** Whether a receiver (the session, an upgrade) is bound: see doClose(). */
  #bound = false;

  /** @internal transports are created by the server */
  constructor(
    req: EngineRequest,
    protocol: 3 | 4,
    sid: string,
    websocket: WebSocketLike,
    socket: Duplex,
    recentFrames: RecentFrames,
    perMessageDeflate: false | PerMessageDeflateOptions,
    answerPings = false,
  ) {
    super(req, protocol, sid);
    this.#perMessageDeflate = perMessageDeflate;
    this.#ws = websocket;
    this.#socket = socket;
    this.#codec = codecFor(protocol);
    this.#recentFrames = recentFrames;
    if (websocket instanceof LeanWebSocket) {
      // the built-in engine: called directly; it never compresses, and it queues only
      // behind a Blob, which turns direct writes off (below)
      this.#directWrites = true;
      websocket.bind(this);
      return;
    }
    this.#directWrites = false;
    if (websocket instanceof WsWebSocket) {
      // ws calls listeners with `this` = the WebSocket: module-level listeners find their
      // transport through it, no closures per session
      this.#ws[kTransport] = this;
      websocket.on("message", onMessage);
      websocket.on("close", onClose);
      websocket.on("error", onError);
      // made with autoPong: false (see Server), ws leaves the pings to us
      if (answerPings) websocket.on("ping", onPing);
    } else {
      // another engine may call listeners with any `this`
      websocket.on("message", (data, isBinary) => this.receive(data, isBinary));
      websocket.on("close", () => this.closed());
      websocket.on("error", (err) => this.failed(err));
    }
  }

  /** @internal the TCP (or TLS) connection the WebSocket runs on */
  get [kConnection](): Duplex {
    return this.#socket;
  }

  get writable(): boolean {
    return this.readyState === "open" && this.#ws.readyState === 1 && !this.#socket.writableNeedDrain;
  }

  get canSend(): boolean {
    return this.readyState === "open" && !this.#waitingForDrain;
  }

  /** @internal bytes written and not yet taken by the operating system (ws: its `bufferedAmount`) */
  override get bufferedBytes(): number {
    return this.#ws.bufferedAmount ?? this.#socket.writableLength;
  }

  override get handlesUpgrades(): boolean {
    return true;
  }

  /** The server's per-message deflate settings (`false`: off). */
  get perMessageDeflate(): false | PerMessageDeflateOptions {
    return this.#perMessageDeflate;
  }

  send(packets: Packet[], onWritten?: () => void): void {
    const ws = this.#ws;
    if (ws.readyState !== 1) return;
    const socket = this.#socket;
    const count = packets.length;
    // no callback at all (the usual case) unless someone waits for this write or its drain
    const callback = onWritten === undefined && !this.isObserved ? undefined : this.#writeCallback(onWritten);
    if (this.#directWrites) {
      // a broadcast: the previous session got the same packets, the bytes are ready
      const ready = this.#recentFrames.match(packets, this.#codec);
      if (ready !== undefined) {
        if (!socket.write(ready, callback)) this.#waitForDrain();
        return;
      }
      const frames: Array<string | Uint8Array> = new Array<string | Uint8Array>(count);
      for (let i = 0; i < count; i++) {
        const frame = asBytes(this.#codec.encodeFrame(packets[i]!));
        if (frame === undefined) {
          // a Blob is read asynchronously by the engine: from now on, let it order everything
          this.#directWrites = false;
          break;
        }
        frames[i] = frame;
      }
      if (this.#directWrites) {
        const bytes = encodeFrames(frames, new Array<number>(count));
        this.#recentFrames.remember(packets, this.#codec, bytes);
        if (!socket.write(bytes, callback)) this.#waitForDrain();
        return;
      }
    }
    const last = count - 1;
    if (count > 1) socket.cork();
    for (let i = 0; i < count; i++) {
      const packet = packets[i]!;
      const frame = this.#codec.encodeFrame(packet);
      ws.send(frame, packet.options?.compress === false ? NO_COMPRESS : COMPRESS, i === last ? callback : undefined);
    }
    if (count > 1) socket.uncork();
    if (socket.writableNeedDrain) this.#waitForDrain();
  }

  /** The TCP socket is over its high-water mark: the next flush waits for its `drain`. */
  #waitForDrain(): void {
    if (this.#waitingForDrain) return;
    this.#waitingForDrain = true;
    // a closure only on this slow path; the listener goes away with its one call
    this.#socket.once("drain", () => {
      this.#waitingForDrain = false;
      if (this.readyState === "open") this.onReady();
    });
  }

  #writeCallback(onWritten: (() => void) | undefined): (err?: Error | null) => void {
    return (err) => {
      if (err !== undefined && err !== null) {
        this.onError(new TransportError(TRANSPORT_ERROR_CODES.WRITE_ERROR, "write error", { cause: err }));
      } else {
        onWritten?.();
        this.onDrain();
      }
    };
  }

  /** As engine.io's WebSocket transport: `drain`, then `ready` (it can take the next write). */
  protected override onDrain(): void {
    if (!this.isObserved) return;
    this.emit("drain");
    this.emit("ready");
  }

  /** @internal */
  override bind(handler: TransportHandler | undefined): void {
    this.#bound = handler !== undefined;
    super.bind(handler);
  }

  /** @internal destroys the connection: what it holds unsent is dropped, no closing handshake */
  override abort(): void {
    if (this.readyState === "closed") return;
    const ws = this.#ws;
    if (ws.terminate !== undefined) ws.terminate();
    else this.#socket.destroy();
    this.onClosed();
  }

  protected doClose(): void {
    debug("closing the WebSocket");
    this.#ws.close();
    // A receiver still bound (Socket.close()) is told at once, as engine.io calls back at
    // once. One that let go first (a session closing on an error or a timeout, an upgrade
    // cancelled) waits for nothing: the `close` event then follows the WebSocket's own
    // close, as in engine.io, and so comes after the session's `close`.
    if (this.#bound) this.onClosed();
  }

  /** @internal a frame from the client */
  receive(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    if (this.readyState !== "open") return;
    const buffer = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    this.onPacket(isBinary ? this.#codec.decodeBinary(buffer) : this.#codec.decodeText(buffer.toString("utf8")));
  }

  /**
   * @internal a ping from the client (ws made with autoPong: false): answered only while the
   * TCP socket is not over its high-water mark, as the built-in engine does, so that a client
   * that sends pings but reads nothing does not make the server buffer pongs for it
   */
  answerPing(data: Buffer): void {
    const ws = this.#ws as WsWebSocket;
    if (ws.readyState === 1 && !this.#socket.writableNeedDrain) ws.pong(data);
  }

  /** @internal the WebSocket closed */
  closed(): void {
    this.onClosed();
  }

  /** @internal the WebSocket failed */
  failed(err: Error & { code?: string }): void {
    if (this.readyState !== "open") return;
    const code =
      err.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH" || err.code === ENGINE_SERVER_ERROR_CODES.WS_MESSAGE_TOO_BIG
        ? TRANSPORT_ERROR_CODES.MESSAGE_TOO_LARGE
        : TRANSPORT_ERROR_CODES.WEBSOCKET_ERROR;
    this.onError(new TransportError(code, err.message, { cause: err }));
  }
}

function onMessage(this: TaggedWebSocket, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
  this[kTransport]?.receive(data, isBinary);
}

function onPing(this: TaggedWebSocket, data: Buffer): void {
  this[kTransport]?.answerPing(data);
}

function onClose(this: TaggedWebSocket): void {
  this[kTransport]?.closed();
}

function onError(this: TaggedWebSocket, err: Error & { code?: string }): void {
  this[kTransport]?.failed(err);
}
