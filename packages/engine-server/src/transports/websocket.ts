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
 * frame, and all the frames of one flush reach the TCP socket in a single write:
 * - with the built-in engine, the frames are encoded here into one buffer and written
 *   directly (it has no queue of its own);
 * - with ws's own WebSocket and no per-message deflate, the frames are encoded here into
 *   one buffer and written directly (ws would allocate option objects and write header and
 *   payload separately for each message). ws's sender only queues while it compresses or
 *   reads a Blob, which cannot happen on such a socket (a Blob turns this path off), so its
 *   own control frames stay in order with ours;
 * - otherwise each frame goes through `ws.send()`, with the TCP socket corked around them.
 */
export class WebSocketTransport extends Transport {
  readonly name = "websocket" as const;
  readonly #ws: TaggedWebSocket;
  readonly #socket: Duplex;
  readonly #codec: Codec;
  /** Whether frames are encoded here and written straight to the TCP socket. */
  #directWrites: boolean;
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
    const isWs = websocket instanceof WsWebSocket;
    this.#directWrites = isWs && websocket.extensions === "";
    if (isWs) {
      // ws calls listeners with `this` = the WebSocket: module-level listeners find their
      // transport through it, no closures per session
      this.#ws[kTransport] = this;
      websocket.on("message", onMessage);
      websocket.on("close", onClose);
      websocket.on("error", onError);
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
    return this.readyState === "open";
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
    const last = count - 1;
    // no callback at all (the usual case) unless someone waits for this write or its drain
    const callback = onWritten === undefined && !this.isObserved ? undefined : this.#writeCallback(onWritten);
    if (this.#directWrites) {
      // a broadcast: the previous session got the same packets, the bytes are ready
      const ready = this.#recentFrames.match(packets, this.#codec);
      if (ready !== undefined) {
        socket.write(ready, callback);
        return;
      }
      const frames: Array<string | Uint8Array> = new Array<string | Uint8Array>(count);
      for (let i = 0; i < count; i++) {
        const frame = asBytes(this.#codec.encodeFrame(packets[i]!));
        if (frame === undefined) {
          // a Blob is read asynchronously by ws: from now on, let ws order everything
          this.#directWrites = false;
          break;
        }
        frames[i] = frame;
      }
      if (this.#directWrites) {
        const bytes = encodeFrames(frames, new Array<number>(count));
        this.#recentFrames.remember(packets, this.#codec, bytes);
        socket.write(bytes, callback);
        return;
      }
    }
    if (count > 1) socket.cork();
    for (let i = 0; i < count; i++) {
      const packet = packets[i]!;
      const frame = this.#codec.encodeFrame(packet);
      ws.send(frame, packet.options?.compress === false ? NO_COMPRESS : COMPRESS, i === last ? callback : undefined);
    }
    if (count > 1) socket.uncork();
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

function onClose(this: TaggedWebSocket): void {
  this[kTransport]?.closed();
}

function onError(this: TaggedWebSocket, err: Error & { code?: string }): void {
  this[kTransport]?.failed(err);
}
