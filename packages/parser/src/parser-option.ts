// The Parser view of a parser given as an option: parsers typed by their own packages may
// return one chunk instead of an array from encode(); everything downstream takes arrays.
import type { Parser, ParserEncoder, ParserOption } from "./contract";
import { Encoder as DefaultEncoder } from "./encoder";
import type { EncodedChunk, Packet } from "./packet";

/**
 * `option` as a {@link Parser}: this package's own Encoder as it is (it always returns an
 * array); any other, its Decoder and a subclass of its Encoder whose encode() hands an array
 * on as it is and wraps a single chunk in one.
 * @example new Server({ parser: toParser(require("socket.io-msgpack-parser")) }) // done for you by the `parser` option
 */
export function toParser(option: ParserOption): Parser {
  const { Encoder, Decoder } = option as Parser;
  if (Encoder === DefaultEncoder) return option as Parser;
  return {
    Encoder: class ArrayEncoder extends Encoder implements ParserEncoder {
      override encode(packet: Packet): EncodedChunk[] {
        const chunks: unknown = super.encode(packet);
        return Array.isArray(chunks) ? (chunks as EncodedChunk[]) : [chunks as EncodedChunk];
      }
    },
    Decoder,
  };
}
