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

/** Any binary value (not a Blob) as a plain array of its bytes. */
export function bytesOf(data: unknown): number[] {
  if (data instanceof ArrayBuffer) return Array.from(new Uint8Array(data));
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
