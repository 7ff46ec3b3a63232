// Code written for the published engine.io-parser 5.2 runs unchanged against Volley's: the
// callback forms of encodePacket and encodePayload, and decodePacket/decodePayload, called
// the same way on both modules, give the same results, at the same time (synchronously).
import { describe, expect, it } from "@jest/globals";
import * as upstream from "engine.io-parser";
import * as volley from "../../src";
import type { BinaryType, Packet, WirePacketType } from "../../src";
import { createPrng, isAnyArrayBuffer, normalise, PARSER_ERROR, randomBytes, randomInt } from "../helpers/wire";

/** The published API, as code written for it calls it (callback forms only). */
interface PublishedApi {
  encodePacket(packet: Packet, supportsBinary: boolean, callback: (encoded: unknown) => void): void;
  encodePayload(packets: Packet[], callback: (payload: string) => void): void;
  decodePacket(data: string | ArrayBuffer | Uint8Array, binaryType?: BinaryType): Packet;
  decodePayload(payload: string, binaryType?: BinaryType): Packet[];
}
// Both modules must fit it: for Volley's, that is checked by the compiler (pnpm typecheck).
const THEIRS: PublishedApi = upstream;
const OURS: PublishedApi = volley;

const TYPES: WirePacketType[] = ["open", "close", "ping", "pong", "message", "upgrade", "noop"];
const TEXTS = ["", "hello", "probe", "héllo", "😀👍🏽", "\ud800", '{"sid":"a","upgrades":[]}', "x".repeat(3000)];
const BINARY_TYPES: BinaryType[] = ["nodebuffer", "arraybuffer"];

/** What the callback got, and whether it got it before the call returned. */
function encodePacketWith(api: PublishedApi, packet: Packet, supportsBinary: boolean): { value: unknown; sync: boolean } {
  const calls: unknown[] = [];
  api.encodePacket(packet, supportsBinary, (encoded) => calls.push(encoded));
  expect(calls.length).toBeLessThanOrEqual(1);
  return { value: calls[0], sync: calls.length === 1 };
}

function encodePayloadWith(api: PublishedApi, packets: Packet[]): { value: string | undefined; sync: boolean } {
  const calls: string[] = [];
  api.encodePayload(packets, (payload) => calls.push(payload));
  expect(calls.length).toBeLessThanOrEqual(1);
  return { value: calls[0], sync: calls.length === 1 };
}

/** Packets with binary data compared by bytes and kind (Buffer or ArrayBuffer). */
function comparable(packets: readonly Packet[]): unknown[] {
  return packets.map((packet) => ({
    ...normalise(packet),
    buffer: Buffer.isBuffer(packet.data),
    arrayBuffer: isAnyArrayBuffer(packet.data),
  }));
}

/** Binary data in the shapes an application hands over, all of this realm (see compat.test.ts). */
function binaryShapes(length: number): Array<[string, ArrayBuffer | ArrayBufferView]> {
  const bytes = Uint8Array.from({ length }, (_, i) => (i * 13 + length) & 255);
  const padded = new Uint8Array(length + 6);
  padded.set(bytes, 3);
  return [
    ["Buffer", Buffer.from(bytes)],
    ["Buffer slice", Buffer.concat([Buffer.alloc(2), Buffer.from(bytes)]).subarray(2)],
    ["ArrayBuffer", bytes.slice().buffer],
    ["Uint8Array", bytes.slice()],
    ["Uint8Array view", padded.subarray(3, 3 + length)],
    ["DataView", new DataView(padded.buffer, 3, length)],
  ];
}

describe("encodePacket(packet, supportsBinary, callback), against engine.io-parser", () => {
  const textCases = TYPES.flatMap((type) => [
    [`${type} without data`, { type }] as const,
    ...TEXTS.map((data) => [`${type} ${JSON.stringify(data).slice(0, 12)}`, { type, data }] as const),
  ]);
  it.each(textCases)("%s", (_name, packet) => {
    for (const supportsBinary of [true, false]) {
      const ours = encodePacketWith(OURS, packet, supportsBinary);
      expect(ours).toEqual(encodePacketWith(THEIRS, packet, supportsBinary));
      expect(ours.sync).toBe(true);
    }
  });

  it.each([0, 1, 2, 3, 1000])("binary data of %i bytes, in every shape", (length) => {
    for (const [, data] of binaryShapes(length)) {
      const packet: Packet = { type: "message", data };
      // A binary transport gets the data itself, untouched; a text one gets b + base64.
      const ours = encodePacketWith(OURS, packet, true);
      expect(ours).toEqual({ value: data, sync: true });
      expect(ours.value).toBe(encodePacketWith(THEIRS, packet, true).value);
      expect(encodePacketWith(OURS, packet, false)).toEqual(encodePacketWith(THEIRS, packet, false));
    }
  });

  it("writes non-string data from untyped callers as text, as upstream does", () => {
    for (const data of [42, 0, null, true, { a: 1 }]) {
      const packet = { type: "message", data } as unknown as Packet;
      expect(encodePacketWith(OURS, packet, false)).toEqual(encodePacketWith(THEIRS, packet, false));
    }
  });

  it("hands over a Blob as is on a binary transport, and its base64 once read on a text one", async () => {
    const blob = new Blob([Uint8Array.of(1, 2, 3)]);
    expect(encodePacketWith(OURS, { type: "message", data: blob }, true)).toEqual({ value: blob, sync: true });
    // Upstream's Node build writes "4[object Blob]"; its browser build reads the Blob, as here.
    const encoded = await new Promise((resolve) => volley.encodePacket({ type: "message", data: blob }, false, resolve));
    expect(encoded).toBe(encodePacketWith(THEIRS, { type: "message", data: Buffer.from([1, 2, 3]) }, false).value);
  });

  it("throws for a packet type that does not travel (upstream writes \"undefined\")", () => {
    expect(encodePacketWith(THEIRS, { type: "error", data: "x" }, true).value).toBe("undefinedx");
    expect(() => OURS.encodePacket({ type: "error", data: "x" }, true, () => undefined)).toThrow(TypeError);
  });
});

describe("encodePayload(packets, callback), against engine.io-parser", () => {
  const payloads: Array<[string, Packet[]]> = [
    ["one packet", [{ type: "message", data: "hello" }]],
    ["every type", TYPES.map((type) => ({ type }))],
    ["unicode", TEXTS.map((data) => ({ type: "message", data }))],
    ["binary of every shape", binaryShapes(5).map(([, data]) => ({ type: "message", data }))],
    [
      "a handshake and mixed packets",
      [
        { type: "open", data: '{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000}' },
        { type: "message", data: Buffer.from("bin") },
        { type: "message", data: '2["event","😀"]' },
        { type: "message", data: Buffer.alloc(0) },
        { type: "noop" },
      ],
    ],
  ];
  it.each(payloads)("%s", (_name, packets) => {
    const ours = encodePayloadWith(OURS, packets);
    expect(ours).toEqual(encodePayloadWith(THEIRS, packets));
    expect(ours.sync).toBe(true);
    for (const binaryType of BINARY_TYPES) {
      expect(comparable(OURS.decodePayload(ours.value!, binaryType))).toEqual(
        comparable(THEIRS.decodePayload(ours.value!, binaryType)),
      );
    }
  });

  it("agrees on 500 random payloads, and decodes them the same (seeded)", () => {
    const random = createPrng(0xbeef);
    for (let round = 0; round < 500; round++) {
      const packets: Packet[] = [];
      for (let count = 1 + randomInt(random, 6); count > 0; count--) {
        const type = TYPES[randomInt(random, TYPES.length)]!;
        const pick = random();
        if (pick < 0.3) packets.push({ type: "message", data: Buffer.from(randomBytes(random, randomInt(random, 40))) });
        else if (pick < 0.4) packets.push({ type });
        else packets.push({ type, data: String.fromCharCode(...Array.from({ length: randomInt(random, 20) }, () => 0x20 + randomInt(random, 0x2000))) });
      }
      const ours = encodePayloadWith(OURS, packets);
      expect(ours).toEqual(encodePayloadWith(THEIRS, packets));
      const binaryType = BINARY_TYPES[round % 2]!;
      expect(comparable(OURS.decodePayload(ours.value!, binaryType))).toEqual(
        comparable(THEIRS.decodePayload(ours.value!, binaryType)),
      );
    }
  });

  it("calls back with \"\" for no packets (upstream never calls back)", () => {
    expect(encodePayloadWith(THEIRS, [])).toEqual({ value: undefined, sync: false });
    expect(encodePayloadWith(OURS, [])).toEqual({ value: "", sync: true });
  });

  it("reads Blobs first, keeping the packets in order", async () => {
    const packets: Packet[] = [
      { type: "message", data: "a" },
      { type: "message", data: new Blob([Uint8Array.of(1, 2, 3)]) },
      { type: "ping" },
    ];
    const payload = await new Promise<string>((resolve) => volley.encodePayload(packets, resolve));
    expect(payload).toBe(encodePayloadWith(THEIRS, [packets[0]!, { type: "message", data: Buffer.from([1, 2, 3]) }, packets[2]!]).value);
  });

  it("throws for a packet type that does not travel, Blobs or not", () => {
    expect(() => OURS.encodePayload([{ type: "error" }], () => undefined)).toThrow(TypeError);
    expect(() => OURS.encodePayload([{ type: "message", data: new Blob([]) }, { type: "error" }], () => undefined)).toThrow(
      TypeError,
    );
  });
});

describe("decodePacket and decodePayload, called as for engine.io-parser", () => {
  it("decode what upstream's encoders write to the same packets", () => {
    const packets: Packet[] = [
      ...TYPES.flatMap((type) => TEXTS.map((data) => ({ type, data }))),
      // As a WebSocket hands frames over (upstream reads other views' whole buffer).
      ...binaryShapes(7)
        .filter(([shape]) => shape === "Buffer" || shape === "ArrayBuffer" || shape === "Uint8Array")
        .map(([, data]) => ({ type: "message", data }) as Packet),
    ];
    for (const packet of packets) {
      for (const supportsBinary of [true, false]) {
        const encoded = encodePacketWith(THEIRS, packet, supportsBinary).value as string | ArrayBuffer | Uint8Array;
        for (const binaryType of [...BINARY_TYPES, undefined]) {
          expect(comparable([OURS.decodePacket(encoded, binaryType)])).toEqual(
            comparable([THEIRS.decodePacket(encoded, binaryType)]),
          );
        }
      }
    }
  });

  it("give the error packet for the same bad input", () => {
    for (const input of ["", "7", "9x", "x", "é"]) {
      expect(OURS.decodePacket(input)).toEqual(PARSER_ERROR);
      expect(THEIRS.decodePacket(input)).toEqual(PARSER_ERROR);
      expect(OURS.decodePayload(`4a\x1e${input}\x1e4b`)).toEqual(THEIRS.decodePayload(`4a\x1e${input}\x1e4b`));
    }
  });
});
