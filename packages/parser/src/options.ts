// Options of the Encoder and the Decoder: interfaces with TSDoc, frozen defaults, and the
// resolvers that merge and validate them.
import { CHECK_OPTIONS, FULL_MESSAGES, describeValue, optionChecks, resolveOptions, type OptionCheck } from "@volley/shared";
import { InvalidOptionError, OptionRangeError, PARSER_ERROR_CODES } from "./errors";

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

// A value of the wrong type is an InvalidOptionError (a TypeError), a number out of range an
// OptionRangeError (a RangeError).
const types = optionChecks((name, expected, value) => new InvalidOptionError(name, message(name, expected, value)));
const ranges = optionChecks((name, expected, value) => new OptionRangeError(name, message(name, expected, value)));
const optionalFunction = types.is((value) => typeof value === "function", "a function");
const number = types.is<number>((value) => typeof value === "number" && !Number.isNaN(value), "a number");
// Infinity is allowed: it is how a user lifts a limit on purpose.
const count: OptionCheck<number> = (name, value) => ranges.count(name, number(name, value));
const atLeastOne: OptionCheck<number> = (name, value) => ranges.is<number>((n) => n !== 0, "at least 1")(name, count(name, value));

function message(name: string, expected: string, value: unknown): string {
  return `option ${name} must be ${expected}, got ${describeValue(value)}`;
}

const ENCODER_OPTION_CHECKS = { replacer: optionalFunction, maxDepth: atLeastOne, maxAttachments: count };
const DECODER_OPTION_CHECKS = {
  reviver: optionalFunction,
  maxAttachments: count,
  maxDepth: atLeastOne,
  maxPacketLength: atLeastOne,
  maxAttachmentBytes: count,
};

/**
 * Merges user options over the defaults; throws an InvalidOptionError (a TypeError) or an OptionRangeError (a RangeError) for bad values.
 * A function alone is the replacer (socket.io-parser's `new Encoder(replacer)`).
 */
export function resolveEncoderOptions(options: EncoderOptions | JSONReplacer = {}): ResolvedEncoderOptions {
  return resolve(options, "replacer", "Encoder", ENCODER_OPTION_CHECKS, DEFAULT_ENCODER_OPTIONS) as ResolvedEncoderOptions;
}

/**
 * Merges user options over the defaults; throws an InvalidOptionError (a TypeError) or an OptionRangeError (a RangeError) for bad values.
 * A function alone is the reviver (socket.io-parser's `new Decoder(reviver)`).
 */
export function resolveDecoderOptions(options: DecoderOptions | JSONReviver = {}): ResolvedDecoderOptions {
  return resolve(options, "reviver", "Decoder", DECODER_OPTION_CHECKS, DEFAULT_DECODER_OPTIONS) as ResolvedDecoderOptions;
}

function resolve(options: unknown, fn: string, owner: string, checks: Record<string, OptionCheck>, defaults: object): object {
  if (typeof options === "function") options = { [fn]: options };
  if (CHECK_OPTIONS && (typeof options !== "object" || options === null)) {
    throw new InvalidOptionError("options", FULL_MESSAGES ? `${owner} options must be an object` : `${PARSER_ERROR_CODES.INVALID_OPTION} options`);
  }
  return Object.freeze(resolveOptions(options as object, checks, defaults));
}
