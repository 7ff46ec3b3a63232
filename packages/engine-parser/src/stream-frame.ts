// The length-prefixed frames that carry Engine.IO packets over a byte stream (the
// WebTransport transport of Socket.IO 4.7+), shared by the encoder and decoder streams.
//
// A frame is a header, then the packet's bytes. The header's first byte holds a flag, set
// when the packet is binary (bit 7), and a length (bits 0-6): 0-125 is the length itself,
// 126 says a 16-bit length follows, 127 a 64-bit one (big-endian, as in RFC 6455). A text
// packet is its encoded form (`4hello`) as UTF-8; a binary packet is its data as is.

/** Bit 7 of the first header byte: the frame carries binary data. */
export const BINARY_FLAG = 0x80;
/** The 7-bit length that announces a 16-bit length. */
export const LENGTH_16 = 126;
/** The 7-bit length that announces a 64-bit length. */
export const LENGTH_64 = 127;
/** 2^32, to split a 64-bit length into two 32-bit halves. */
export const TWO_TO_32 = 0x1_0000_0000;
/** The largest high half of a 64-bit length that keeps it a safe integer (2^53 - 1). */
export const MAX_SAFE_HIGH_WORD = 0x1f_ffff;

/** The header of a frame of `length` bytes: 1, 3 or 9 bytes, the shortest that fits. */
export function frameHeader(length: number, binary: boolean): Uint8Array {
  let header: Uint8Array;
  if (length < LENGTH_16) {
    header = new Uint8Array(1);
    header[0] = length;
  } else if (length < 0x1_0000) {
    header = new Uint8Array(3);
    header[0] = LENGTH_16;
    header[1] = length >>> 8;
    header[2] = length & 0xff;
  } else {
    header = new Uint8Array(9);
    header[0] = LENGTH_64;
    // Two 32-bit halves: no BigInt needed for lengths up to 2^53 - 1.
    const view = new DataView(header.buffer);
    view.setUint32(1, Math.floor(length / TWO_TO_32));
    view.setUint32(5, length >>> 0);
  }
  if (binary) header[0] |= BINARY_FLAG;
  return header;
}
