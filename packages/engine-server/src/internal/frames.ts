/**
 * Encodes data frames as a server sends them (FIN set, unmasked, uncompressed) into one
 * buffer, so that a whole flush reaches the TCP socket in one write with one allocation.
 * Text frames get opcode 1, binary frames opcode 2 (RFC 6455 §5.2).
 */
export function encodeFrames(frames: ReadonlyArray<string | Uint8Array>, lengths: number[]): Buffer {
  let total = 0;
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i]!;
    const length = typeof frame === "string" ? Buffer.byteLength(frame) : frame.byteLength;
    lengths[i] = length;
    total += length + headerLength(length);
  }
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i]!;
    const length = lengths[i]!;
    out[offset] = typeof frame === "string" ? 0x81 : 0x82;
    if (length < 126) {
      out[offset + 1] = length;
      offset += 2;
    } else if (length < 65536) {
      out[offset + 1] = 126;
      out.writeUInt16BE(length, offset + 2);
      offset += 4;
    } else {
      out[offset + 1] = 127;
      out.writeUInt32BE(Math.floor(length / 0x100000000), offset + 2);
      out.writeUInt32BE(length >>> 0, offset + 6);
      offset += 10;
    }
    if (typeof frame === "string") {
      offset += out.write(frame, offset, "utf8");
    } else {
      out.set(frame, offset);
      offset += length;
    }
  }
  return out;
}

function headerLength(length: number): number {
  return length < 126 ? 2 : length < 65536 ? 4 : 10;
}

/** Encodes a control frame (close, ping or pong) as a server sends it: FIN set, unmasked. */
export function encodeControlFrame(opcode: number, payload: Buffer): Buffer {
  // control payloads are at most 125 bytes (RFC 6455 §5.5): the length fits the first byte
  const out = Buffer.allocUnsafe(2 + payload.length);
  out[0] = 0x80 | opcode;
  out[1] = payload.length;
  payload.copy(out, 2);
  return out;
}

/** A frame as a string or bytes (a view, not a copy); undefined for a Blob. */
export function asBytes(frame: unknown): string | Uint8Array | undefined {
  if (typeof frame === "string" || frame instanceof Uint8Array) return frame;
  if (frame instanceof ArrayBuffer) return new Uint8Array(frame);
  if (ArrayBuffer.isView(frame)) return new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
  return undefined;
}
