// One server-side WebSocket connection of the built-in engine: reads frames from the TCP (or
// TLS) socket, answers pings, runs the closing handshake, and writes the frames it is given.
// It keeps no stream or emitter of its own: its owner binds a handler, and `on()` (the
// ws-compatible way) creates an emitter only when someone calls it.
import { EventEmitter } from "node:events";
import type { Duplex } from "node:stream";
import type { WebSocketLike } from "../../options";
import { asBytes, encodeControlFrame, encodeFrames } from "../frames";
import { CloseReasonTooLongError, FrameError, InvalidCloseCodeError } from "../../errors";
import { CLOSE_CODES, FrameReader, isValidCloseCode, type FrameSink } from "./frame-reader";

/** What the owner of a {@link LeanWebSocket} is told, called directly. */
export interface LeanWebSocketHandler {
  receive(data: Buffer, isBinary: boolean): void;
  closed(): void;
  failed(err: Error & { code?: string }): void;
}

const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** How long a closing handshake may wait for the client before the socket is destroyed, by default (as ws). */
export const CLOSE_TIMEOUT_MS = 30_000;

const OPCODE_CLOSE = 0x8;
const OPCODE_PONG = 0xa;

const kLeanWebSocket = Symbol("volley:lean-websocket");
type TaggedSocket = Duplex & { [kLeanWebSocket]?: LeanWebSocket };

const EMPTY = Buffer.alloc(0);

export class LeanWebSocket implements WebSocketLike, FrameSink {
  /** No extension is ever negotiated by this engine. */
  readonly extensions = "";
  #readyState: number = OPEN;
  readonly #socket: TaggedSocket;
  readonly #reader: FrameReader;
  #handler: LeanWebSocketHandler | undefined;
  #emitter: EventEmitter | undefined;
  #closeSent = false;
  #closeReceived = false;
  #closeCode: number = CLOSE_CODES.ABNORMAL;
  #closeReason: Buffer = EMPTY;
  #closeTimer: NodeJS.Timeout | undefined;
  readonly #closeTimeout: number;
  /** Sends queued behind a Blob being read, so that frames keep their order. */
  #waiting: Array<[data: unknown, cb: ((err?: Error) => void) | undefined]> | undefined;

  /**
   * Takes over `socket`, on which the 101 response has been written; `head` is what followed
   * it. `closeTimeout`: milliseconds a closing handshake may wait for the client.
   */
  constructor(socket: Duplex, head: Buffer, maxPayload: number, closeTimeout: number = CLOSE_TIMEOUT_MS) {
    this.#socket = socket;
    this.#closeTimeout = closeTimeout;
    this.#reader = new FrameReader(this, maxPayload);
    const tagged = socket as TaggedSocket;
    tagged[kLeanWebSocket] = this;
    if (head.length > 0) socket.unshift(head);
    // module-level listeners find this object through the socket: no closures per connection
    socket.on("data", onSocketData);
    socket.on("end", onSocketEnd);
    socket.on("close", onSocketClose);
    socket.on("error", onSocketError);
  }

  get readyState(): number {
    return this.#readyState;
  }

  /** Bytes written and not yet taken by the operating system (as ws's `bufferedAmount`). */
  get bufferedAmount(): number {
    return this.#socket.writableLength;
  }

  /** The one owner called directly for messages, close and errors. */
  bind(handler: LeanWebSocketHandler | undefined): void {
    this.#handler = handler;
  }

  /** ws-compatible listeners: "message", "close", "error", "ping", "pong". */
  on(event: string, listener: (...args: never[]) => void): this {
    this.#emitter ??= new EventEmitter();
    this.#emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** Writes one data frame: text for a string, binary for bytes or a Blob (read first, in order). */
  send(data: unknown, _options?: { compress?: boolean; binary?: boolean }, cb?: (err?: Error) => void): void {
    if (this.#waiting !== undefined) {
      this.#waiting.push([data, cb]);
      return;
    }
    const bytes = asBytes(data);
    if (bytes !== undefined) this.#write(bytes, cb);
    else if (data instanceof Blob) this.#sendBlob(data, cb);
    else throw new TypeError("a WebSocket message must be a string, bytes or a Blob");
  }

  #write(bytes: string | Uint8Array, cb: ((err?: Error) => void) | undefined): void {
    if (this.#readyState !== OPEN) {
      this.#refuseSend(cb);
      return;
    }
    this.#socket.write(encodeFrames([bytes], [0]), cb === undefined ? undefined : (err) => cb(err ?? undefined));
  }

  /** A send after the WebSocket left OPEN: the callback gets an error, as with ws. */
  #refuseSend(cb: ((err?: Error) => void) | undefined): void {
    if (cb !== undefined) process.nextTick(cb, new Error(`WebSocket is not open: readyState ${this.#readyState}`));
  }

  /** Reads the Blob, then writes it and whatever was sent meanwhile, in order. */
  #sendBlob(blob: Blob, cb: ((err?: Error) => void) | undefined): void {
    if (this.#readyState !== OPEN) {
      this.#refuseSend(cb);
      return;
    }
    this.#waiting = [];
    const sendWaiting = (): void => {
      const waiting = this.#waiting ?? [];
      this.#waiting = undefined;
      // a later Blob queues what follows it again
      for (const [data, callback] of waiting) this.send(data, undefined, callback);
    };
    blob.arrayBuffer().then(
      (buffer) => {
        this.#write(new Uint8Array(buffer), cb);
        sendWaiting();
      },
      (err: unknown) => {
        cb?.(err instanceof Error ? err : new Error(String(err)));
        sendWaiting();
      },
    );
  }

  /**
   * Starts the closing handshake (or ends the socket when it is complete).
   * @throws {InvalidCloseCodeError} for a code an endpoint may not send (1005, 1006, out of range)
   * @throws {CloseReasonTooLongError} for a reason over 123 bytes
   */
  close(code?: number, reason?: string): void {
    if (this.#readyState === CLOSED) return;
    // built first: a reason too long throws before anything changes
    const payload = this.#closeSent ? EMPTY : closePayload(code, reason);
    this.#readyState = CLOSING;
    if (!this.#closeSent) {
      this.#closeSent = true;
      this.#writeControl(OPCODE_CLOSE, payload);
    }
    if (this.#closeReceived) {
      // both close frames have crossed: the server ends the TCP connection first (RFC 6455 §7.1.1)
      this.#socket.end();
    }
    this.#closeTimer ??= setTimeout(destroyLate, this.#closeTimeout, this.#socket);
  }

  /** Destroys the socket without a closing handshake. */
  terminate(): void {
    if (this.#readyState === CLOSED) return;
    this.#readyState = CLOSING;
    this.#socket.destroy();
  }

  /** @internal */
  onMessage(data: Buffer, isBinary: boolean): void {
    this.#handler?.receive(data, isBinary);
    this.#emitter?.emit("message", data, isBinary);
  }

  /** @internal */
  onPing(payload: Buffer): void {
    // a client that sends pings but does not read must not make the server buffer pongs
    if (this.#readyState === OPEN && !this.#socket.writableNeedDrain) this.#writeControl(OPCODE_PONG, payload);
    this.#emitter?.emit("ping", payload);
  }

  /** @internal */
  onPong(payload: Buffer): void {
    this.#emitter?.emit("pong", payload);
  }

  /** @internal */
  onCloseFrame(code: number, reason: Buffer): void {
    this.#closeReceived = true;
    this.#closeCode = code;
    // a copy: a view would keep the whole chunk the socket delivered alive
    this.#closeReason = reason.length === 0 ? EMPTY : Buffer.from(reason);
    // Answered on the next tick, not now: what the application sent in answer to the frames
    // read before this one (in the same chunk) is queued for that tick (the session flushes
    // once per tick), and goes out before the close frame, as with ws, which writes at once.
    process.nextTick(answerClose, this);
  }

  /** @internal the close frame's answer, after what was queued before it */
  answerClose(): void {
    if (this.#readyState === CLOSED) return;
    const code = this.#closeCode;
    this.close(code === CLOSE_CODES.NO_STATUS ? undefined : code);
  }

  /** @internal bytes from the socket */
  read(chunk: Buffer | undefined): void {
    try {
      if (chunk === undefined) this.#reader.resume();
      else this.#reader.push(chunk);
    } catch (error) {
      if (!(error instanceof FrameError)) {
        // the application threw while handling a message: it goes on as an uncaught
        // exception, and the frames that came with that message are read on the next tick
        // instead of waiting for the client's next bytes
        process.nextTick(resumeReading, this);
        throw error;
      }
      // as for a close frame: what was queued before the faulty frame goes out first
      process.nextTick(failLater, this, error);
    }
  }

  /** @internal the client ended its side */
  ended(): void {
    this.#readyState = CLOSING;
    this.#socket.end();
  }

  /** @internal the socket is gone */
  socketClosed(): void {
    this.#readyState = CLOSED;
    if (this.#closeTimer !== undefined) clearTimeout(this.#closeTimer);
    this.#closeTimer = undefined;
    this.#handler?.closed();
    this.#emitter?.emit("close", this.#closeCode, this.#closeReason);
  }

  /** @internal */
  socketFailed(): void {
    this.#readyState = CLOSING;
    this.#socket.destroy();
  }

  /** @internal a frame the client was not allowed to send: say why, close (the reader has stopped) */
  fail(error: FrameError): void {
    if (this.#readyState === CLOSED) return;
    const wasOpen = this.#readyState === OPEN;
    this.close(error.status);
    this.#socket.end();
    if (!wasOpen) return;
    this.#handler?.failed(error);
    if (this.#emitter !== undefined && this.#emitter.listenerCount("error") > 0) this.#emitter.emit("error", error);
  }

  #writeControl(opcode: number, payload: Buffer): void {
    if (this.#socket.writable) this.#socket.write(encodeControlFrame(opcode, payload));
  }
}

function closePayload(code: number | undefined, reason: string | undefined): Buffer {
  if (code === undefined) return EMPTY;
  // as ws: 1005 and 1006 only say, locally, that no code came; they never go on the wire
  if (!Number.isInteger(code) || !isValidCloseCode(code)) throw new InvalidCloseCodeError(code);
  const text = reason ?? "";
  const length = Buffer.byteLength(text);
  // a control frame holds at most 125 bytes (RFC 6455 §5.5): a longer reason would write a
  // corrupt frame header (encodeControlFrame keeps the length in 7 bits), as ws refuses it
  if (length > 123) throw new CloseReasonTooLongError(length);
  const payload = Buffer.allocUnsafe(2 + length);
  payload.writeUInt16BE(code, 0);
  payload.write(text, 2);
  return payload;
}

function destroyLate(socket: Duplex): void {
  socket.destroy();
}

function answerClose(websocket: LeanWebSocket): void {
  websocket.answerClose();
}

function failLater(websocket: LeanWebSocket, error: FrameError): void {
  websocket.fail(error);
}

function resumeReading(websocket: LeanWebSocket): void {
  websocket.read(undefined);
}

function onSocketData(this: TaggedSocket, chunk: Buffer): void {
  this[kLeanWebSocket]?.read(chunk);
}

function onSocketEnd(this: TaggedSocket): void {
  this[kLeanWebSocket]?.ended();
}

function onSocketClose(this: TaggedSocket): void {
  this[kLeanWebSocket]?.socketClosed();
}

function onSocketError(this: TaggedSocket): void {
  // the close that follows tells the owner; the error itself is the peer's business
  this[kLeanWebSocket]?.socketFailed();
}
