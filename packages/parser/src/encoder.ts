import type { ParserEncoder } from "./contract";
import { replaceBinary } from "./deconstruct";
import { EncodeError, EncodeErrorCode, unserializableError, encodeError } from "./errors";
import { findBinary } from "./find-binary";
import { resolveEncoderOptions, type EncoderOptions, type JSONReplacer, type ResolvedEncoderOptions } from "./options";
import { PacketType, type BinaryData, type EncodedChunk, type Packet } from "./packet";
import { HAS_FAST_PATHS, writeSmallPayload } from "./small-payload";
import { isReservedEvent } from "./reserved-event";
import { packetProblem, type PacketProblem } from "./validate";

// Each begins with the name socket.io-parser's decoder gives the same fault, where it has one.
// (Left out of the minified client bundles, whose messages are the codes.)
const PROBLEM_MESSAGES: Record<PacketProblem, string> = {
  UNKNOWN_TYPE: "unknown packet type: cannot encode it",
  INVALID_NAMESPACE: 'invalid namespace: it must be a string starting with "/", without commas or control characters',
  INVALID_ACK_ID: "invalid ack id: it must be a non-negative safe integer, on EVENT (optional) and ACK (required) packets only",
  INVALID_PAYLOAD: "invalid payload: it does not have the shape its packet type requires",
  RESERVED_EVENT: "invalid payload: reserved event names cannot be emitted",
};

/**
 * Encodes Socket.IO packets for the wire.
 *
 * `encode()` returns the text packet first, then one item per binary attachment. An EVENT
 * or ACK whose payload holds binary values (anywhere, at any depth) goes out as a
 * BINARY_EVENT or BINARY_ACK: each binary value is replaced by a numbered placeholder and
 * sent as its own item, without copying.
 *
 * Drop-in for socket.io-parser 4's Encoder: `new Encoder(replacer)` works (as does
 * `new Encoder({ replacer })`).
 *
 * @example
 * const encoder = new Encoder();
 * encoder.encode({ type: PacketType.EVENT, nsp: "/", data: ["hello", 1] }); // ['2["hello",1]']
 */
export class Encoder implements ParserEncoder {
  readonly #options: ResolvedEncoderOptions;

  /** @param options the options, or a replacer alone (as socket.io-parser takes it) */
  constructor(options?: EncoderOptions | JSONReplacer) {
    this.#options = resolveEncoderOptions(options);
  }

  /** The options in effect, defaults included. */
  get options(): ResolvedEncoderOptions {
    return this.#options;
  }

  /**
   * Encodes one packet. The packet and its payload are not modified.
   * @throws {EncodeError} for an invalid packet, a circular or too deep payload, too many
   * attachments, or a payload JSON cannot represent (BigInt, a throwing toJSON).
   */
  encode(packet: Packet): EncodedChunk[] {
    // The commonest packet, a plain EVENT on "/" without ack id, named by a non-reserved
    // string: what packetProblem would check is checked here, so the general steps are
    // skipped when its payload is small and simple. Anything else goes through them.
    let isSmallTried = false;
    if (
      HAS_FAST_PATHS &&
      typeof packet === "object" &&
      packet !== null &&
      packet.type === PacketType.EVENT &&
      packet.nsp === "/" &&
      packet.id === undefined
    ) {
      const { data } = packet;
      if (Array.isArray(data) && typeof data[0] === "string" && !isReservedEvent(data[0])) {
        isSmallTried = true;
        const chunks: EncodedChunk[] = [""];
        const json = writeSmallPayload(data, chunks, smallDepth(this.#options));
        if (json !== undefined) {
          if (chunks.length > 1) return finishSmall(chunks, json, PacketType.EVENT, "/", undefined, this.#options.maxAttachments);
          chunks[0] = "2" + json;
          return chunks;
        }
      }
    }
    const problem = packetProblem(packet);
    if (problem !== undefined) {
      throw encodeError(EncodeErrorCode.INVALID_PACKET, () => `cannot encode packet: ${PROBLEM_MESSAGES[problem]}`);
    }
    const { data } = packet;
    let type = packet.type;
    // After the checks above, an array payload means an EVENT, ACK or BINARY_* packet
    // (not tried a second time when the lane above turned it away).
    if (HAS_FAST_PATHS && Array.isArray(data) && !isSmallTried) {
      const chunks: EncodedChunk[] = [""];
      const json = writeSmallPayload(data, chunks, smallDepth(this.#options));
      if (json !== undefined) return finishSmall(chunks, json, type, packet.nsp, packet.id, this.#options.maxAttachments);
    }
    const isBinaryCapable =
      type === PacketType.EVENT ||
      type === PacketType.ACK ||
      type === PacketType.BINARY_EVENT ||
      type === PacketType.BINARY_ACK;
    const { maxDepth, replacer } = this.#options;
    if (isBinaryCapable && typeof data === "object" && data !== null && findBinary(data, maxDepth)) {
      const attachments: BinaryData[] = [];
      const withPlaceholders = replaceBinary(data, attachments, maxDepth);
      if (attachments.length > this.#options.maxAttachments) {
        throw tooManyAttachments(attachments.length, this.#options.maxAttachments);
      }
      type = binaryType(type, true);
      const text = header(type, attachments.length, packet.nsp, packet.id) + stringify(withPlaceholders, maxDepth, replacer);
      return [text, ...attachments];
    }
    if (isBinaryCapable) type = binaryType(type, false);
    else if (typeof data === "object" && data !== null) findBinary(data, maxDepth); // depth and cycle check only
    let text = header(type, 0, packet.nsp, packet.id);
    if (data !== undefined) text += stringify(data, maxDepth, replacer);
    return [text];
  }
}

// The maxDepth given to the small-payload writer; 0 (with a replacer, which only
// JSON.stringify can honour) makes it decline at once, so that the default path checks
// nothing more than it reads.
function smallDepth({ replacer, maxDepth }: ResolvedEncoderOptions): number {
  return replacer === undefined ? maxDepth : 0;
}

// Puts the text packet in front of the attachments writeSmallPayload appended to `chunks`.
function finishSmall(
  chunks: EncodedChunk[],
  json: string,
  type: PacketType,
  nsp: string,
  id: number | undefined,
  maxAttachments: number,
): EncodedChunk[] {
  const attachments = chunks.length - 1;
  if (attachments > maxAttachments) throw tooManyAttachments(attachments, maxAttachments);
  chunks[0] = header(binaryType(type, attachments > 0), attachments, nsp, id) + json;
  return chunks;
}

// The type on the wire of an EVENT / ACK (or BINARY_*) packet: BINARY_* when it carries
// attachments, the plain one otherwise (a BINARY_* given without binary goes out plain).
function binaryType(type: PacketType, hasAttachments: boolean): PacketType {
  const isEvent = type === PacketType.EVENT || type === PacketType.BINARY_EVENT;
  if (hasAttachments) return isEvent ? PacketType.BINARY_EVENT : PacketType.BINARY_ACK;
  return isEvent ? PacketType.EVENT : PacketType.ACK;
}

function tooManyAttachments(count: number, max: number): EncodeError {
  return encodeError(EncodeErrorCode.TOO_MANY_ATTACHMENTS, () => `too many attachments: the payload holds ${count} binary values, more than maxAttachments (${max})`);
}

function header(type: PacketType, attachments: number, nsp: string, id: number | undefined): string {
  let text = String(type);
  if (attachments > 0) text += attachments + "-";
  if (nsp !== "/") text += nsp + ",";
  if (id !== undefined) text += id;
  return text;
}

// JSON.stringify(data) is JSON.stringify(data, undefined): passing the replacer costs the
// default path nothing.
function stringify(data: unknown, maxDepth: number, replacer: JSONReplacer | undefined): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(data, replacer);
  } catch (error) {
    // The walk before has ruled out depth and cycles, unless a toJSON (or the replacer)
    // answered differently; report what JSON.stringify said.
    if (error instanceof RangeError) {
      throw encodeError(EncodeErrorCode.TOO_DEEP, () => `payload nests deeper than maxDepth (${maxDepth})`);
    }
    throw unserializableError(error);
  }
  // A toJSON or a replacer that returns undefined for the payload itself leaves nothing to
  // write (socket.io-parser would send the text "undefined", which no peer can decode).
  if (json === undefined) {
    throw encodeError(EncodeErrorCode.UNSERIALIZABLE, () => "nothing to write: the payload's toJSON or the replacer returned undefined for it");
  }
  return json;
}
