import debugFactory from "debug";
import { EventEmitter } from "eventemitter3";
import type { ParserDecoder, ParserDecoderEvents } from "./contract";
import { decodeText } from "./decode-text";
import { DecodeError, DecodeErrorCode, decodeError } from "./errors";
import { isBinary } from "./is-binary";
import { resolveDecoderOptions, type DecoderOptions, type JSONReviver, type ResolvedDecoderOptions } from "./options";
import { BinaryReassembly } from "./reassembly";

const debug = debugFactory("volley:parser:decoder");

let defaultOptions: ResolvedDecoderOptions | undefined;

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
 * Drop-in for socket.io-parser 4's Decoder: `new Decoder(reviver)` and
 * `new Decoder({ reviver, maxAttachments })` work, and so do the emitter methods it has
 * (`hasListeners`, `listeners`, `off()` with no arguments, the protected `emitReserved`).
 *
 * @example
 * const decoder = new Decoder();
 * decoder.on("decoded", (packet) => console.log(packet));
 * decoder.add('2["hello",1]'); // { type: PacketType.EVENT, nsp: "/", data: ["hello", 1] }
 */
export class Decoder extends EventEmitter<DecoderEvents> implements ParserDecoder {
  readonly #options: ResolvedDecoderOptions;
  #reassembly: BinaryReassembly | undefined;

  /** @param options the options, or a reviver alone (as socket.io-parser takes it) */
  constructor(options?: DecoderOptions | JSONReviver) {
    super();
    // Frozen: the decoders made without options share them.
    this.#options = options === undefined ? (defaultOptions ??= resolveDecoderOptions()) : resolveDecoderOptions(options);
  }

  /** The options in effect, defaults included. */
  get options(): ResolvedDecoderOptions {
    return this.#options;
  }

  /** Whether `event` has listeners (socket.io-parser's Decoder has this method). */
  hasListeners<E extends keyof DecoderEvents>(event: E): boolean {
    return this.listenerCount(event) > 0;
  }

  /**
   * Removes `listener` from `event`; every listener of `event` without `listener`; and every
   * listener of every event when called with no argument at all, as socket.io-parser's
   * Decoder does.
   */
  override off<E extends keyof DecoderEvents>(
    event?: E,
    listener?: DecoderEvents[E],
    context?: unknown,
    once?: boolean,
  ): this {
    // The number of arguments decides, not their values: `off(undefined)` removes nothing.
    if (arguments.length === 0) return this.removeAllListeners();
    return super.off(event as E, listener, context, once);
  }

  /** The same as {@link Decoder.off}. */
  override removeListener<E extends keyof DecoderEvents>(
    event?: E,
    listener?: DecoderEvents[E],
    context?: unknown,
    once?: boolean,
  ): this {
    if (arguments.length === 0) return this.removeAllListeners();
    return super.removeListener(event as E, listener, context, once);
  }

  /**
   * Emits `event`, for subclasses written against socket.io-parser's Decoder (where this is
   * how a decoder emits `decoded`). Returns the decoder.
   */
  protected emitReserved<E extends keyof DecoderEvents>(event: E, ...args: Parameters<DecoderEvents[E]>): this {
    this.emit(event, ...args);
    return this;
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
        throw decodeError(DecodeErrorCode.INVALID_INPUT, () => `Unknown type: ${show(chunk)} (a value of type ${describe(chunk)}, neither a string nor binary data)`);
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
    const reassembly = this.#reassembly;
    if (reassembly !== undefined) {
      throw decodeError(DecodeErrorCode.UNEXPECTED_TEXT, () => `got plaintext data when reconstructing a packet (${reassembly.missing} attachment(s) still awaited)`);
    }
    const decoded = decodeText(text, this.#options);
    if (decoded instanceof BinaryReassembly) this.#reassembly = decoded;
    else this.emit("decoded", decoded);
  }

  #addBinary(chunk: ArrayBuffer | ArrayBufferView | Blob): void {
    const reassembly = this.#reassembly;
    if (reassembly === undefined) {
      throw decodeError(DecodeErrorCode.UNEXPECTED_BINARY, () => "got binary data when not reconstructing a packet (no attachment was awaited)");
    }
    const packet = reassembly.add(chunk);
    if (packet === undefined) return;
    this.#reassembly = undefined;
    this.emit("decoded", packet);
  }
}

// The value as socket.io-parser writes it in this message (string concatenation), without
// throwing where that would (a Symbol, an object without toString).
function show(value: unknown): string {
  try {
    return String(value);
  } catch {
    return describe(value);
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return Object.prototype.toString.call(value).slice(8, -1);
  return typeof value;
}
