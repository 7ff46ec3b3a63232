// The decoders take bytes from the network: whatever arrives, they return clean packets or
// the error packet (last), and never throw. Payloads split at every index, random garbage
// from a seeded PRNG (the same inputs on every run), and byte-level corruption.
import { describe, expect, it } from "@jest/globals";
import {
  decodePacket,
  decodePacketV3,
  decodePayload,
  decodePayloadV3,
  encodePayload,
  encodePayloadV3,
  type BinaryType,
  type Packet,
} from "../../src";
import { createPrng, expectCleanOrErrorLast, randomBytes, randomInt, randomText } from "../helpers/wire";

const BINARY_TYPES: BinaryType[] = ["nodebuffer", "arraybuffer", "blob"];

const packets: Packet[] = [
  { type: "open", data: '{"sid":"s1","upgrades":["websocket"],"pingInterval":25000}' },
  { type: "message", data: "héllo 😀" },
  { type: "message", data: Buffer.from([0, 1, 2, 250, 255]) },
  { type: "ping" },
  { type: "message", data: "" },
  { type: "message", data: Buffer.alloc(0) },
  { type: "noop" },
];

function splits<T extends string | Uint8Array>(whole: T): Array<[T, T]> {
  const result: Array<[T, T]> = [];
  for (let i = 0; i <= whole.length; i++) result.push([whole.slice(0, i) as T, whole.slice(i) as T]);
  return result;
}

describe("payloads split at every index", () => {
  it("v4: each part decodes to clean packets or ends with the error packet", () => {
    const payload = encodePayload(packets);
    for (const binaryType of BINARY_TYPES) {
      for (const [head, tail] of splits(payload)) {
        expectCleanOrErrorLast(decodePayload(head, binaryType));
        expectCleanOrErrorLast(decodePayload(tail, binaryType));
        expectCleanOrErrorLast([decodePacket(head, binaryType)]);
      }
    }
  });

  it("v4: has no lengths, so a cut packet reads as a shorter one (polling bodies arrive whole)", () => {
    const payload = encodePayload([{ type: "message", data: "abcdef" }, { type: "ping" }]);
    expect(payload).toBe("4abcdef\x1e2");
    expect(decodePayload(payload.slice(0, 1))).toEqual([{ type: "message" }]);
    expect(decodePayload(payload.slice(0, 4))).toEqual([{ type: "message", data: "abc" }]);
    expect(decodePayload(payload.slice(0, 7))).toEqual([{ type: "message", data: "abcdef" }]);
    expect(decodePayload(payload.slice(0, 8)).at(-1)?.type).toBe("error");
    expect(decodePayload(payload.slice(8))).toEqual([{ type: "ping" }]);
  });

  it("v3 text: each part decodes to clean packets or ends with the error packet", () => {
    const payload = encodePayloadV3(packets, false) as string;
    for (const binaryType of BINARY_TYPES) {
      for (const [head, tail] of splits(payload)) {
        expectCleanOrErrorLast(decodePayloadV3(head, binaryType));
        expectCleanOrErrorLast(decodePayloadV3(tail, binaryType));
      }
    }
  });

  it("v3 text: a cut inside a packet is an error, never a shortened packet", () => {
    const payload = encodePayloadV3([{ type: "message", data: "abcdef" }], false) as string; // "7:4abcdef"
    for (const [head] of splits(payload).slice(1, -1)) {
      expect(decodePayloadV3(head).at(-1)?.type).toBe("error");
    }
  });

  it("v3 binary: each part decodes to clean packets or ends with the error packet", () => {
    const payload = encodePayloadV3(packets, true) as Uint8Array;
    expect(typeof payload).not.toBe("string");
    for (const binaryType of BINARY_TYPES) {
      for (const [head, tail] of splits(payload)) {
        expectCleanOrErrorLast(decodePayloadV3(head, binaryType));
        expectCleanOrErrorLast(decodePayloadV3(tail, binaryType));
        expectCleanOrErrorLast([decodePacketV3(head, binaryType)]);
        expectCleanOrErrorLast([decodePacketV3(tail, binaryType)]);
      }
    }
  });

  it("v3 binary: a cut inside a packet is an error, never a shortened packet", () => {
    const payload = encodePayloadV3([{ type: "message", data: Buffer.from("abcdef") }], true) as Uint8Array;
    for (const [head] of splits(payload).slice(1, -1)) {
      expect(decodePayloadV3(head).at(-1)?.type).toBe("error");
    }
  });
});

describe("random garbage (seeded) never throws", () => {
  it("text: 5000 random strings through every text decoder", () => {
    const random = createPrng(0xbadf00d);
    for (let i = 0; i < 5000; i++) {
      const text = randomText(random, 40);
      const binaryType = BINARY_TYPES[i % 3]!;
      expectCleanOrErrorLast([decodePacket(text, binaryType)]);
      expectCleanOrErrorLast(decodePayload(text, binaryType));
      expectCleanOrErrorLast([decodePacketV3(text, binaryType)]);
      expectCleanOrErrorLast(decodePayloadV3(text, binaryType));
    }
  });

  it("text: 3000 plausible payloads (valid prefixes, random tails)", () => {
    const random = createPrng(0x7e57);
    const v4 = encodePayload(packets);
    const v3 = encodePayloadV3(packets, false) as string;
    for (let i = 0; i < 3000; i++) {
      const base = i % 2 === 0 ? v4 : v3;
      const cut = randomInt(random, base.length);
      const text = base.slice(0, cut) + randomText(random, 12) + base.slice(cut + randomInt(random, 4));
      expectCleanOrErrorLast(decodePayload(text));
      expectCleanOrErrorLast(decodePayloadV3(text));
    }
  });

  it("binary: 5000 random byte strings through every binary decoder", () => {
    const random = createPrng(0x0b1a5);
    for (let i = 0; i < 5000; i++) {
      const bytes = randomBytes(random, randomInt(random, 48));
      // Bias towards the v3 payload grammar so that deeper states are reached.
      if (bytes.length > 2 && random() < 0.5) {
        bytes[0] = randomInt(random, 2);
        bytes[1] = randomInt(random, 10);
        bytes[2] = random() < 0.7 ? 255 : randomInt(random, 10);
      }
      const binaryType = BINARY_TYPES[i % 3]!;
      expectCleanOrErrorLast([decodePacket(bytes, binaryType)]);
      expectCleanOrErrorLast([decodePacketV3(bytes, binaryType)]);
      expectCleanOrErrorLast(decodePayloadV3(bytes, binaryType));
      expectCleanOrErrorLast(decodePayloadV3(bytes.buffer as ArrayBuffer, binaryType));
    }
  });

  it("binary: 2000 corrupted v3 binary payloads (one byte changed)", () => {
    const random = createPrng(0xc0de);
    const payload = encodePayloadV3(packets, true) as Uint8Array;
    for (let i = 0; i < 2000; i++) {
      const corrupted = Uint8Array.from(payload);
      corrupted[randomInt(random, corrupted.length)] = randomInt(random, 256);
      expectCleanOrErrorLast(decodePayloadV3(corrupted));
    }
  });
});
