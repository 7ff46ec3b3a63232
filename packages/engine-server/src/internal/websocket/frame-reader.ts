// Incremental reader of the frames a WebSocket client sends (RFC 6455 §5), for the built-in
// WebSocket engine. Bytes in, whole messages and control frames out through a sink; no I/O.
// Only what a server without extensions may accept passes: masked frames, RSV bits clear,
// known opcodes, control frames short and unfragmented, fragments in order, text in UTF-8.
import { isUtf8 } from "node:buffer";
import { FrameError } from "../../errors";

/** Close status codes this reader reports (RFC 6455 §7.4.1). */
export const CLOSE_CODES = Object.freeze({
  NORMAL: 1000,
  PROTOCOL_ERROR: 1002,
  NO_STATUS: 1005,
  ABNORMAL: 1006,
  INVALID_DATA: 1007,
  MESSAGE_TOO_BIG: 1009,
} as const);

/** Where the reader delivers what it read. */
export interface FrameSink {
  onMessage(data: Buffer, isBinary: boolean): void;
  onPing(payload: Buffer): void;
  onPong(payload: Buffer): void;
  /** `code` is 1005 when the frame carried none. */
  onCloseFrame(code: number, reason: Buffer): void;
}

const OPCODE_CONTINUATION = 0x0;
const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;

const READING_HEADER = 0;
const READING_PAYLOAD = 1;
/** After an error: every later byte is ignored. */
const STOPPED = 2;

const MAX_CONTROL_PAYLOAD = 125;

export class FrameReader {
  readonly #sink: FrameSink;
  /** Largest message accepted, in bytes (0: no limit). */
  readonly #maxPayload: number;
  #state = READING_HEADER;
  /** Bytes received and not yet consumed, oldest first; the first from `#offset` on. */
  #queue: Buffer[] = [];
  #offset = 0;
  #queued = 0;
  // the frame being read
  #fin = false;
  #opcode = 0;
  #payloadLength = 0;
  /** The masking key, big-endian in one number. */
  #mask = 0;
  // the fragmented message being reassembled (opcode 0 when none): its fragments are copied
  // into one buffer that grows by doubling, so that many tiny fragments cost their bytes,
  // not one view (and a pinned chunk) each
  #messageOpcode = 0;
  #message: Buffer | undefined;
  #messageLength = 0;

  constructor(sink: FrameSink, maxPayload: number) {
    this.#sink = sink;
    this.#maxPayload = maxPayload;
  }

  /**
   * Reads `chunk`; delivers every frame it completes, in order.
   * @throws {FrameError} on the first frame the client was not allowed to send; the reader
   * ignores everything after it.
   */
  push(chunk: Buffer): void {
    if (this.#state === STOPPED || chunk.length === 0) return;
    this.#queue.push(chunk);
    this.#queued += chunk.length;
    this.#readQueued();
  }

  /**
   * Reads what is already queued: the frames that followed one whose delivery threw (an
   * exception from the sink stops a push where it was).
   * @throws {FrameError} as push() does
   */
  resume(): void {
    if (this.#state !== STOPPED && this.#queued > 0) this.#readQueued();
  }

  #readQueued(): void {
    try {
      for (;;) {
        if (this.#state === READING_HEADER) {
          if (!this.#readHeader()) return;
        } else if (this.#state === READING_PAYLOAD) {
          if (!this.#readPayload()) return;
        } else {
          return;
        }
      }
    } catch (error) {
      // an exception from the sink (the application) leaves the reader as it was
      if (error instanceof FrameError) this.#stop();
      throw error;
    }
  }

  #stop(): void {
    this.#state = STOPPED;
    this.#queue = [];
    this.#offset = 0;
    this.#queued = 0;
    this.#message = undefined;
  }

  /** Parses one frame header when enough bytes are there; false when more are needed. */
  #readHeader(): boolean {
    const queued = this.#queued;
    if (queued < 2) return false;
    let head = this.#queue[0]!;
    let at = this.#offset;
    // the two first bytes, wherever they are
    const b0 = head[at]!;
    const b1 = head.length > at + 1 ? head[at + 1]! : this.#queue[1]![0]!;
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    const lengthCode = b1 & 0x7f;
    // Everything the two first bytes tell is checked before waiting for the rest of the header,
    // as ws does: a frame that cannot be valid fails at once (and with the same status as in
    // ws), not once a length and a key that no longer matter have arrived.
    if ((b0 & 0x70) !== 0) throw new FrameError(CLOSE_CODES.PROTOCOL_ERROR, "RSV bits set without a negotiated extension");
    if (opcode >= OPCODE_CLOSE) {
      if (opcode > OPCODE_PONG) throw new FrameError(CLOSE_CODES.PROTOCOL_ERROR, `unknown opcode ${opcode}`);
      if (!fin) throw new FrameError(CLOSE_CODES.PROTOCOL_ERROR, "fragmented control frame");
      // 126 and 127 announce an extended length: never allowed for a control frame
      if (lengthCode > MAX_CONTROL_PAYLOAD) {
        throw new FrameError(CLOSE_CODES.PROTOCOL_ERROR, "control frame payload longer than 125 bytes");
      }
      if (opcode === OPCODE_CLOSE && lengthCode === 1) throw new FrameError(CLOSE_CODES.PROTOCOL_ERROR, "close frame with a one-byte payload");
    } else if (opcode === OPCODE_CONTINUATION) {
      if (this.#messageOpcode === 0) throw new FrameError(CLOSE_CODES.PROTOCOL_ERROR, "continuation frame without a message");
    } else if (opcode === OPCODE_TEXT || opcode === OPCODE_BINARY) {
      if (this.#messageOpcode !== 0) {
        throw new FrameError(CLOSE_CODES.PROTOCOL_ERROR, "new message before the previous one was finished");
      }
    } else {
      throw new FrameError(CLOSE_CODES.PROTOCOL_ERROR, `unknown opcode ${opcode}`);
    }
    // an unmasked frame has no 4-byte key to wait for (a 2-byte unmasked frame would
    // otherwise stall the reader instead of failing it)
    if ((b1 & 0x80) === 0) throw new FrameError(CLOSE_CODES.PROTOCOL_ERROR, "client frame not masked");
    const extended = lengthCode === 126 ? 2 : lengthCode === 127 ? 8 : 0;
    const headerLength = 2 + extended + 4;
    const inPlace = head.length - at >= headerLength;
    if (!inPlace) {
      if (queued >= headerLength) {
        head = this.#take(headerLength);
      } else {
        // the length is checked as soon as it is there, before the key
        if (queued < 2 + extended) return false;
        if (extended > 0) head = this.#peek(2 + extended);
      }
      at = 0;
    }
    let length = lengthCode;
    if (extended === 2) length = head.readUInt16BE(at + 2);
    else if (extended === 8) {
      const high = head.readUInt32BE(at + 2);
      // beyond 2^53 - 1 a length cannot be a JavaScript number; no limit could accept it
      if (high > 0x1fffff) throw new FrameError(CLOSE_CODES.MESSAGE_TOO_BIG, "frame length beyond 2^53 - 1");
      length = high * 0x100000000 + head.readUInt32BE(at + 6);
    }
    if (opcode < OPCODE_CLOSE && this.#maxPayload > 0 && this.#messageLength + length > this.#maxPayload) {
      throw new FrameError(CLOSE_CODES.MESSAGE_TOO_BIG, `message larger than ${this.#maxPayload} bytes`);
    }
    if (queued < headerLength) return false;
    // the common case: the header is in the first chunk, read in place
    if (inPlace) this.#skip(headerLength);

    this.#fin = fin;
    this.#opcode = opcode;
    this.#payloadLength = length;
    this.#mask = head.readUInt32BE(at + headerLength - 4);
    this.#state = READING_PAYLOAD;
    return true;
  }

  /** Reads the payload of the current frame when all of it is there; false when more is needed. */
  #readPayload(): boolean {
    const length = this.#payloadLength;
    if (this.#queued < length) return false;
    const payload = this.#take(length);
    unmask(payload, this.#mask);
    this.#state = READING_HEADER;
    const opcode = this.#opcode;
    if (opcode >= OPCODE_CLOSE) this.#control(opcode, payload);
    else this.#data(opcode, payload);
    return this.#queued > 0;
  }

  #data(opcode: number, payload: Buffer): void {
    if (this.#fin && opcode !== OPCODE_CONTINUATION) {
      this.#deliver(opcode, payload); // the common case: a message in one frame
      return;
    }
    if (opcode !== OPCODE_CONTINUATION) this.#messageOpcode = opcode;
    if (payload.length > 0) this.#append(payload);
    if (!this.#fin) return;
    const length = this.#messageLength;
    const buffer = this.#message;
    // handed over at its exact size: the spare capacity is not the application's to see
    const message = buffer === undefined ? EMPTY : buffer.length === length ? buffer : Buffer.from(buffer.subarray(0, length));
    const messageOpcode = this.#messageOpcode;
    this.#messageOpcode = 0;
    this.#message = undefined;
    this.#messageLength = 0;
    this.#deliver(messageOpcode, message);
  }

  /** Copies a fragment's payload after the previous ones. */
  #append(payload: Buffer): void {
    const length = this.#messageLength;
    const needed = length + payload.length;
    let buffer = this.#message;
    if (buffer === undefined || buffer.length < needed) {
      let capacity = Math.max(needed, buffer === undefined ? MIN_MESSAGE_CAPACITY : buffer.length * 2);
      // never more than the largest message allowed
      if (this.#maxPayload > 0) capacity = Math.max(needed, Math.min(capacity, this.#maxPayload));
      const grown = Buffer.allocUnsafe(capacity);
      if (buffer !== undefined) buffer.copy(grown, 0, 0, length);
      buffer = grown;
      this.#message = grown;
    }
    payload.copy(buffer, length);
    this.#messageLength = needed;
  }

  #deliver(opcode: number, message: Buffer): void {
    const isBinary = opcode === OPCODE_BINARY;
    if (!isBinary && !isUtf8(message)) throw new FrameError(CLOSE_CODES.INVALID_DATA, "text message is not valid UTF-8");
    this.#sink.onMessage(message, isBinary);
  }

  #control(opcode: number, payload: Buffer): void {
    if (opcode === OPCODE_PING) {
      this.#sink.onPing(payload);
    } else if (opcode === OPCODE_PONG) {
      this.#sink.onPong(payload);
    } else if (payload.length === 0) {
      this.#stop();
      this.#sink.onCloseFrame(CLOSE_CODES.NO_STATUS, payload);
    } else {
      if (payload.length === 1) throw new FrameError(CLOSE_CODES.PROTOCOL_ERROR, "close frame with a one-byte payload");
      const code = payload.readUInt16BE(0);
      if (!isValidCloseCode(code)) throw new FrameError(CLOSE_CODES.PROTOCOL_ERROR, `invalid close code ${code}`);
      const reason = payload.subarray(2);
      if (!isUtf8(reason)) throw new FrameError(CLOSE_CODES.INVALID_DATA, "close reason is not valid UTF-8");
      this.#stop(); // nothing may follow a close frame
      this.#sink.onCloseFrame(code, reason);
    }
  }

  /** Removes and returns the next `length` queued bytes (a view when they sit in one chunk). */
  #take(length: number): Buffer {
    this.#queued -= length;
    const queue = this.#queue;
    const head = queue[0];
    if (head === undefined || length === 0) return EMPTY;
    const at = this.#offset;
    const available = head.length - at;
    if (available >= length) {
      // one view, and no new view of the rest: the offset moves instead
      const out = at === 0 && available === length ? head : head.subarray(at, at + length);
      if (available === length) {
        queue.shift();
        this.#offset = 0;
      } else {
        this.#offset = at + length;
      }
      return out;
    }
    const out = Buffer.allocUnsafe(length);
    head.copy(out, 0, at);
    queue.shift();
    let offset = available;
    this.#offset = 0;
    while (offset < length) {
      const chunk = queue[0]!;
      const wanted = length - offset;
      if (chunk.length <= wanted) {
        chunk.copy(out, offset);
        offset += chunk.length;
        queue.shift();
      } else {
        chunk.copy(out, offset, 0, wanted);
        this.#offset = wanted;
        offset = length;
      }
    }
    return out;
  }

  /** A copy of the next `length` queued bytes (all there), left queued. */
  #peek(length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    let copied = 0;
    let at = this.#offset;
    for (const chunk of this.#queue) {
      copied += chunk.copy(out, copied, at, Math.min(chunk.length, at + length - copied));
      if (copied === length) break;
      at = 0;
    }
    return out;
  }

  /** Consumes `length` bytes that sit in the first chunk. */
  #skip(length: number): void {
    this.#queued -= length;
    const at = this.#offset + length;
    if (at === this.#queue[0]!.length) {
      this.#queue.shift();
      this.#offset = 0;
    } else {
      this.#offset = at;
    }
  }
}

const EMPTY = Buffer.alloc(0);
/** First capacity of a fragmented message's buffer (it doubles as fragments come). */
const MIN_MESSAGE_CAPACITY = 1024;

/** 1000–1003, 1007–1014 and 3000–4999 may be sent by an endpoint (RFC 6455 §7.4, IANA registry). */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

function unmask(payload: Buffer, mask: number): void {
  const length = payload.length;
  const m0 = mask >>> 24;
  const m1 = (mask >>> 16) & 0xff;
  const m2 = (mask >>> 8) & 0xff;
  const m3 = mask & 0xff;
  let i = 0;
  for (const end = length - 3; i < end; i += 4) {
    payload[i] = payload[i]! ^ m0;
    payload[i + 1] = payload[i + 1]! ^ m1;
    payload[i + 2] = payload[i + 2]! ^ m2;
    payload[i + 3] = payload[i + 3]! ^ m3;
  }
  // i is a multiple of 4 here: at most three bytes are left, keyed by m0, m1, m2
  if (i < length) payload[i] = payload[i]! ^ m0;
  if (i + 1 < length) payload[i + 1] = payload[i + 1]! ^ m1;
  if (i + 2 < length) payload[i + 2] = payload[i + 2]! ^ m2;
}
