// Engine.IO v4 packets: every type, every binary input kind and binary type, empty data,
// unicode, invalid input, and the encoder's errors.
import { describe, expect, it } from "@jest/globals";
import {
  decodePacket,
  encodePacket,
  encodePacketAsync,
  ERROR_PACKET,
  PACKET_TYPES,
  protocol,
  SEPARATOR,
  type BinaryType,
  type Packet,
  type WirePacketType,
} from "../../src";
import { binaryInputs, bytesOf, isAnyArrayBuffer, normalise, PARSER_ERROR } from "../helpers/wire";

const TYPES = Object.keys(PACKET_TYPES) as WirePacketType[];

describe("constants", () => {
  it("speaks protocol 4 with the seven packet types of the spec", () => {
    expect(protocol).toBe(4);
    expect(PACKET_TYPES).toEqual({ open: "0", close: "1", ping: "2", pong: "3", message: "4", upgrade: "5", noop: "6" });
    expect(SEPARATOR).toBe("\x1e");
    expect(ERROR_PACKET).toEqual(PARSER_ERROR);
  });

  it("cannot be changed by a careless caller", () => {
    expect(Object.isFrozen(PACKET_TYPES)).toBe(true);
    expect(Object.isFrozen(ERROR_PACKET)).toBe(true);
  });
});

describe("text packets", () => {
  it.each(TYPES)("encodes and decodes %s with and without data", (type) => {
    const digit = PACKET_TYPES[type];
    for (const supportsBinary of [true, false]) {
      expect(encodePacket({ type }, supportsBinary)).toBe(digit);
      expect(encodePacket({ type, data: "probe" }, supportsBinary)).toBe(`${digit}probe`);
    }
    expect(decodePacket(digit)).toEqual({ type });
    expect(decodePacket(`${digit}probe`)).toEqual({ type, data: "probe" });
  });

  it("writes empty text data as the bare type digit, which decodes without data", () => {
    expect(encodePacket({ type: "message", data: "" }, true)).toBe("4");
    const decoded = decodePacket("4");
    expect(decoded).toEqual({ type: "message" });
    expect("data" in decoded).toBe(false);
  });

  it.each([
    ["two-byte characters", "héllo wörld ñ"],
    ["three-byte characters", "日本語 € ✓"],
    ["surrogate pairs", "😀 👍🏽 𝄞"],
    ["a lone surrogate", "\ud800x\udfff"],
    ["control characters and NUL", "\u0000\u0001\n\r\t"],
    ["a byte-order mark", "\ufeffbom"],
    ["JSON", '2["event",{"a":[1,2],"b":"\\u001e"}]'],
  ])("keeps %s intact", (_name, data) => {
    const encoded = encodePacket({ type: "message", data }, false);
    expect(encoded).toBe(`4${data}`);
    expect(decodePacket(encoded)).toEqual({ type: "message", data });
  });

  it("leaves options out of the wire format", () => {
    const packet: Packet = { type: "message", data: "x", options: { compress: true } };
    expect(encodePacket(packet, true)).toBe("4x");
  });

  it("writes untyped non-string data as text, as upstream does", () => {
    expect(encodePacket({ type: "message", data: 42 as unknown as string }, true)).toBe("442");
    expect(encodePacket({ type: "message", data: 42 as unknown as string }, false)).toBe("442");
  });
});

describe("binary packets", () => {
  const bytes = [0, 1, 2, 127, 128, 254, 255, 42];

  it.each(binaryInputs(bytes))("sends a %s as is over a binary transport", (_kind, data) => {
    expect(encodePacket({ type: "message", data }, true)).toBe(data);
  });

  it.each(binaryInputs(bytes))("base64-encodes a %s for text transports", (kind, data) => {
    const expected = "b" + Buffer.from(bytesOf(data)).toString("base64");
    expect(encodePacket({ type: "message", data }, false)).toBe(expected);
    if (kind === "Buffer") expect(expected).toBe("bAAECf4D+/yo=");
  });

  it("encodes empty binary data as a bare b, which decodes to zero bytes", () => {
    expect(encodePacket({ type: "message", data: new ArrayBuffer(0) }, false)).toBe("b");
    expect(normalise(decodePacket("b"))).toEqual({ type: "message", data: { bytes: [] } });
    const frame = decodePacket(new Uint8Array(0));
    expect(normalise(frame)).toEqual({ type: "message", data: { bytes: [] } });
  });

  it("accepts base64 with or without padding, and the url-safe alphabet", () => {
    for (const text of ["bAQID", "bAQI=", "bAQI", "bAA==", "bAA", "b-_8="]) {
      expect(decodePacket(text).type).toBe("message");
    }
    expect(bytesOf(decodePacket("b-_8=").data)).toEqual([0xfb, 0xff]);
    expect(bytesOf(decodePacket("bAQI").data)).toEqual([1, 2]);
  });

  const binaryTypeChecks: Array<[BinaryType, (data: unknown) => boolean]> = [
    ["nodebuffer", (data) => Buffer.isBuffer(data)],
    ["arraybuffer", (data) => isAnyArrayBuffer(data)],
    ["blob", (data) => data instanceof Blob],
  ];

  it.each(binaryTypeChecks)("hands binary frames and base64 back as %s", async (binaryType, isExpectedKind) => {
    const inputs = [...binaryInputs(bytes).map(([, data]) => data), "b" + Buffer.from(bytes).toString("base64")];
    for (const input of inputs) {
      const packet = decodePacket(input, binaryType);
      expect(packet.type).toBe("message");
      expect(isExpectedKind(packet.data)).toBe(true);
      const expected = typeof input === "string" ? bytes : bytesOf(input);
      const actual =
        packet.data instanceof Blob ? Array.from(new Uint8Array(await packet.data.arrayBuffer())) : bytesOf(packet.data);
      expect(actual).toEqual(expected);
    }
  });

  it("gives an ArrayBuffer of exactly the view's bytes, not the whole underlying buffer", () => {
    const slab = Uint8Array.from([9, 9, 1, 2, 3, 9]);
    const data = decodePacket(slab.subarray(2, 5), "arraybuffer").data as ArrayBuffer;
    expect(data.byteLength).toBe(3);
    expect(bytesOf(data)).toEqual([1, 2, 3]);
  });

  it("hands a Buffer frame back without copying when asked for a nodebuffer", () => {
    const frame = Buffer.from([1, 2, 3]);
    expect(decodePacket(frame, "nodebuffer").data).toBe(frame);
    expect(decodePacket(frame).data).toBe(frame);
  });

  it("hands a received Blob back as is (it can only be read asynchronously)", () => {
    const blob = new Blob([Uint8Array.of(1)]);
    for (const binaryType of ["nodebuffer", "arraybuffer", "blob"] as const) {
      expect(decodePacket(blob, binaryType)).toEqual({ type: "message", data: blob });
    }
  });

  it("recognises an ArrayBuffer from another realm", async () => {
    const { runInNewContext } = await import("node:vm");
    const foreign = runInNewContext("new Uint8Array([5, 6, 7]).buffer") as ArrayBuffer;
    expect(foreign instanceof ArrayBuffer).toBe(false);
    expect(encodePacket({ type: "message", data: foreign }, false)).toBe("bBQYH");
    expect(bytesOf(decodePacket(foreign, "nodebuffer").data)).toEqual([5, 6, 7]);
    expect(bytesOf(decodePacket(foreign, "arraybuffer").data)).toEqual([5, 6, 7]);
  });
});

describe("Blobs", () => {
  it("are sent as is over binary transports", async () => {
    const blob = new Blob([Uint8Array.of(1, 2, 3)]);
    expect(encodePacket({ type: "message", data: blob }, true)).toBe(blob);
    expect(await encodePacketAsync({ type: "message", data: blob }, true)).toBe(blob);
  });

  it("need encodePacketAsync to be base64-encoded", async () => {
    const blob = new Blob([Uint8Array.of(1, 2, 3)]);
    expect(() => encodePacket({ type: "message", data: blob }, false)).toThrow(TypeError);
    expect(await encodePacketAsync({ type: "message", data: blob }, false)).toBe("bAQID");
  });

  it("encodePacketAsync agrees with encodePacket on everything else", async () => {
    const packets: Packet[] = [
      { type: "ping" },
      { type: "message", data: "héllo" },
      { type: "message", data: Buffer.from([1, 2, 3]) },
    ];
    for (const packet of packets) {
      for (const supportsBinary of [true, false]) {
        expect(await encodePacketAsync(packet, supportsBinary)).toEqual(encodePacket(packet, supportsBinary));
      }
    }
  });
});

describe("invalid input decodes to the error packet", () => {
  it.each([
    ["empty string", ""],
    ["unknown type digit 7", "7"],
    ["unknown type digit 9", "9hello"],
    ["a letter", "x"],
    ["a character just below 0", "/"],
    ["a character just above 6", "7probe"],
    ["a multi-byte first character", "é4"],
    ["base64 with an invalid character", "bAQ$D"],
    ["base64 with a space", "bAQ ID"],
    ["base64 of impossible length", "bAQIDB"],
    ["base64 with padding inside", "bAQ=ID"],
    ["base64 with three padding characters", "bA==="],
    ["base64 with non-ASCII", "bAQIé"],
    ["base64 of a lone surrogate", "bAQI\ud800"],
    ["capital B", "BAQID"],
  ])("%s", (_name, input) => {
    expect(decodePacket(input)).toEqual(PARSER_ERROR);
  });

  it.each([
    ["a number", 42],
    ["null", null],
    ["undefined", undefined],
    ["a plain object", { type: "message" }],
    ["an array", [4]],
  ])("%s instead of a packet", (_name, input) => {
    expect(decodePacket(input as unknown as string)).toEqual(PARSER_ERROR);
  });

  it("returns a fresh error packet each time, never the shared constant", () => {
    const first = decodePacket("9");
    expect(first).not.toBe(ERROR_PACKET);
    (first as { data: string }).data = "mutated";
    expect(decodePacket("9")).toEqual(PARSER_ERROR);
  });
});

describe("encoder errors", () => {
  it("refuses the error packet and unknown types with a TypeError", () => {
    expect(() => encodePacket({ type: "error", data: "parser error" }, true)).toThrow(TypeError);
    expect(() => encodePacket({ type: "toString" as WirePacketType }, true)).toThrow(TypeError);
    expect(() => encodePacket({ type: "__proto__" as WirePacketType, data: "x" }, false)).toThrow(TypeError);
  });
});
