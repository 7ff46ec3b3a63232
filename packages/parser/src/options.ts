// Options of the Encoder and the Decoder: interfaces with TSDoc, frozen defaults, and the
// resolvers that merge and validate them.
import { InvalidOptionError, OptionRangeError } from "./errors";

/**
 * A reviver as `JSON.parse(text, reviver)` takes it: called for every value of a received
 * payload, deepest first and the payload itself last (key `""`), with `this` the object
 * or array holding the value; what it returns replaces the value.
 */
export type JSONReviver = (this: unknown, key: string, value: unknown) => unknown;

/**
 * A replacer as `JSON.stringify(value, replacer)` takes it: called for the payload itself
 * (key `""`) and then for every value JSON would write, with `this` the object or array
 * holding the value; what it returns is written instead.
 */
export type JSONReplacer = (this: unknown, key: string, value: unknown) => unknown;

/** Options of {@link Encoder}. */
export interface EncoderOptions {
  /**
   * Handed to `JSON.stringify` for each payload, as socket.io-parser's
   * `new Encoder(replacer)` does. For a binary packet it sees the payload with each binary
   * value already replaced by its placeholder. Packets are checked before it runs, and what
   * it returns is not checked. A payload encoded with a replacer takes the general path
   * (JSON.stringify), never the small-payload writer.
   * @default undefined
   */
  replacer?: JSONReplacer | undefined;
  /**
   * Deepest nesting of arrays and objects in a payload (the payload itself is level 1).
   * Deeper payloads, and circular ones, are refused with an `EncodeError` instead of a
   * stack overflow.
   * @default 100
   */
  maxDepth?: number;
  /**
   * Most binary values one packet may carry. The default matches what Socket.IO peers
   * (and our decoder) accept, so that an oversized packet fails on the sender with a clear
   * error instead of closing the connection on the receiver.
   * @default 10
   */
  maxAttachments?: number;
}

/** Options of {@link Decoder}. */
export interface DecoderOptions {
  /**
   * Handed to `JSON.parse` for each payload, as socket.io-parser's `new Decoder(reviver)`
   * and `new Decoder({ reviver })` do: the calls and the result are those of
   * `JSON.parse(payload, reviver)`. In a binary packet it sees the placeholders, before the
   * attachments are put in their place. What it returns is checked like any payload. A
   * payload decoded with a reviver takes the general path (JSON.parse), never the
   * small-payload reader.
   * @default undefined
   */
  reviver?: JSONReviver | undefined;
  /**
   * Most binary attachments a packet may announce.
   * @default 10
   */
  maxAttachments?: number;
  /**
   * Deepest nesting of arrays and objects in a received payload (the payload itself is
   * level 1).
   * @default 100
   */
  maxDepth?: number;
  /**
   * Longest text packet accepted, in UTF-16 code units (checked before parsing).
   * @default 10_000_000
   */
  maxPacketLength?: number;
  /**
   * Most bytes the attachments of one packet may add up to while it is reassembled. With
   * `maxAttachments`, this bounds the memory a peer can hold by announcing a binary packet
   * and sending its attachments slowly or never; the rest of that state is dropped by the
   * next text packet (an error) or by `destroy()` when the connection closes.
   * @default 100_000_000
   */
  maxAttachmentBytes?: number;
}

/** The options an {@link Encoder} works with, defaults included. */
export type ResolvedEncoderOptions = Readonly<
  Required<Omit<EncoderOptions, "replacer">> & { replacer: JSONReplacer | undefined }
>;
/** The options a {@link Decoder} works with, defaults included. */
export type ResolvedDecoderOptions = Readonly<
  Required<Omit<DecoderOptions, "reviver">> & { reviver: JSONReviver | undefined }
>;

export const DEFAULT_ENCODER_OPTIONS: ResolvedEncoderOptions = Object.freeze({
  replacer: undefined,
  maxDepth: 100,
  maxAttachments: 10,
});

export const DEFAULT_DECODER_OPTIONS: ResolvedDecoderOptions = Object.freeze({
  reviver: undefined,
  maxAttachments: 10,
  maxDepth: 100,
  maxPacketLength: 10_000_000,
  maxAttachmentBytes: 100_000_000,
});

/**
 * Merges user options over the defaults; throws an InvalidOptionError (a TypeError) or an OptionRangeError (a RangeError) for bad values.
 * A function alone is the replacer (socket.io-parser's `new Encoder(replacer)`).
 */
export function resolveEncoderOptions(options: EncoderOptions | JSONReplacer = {}): ResolvedEncoderOptions {
  if (typeof options === "function") options = { replacer: options };
  checkObject(options, "Encoder");
  return Object.freeze({
    replacer: optionalFunction("replacer", options.replacer),
    maxDepth: positiveInteger("maxDepth", options.maxDepth ?? DEFAULT_ENCODER_OPTIONS.maxDepth),
    maxAttachments: nonNegativeInteger(
      "maxAttachments",
      options.maxAttachments ?? DEFAULT_ENCODER_OPTIONS.maxAttachments,
    ),
  });
}

/**
 * Merges user options over the defaults; throws an InvalidOptionError (a TypeError) or an OptionRangeError (a RangeError) for bad values.
 * A function alone is the reviver (socket.io-parser's `new Decoder(reviver)`).
 */
export function resolveDecoderOptions(options: DecoderOptions | JSONReviver = {}): ResolvedDecoderOptions {
  if (typeof options === "function") options = { reviver: options };
  checkObject(options, "Decoder");
  return Object.freeze({
    reviver: optionalFunction("reviver", options.reviver),
    maxAttachments: nonNegativeInteger(
      "maxAttachments",
      options.maxAttachments ?? DEFAULT_DECODER_OPTIONS.maxAttachments,
    ),
    maxDepth: positiveInteger("maxDepth", options.maxDepth ?? DEFAULT_DECODER_OPTIONS.maxDepth),
    maxPacketLength: positiveInteger(
      "maxPacketLength",
      options.maxPacketLength ?? DEFAULT_DECODER_OPTIONS.maxPacketLength,
    ),
    maxAttachmentBytes: nonNegativeInteger(
      "maxAttachmentBytes",
      options.maxAttachmentBytes ?? DEFAULT_DECODER_OPTIONS.maxAttachmentBytes,
    ),
  });
}

function checkObject(options: unknown, owner: string): void {
  if (typeof options !== "object" || options === null) {
    throw new InvalidOptionError("options", `${owner} options must be an object`);
  }
}

function optionalFunction<F>(name: string, value: F | undefined): F | undefined {
  if (value !== undefined && typeof value !== "function") {
    throw new InvalidOptionError(name, `option ${name} must be a function, got ${value === null ? "null" : typeof value}`);
  }
  return value;
}

// Infinity is allowed: it is how a user lifts a limit on purpose.
function nonNegativeInteger(name: string, value: unknown): number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new InvalidOptionError(name, `option ${name} must be a number, got ${typeof value}`);
  }
  if (value < 0 || (value !== Infinity && !Number.isInteger(value))) {
    throw new OptionRangeError(name, `option ${name} must be a non-negative integer or Infinity, got ${value}`);
  }
  return value;
}

function positiveInteger(name: string, value: unknown): number {
  const checked = nonNegativeInteger(name, value);
  if (checked === 0) throw new OptionRangeError(name, `option ${name} must be at least 1`);
  return checked;
}
