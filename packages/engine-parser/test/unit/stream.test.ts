// The WebTransport framing streams against the published engine.io-parser 5.2: the same
// packets through both encoders give the same chunks, and the same chunks (whole, merged,
// split anywhere) through both decoders give the same packets, error packets included.
import { describe, expect, it } from "@jest/globals";
import * as upstream from "engine.io-parser";
import { createPacketDecoderStream, createPacketEncoderStream, type BinaryType, type Packet } from "../../src";
import { frameHeader } from "../../src/stream-frame";
import { concat, describeChunk, hexOf, runStream, splitAt, type AnyTransformStream } from "../helpers/streams";
import { createPrng, isAnyArrayBuffer, PARSER_ERROR, randomBytes, randomInt } from "../helpers/wire";

interface StreamApi {
  createPacketEncoderStream(): AnyTransformStream;
  createPacketDecoderStream(maxPayload: number, binaryType: BinaryType): AnyTransformStream;
}
// Both modules, used through the same calls.
const OURS: StreamApi = { createPacketEncoderStream, createPacketDecoderStream };
const THEIRS: StreamApi = upstream;

// Upstream hands binary back as a Buffer or an ArrayBuffer in Node.js ("blob" is ours only).
const BINARY_TYPES: BinaryType[] = ["nodebuffer", "arraybuffer"];
/** Frame lengths at every boundary of the three header sizes. */
const BOUNDARY_LENGTHS = [1, 2, 124, 125, 126, 127, 65534, 65535, 65536, 65537];
const MAX = 1e7;

async function encodeWith(api: StreamApi, packets: readonly Packet[]): Promise<Uint8Array[]> {
  return (await runStream(api.createPacketEncoderStream(), packets)) as Uint8Array[];
}

async function decodeWith(
  api: StreamApi,
  chunks: readonly Uint8Array[],
  maxPayload = MAX,
  binaryType: BinaryType = "nodebuffer",
): Promise<Packet[]> {
  return (await runStream(api.createPacketDecoderStream(maxPayload, binaryType), chunks)) as Packet[];
}

/** Same packets, with binary data of the same kind (Buffer or ArrayBuffer) and bytes (as hex). */
function comparable(packets: readonly Packet[]): unknown[] {
  return packets.map((packet) => ({
    type: packet.type,
    data: packet.data === undefined || typeof packet.data === "string" ? packet.data : hexOf(packet.data as ArrayBuffer),
    kind:
      packet.data === undefined || typeof packet.data === "string"
        ? typeof packet.data
        : Buffer.isBuffer(packet.data)
          ? "Buffer"
          : isAnyArrayBuffer(packet.data)
            ? "ArrayBuffer"
            : Object.prototype.toString.call(packet.data),
  }));
}

async function expectSameDecoding(chunks: readonly Uint8Array[], maxPayload = MAX): Promise<Packet[]> {
  let ours: Packet[] = [];
  for (const binaryType of BINARY_TYPES) {
    // Fresh copies for each side: neither may see the other's leftovers.
    const theirs = await decodeWith(THEIRS, chunks.map((chunk) => chunk.slice()), maxPayload, binaryType);
    ours = await decodeWith(OURS, chunks.map((chunk) => chunk.slice()), maxPayload, binaryType);
    expect(comparable(ours)).toEqual(comparable(theirs));
  }
  return ours;
}

const text = (length: number): string => "x".repeat(length);
const bytes = (length: number, seed = length): Uint8Array<ArrayBuffer> => Uint8Array.from({ length }, (_, i) => (i * 7 + seed) & 255);

/** Packets whose frames are `length` bytes long: text (one type digit + data) and binary. */
function packetsOfFrameLength(length: number): Packet[] {
  return [
    { type: "message", data: text(length - 1) },
    { type: "message", data: Buffer.from(bytes(length)) },
  ];
}

describe("createPacketEncoderStream, against engine.io-parser", () => {
  it.each(BOUNDARY_LENGTHS)("gives the same header and body chunks for %i-byte frames", async (length) => {
    const packets = packetsOfFrameLength(length);
    const ours = await encodeWith(OURS, packets);
    const theirs = await encodeWith(THEIRS, packets);
    expect(ours.map(describeChunk)).toEqual(theirs.map(describeChunk));
    expect(ours).toHaveLength(4);
    // 1, 3 or 9 header bytes, the binary flag on the second packet only.
    const headerLength = length < 126 ? 1 : length < 65536 ? 3 : 9;
    expect([ours[0]!.byteLength, ours[2]!.byteLength]).toEqual([headerLength, headerLength]);
    expect([ours[0]![0]! & 0x80, ours[2]![0]! & 0x80]).toEqual([0, 0x80]);
  });

  it("counts text lengths in UTF-8 bytes, as upstream does", async () => {
    const packets: Packet[] = [124, 125, 126, 65535, 65536].flatMap((bytesWanted) => [
      { type: "message", data: "é".repeat(Math.floor((bytesWanted - 1) / 2)) + "x".repeat((bytesWanted - 1) % 2) },
      { type: "message", data: "😀".repeat(Math.floor(bytesWanted / 4)) },
    ]);
    const ours = await encodeWith(OURS, packets);
    expect(ours.map(describeChunk)).toEqual((await encodeWith(THEIRS, packets)).map(describeChunk));
  });

  it("encodes every packet type, with and without data, like upstream", async () => {
    const packets: Packet[] = (["open", "close", "ping", "pong", "message", "upgrade", "noop"] as const).flatMap(
      (type) => [{ type }, { type, data: "" }, { type, data: "probe" }, { type, data: "日本語😀" }],
    );
    const ours = await encodeWith(OURS, packets);
    expect(ours.map(describeChunk)).toEqual((await encodeWith(THEIRS, packets)).map(describeChunk));
  });

  it("sends binary data of every shape as its bytes, uncopied", async () => {
    const source = bytes(300);
    const padded = new Uint8Array(310);
    padded.set(source, 5);
    const packets: Packet[] = [
      { type: "message", data: Buffer.from(source) },
      { type: "message", data: Uint8Array.from(source) },
      { type: "message", data: padded.subarray(5, 305) },
      { type: "message", data: Uint8Array.from(source).buffer },
      { type: "message", data: new Uint16Array(Uint8Array.from(source).buffer) },
      { type: "message", data: new DataView(padded.buffer, 5, 300) },
      { type: "message", data: new Uint8Array(0) },
    ];
    const ours = await encodeWith(OURS, packets);
    expect(ours.map(describeChunk)).toEqual((await encodeWith(THEIRS, packets)).map(describeChunk));
    expect(ours[1]).toBe(packets[0]!.data); // a Buffer goes out as is
    expect(ours[5]!.buffer).toBe(padded.buffer); // a view is not copied
  });

  it("writes non-string data from untyped callers as text with the binary flag, as upstream does", async () => {
    const packets = [42, true, { a: 1 }].map((data) => ({ type: "message", data }) as unknown as Packet);
    const ours = await encodeWith(OURS, packets);
    expect(ours.map(describeChunk)).toEqual((await encodeWith(THEIRS, packets)).map(describeChunk));
    expect(Array.from(ours[1]!)).toEqual([...Buffer.from("442")]);
  });

  it("writes 64-bit lengths in two 32-bit halves, up to Number.MAX_SAFE_INTEGER", () => {
    // Frames this long cannot be allocated in a test: the header alone, against a BigInt reference.
    for (const length of [65536, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER]) {
      const reference = new Uint8Array(9);
      reference[0] = 127;
      new DataView(reference.buffer).setBigUint64(1, BigInt(length));
      expect(Array.from(frameHeader(length, false))).toEqual(Array.from(reference));
      expect(frameHeader(length, true)[0]).toBe(0xff);
    }
  });

  it("reads a Blob first and keeps the packets in order (upstream's Node build sends \"[object Blob]\")", async () => {
    const packets: Packet[] = [
      { type: "message", data: new Blob([bytes(200)]) },
      { type: "message", data: "after" },
    ];
    const ours = await encodeWith(OURS, packets);
    const expected = await encodeWith(THEIRS, [{ type: "message", data: Buffer.from(bytes(200)) }, packets[1]!]);
    expect(ours.map(hexOf)).toEqual(expected.map(hexOf));
  });

  it("errors the stream for a packet type that does not travel", async () => {
    await expect(encodeWith(OURS, [{ type: "error", data: "x" }])).rejects.toThrow(TypeError);
  });
});

describe("createPacketDecoderStream, against engine.io-parser", () => {
  /** A mix of packets at every length boundary, as upstream's encoder frames them. */
  async function sampleFrames(): Promise<Uint8Array[]> {
    const packets: Packet[] = [
      { type: "open", data: '{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}' },
      { type: "ping" },
      { type: "message", data: "héllo 😀" },
      { type: "message", data: "b" + Buffer.from(bytes(10)).toString("base64") },
      ...BOUNDARY_LENGTHS.flatMap(packetsOfFrameLength),
      { type: "close" },
    ];
    return encodeWith(THEIRS, packets);
  }

  it("decodes the frames as the encoder's chunks, merged into one chunk, and byte by byte", async () => {
    const frames = await sampleFrames();
    const packets = await expectSameDecoding(frames);
    expect(packets).toHaveLength(frames.length / 2);
    expect(packets.every((packet) => packet.type !== "error")).toBe(true);
    await expectSameDecoding([concat(frames)]);
    const small = concat(frames.slice(0, 8));
    await expectSameDecoding(splitAt(small, Array.from({ length: small.byteLength - 1 }, (_, i) => i + 1)));
  });

  it("decodes every split of a frame into two chunks, at every header size", async () => {
    for (const length of [5, 126, 65536]) {
      for (const packet of packetsOfFrameLength(length)) {
        const frame = concat(await encodeWith(THEIRS, [packet, { type: "pong" }]));
        const cuts = length > 200 ? [1, 2, 3, 5, 8, 9, 10, 100, frame.byteLength - 3, frame.byteLength - 1] : null;
        for (const cut of cuts ?? Array.from({ length: frame.byteLength - 1 }, (_, i) => i + 1)) {
          const packets = await expectSameDecoding(splitAt(frame, [cut]));
          expect(packets.map((p) => p.type)).toEqual(["message", "pong"]);
        }
      }
    }
  });

  it("decodes 100 random splits of the sample frames (seeded)", async () => {
    const all = concat(await sampleFrames());
    const theirs = comparable(await decodeWith(THEIRS, [all.slice()]));
    const random = createPrng(0x5eed);
    for (let round = 0; round < 100; round++) {
      const cuts = new Set<number>();
      for (let n = randomInt(random, 40); n > 0; n--) cuts.add(1 + randomInt(random, all.byteLength - 1));
      const ours = await decodeWith(OURS, splitAt(all, [...cuts].sort((a, b) => a - b)));
      expect(comparable(ours)).toEqual(theirs);
    }
  });

  it("decodes random binary and text frames like upstream (seeded)", async () => {
    const random = createPrng(0xfade);
    const packets: Packet[] = [];
    // Few enough for upstream, which copies the rest of a chunk after each frame it takes.
    for (let i = 0; i < 40; i++) {
      const length = [0, 1, 125, 126, 65535, 65536][randomInt(random, 6)]! + randomInt(random, 3);
      packets.push(
        random() < 0.5
          ? { type: "message", data: Buffer.from(randomBytes(random, length)) }
          : { type: "message", data: String.fromCharCode(...randomBytes(random, Math.min(length, 200))) },
      );
    }
    // An empty binary frame is refused by both: leave it last.
    const frames = await encodeWith(THEIRS, packets.filter((p) => (p.data as Uint8Array | string).length > 0));
    await expectSameDecoding([concat(frames)]);
  });

  describe("error packet for a declared length that is 0, too big or beyond Number.MAX_SAFE_INTEGER", () => {
    const valid = Uint8Array.of(0x02, 0x34, 0x61); // "4a"
    const cases: Array<[string, Uint8Array, number]> = [
      ["7-bit length 0 (text)", Uint8Array.of(0x00), MAX],
      ["7-bit length 0 (binary)", Uint8Array.of(0x80), MAX],
      ["16-bit length 0", Uint8Array.of(126, 0, 0), MAX],
      ["64-bit length 0", Uint8Array.of(127, 0, 0, 0, 0, 0, 0, 0, 0), MAX],
      ["7-bit length one past maxPayload", Uint8Array.of(0x0b), 10],
      ["16-bit length one past maxPayload", Uint8Array.of(126, 0x01, 0x2d), 300],
      ["64-bit length one past maxPayload", Uint8Array.of(127, 0, 0, 0, 0, 0, 1, 0, 1), 65536],
      ["64-bit length of 2^40 with maxPayload 1e12", Uint8Array.of(0xff, 0, 0, 1, 0, 0, 0, 0, 0), 1e12],
      ["a 16-bit length marker when maxPayload is below 126", Uint8Array.of(126, 0, 5), 100],
      ["64-bit length 2^53 (beyond Number.MAX_SAFE_INTEGER)", Uint8Array.of(127, 0, 0x20, 0, 0, 0, 0, 0, 0), Infinity],
      ["64-bit length 2^64 - 1", Uint8Array.of(0xff, 255, 255, 255, 255, 255, 255, 255, 255), Infinity],
    ];
    // Each bad header ends the input: what upstream does with bytes after it is not a
    // contract (see "where Volley deliberately differs").
    it.each(cases)("%s", async (_name, frame, maxPayload) => {
      // A valid frame first, then the bad header, whole and split inside it.
      for (const cut of [0, 1, 2, 3, 5, 8]) {
        const chunks = cut === 0 || cut >= frame.byteLength ? [valid, frame] : [valid, ...splitAt(frame, [cut])];
        const packets = await expectSameDecoding(chunks, maxPayload);
        expect(packets).toEqual([{ type: "message", data: "a" }, PARSER_ERROR]);
      }
    });

    it("accepts a frame of exactly maxPayload bytes, in any header size", async () => {
      for (const [frame, maxPayload] of [
        [Uint8Array.of(0x0a, 0x34, ...Buffer.from("123456789")), 10],
        [Uint8Array.of(126, 0x01, 0x2c, 0x34, ...Buffer.from(text(299))), 300],
        [Uint8Array.of(127, 0, 0, 0, 0, 0, 1, 0, 0, 0x34, ...Buffer.from(text(65535))), 65536],
      ] as const) {
        const packets = await expectSameDecoding([frame], maxPayload);
        expect(packets.map((p) => p.type)).toEqual(["message"]);
      }
    });

    it("waits for a frame of 2^53 - 1 declared bytes (the largest safe length) like upstream", async () => {
      const frame = Uint8Array.of(127, 0, 0x1f, 255, 255, 255, 255, 255, 255, 0x34);
      expect(await expectSameDecoding([valid, frame], Infinity)).toEqual([{ type: "message", data: "a" }]);
    });
  });

  it("gives the error packet for a bad text packet and goes on, like upstream", async () => {
    const frames = [Uint8Array.of(0x02, 0x39, 0x78), Uint8Array.of(0x01), Uint8Array.of(0x32), Uint8Array.of(0x02, 0x34, 0x62)];
    expect(await expectSameDecoding(frames)).toEqual([PARSER_ERROR, { type: "ping" }, { type: "message", data: "b" }]);
  });

  it("decodes invalid UTF-8 and a leading byte-order mark as upstream's TextDecoder does", async () => {
    const frames = [Uint8Array.of(0x03, 0x34, 0xc3, 0x28), Uint8Array.of(0x05, 0xef, 0xbb, 0xbf, 0x34, 0x61)];
    expect(await expectSameDecoding(frames)).toEqual([
      { type: "message", data: "\ufffd(" },
      { type: "message", data: "a" },
    ]);
  });

  it("round-trips through both libraries' encoder and decoder", async () => {
    const packets: Packet[] = [
      { type: "message", data: "hi" },
      { type: "message", data: Buffer.from(bytes(70000)) },
    ];
    for (const encoder of [OURS, THEIRS]) {
      const frames = await encodeWith(encoder, packets);
      for (const decoder of [OURS, THEIRS]) {
        expect(comparable(await decodeWith(decoder, frames))).toEqual(comparable(packets));
      }
    }
  });

  it("hands binary back as a fresh copy in the binary type asked for (and a Blob for \"blob\")", async () => {
    const chunk = Uint8Array.of(0x83, 1, 2, 3, 0x02, 0x34, 0x61);
    const [buffer] = await decodeWith(OURS, [chunk], MAX, "nodebuffer");
    expect(Buffer.isBuffer(buffer!.data)).toBe(true);
    expect((buffer!.data as Buffer).buffer).not.toBe(chunk.buffer);
    const [arrayBuffer] = await decodeWith(OURS, [chunk], MAX, "arraybuffer");
    expect(isAnyArrayBuffer(arrayBuffer!.data) && Array.from(new Uint8Array(arrayBuffer!.data))).toEqual([1, 2, 3]);
    const [blob] = await decodeWith(OURS, [chunk], MAX, "blob");
    expect(blob!.data).toBeInstanceOf(Blob);
    expect(Array.from(new Uint8Array(await (blob!.data as Blob).arrayBuffer()))).toEqual([1, 2, 3]);
  });

  describe("where Volley deliberately differs", () => {
    it("drops all input after a framing error (upstream reads on from a lost frame boundary)", async () => {
      const valid = Uint8Array.of(0x02, 0x34, 0x61);
      const chunks = [Uint8Array.of(0x00), valid, valid];
      const theirs = await decodeWith(THEIRS, chunks);
      // Upstream: two more error packets, then it resynchronises by chance.
      expect(theirs).toEqual([PARSER_ERROR, PARSER_ERROR, PARSER_ERROR, { type: "message", data: "a" }, { type: "message", data: "a" }]);
      expect(await decodeWith(OURS, chunks)).toEqual([PARSER_ERROR]);
      // Nor does it collect a too-big frame, which upstream buffers up to its declared length.
      expect(await decodeWith(OURS, [Uint8Array.of(0x7d), ...Array.from({ length: 50 }, () => bytes(1000))], 10)).toEqual([
        PARSER_ERROR,
      ]);
    });

    it("ignores empty chunks (upstream reads one as a zero-length header)", async () => {
      const chunks = [new Uint8Array(0), Uint8Array.of(0x02, 0x34, 0x61)];
      expect(await decodeWith(THEIRS, chunks)).toEqual([PARSER_ERROR]);
      expect(await decodeWith(OURS, chunks)).toEqual([{ type: "message", data: "a" }]);
    });

    it("reads ArrayBuffer and other views as bytes, and answers anything else with the error packet", async () => {
      const frame = Uint8Array.of(0x02, 0x34, 0x61);
      const inputs = [frame.slice().buffer, new DataView(frame.slice().buffer), Buffer.from(frame)];
      expect(await runStream(createPacketDecoderStream(MAX, "nodebuffer"), inputs)).toEqual(
        inputs.map(() => ({ type: "message", data: "a" })),
      );
      expect(await runStream(createPacketDecoderStream(MAX, "nodebuffer"), ["\x024a", frame])).toEqual([PARSER_ERROR]);
    });
  });
});
