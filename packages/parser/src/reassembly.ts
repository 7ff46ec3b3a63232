// Reassembly of one binary packet: the text part has arrived, its attachments follow one
// Engine.IO message each. The packet is complete when the last announced one arrives.
import { DecodeErrorCode, decodeError } from "./errors";
import type { PlaceholderSlot } from "./inspect-payload";
import type { BinaryData, Packet } from "./packet";

export class BinaryReassembly {
  readonly #packet: Packet;
  readonly #expected: number;
  readonly #slots: PlaceholderSlot[];
  readonly #maxBytes: number;
  readonly #received: BinaryData[] = [];
  #bytes = 0;

  constructor(packet: Packet, expected: number, slots: PlaceholderSlot[], maxBytes: number) {
    this.#packet = packet;
    this.#expected = expected;
    this.#slots = slots;
    this.#maxBytes = maxBytes;
  }

  /** How many attachments are still awaited. */
  get missing(): number {
    return this.#expected - this.#received.length;
  }

  /**
   * Takes the next attachment. Returns the complete packet, with every placeholder replaced
   * by its attachment, once the last one is in; undefined before.
   * @throws {DecodeError} ATTACHMENTS_TOO_LARGE
   */
  add(chunk: BinaryData): Packet | undefined {
    this.#bytes += byteLength(chunk);
    if (this.#bytes > this.#maxBytes) {
      throw decodeError(DecodeErrorCode.ATTACHMENTS_TOO_LARGE, () => `attachments add up to more than maxAttachmentBytes (${this.#maxBytes})`);
    }
    this.#received.push(chunk);
    if (this.#received.length < this.#expected) return undefined;
    for (const { container, key, num } of this.#slots) {
      (container as Record<string | number, unknown>)[key] = this.#received[num];
    }
    return this.#packet;
  }
}

function byteLength(chunk: BinaryData): number {
  return chunk instanceof ArrayBuffer || ArrayBuffer.isView(chunk) ? chunk.byteLength : chunk.size;
}
