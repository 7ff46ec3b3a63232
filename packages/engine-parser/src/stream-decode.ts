import { convertBinary, DEFAULT_BINARY_TYPE, isArrayBuffer } from "./binary";
import { decodePacket, errorPacket } from "./decode";
import type { BinaryType, Packet } from "./packet";
import { BINARY_FLAG, LENGTH_16, LENGTH_64, MAX_SAFE_HIGH_WORD, TWO_TO_32 } from "./stream-frame";

const READ_HEADER = 0;
const READ_LENGTH_16 = 1;
const READ_LENGTH_64 = 2;
const READ_PAYLOAD = 3;
/** After a framing error: the frame boundaries are lost, so input is dropped. */
const FAILED = 4;

let textDecoder: TextDecoder | undefined;

/**
 * A `TransformStream` that turns length-prefixed frames (see
 * {@link createPacketEncoderStream}) back into packets, whatever the chunks they arrive
 * in. Binary data is handed back as `binaryType` (a fresh copy); text frames are decoded
 * as {@link decodePacket} does, so a bad text packet gives the error packet and decoding
 * goes on with the next frame.
 *
 * A frame whose declared length is 0, above `maxPayload`, or beyond
 * `Number.MAX_SAFE_INTEGER` gives the error packet `{ type: "error", data: "parser error" }`;
 * the stream then drops whatever else it receives (the frame boundaries are lost), so the
 * caller should close it. A chunk that is not binary data does the same. Never throws.
 *
 * @param maxPayload the largest frame accepted, in bytes (a 7-bit length marker of 126 or
 * 127 counts as such a length too, as in `engine.io-parser`).
 * @param binaryType how binary data is handed back (default: `"nodebuffer"` where Buffer
 * exists, `"arraybuffer"` elsewhere).
 * @example
 * const reader = stream.readable.pipeThrough(createPacketDecoderStream(1e6, "nodebuffer")).getReader();
 * const { value } = await reader.read(); // { type: "open", data: "…" }
 */
export function createPacketDecoderStream(
  maxPayload: number,
  binaryType: BinaryType = DEFAULT_BINARY_TYPE,
): TransformStream<Uint8Array, Packet> {
  const decoder = new FrameDecoder(maxPayload, binaryType);
  return new TransformStream<Uint8Array, Packet>({
    transform(chunk, controller) {
      decoder.write(chunk, controller);
    },
  });
}

/** The decoding state of one stream: what it waits for, and the bytes it holds. */
class FrameDecoder {
  readonly #maxPayload: number;
  readonly #binaryType: BinaryType;
  /** Received chunks not consumed yet; the first one from #offset on. */
  #chunks: Uint8Array[] = [];
  #offset = 0;
  #buffered = 0;
  #state = READ_HEADER;
  #length = 0;
  #binary = false;

  constructor(maxPayload: number, binaryType: BinaryType) {
    this.#maxPayload = maxPayload;
    this.#binaryType = binaryType;
  }

  write(chunk: unknown, controller: TransformStreamDefaultController<Packet>): void {
    if (this.#state === FAILED) return;
    const bytes = asBytes(chunk);
    if (bytes === undefined) return this.#fail(controller);
    if (bytes.byteLength === 0) return;
    this.#chunks.push(bytes);
    this.#buffered += bytes.byteLength;
    for (;;) {
      switch (this.#state) {
        case READ_HEADER: {
          if (this.#buffered < 1) return;
          const first = this.#takeByte();
          this.#binary = (first & BINARY_FLAG) !== 0;
          this.#length = first & 0x7f;
          this.#state =
            this.#length < LENGTH_16 ? READ_PAYLOAD : this.#length === LENGTH_16 ? READ_LENGTH_16 : READ_LENGTH_64;
          break;
        }
        case READ_LENGTH_16: {
          if (this.#buffered < 2) return;
          const bytes = this.#take(2);
          this.#length = (bytes[0]! << 8) | bytes[1]!;
          this.#state = READ_PAYLOAD;
          break;
        }
        case READ_LENGTH_64: {
          if (this.#buffered < 8) return;
          const bytes = this.#take(8);
          const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
          const high = view.getUint32(0);
          if (high > MAX_SAFE_HIGH_WORD) return this.#fail(controller);
          this.#length = high * TWO_TO_32 + view.getUint32(4);
          this.#state = READ_PAYLOAD;
          break;
        }
        default: {
          if (this.#buffered < this.#length) return;
          controller.enqueue(this.#decodeFrame(this.#take(this.#length, this.#binary)));
          this.#state = READ_HEADER;
          continue; // the length was checked when it was read
        }
      }
      // Checked after every step that sets a length, the 7-bit markers 126 and 127 included,
      // as upstream checks it (a maxPayload below 127 refuses extended lengths outright).
      if (this.#length === 0 || this.#length > this.#maxPayload) return this.#fail(controller);
    }
  }

  #decodeFrame(bytes: Uint8Array): Packet {
    if (this.#binary) {
      return { type: "message", data: convertBinary(bytes, this.#binaryType) };
    }
    return decodePacket((textDecoder ??= new TextDecoder()).decode(bytes), this.#binaryType);
  }

  /**
   * The next `count` buffered bytes (count <= #buffered): a view into the first chunk when
   * they lie in it and `copy` is false, otherwise a new array. Binary data is copied so that
   * a packet neither shares nor pins the chunk it came in.
   */
  #take(count: number, copy = false): Uint8Array {
    this.#buffered -= count;
    const first = this.#chunks[0]!;
    if (!copy && count <= first.byteLength - this.#offset) {
      const bytes = first.subarray(this.#offset, this.#offset + count);
      this.#advance(first, count);
      return bytes;
    }
    const bytes = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const chunk = this.#chunks[0]!;
      const part = Math.min(count - filled, chunk.byteLength - this.#offset);
      bytes.set(chunk.subarray(this.#offset, this.#offset + part), filled);
      filled += part;
      this.#advance(chunk, part);
    }
    return bytes;
  }

  #takeByte(): number {
    this.#buffered--;
    const first = this.#chunks[0]!;
    const byte = first[this.#offset]!;
    this.#advance(first, 1);
    return byte;
  }

  #advance(chunk: Uint8Array, count: number): void {
    this.#offset += count;
    if (this.#offset === chunk.byteLength) {
      this.#chunks.shift();
      this.#offset = 0;
    }
  }

  #fail(controller: TransformStreamDefaultController<Packet>): void {
    controller.enqueue(errorPacket());
    this.#state = FAILED;
    this.#chunks = [];
    this.#buffered = 0;
    this.#offset = 0;
  }
}

/** A chunk as bytes: any typed array, DataView or ArrayBuffer; undefined for anything else. */
function asBytes(chunk: unknown): Uint8Array | undefined {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return isArrayBuffer(chunk) ? new Uint8Array(chunk) : undefined;
}
