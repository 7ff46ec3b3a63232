// The contract every parser implements, the default one and custom ones alike. The server
// and the client depend only on these interfaces, so any implementation can be plugged in.
import type { EncodedChunk, Packet } from "./packet";

/**
 * Turns a packet into what the engine sends: the first item is the text (or, for custom
 * parsers, binary) packet, then one item per binary attachment, each sent as its own
 * Engine.IO message.
 */
export interface ParserEncoder {
  /** @throws an Error (the default parser: an `EncodeError`) for a packet it cannot encode. */
  encode(packet: Packet): EncodedChunk[];
}

/** The events of a {@link ParserDecoder}. */
export interface ParserDecoderEvents {
  /** A complete packet; emitted synchronously by the `add()` call that completed it. */
  decoded: (packet: Packet) => void;
}

/**
 * Turns what the engine received back into packets, emitting `decoded` for each complete
 * one, in order.
 *
 * Error contract: `add()` throws (the default parser: a `DecodeError`) for input that is
 * not a valid packet, after dropping any partial packet. The owner closes that one
 * connection with "parse error". A decoder never throws asynchronously and never emits an
 * invalid packet.
 */
export interface ParserDecoder {
  /** Feeds one Engine.IO message: a string, or binary data (Buffer, ArrayBuffer, Blob…). */
  add(chunk: unknown): void;
  on<E extends keyof ParserDecoderEvents>(event: E, listener: ParserDecoderEvents[E]): unknown;
  off<E extends keyof ParserDecoderEvents>(event: E, listener?: ParserDecoderEvents[E]): unknown;
  /** Drops any partial packet; called when the connection closes. */
  destroy(): void;
}

/** A parser implementation: what the server and client `parser` option takes. */
export interface Parser {
  Encoder: new () => ParserEncoder;
  Decoder: new () => ParserDecoder;
}

/**
 * A parser as its own package types it (socket.io-msgpack-parser, socket.io-parser, or one
 * written for socket.io): an `Encoder` class whose `encode()` returns the chunks (or one
 * chunk), and a `Decoder` class that emits `decoded`. Accepted wherever a {@link Parser} is;
 * {@link toParser} gives the {@link Parser} view of it.
 */
export interface ParserModule {
  Encoder: new () => { encode(packet: never): unknown };
  Decoder: new () => { add(chunk: never): void; destroy(): void; on(event: "decoded", listener: (packet: Packet) => void): unknown };
}

/** What the server and client `parser` options take. */
export type ParserOption = Parser | ParserModule;
