// Engine.IO v3 codec: hand-written vectors from the protocol spec (revision 3), then a
// packet-by-packet cross-check against the published engine.io-parser@2, which Socket.IO 2
// peers use.
import { describe, expect, it } from "@jest/globals";
import * as upstream from "engine.io-parser-v2";
import {
  decodePacketV3,
  decodePayloadV3,
  encodePacketV3,
  encodePayloadV3,
  protocolV3,
  type BinaryType,
  type Packet,
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
  type NormalPacket,
} from "../helpers/wire";

const TYPES: WirePacketType[] = ["open", "close", "ping", "pong", "message", "upgrade", "noop"];
const TEXTS = ["", "hello", "probe", "héllo wörld", "日本語のテキスト", "emoji 😀👍🏽 pairs", "4:colons:in:data", "\x1e\x00\n"];

function upstreamEncodePacket(packet: Packet, supportsBinary: boolean): string | Buffer {
  let result: string | Buffer | undefined;
  upstream.encodePacket(packet, supportsBinary, (encoded) => (result = encoded));
  return result!;
}

function upstreamEncodePayload(packets: Packet[], supportsBinary: boolean): string | Buffer {
  let result: string | Buffer | undefined;
  upstream.encodePayload(packets, supportsBinary, (encoded) => (result = encoded));
  return result!;
}

function upstreamDecodePayload(data: string | Buffer): Array<{ type: string; data?: unknown }> {
  const packets: Array<{ type: string; data?: unknown }> = [];
  upstream.decodePayload(data, undefined, (packet) => {
    packets.push(packet);
  });
  return packets;
}

function asBuffer(encoded: string | Uint8Array | ArrayBuffer | ArrayBufferView | Blob): Buffer {
  expect(typeof encoded).not.toBe("string");
  return Buffer.from(bytesOf(encoded));
}

describe("Engine.IO v3: spec vectors", () => {
  it("is protocol revision 3", () => {
    expect(protocolV3).toBe(3);
    expect(upstream.protocol).toBe(3);
  });

  it("writes text packets as <type digit><data>", () => {
    expect(encodePacketV3({ type: "ping", data: "probe" }, true)).toBe("2probe");
    expect(encodePacketV3({ type: "message", data: "HelloWorld" }, false)).toBe("4HelloWorld");
    expect(encodePacketV3({ type: "upgrade" }, true)).toBe("5");
    expect(decodePacketV3("3probe")).toEqual({ type: "pong", data: "probe" });
    expect(decodePacketV3("6")).toEqual({ type: "noop" });
  });

  it("puts the packet type in the first byte of a binary frame (4|0|1|2|3|4|5)", () => {
    const encoded = encodePacketV3({ type: "message", data: Buffer.from([0, 1, 2, 3, 4, 5]) }, true);
    expect(bytesOf(encoded)).toEqual([4, 0, 1, 2, 3, 4, 5]);
    const decoded = decodePacketV3(Buffer.from([4, 0, 1, 2, 3, 4, 5]));
    expect(normalise(decoded)).toEqual({ type: "message", data: { bytes: [0, 1, 2, 3, 4, 5] } });
  });

  it("writes base64 binary as b<type digit><base64>", () => {
    expect(encodePacketV3({ type: "message", data: Buffer.from([0, 1, 2, 3, 4, 5]) }, false)).toBe("b4AAECAwQF");
    expect(normalise(decodePacketV3("b4AAECAwQF"))).toEqual({
      type: "message",
      data: { bytes: [0, 1, 2, 3, 4, 5] },
    });
  });

  it("writes text payloads as <length>:<packet>, the length in characters", () => {
    expect(encodePayloadV3([{ type: "message", data: "hello" }, { type: "ping" }], false)).toBe("6:4hello1:2");
    // "é" is one character (two UTF-8 bytes), "😀" two characters (a surrogate pair).
    expect(encodePayloadV3([{ type: "message", data: "é😀" }], false)).toBe("4:4é😀");
    expect(decodePayloadV3("6:4hello1:2")).toEqual([{ type: "message", data: "hello" }, { type: "ping" }]);
    expect(decodePayloadV3("4:4é😀")).toEqual([{ type: "message", data: "é😀" }]);
  });

  it("length-counts base64 packets in a text payload, b and type digit included", () => {
    const packets: Packet[] = [{ type: "message", data: Buffer.from([1, 2, 3]) }, { type: "message", data: "a" }];
    expect(encodePayloadV3(packets, false)).toBe("6:b4AQID2:4a");
    expect(decodePayloadV3("6:b4AQID2:4a").map(normalise)).toEqual([
      { type: "message", data: { bytes: [1, 2, 3] } },
      { type: "message", data: "a" },
    ]);
    // With binary support and a binary packet, the payload is binary instead.
    expect(typeof encodePayloadV3(packets, true)).not.toBe("string");
  });

  it("writes the XHR2 binary payload: 0|1, length digits as bytes, 0xFF, then the packet", () => {
    const payload = encodePayloadV3(
      [
        { type: "message", data: "hé" },
        { type: "message", data: Buffer.from([1, 2, 3]) },
      ],
      true,
    );
    // "4hé" is 4 UTF-8 bytes; the binary packet is the type byte plus 3 bytes.
    expect(bytesOf(payload)).toEqual([0, 4, 0xff, 0x34, 0x68, 0xc3, 0xa9, 1, 4, 0xff, 4, 1, 2, 3]);
    expect(decodePayloadV3(asBuffer(payload)).map(normalise)).toEqual([
      { type: "message", data: "hé" },
      { type: "message", data: { bytes: [1, 2, 3] } },
    ]);
  });

  it("writes lengths of several digits one digit per byte", () => {
    const data = "x".repeat(122); // packet "4" + 122 chars = 123 bytes
    const payload = encodePayloadV3([{ type: "message", data }, { type: "noop", data: Buffer.alloc(0) }], true);
    const bytes = bytesOf(payload);
    expect(bytes.slice(0, 5)).toEqual([0, 1, 2, 3, 0xff]);
    expect(bytes.slice(5 + 123)).toEqual([1, 1, 0xff, 6]);
  });

  it("writes an empty packet list as 0: and reads 0: as no packets", () => {
    expect(encodePayloadV3([], false)).toBe("0:");
    expect(encodePayloadV3([], true)).toBe("0:");
    expect(decodePayloadV3("0:")).toEqual([]);
    expect(decodePayloadV3(new Uint8Array(0))).toEqual([]);
  });
});

describe("Engine.IO v3: invalid input decodes to the error packet", () => {
  it.each([
    ["empty string", ""],
    ["unknown type digit", "7"],
    ["not a digit", "x"],
    ["b without a type digit", "b"],
    ["b with an unknown type digit", "b9AQID"],
    ["b with invalid base64", "b4$$$"],
    ["b with base64 of impossible length", "b4A"],
  ])("packet: %s", (_name, input) => {
    expect(decodePacketV3(input)).toEqual(PARSER_ERROR);
  });

  it.each([
    ["empty binary frame", new Uint8Array(0)],
    ["unknown type byte", Uint8Array.of(7, 1, 2)],
    ["type byte 255", Uint8Array.of(255)],
  ])("binary frame: %s", (_name, input) => {
    expect(decodePacketV3(input)).toEqual(PARSER_ERROR);
  });

  it("cannot read a Blob synchronously and says so with the error packet", () => {
    expect(decodePacketV3(new Blob([Uint8Array.of(4, 1)]))).toEqual(PARSER_ERROR);
    expect(decodePayloadV3(new Blob([Uint8Array.of(1, 1, 255, 4)]))).toEqual([PARSER_ERROR]);
  });

  it("ignores non-packet input types instead of throwing", () => {
    expect(decodePacketV3(42 as unknown as string)).toEqual(PARSER_ERROR);
    expect(decodePayloadV3({} as unknown as string)).toEqual([PARSER_ERROR]);
  });

  it.each([
    ["empty", ""],
    ["no colon", "4hello"],
    ["empty length", ":4hello"],
    ["non-digit length", "x:4"],
    ["signed length", "+1:4"],
    ["spaced length", " 1:4"],
    ["length past the end", "7:4hello"],
    ["trailing length without packet", "6:4hello3"],
    ["trailing colon only", "6:4hello:"],
    ["invalid packet", "2:9x"],
    ["huge length", "99999999999999999999:4"],
  ])("text payload: %s", (_name, input) => {
    const packets = decodePayloadV3(input);
    expect(packets[packets.length - 1]).toEqual(PARSER_ERROR);
    expect(packets.filter((p) => p.type === "error")).toHaveLength(1);
  });

  it("keeps the packets before the first bad one and puts the error packet last", () => {
    expect(decodePayloadV3("6:4hello1:2x:3")).toEqual([
      { type: "message", data: "hello" },
      { type: "ping" },
      PARSER_ERROR,
    ]);
    expect(decodePayloadV3("1:21:91:3")).toEqual([{ type: "ping" }, PARSER_ERROR]);
  });

  it.each([
    ["unknown marker", [2, 1, 255, 52]],
    ["no length digits", [0, 255, 52]],
    ["length digit above 9", [0, 10, 255, 52]],
    ["no 0xFF", [0, 1]],
    ["length past the end", [0, 3, 255, 52]],
    ["empty text packet", [0, 0, 255]],
    ["empty binary packet", [1, 0, 255]],
    ["unknown type byte", [1, 1, 255, 9]],
    ["invalid UTF-8", [0, 2, 255, 52, 0xc3]],
    ["unknown type digit in text", [0, 1, 255, 57]],
    ["too many length digits", [0, ...new Array<number>(16).fill(1), 255, 52]],
  ])("binary payload: %s", (_name, bytes) => {
    const packets = decodePayloadV3(Uint8Array.from(bytes));
    expect(packets).toEqual([PARSER_ERROR]);
  });

  it("keeps the binary payload packets before the bad one", () => {
    const packets = decodePayloadV3(Uint8Array.of(0, 1, 255, 50, 7, 7));
    expect(packets).toEqual([{ type: "ping" }, PARSER_ERROR]);
  });
});

describe("Engine.IO v3: encoder errors", () => {
  it("refuses a Blob it would have to base64-encode synchronously", () => {
    const blob = new Blob([Uint8Array.of(1)]);
    expect(() => encodePacketV3({ type: "message", data: blob }, false)).toThrow(TypeError);
    expect(() => encodePayloadV3([{ type: "message", data: blob }], true)).toThrow(TypeError);
    expect(() => encodePayloadV3([{ type: "message", data: blob }], false)).toThrow(TypeError);
  });

  it("prefixes a Blob with its type byte for binary transports", async () => {
    const encoded = encodePacketV3({ type: "message", data: new Blob([Uint8Array.of(7, 8)]) }, true);
    expect(encoded).toBeInstanceOf(Blob);
    expect(Array.from(new Uint8Array(await (encoded as Blob).arrayBuffer()))).toEqual([4, 7, 8]);
  });

  it("refuses the error packet, which never travels", () => {
    expect(() => encodePacketV3({ type: "error", data: "parser error" }, true)).toThrow(TypeError);
  });
});

describe("Engine.IO v3: binary types", () => {
  const frame = Uint8Array.of(4, 1, 2, 3);
  it.each<[BinaryType, (data: unknown) => boolean]>([
    ["nodebuffer", (data) => Buffer.isBuffer(data)],
    ["arraybuffer", (data) => isAnyArrayBuffer(data)],
    ["blob", (data) => data instanceof Blob],
  ])("hands binary data back as %s", async (binaryType, isExpectedKind) => {
    const inputs: Array<string | Uint8Array> = [frame, "b4AQID"];
    const payloads: Array<string | Uint8Array> = ["6:b4AQID", Uint8Array.of(1, 4, 255, 4, 1, 2, 3)];
    const decoded = [
      ...inputs.map((input) => decodePacketV3(input, binaryType)),
      ...payloads.map((payload) => decodePayloadV3(payload, binaryType)[0]!),
    ];
    for (const packet of decoded) {
      expect(packet.type).toBe("message");
      expect(isExpectedKind(packet.data)).toBe(true);
      const bytes =
        packet.data instanceof Blob ? Array.from(new Uint8Array(await packet.data.arrayBuffer())) : bytesOf(packet.data);
      expect(bytes).toEqual([1, 2, 3]);
    }
  });

  it("defaults to Buffers in Node.js", () => {
    expect(Buffer.isBuffer(decodePacketV3(frame).data)).toBe(true);
  });
});

describe("Engine.IO v3: cross-check with engine.io-parser@2", () => {
  const textPackets: Packet[] = TYPES.flatMap((type) => [
    { type },
    ...TEXTS.filter((data) => data !== "").map((data) => ({ type, data })),
  ]);
  const binaryPayloadBytes = [[], [0], [1, 2, 3], Array.from({ length: 300 }, (_, i) => (i * 7) & 255)];
  const binaryPackets: Array<[string, Packet]> = binaryPayloadBytes.flatMap((bytes) =>
    binaryInputs(bytes).flatMap(([kind, data]) =>
      (["message", "ping", "noop"] as const).map((type): [string, Packet] => [
        `${type} ${kind} (${bytes.length} bytes)`,
        { type, data },
      ]),
    ),
  );

  it.each(textPackets.map((packet) => [JSON.stringify(packet), packet] as const))(
    "text packet %s: same encoding, and each side decodes it the same",
    (_name, packet) => {
      for (const supportsBinary of [true, false]) {
        const ours = encodePacketV3(packet, supportsBinary);
        expect(ours).toBe(upstreamEncodePacket(packet, supportsBinary));
        expect(decodePacketV3(ours)).toEqual(upstream.decodePacket(ours as string));
      }
    },
  );

  it.each(binaryPackets)("binary packet %s: same bytes and same base64", (_name, packet) => {
    // engine.io-parser@2 stringifies typed arrays whose buffer comes from another realm
    // (jest's sandbox), so it gets the same bytes as a Buffer.
    const canonical: Packet = { type: packet.type, data: Buffer.from(bytesOf(packet.data)) };
    const ours = encodePacketV3(packet, true);
    const theirs = upstreamEncodePacket(canonical, true);
    expect(asBuffer(ours).equals(theirs as Buffer)).toBe(true);
    expect(encodePacketV3(packet, false)).toBe(upstreamEncodePacket(canonical, false));
    for (const binaryType of ["nodebuffer", "arraybuffer"] as const) {
      const upstreamType = binaryType === "arraybuffer" ? "arraybuffer" : undefined;
      expect(normalise(decodePacketV3(asBuffer(theirs as Buffer), binaryType))).toEqual(
        normalise(upstream.decodePacket(asBuffer(ours as Uint8Array), upstreamType)),
      );
      const base64 = encodePacketV3(packet, false) as string;
      expect(normalise(decodePacketV3(base64, binaryType))).toEqual(
        normalise(upstream.decodePacket(base64, upstreamType)),
      );
    }
  });

  const payloads: Array<[string, Packet[]]> = [
    ["one text packet", [{ type: "message", data: "hello" }]],
    ["every type, no data", TYPES.map((type) => ({ type }))],
    ["unicode texts", TEXTS.map((data) => ({ type: "message", data }))],
    [
      "mixed text and binary",
      [
        { type: "open", data: '{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}' },
        { type: "message", data: Buffer.from("bin") },
        { type: "message", data: "2[\"event\",\"😀\"]" },
        { type: "message", data: Uint8Array.of(0, 255).buffer },
        { type: "ping", data: Buffer.from(new Uint16Array([1, 65535]).buffer) },
        { type: "noop" },
      ],
    ],
    ["long text", [{ type: "message", data: "ü".repeat(5000) }, { type: "message", data: "x".repeat(12345) }]],
    ["long binary", [{ type: "message", data: Buffer.alloc(70000, 9) }]],
  ];

  it.each(payloads)("payload of %s: same encoding both ways, and each side decodes the other's", (_name, packets) => {
    for (const supportsBinary of [false, true]) {
      const ours = encodePayloadV3(packets, supportsBinary);
      const theirs = upstreamEncodePayload(packets, supportsBinary);
      if (typeof theirs === "string") {
        expect(ours).toBe(theirs);
      } else {
        expect(asBuffer(ours).equals(theirs)).toBe(true);
      }
      const oursAsInput = typeof ours === "string" ? ours : asBuffer(ours);
      const expected = upstreamDecodePayload(oursAsInput).map(normalise);
      expect(expected.length).toBe(packets.length);
      expect(decodePayloadV3(theirs).map(normalise)).toEqual(expected);
      expect(expected).toEqual(packets.map(normalise).map(dropEmptyText));
    }
  });

  it("writes a lone surrogate in a binary payload as U+FFFD, as engine.io-parser@2 does", () => {
    const packets: Packet[] = [{ type: "message", data: "a\ud800" }, { type: "message", data: Buffer.from([1]) }];
    const ours = encodePayloadV3(packets, true);
    const theirs = upstreamEncodePayload(packets, true) as Buffer;
    expect(asBuffer(ours).equals(theirs)).toBe(true);
    expect(decodePayloadV3(theirs)[0]).toEqual({ type: "message", data: "a\ufffd" });
  });

  it("refuses invalid UTF-8 in a binary payload, as engine.io-parser@2 does", () => {
    for (const tail of [[0xc3], [0xff], [0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0x80], [0xe0, 0x80, 0x80]]) {
      const body = [0x34, 0x61, ...tail];
      const payload = Buffer.from([0, body.length, 255, ...body]);
      expect(decodePayloadV3(payload)).toEqual([PARSER_ERROR]);
      expect(upstreamDecodePayload(payload)).toEqual([PARSER_ERROR]);
    }
  });

  it("agrees on random packets (seeded)", () => {
    const random = createPrng(0x5eed3);
    for (let round = 0; round < 500; round++) {
      const packets: Packet[] = [];
      const count = 1 + randomInt(random, 6);
      for (let i = 0; i < count; i++) {
        const type = TYPES[randomInt(random, TYPES.length)]!;
        if (random() < 0.3) {
          packets.push({ type, data: Buffer.from(randomBytes(random, randomInt(random, 40))) });
        } else {
          let text = "";
          const length = randomInt(random, 30);
          for (let c = 0; c < length; c++) text += String.fromCodePoint(randomCodePoint(random));
          packets.push(text === "" ? { type } : { type, data: text });
        }
      }
      for (const supportsBinary of [false, true]) {
        const ours = encodePayloadV3(packets, supportsBinary);
        const theirs = upstreamEncodePayload(packets, supportsBinary);
        expect(typeof ours === "string" ? ours : asBuffer(ours).toString("hex")).toEqual(
          typeof theirs === "string" ? theirs : theirs.toString("hex"),
        );
        expect(decodePayloadV3(theirs).map(normalise)).toEqual(packets.map(normalise));
      }
    }
  });
});

/** "4" decodes to a message without data: an empty string does not survive the wire. */
function dropEmptyText(packet: NormalPacket): NormalPacket {
  return packet.data === "" ? { type: packet.type } : packet;
}

/** A code point from ASCII, Latin-1, CJK or the astral planes (no lone surrogates). */
function randomCodePoint(random: () => number): number {
  const pick = random();
  if (pick < 0.4) return 0x20 + randomInt(random, 0x5f);
  if (pick < 0.6) return 0xa0 + randomInt(random, 0x60);
  if (pick < 0.8) return 0x4e00 + randomInt(random, 0x5000);
  return 0x1f300 + randomInt(random, 0x300);
}
