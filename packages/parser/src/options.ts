// Options of the Encoder and the Decoder: interfaces with TSDoc, frozen defaults, and the
// resolvers that merge and validate them.

/** Options of {@link Encoder}. */
export interface EncoderOptions {
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

export type ResolvedEncoderOptions = Readonly<Required<EncoderOptions>>;
export type ResolvedDecoderOptions = Readonly<Required<DecoderOptions>>;

export const DEFAULT_ENCODER_OPTIONS: ResolvedEncoderOptions = Object.freeze({
  maxDepth: 100,
  maxAttachments: 10,
});

export const DEFAULT_DECODER_OPTIONS: ResolvedDecoderOptions = Object.freeze({
  maxAttachments: 10,
  maxDepth: 100,
  maxPacketLength: 10_000_000,
  maxAttachmentBytes: 100_000_000,
});

/** Merges user options over the defaults; throws a TypeError or RangeError for bad values. */
export function resolveEncoderOptions(options: EncoderOptions = {}): ResolvedEncoderOptions {
  checkObject(options, "Encoder");
  return Object.freeze({
    maxDepth: positiveInteger("maxDepth", options.maxDepth ?? DEFAULT_ENCODER_OPTIONS.maxDepth),
    maxAttachments: nonNegativeInteger(
      "maxAttachments",
      options.maxAttachments ?? DEFAULT_ENCODER_OPTIONS.maxAttachments,
    ),
  });
}

/** Merges user options over the defaults; throws a TypeError or RangeError for bad values. */
export function resolveDecoderOptions(options: DecoderOptions = {}): ResolvedDecoderOptions {
  checkObject(options, "Decoder");
  return Object.freeze({
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
    throw new TypeError(`${owner} options must be an object`);
  }
}

// Infinity is allowed: it is how a user lifts a limit on purpose.
function nonNegativeInteger(name: string, value: unknown): number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`option ${name} must be a number, got ${typeof value}`);
  }
  if (value < 0 || (value !== Infinity && !Number.isInteger(value))) {
    throw new RangeError(`option ${name} must be a non-negative integer or Infinity, got ${value}`);
  }
  return value;
}

function positiveInteger(name: string, value: unknown): number {
  const checked = nonNegativeInteger(name, value);
  if (checked === 0) throw new RangeError(`option ${name} must be at least 1`);
  return checked;
}
