// Parses one text packet: `<type>[<attachments>-][<nsp>,][<ack id>][<JSON payload>]`.
// Pure and synchronous: a string in, a checked packet out, or a DecodeError.
import { DecodeErrorCode, decodeError } from "./errors";
import { inspectPayload, type PlaceholderSlot } from "./inspect-payload";
import type { ResolvedDecoderOptions } from "./options";
import { PacketType, type Packet } from "./packet";
import { BinaryReassembly } from "./reassembly";
import { HAS_FAST_PATHS, MAX_SMALL_TEXT_LENGTH, readSmallPayload } from "./small-payload";
import { isReservedEvent } from "./reserved-event";
import { packetProblem, type PacketProblem } from "./validate";

// Digits of an attachment count read as is; longer counts (leading zeros aside) are above
// any limit but Infinity, and are refused as too many.
const MAX_ATTACHMENT_DIGITS = 9;
// Number.MAX_SAFE_INTEGER has 16 digits.
const MAX_ACK_ID_DIGITS = 16;

/**
 * The packet `text` holds; for a binary packet, the reassembly that waits for its
 * attachments.
 *
 * Error messages begin with the text socket.io-parser 4 throws for the same input (its
 * names for the failure where it has one), so code that matches on them keeps working;
 * detail follows.
 */
export function decodeText(text: string, options: ResolvedDecoderOptions): Packet | BinaryReassembly {
  const length = text.length;
  const smallLength = HAS_FAST_PATHS ? smallTextLength(options) : -1;
  // The commonest packet, a plain EVENT on "/" without ack id whose payload is small and
  // simple (`2["name",…]`), skips the header steps. Anything else it does not settle, valid
  // or not, goes through the general steps below from the start.
  const isFastLane =
    HAS_FAST_PATHS &&
    text.charCodeAt(0) === 0x32 /* 2 */ &&
    text.charCodeAt(1) === 0x5b /* [ */ &&
    length <= smallLength;
  if (isFastLane) {
    const data = readSmallPayload(text, 1, undefined, 0, options.maxDepth);
    // Strings are tested first: numeric names are rare.
    if (data !== undefined && (typeof data[0] === "string" ? !isReservedEvent(data[0]) : typeof data[0] === "number")) {
      return { type: PacketType.EVENT, nsp: "/", data };
    }
  }
  if (length > options.maxPacketLength) {
    throw decodeError(DecodeErrorCode.PACKET_TOO_LONG, () => `packet too long: ${text.length} characters, more than maxPacketLength (${options.maxPacketLength})`);
  }
  const type = text.charCodeAt(0) - 48;
  if (!(type >= 0 && type <= 6)) {
    throw decodeError(DecodeErrorCode.UNKNOWN_TYPE, () => {
      // socket.io-parser names the type as Number(first character) gives it.
      const first = text.charAt(0);
      return `unknown packet type ${Number(first)} (${length === 0 ? "empty packet" : `first character ${JSON.stringify(first)}`})`;
    });
  }
  let i = 1;

  let attachments = 0;
  const isBinary = type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK;
  if (isBinary) {
    let start = i;
    while (i < length && isDigit(text.charCodeAt(i))) i++;
    if (i === start || text.charCodeAt(i) !== 45 /* - */) {
      throw decodeError(DecodeErrorCode.INVALID_ATTACHMENTS, () => "Illegal attachments: binary packet without a valid attachment count");
    }
    while (start < i - 1 && text.charCodeAt(start) === 48 /* 0 */) start++;
    const digits = i - start;
    attachments = digits <= MAX_ATTACHMENT_DIGITS ? Number(text.slice(start, i)) : Infinity;
    i++;
    if (attachments < 1) {
      throw decodeError(DecodeErrorCode.INVALID_ATTACHMENTS, () => "Illegal attachments: binary packet announcing no attachment");
    }
    if (attachments > options.maxAttachments || attachments === Infinity) {
      throw decodeError(DecodeErrorCode.TOO_MANY_ATTACHMENTS, () => `too many attachments: packet announces ${attachments === Infinity ? `a ${digits}-digit count` : attachments}, more than maxAttachments (${options.maxAttachments})`);
    }
  }

  let nsp = "/";
  if (text.charCodeAt(i) === 47 /* / */) {
    const comma = text.indexOf(",", i);
    const end = comma === -1 ? length : comma;
    nsp = text.slice(i, end);
    i = comma === -1 ? length : comma + 1;
  }

  let id: number | undefined;
  if (isDigit(text.charCodeAt(i))) {
    const start = i;
    while (i < length && isDigit(text.charCodeAt(i))) i++;
    id = i - start <= MAX_ACK_ID_DIGITS ? Number(text.slice(start, i)) : Infinity;
  }
  const slots: PlaceholderSlot[] | undefined = isBinary ? [] : undefined;
  let data: unknown;
  // A payload read by readSmallPayload needs no walk: its depth, keys and placeholders
  // were checked as it was read.
  let isInspected = false;
  if (i < length) {
    // (Not a second time for the same text when the lane above already tried.)
    if (HAS_FAST_PATHS && length <= smallLength && !isFastLane) {
      data = readSmallPayload(text, i, slots, attachments, options.maxDepth);
      if (data !== undefined) isInspected = true;
      else if (slots !== undefined) slots.length = 0;
    }
    if (!isInspected) {
      const { reviver } = options;
      try {
        data = JSON.parse(text.slice(i), reviver);
      } catch (error) {
        // A CONNECT carries the handshake's auth (and the server's answer the recovery pid):
        // its text never goes into an error, and JSON.parse's messages may quote it.
        const isSecret = type === PacketType.CONNECT;
        throw decodeError(
          DecodeErrorCode.INVALID_JSON,
          () => (isSecret || reviver === undefined ? "invalid payload: not valid JSON" : `invalid payload: JSON.parse or the reviver threw: ${String(error)}`),
          isSecret ? undefined : { cause: error },
        );
      }
    }
  }

  // Decoded binary packets are handed out as EVENT / ACK: BINARY_* only describe the wire.
  const packet: Packet = {
    type: type === PacketType.BINARY_EVENT ? PacketType.EVENT : type === PacketType.BINARY_ACK ? PacketType.ACK : type,
    nsp,
  };
  if (data !== undefined) packet.data = data;
  if (id !== undefined) packet.id = id;
  // The rules of validate.ts first (the encoder checks the same), then the payload's depth,
  // keys and placeholders.
  const problem = packetProblem(packet);
  if (problem !== undefined) throw decodeError(DecodeErrorCode[problem], () => problemMessage(problem, type, packet));
  if (!isInspected) inspectPayload(data, options.maxDepth, slots, attachments);
  if (slots !== undefined) return new BinaryReassembly(packet, attachments, slots, options.maxAttachmentBytes);
  return packet;
}

// The longest text the small-payload reader is tried on: the smaller of its own limit and
// maxPacketLength, or -1 when a reviver is set (which only JSON.parse can honour).
function smallTextLength({ reviver, maxPacketLength }: ResolvedDecoderOptions): number {
  return reviver === undefined ? Math.min(MAX_SMALL_TEXT_LENGTH, maxPacketLength) : -1;
}

function problemMessage(problem: PacketProblem, type: PacketType, { data, id }: Packet): string {
  switch (problem) {
    case "RESERVED_EVENT":
      return `invalid payload: event name "${String((data as unknown[])[0])}" is reserved`;
    case "INVALID_NAMESPACE":
      return "invalid namespace: it holds a control character";
    case "INVALID_ACK_ID":
      return id === undefined ? "invalid ack id: ACK packet without one" : "invalid ack id: it must be a safe integer, on EVENT and ACK packets only";
    default:
      return `invalid payload: wrong shape for a packet of type ${PacketType[type]}`;
  }
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
