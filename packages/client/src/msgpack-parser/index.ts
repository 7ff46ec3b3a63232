// A Socket.IO parser over MessagePack, wire-compatible with socket.io-msgpack-parser: every
// packet is one MessagePack map { type, nsp, data?, id? } sent as one binary Engine.IO
// message; binary values travel inside it (MessagePack `bin`), so there are no attachments
// and no BINARY_* packet types. The socket.io.msgpack.min.js bundle uses it as its default.
import { Decoder as MsgpackDecoder, Encoder as MsgpackEncoder, ExtensionCodec } from "@msgpack/msgpack";
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

// notepack.io (behind socket.io-msgpack-parser) writes `undefined` inside arrays as the
// 1-byte extension of type 0; read it back as undefined, as notepack does.
const codec = new ExtensionCodec();
codec.register({ type: 0, encode: () => null, decode: (data) => (data.byteLength === 1 ? undefined : data) });

/** Encodes each packet as one MessagePack map. */
export class Encoder implements ParserEncoder {
  // undefined object members are left out, as JSON.stringify and notepack.io do
  readonly #msgpack = new MsgpackEncoder({ ignoreUndefined: true });

  encode(packet: Packet): EncodedChunk[] {
    if (!isPacketValid(packet)) throw new EncodeError(EncodeErrorCode.INVALID_PACKET, "cannot encode an invalid packet");
    const type =
      packet.type === PacketType.BINARY_EVENT ? PacketType.EVENT : packet.type === PacketType.BINARY_ACK ? PacketType.ACK : packet.type;
    const wire: Packet = { type, nsp: packet.nsp };
    if (packet.data !== undefined) wire.data = packet.data;
    if (packet.id !== undefined) wire.id = packet.id;
    try {
      return [this.#msgpack.encode(wire)];
    } catch (error) {
      throw new EncodeError(EncodeErrorCode.UNSERIALIZABLE, "the payload cannot be encoded as MessagePack", { cause: error });
    }
  }
}

/**
 * Decodes MessagePack maps into packets; binary values come out as ArrayBuffer, as with
 * the default parser in browsers. Stateless: one Engine.IO message is one packet.
 */
export class Decoder extends EventEmitter<ParserDecoderEvents> implements ParserDecoder {
  readonly #msgpack = new MsgpackDecoder({ extensionCodec: codec });

  add(chunk: unknown): void {
    if (!(chunk instanceof ArrayBuffer || ArrayBuffer.isView(chunk))) {
      throw new DecodeError(DecodeErrorCode.INVALID_INPUT, "the MessagePack parser only reads binary messages");
    }
    let value: unknown;
    try {
      value = this.#msgpack.decode(chunk);
    } catch (error) {
      throw new DecodeError(DecodeErrorCode.INVALID_PAYLOAD, "not a MessagePack item", { cause: error });
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new DecodeError(DecodeErrorCode.INVALID_PAYLOAD, "a packet must be a MessagePack map");
    }
    const { type, nsp, data, id } = value as Record<string, unknown>;
    const packet = { type, nsp, data: toArrayBuffers(data), id } as Packet;
    if (packet.data === undefined) delete packet.data;
    if (packet.id === undefined) delete packet.id;
    if (!isPacketValid(packet)) throw new DecodeError(DecodeErrorCode.INVALID_PAYLOAD, "not a valid Socket.IO packet");
    this.emit("decoded", packet);
  }

  destroy(): void {}
}

/** The parser to give as the `parser` option: `io(url, { parser: msgpackParser })`. */
export const msgpackParser = Object.freeze({ Encoder, Decoder });

// MessagePack `bin` decodes to a Uint8Array view; hand over ArrayBuffers of exactly the bytes.
function toArrayBuffers(value: unknown): unknown {
  if (value instanceof Uint8Array) {
    return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  }
  if (Array.isArray(value)) return value.map(toArrayBuffers);
  if (typeof value === "object" && value !== null) {
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) object[key] = toArrayBuffers(object[key]);
  }
  return value;
}
