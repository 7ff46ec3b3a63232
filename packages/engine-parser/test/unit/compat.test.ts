// Packet-by-packet cross-check with the published engine.io-parser (v5, Engine.IO v4),
// which Socket.IO 3/4 peers use: same encoding for the same input, and each side decodes
// the other's output to the same packets.
import { describe, expect, it } from "@jest/globals";
import * as upstream from "engine.io-parser";
import {
  decodePacket,
  decodePayload,
  encodePacket,
  encodePayload,
  protocol,
  type BinaryType,
  type Packet,
  type RawData,
  type WirePacketType,
} from "../../src";
import {
  binaryInputs,
  bytesOf,
  createPrng,
  isAnyArrayBuffer,
  normalise,
  PARSER_ERROR,
  randomBytes,
  randomInt,
} from "../helpers/wire";

const TYPES: WirePacketType[] = ["open", "close", "ping", "pong", "message", "upgrade", "noop"];
const TEXTS = ["", "hello", "probe", "héllo", "日本語", "😀👍🏽", "\ud800", "\x00\n", '{"sid":"a","upgrades":[]}', "x".repeat(5000)];
// Upstream hands binary back as a Buffer or an ArrayBuffer in Node.js ("blob" is ours only).
const BINARY_TYPES: BinaryType[] = ["nodebuffer", "arraybuffer"];

function theirEncodePacket(packet: Packet, supportsBinary: boolean): RawData {
  let result: RawData | undefined;
  upstream.encodePacket(packet as upstream.Packet, supportsBinary, (encoded) => (result = encoded as RawData));
  return result!;
}

function theirEncodePayload(packets: Packet[]): string {
  let result: string | undefined;
  upstream.encodePayload(packets as upstream.Packet[], (encoded) => (result = encoded));
  return result!;
}

/** Same packets, and binary data of the same kind (Buffer or ArrayBuffer). */
function expectSameDecoding(ours: Packet[], theirs: upstream.Packet[]): void {
  expect(ours.map(normalise)).toEqual(theirs.map(normalise));
  ours.forEach((packet, i) => {
    const their = theirs[i]!.data;
    if (packet.data !== undefined && typeof packet.data !== "string") {
      expect(Buffer.isBuffer(packet.data)).toBe(Buffer.isBuffer(their));
      expect(isAnyArrayBuffer(packet.data)).toBe(isAnyArrayBuffer(their));
    }
  });
}

describe("cross-check with engine.io-parser v5", () => {
  it("speaks the same protocol revision", () => {
    expect(protocol).toBe(upstream.protocol);
  });

  const textPackets: Packet[] = TYPES.flatMap((type) => TEXTS.map((data) => ({ type, data })));
  it.each(textPackets.map((packet) => [`${packet.type} ${JSON.stringify(packet.data).slice(0, 20)}`, packet] as const))(
    "text packet %s",
    (_name, packet) => {
      for (const supportsBinary of [true, false]) {
        const ours = encodePacket(packet, supportsBinary);
        expect(ours).toBe(theirEncodePacket(packet, supportsBinary));
        expect(decodePacket(ours)).toEqual(upstream.decodePacket(ours as string));
      }
      const bare: Packet = { type: packet.type };
      expect(encodePacket(bare, true)).toBe(theirEncodePacket(bare, true));
    },
  );

  const sizes = [0, 1, 2, 3, 4, 255, 1024, 4099];
  const binaryPackets = sizes.flatMap((size) =>
    binaryInputs(Array.from({ length: size }, (_, i) => (i * 13 + size) & 255)).map(
      ([kind, data]) => [`${kind}, ${size} bytes`, { type: "message", data } as Packet] as const,
    ),
  );
  it.each(binaryPackets)("binary packet: %s", (_name, packet) => {
    // Over a binary transport both hand the data over untouched.
    expect(encodePacket(packet, true)).toBe(theirEncodePacket(packet, true));
    // Upstream stringifies typed arrays whose buffer belongs to another realm (the jest
    // sandbox), so its base64 is taken from a Buffer of the same bytes.
    const sameBytes: Packet = { type: "message", data: Buffer.from(bytesOf(packet.data)) };
    const ours = encodePacket(packet, false) as string;
    expect(ours).toBe(theirEncodePacket(sameBytes, false));
    for (const binaryType of BINARY_TYPES) {
      expectSameDecoding([decodePacket(ours, binaryType)], [upstream.decodePacket(ours, binaryType)]);
      // Binary frames, in the shapes a WebSocket hands them over.
      for (const frame of [Buffer.from(bytesOf(packet.data)), Uint8Array.from(bytesOf(packet.data)).buffer]) {
        expectSameDecoding([decodePacket(frame, binaryType)], [upstream.decodePacket(frame, binaryType)]);
      }
    }
  });

  it("gives exactly a view's bytes as an ArrayBuffer, where upstream gives the whole buffer", () => {
    const view = Uint8Array.from([9, 1, 2, 9]).subarray(1, 3);
    expect(bytesOf(decodePacket(view, "arraybuffer").data)).toEqual([1, 2]);
    expect(bytesOf(upstream.decodePacket(view, "arraybuffer").data)).toEqual([9, 1, 2, 9]);
  });

  it.each(["", "7", "9x", "x", "/", "é"])("both reject the invalid packet %j", (input) => {
    expect(decodePacket(input)).toEqual(PARSER_ERROR);
    expect(upstream.decodePacket(input)).toEqual(PARSER_ERROR);
  });

  it("is stricter than upstream on broken base64, which upstream decodes to garbage", () => {
    expect(upstream.decodePacket("bA$B").type).toBe("message");
    expect(decodePacket("bA$B")).toEqual(PARSER_ERROR);
  });

  const payloads: Array<[string, Packet[]]> = [
    ["one packet", [{ type: "message", data: "hello" }]],
    ["every type", TYPES.map((type) => ({ type }))],
    ["unicode", TEXTS.map((data) => ({ type: "message", data }))],
    [
      "mixed text and binary",
      [
        { type: "open", data: '{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000}' },
        { type: "message", data: Buffer.from("bin") },
        { type: "message", data: '2["event","😀"]' },
        { type: "message", data: Uint8Array.of(0, 255).buffer },
        { type: "message", data: Buffer.alloc(0) },
        { type: "noop" },
      ],
    ],
  ];
  it.each(payloads)("payload: %s", (_name, packets) => {
    const ours = encodePayload(packets);
    expect(ours).toBe(theirEncodePayload(packets));
    for (const binaryType of BINARY_TYPES) {
      expectSameDecoding(decodePayload(ours, binaryType), upstream.decodePayload(ours, binaryType));
    }
  });

  it("agrees on 1000 random payloads (seeded)", () => {
    const random = createPrng(0xc0ffee);
    for (let round = 0; round < 1000; round++) {
      const packets: Packet[] = [];
      const count = 1 + randomInt(random, 8);
      for (let i = 0; i < count; i++) {
        if (random() < 0.3) {
          packets.push({ type: "message", data: Buffer.from(randomBytes(random, randomInt(random, 64))) });
        } else {
          const type = TYPES[randomInt(random, TYPES.length)]!;
          let text = "";
          for (let c = randomInt(random, 24); c > 0; c--) text += String.fromCodePoint(randomCodePoint(random));
          packets.push(text === "" && random() < 0.5 ? { type } : { type, data: text });
        }
      }
      const ours = encodePayload(packets);
      expect(ours).toBe(theirEncodePayload(packets));
      const binaryType = BINARY_TYPES[round % 2]!;
      expectSameDecoding(decodePayload(ours, binaryType), upstream.decodePayload(ours, binaryType));
    }
  });
});

/** ASCII, Latin-1, CJK or astral code points; never the record separator. */
function randomCodePoint(random: () => number): number {
  const pick = random();
  if (pick < 0.4) return 0x20 + randomInt(random, 0x5f);
  if (pick < 0.6) return 0xa0 + randomInt(random, 0x60);
  if (pick < 0.8) return 0x4e00 + randomInt(random, 0x5000);
  return 0x1f300 + randomInt(random, 0x300);
}
