// Helpers shared by the unit tests: a seeded PRNG, byte views and a packet normaliser that
// makes packets from both libraries comparable with toEqual.
import type { Packet } from "../../src";

/** mulberry32: small, fast, seeded; the same seed gives the same inputs on every run. */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(random: () => number, maxExclusive: number): number {
  return Math.floor(random() * maxExclusive);
}

export function randomBytes(random: () => number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = randomInt(random, 256);
  return bytes;
}

/**
 * Whether a value is an ArrayBuffer of any realm: jest runs tests in a vm context, where
 * buffers that Node.js makes (a Buffer's own) fail `instanceof ArrayBuffer`.
 */
export function isAnyArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === "[object ArrayBuffer]";
}

/** Any binary value (not a Blob) as a plain array of its bytes. */
export function bytesOf(data: unknown): number[] {
  if (isAnyArrayBuffer(data)) return Array.from(new Uint8Array(data));
  if (ArrayBuffer.isView(data)) return Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  throw new TypeError(`not binary: ${Object.prototype.toString.call(data)}`);
}

export type NormalPacket = { type: string; data?: string | { bytes: number[] } };

/** A packet with its binary data turned into a byte list (so Buffer vs ArrayBuffer compare). */
export function normalise(packet: { type: string; data?: unknown }): NormalPacket {
  if (packet.data === undefined) return { type: packet.type };
  if (typeof packet.data === "string") return { type: packet.type, data: packet.data };
  return { type: packet.type, data: { bytes: bytesOf(packet.data) } };
}

export const PARSER_ERROR: Packet = { type: "error", data: "parser error" };

/** Binary data in every shape an application may hand to the encoder (no Blob). */
export function binaryInputs(bytes: readonly number[]): Array<[string, ArrayBuffer | ArrayBufferView]> {
  const padded = new Uint8Array(bytes.length + 8);
  padded.set(bytes, 3);
  const evenLength = bytes.length - (bytes.length % 2);
  const shared = new Uint8Array(bytes.length + 4);
  shared.set(bytes, 2);
  return [
    ["Buffer", Buffer.from(bytes)],
    ["Buffer view (offset into a pooled slab)", Buffer.from(shared).subarray(2, 2 + bytes.length)],
    ["ArrayBuffer", Uint8Array.from(bytes).buffer],
    ["Uint8Array", Uint8Array.from(bytes)],
    ["Uint8Array view with offset", padded.subarray(3, 3 + bytes.length)],
    ["Int8Array", Int8Array.from(bytes.map((b) => (b << 24) >> 24))],
    ["Uint16Array view", new Uint16Array(Uint8Array.from(bytes.slice(0, evenLength)).buffer)],
    ["DataView with offset", new DataView(padded.buffer, 3, bytes.length)],
  ];
}

const WIRE_TYPES = new Set(["open", "close", "ping", "pong", "message", "upgrade", "noop"]);

/**
 * A packet is clean when it has a wire type and string, binary or no data; the error
 * packet is the only other thing a decoder may return, and only as the last packet.
 */
export function expectCleanOrErrorLast(packets: readonly Packet[]): void {
  packets.forEach((packet, index) => {
    if (packet.type === "error") {
      if (index !== packets.length - 1 || packet.data !== "parser error" || Object.keys(packet).length !== 2) {
        throw new Error(`misplaced or malformed error packet at ${index}: ${JSON.stringify(packet)}`);
      }
      return;
    }
    const { data } = packet;
    const isCleanData =
      data === undefined ||
      typeof data === "string" ||
      isAnyArrayBuffer(data) ||
      ArrayBuffer.isView(data) ||
      data instanceof Blob;
    if (!WIRE_TYPES.has(packet.type) || !isCleanData) {
      throw new Error(`unclean packet at ${index}: ${Object.prototype.toString.call(data)} ${packet.type}`);
    }
  });
}

/** A random string mixing the characters parsers care about with arbitrary UTF-16 units. */
export function randomText(random: () => number, maxLength: number): string {
  const interesting = "0123456789b:\x1e=+/-_AZaz\u00e9\u4e2d\ud83d\ude00\ud800\udfff\u0000\uffff ";
  let text = "";
  const length = randomInt(random, maxLength + 1);
  for (let i = 0; i < length; i++) {
    text +=
      random() < 0.7
        ? interesting[randomInt(random, interesting.length)]!
        : String.fromCharCode(randomInt(random, 0x10000));
  }
  return text;
}
