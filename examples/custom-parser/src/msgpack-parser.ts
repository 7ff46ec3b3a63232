import { Decoder as MsgpackDecoder, Encoder as MsgpackEncoder } from "@msgpack/msgpack";
import {
  DecodeError,
  DecodeErrorCode,
  EncodeError,
  EncodeErrorCode,
  isPacketValid,
  PacketType,
  type EncodedChunk,
  type Packet,
  type ParserDecoder,
  type ParserDecoderEvents,
  type ParserEncoder,
} from "@volley/parser";
import { EventEmitter } from "eventemitter3";
import { toPacket } from "./check-decoded";
import { toWireValue } from "./to-wire";

/** Options of the MessagePack parser. */
export interface MsgpackParserOptions {
  /**
   * Deepest nesting of arrays and objects in a payload, on both sides.
   * @default 100
   */
  maxDepth?: number;
  /**
   * Largest packet the decoder accepts, in bytes.
   * @default 1_000_000
   */
  maxPacketBytes?: number;
}

const DEFAULTS = Object.freeze({ maxDepth: 100, maxPacketBytes: 1_000_000 });

/** Encodes each packet as one MessagePack item, binary values included. */
export class Encoder implements ParserEncoder {
  readonly #maxDepth: number;
  readonly #msgpack = new MsgpackEncoder();

  constructor(options: MsgpackParserOptions = {}) {
    this.#maxDepth = options.maxDepth ?? DEFAULTS.maxDepth;
  }

  encode(packet: Packet): EncodedChunk[] {
    if (!isPacketValid(packet)) throw new EncodeError(EncodeErrorCode.INVALID_PACKET, "cannot encode an invalid packet");
    const type =
      packet.type === PacketType.BINARY_EVENT ? PacketType.EVENT : packet.type === PacketType.BINARY_ACK ? PacketType.ACK : packet.type;
    const wire: Record<string, unknown> = { type, nsp: packet.nsp };
    if (packet.data !== undefined) wire["data"] = toWireValue(packet.data, this.#maxDepth);
    if (packet.id !== undefined) wire["id"] = packet.id;
    return [this.#msgpack.encode(wire)];
  }
}

/**
 * Decodes MessagePack items into packets. Stateless (one item is one packet), so destroy()
 * has nothing to drop. Throws a DecodeError for anything else, as the contract asks.
 */
export class Decoder extends EventEmitter<ParserDecoderEvents> implements ParserDecoder {
  readonly #maxDepth: number;
  readonly #maxPacketBytes: number;
  readonly #msgpack: MsgpackDecoder;

  constructor(options: MsgpackParserOptions = {}) {
    super();
    this.#maxDepth = options.maxDepth ?? DEFAULTS.maxDepth;
    this.#maxPacketBytes = options.maxPacketBytes ?? DEFAULTS.maxPacketBytes;
    this.#msgpack = new MsgpackDecoder({ maxStrLength: this.#maxPacketBytes, maxBinLength: this.#maxPacketBytes });
  }

  add(chunk: unknown): void {
    if (!(chunk instanceof ArrayBuffer || ArrayBuffer.isView(chunk))) {
      throw new DecodeError(DecodeErrorCode.INVALID_INPUT, "this parser only reads binary MessagePack messages");
    }
    if (chunk.byteLength > this.#maxPacketBytes) {
      throw new DecodeError(DecodeErrorCode.PACKET_TOO_LONG, `packet larger than maxPacketBytes (${this.#maxPacketBytes})`);
    }
    let value: unknown;
    try {
      value = this.#msgpack.decode(chunk);
    } catch (error) {
      throw new DecodeError(DecodeErrorCode.INVALID_PAYLOAD, "not a valid MessagePack item", { cause: error });
    }
    this.emit("decoded", toPacket(value, this.#maxDepth));
  }

  destroy(): void {}
}
