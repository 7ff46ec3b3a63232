import debugFactory from "debug";
import { EventEmitter } from "eventemitter3";
import type { ParserDecoder, ParserDecoderEvents } from "./contract";
import { decodeText } from "./decode-text";
import { DecodeError, DecodeErrorCode } from "./errors";
import { isBinary } from "./is-binary";
import { resolveDecoderOptions, type DecoderOptions, type ResolvedDecoderOptions } from "./options";
import { BinaryReassembly } from "./reassembly";

const debug = debugFactory("volley:parser:decoder");

/** The events of {@link Decoder}. */
export type DecoderEvents = ParserDecoderEvents;

/**
 * Decodes the Engine.IO messages of one connection into Socket.IO packets.
 *
 * Feed every message to `add()`; each complete packet is emitted as `decoded`,
 * synchronously and in order. A binary packet is held back until all its attachments have
 * arrived and is emitted as an EVENT or ACK with the attachments in place of their
 * placeholders.
 *
 * Error contract: for input that is not a valid packet, `add()` throws a
 * {@link DecodeError} (with a `code`) after dropping any partial packet; the decoder can
 * be used again. The owner should close that connection ("parse error").
 *
 * @example
 * const decoder = new Decoder();
 * decoder.on("decoded", (packet) => console.log(packet));
 * decoder.add('2["hello",1]'); // { type: PacketType.EVENT, nsp: "/", data: ["hello", 1] }
 */
export class Decoder extends EventEmitter<DecoderEvents> implements ParserDecoder {
  readonly #options: ResolvedDecoderOptions;
  #reassembly: BinaryReassembly | undefined;

  constructor(options?: DecoderOptions) {
    super();
    this.#options = resolveDecoderOptions(options);
  }

  /** The options in effect, defaults included. */
  get options(): ResolvedDecoderOptions {
    return this.#options;
  }

  /** How many attachments the packet being reassembled still waits for (0 when none is). */
  get pendingAttachments(): number {
    return this.#reassembly?.missing ?? 0;
  }

  /**
   * Feeds one Engine.IO message: a text packet, or one binary attachment.
   * @throws {DecodeError} for invalid input; any partial packet is dropped first.
   */
  add(chunk: unknown): void {
    try {
      if (typeof chunk === "string") this.#addText(chunk);
      else if (isBinary(chunk)) this.#addBinary(chunk);
      else {
        throw new DecodeError(DecodeErrorCode.INVALID_INPUT, `cannot decode a value of type ${describe(chunk)}`);
      }
    } catch (error) {
      if (error instanceof DecodeError) {
        this.#reassembly = undefined;
        debug("rejected input: %s", error.code);
      }
      throw error;
    }
  }

  /** Drops the packet being reassembled, if any. The decoder stays usable. */
  destroy(): void {
    this.#reassembly = undefined;
  }

  #addText(text: string): void {
    if (this.#reassembly !== undefined) {
      throw new DecodeError(
        DecodeErrorCode.UNEXPECTED_TEXT,
        `text packet received while ${this.#reassembly.missing} attachment(s) were awaited`,
      );
    }
    const decoded = decodeText(text, this.#options);
    if (decoded instanceof BinaryReassembly) this.#reassembly = decoded;
    else this.emit("decoded", decoded);
  }

  #addBinary(chunk: ArrayBuffer | ArrayBufferView | Blob): void {
    const reassembly = this.#reassembly;
    if (reassembly === undefined) {
      throw new DecodeError(DecodeErrorCode.UNEXPECTED_BINARY, "binary data received while no attachment was awaited");
    }
    const packet = reassembly.add(chunk);
    if (packet === undefined) return;
    this.#reassembly = undefined;
    this.emit("decoded", packet);
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return Object.prototype.toString.call(value).slice(8, -1);
  return typeof value;
}
