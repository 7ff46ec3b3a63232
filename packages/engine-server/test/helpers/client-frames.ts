// WebSocket frames as a client sends them (RFC 6455 §5.2), built by hand so that every bit
// of the header can be set wrong on purpose.
import { randomBytes } from "node:crypto";

export interface ClientFrameSpec {
  opcode: number;
  payload?: Buffer | string;
  fin?: boolean;
  /** RSV1..3 as the three bits 0b100, 0b010, 0b001. */
  rsv?: number;
  /** The masking key (random when not given); `null` sends the frame unmasked. */
  mask?: Buffer | null;
  /** Writes this length in the header instead of the payload's (for lengths no test can send). */
  declaredLength?: number;
}

/** XORs `data` with a 4-byte key, as RFC 6455 §5.3 describes; returns a new buffer. */
export function maskBytes(data: Buffer, key: Buffer): Buffer {
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ key[i % 4]!;
  return out;
}

export function clientFrame({ opcode, payload = Buffer.alloc(0), fin = true, rsv = 0, mask, declaredLength }: ClientFrameSpec): Buffer {
  const data = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
  const length = declaredLength ?? data.length;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([0, length]);
  } else if (length < 65536) {
    header = Buffer.alloc(4);
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  header[0] = (fin ? 0x80 : 0) | (rsv << 4) | opcode;
  if (mask === null) return Buffer.concat([header, data]);
  header[1] = header[1]! | 0x80;
  const key = mask ?? randomBytes(4);
  return Buffer.concat([header, key, maskBytes(data, key)]);
}
