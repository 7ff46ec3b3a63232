import { Decoder, type DecoderOptions, type EncodedChunk, type Packet } from "../../src";

/** A decoder plus the packets it emitted. */
export function recordingDecoder(options?: DecoderOptions): { decoder: Decoder; decoded: Packet[] } {
  const decoder = new Decoder(options);
  const decoded: Packet[] = [];
  decoder.on("decoded", (packet) => decoded.push(packet));
  return { decoder, decoded };
}

/** Feeds every chunk to a fresh decoder and returns what it emitted. */
export function decodeAll(chunks: readonly unknown[], options?: DecoderOptions): Packet[] {
  const { decoder, decoded } = recordingDecoder(options);
  for (const chunk of chunks) decoder.add(chunk);
  return decoded;
}

/** The error `action` throws (fails the test when it throws nothing). */
export function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error, nothing was thrown");
}

export function nested(depth: number, leaf: unknown = 1): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

export type { EncodedChunk };
