// Differential fuzzing of the decoders against the published parsers: seeded valid packets
// and payloads, random mutations of them and random text/bytes go through Volley's decoders
// and through engine.io-parser@5 (Engine.IO v4) or engine.io-parser@2 (v3). Volley must never
// throw (its decoders report bad input with the error packet, README "Errors"), must return
// clean packets with the error packet only last, and must decode to the same packets as the
// published parser, except where the README says it is stricter:
// - base64 (`b` packets): text that is not base64 is refused, where upstream decodes what
//   Node's lenient decoder makes of it ("Differences from engine.io-parser");
// - v3 only: a `b` packet needs a known type digit, and a text payload's lengths must be
//   1-15 plain digits (engine.io-parser@2 reads them with Number(): " 1", "+1", "1e0", "0x1").
// Those cases are told apart by an oracle written here, not by asking Volley.
//
// Seeds are fixed; VOLLEY_FUZZ_SEED=<n>[,<n>...] runs others. Every failure names its seed.
import { describe, expect, it } from "@jest/globals";
import * as upstream from "engine.io-parser";
import * as upstreamV2 from "engine.io-parser-v2";
import {
  decodePacket,
  decodePacketV3,
  decodePayload,
  decodePayloadV3,
  encodePacket,
  encodePayload,
  encodePayloadV3,
  type BinaryType,
  type Packet,
  type WirePacketType,
} from "../../src";
import { SeededRandom, fuzzSeeds, reproduce } from "../helpers/seeded-random";
import { expectCleanOrErrorLast, normalise, PARSER_ERROR, type NormalPacket } from "../helpers/wire";

const TYPES: WirePacketType[] = ["open", "close", "ping", "pong", "message", "upgrade", "noop"];
// upstream has no "blob" binary type in Node.js
const BINARY_TYPES: Array<"nodebuffer" | "arraybuffer"> = ["nodebuffer", "arraybuffer"];
/** Characters the decoders care about, and some that are awkward in UTF-16. */
const INTERESTING = "0123456789b:\x1e=+/-_AZaz$.é中\ud83d\ude00\ud800\udfff\u0000\uffff ";
const seeds = fuzzSeeds([0xe10f0001, 0xe10f0002]);

// ---------------------------------------------------------------------------------------------
// Inputs

function randomText(rng: SeededRandom, maxLength: number): string {
  let text = "";
  for (let n = rng.int(maxLength + 1); n > 0; n--) {
    text += rng.chance(0.7) ? INTERESTING[rng.int(INTERESTING.length)]! : String.fromCharCode(rng.int(0x10000));
  }
  return text;
}

/** Text without the v4 record separator (it cannot travel inside a v4 payload). */
function packetText(rng: SeededRandom): string {
  let text = "";
  for (let n = rng.int(16); n > 0; n--) {
    const r = rng.float();
    text += r < 0.6 ? String.fromCharCode(0x20 + rng.int(95)) : r < 0.8 ? String.fromCodePoint(0xa0 + rng.int(0x3000)) : "😀";
  }
  return text;
}

function randomPacket(rng: SeededRandom): Packet {
  const type = rng.pick(TYPES);
  const r = rng.float();
  if (r < 0.25) return { type };
  if (r < 0.45) return { type: "message", data: rng.bytes(rng.int(12)) };
  return { type, data: packetText(rng) };
}

/** A change to a string: a character replaced, inserted or removed, a cut, a slice repeated. */
function mutateText(rng: SeededRandom, text: string): string {
  const at = rng.int(text.length + 1);
  const char = (): string => (rng.chance(0.8) ? INTERESTING[rng.int(INTERESTING.length)]! : String.fromCharCode(rng.int(0x10000)));
  switch (rng.int(6)) {
    case 0:
      return text.slice(0, at) + char() + text.slice(at + 1);
    case 1:
      return text.slice(0, at) + char() + text.slice(at);
    case 2:
      return text.slice(0, at) + text.slice(at + rng.range(1, 3));
    case 3:
      return text.slice(0, at);
    case 4:
      return text.slice(0, at) + text.slice(rng.int(text.length + 1), rng.int(text.length + 1)) + text.slice(at);
    default:
      return text.slice(0, at) + text.slice(at, at + 2).split("").reverse().join("") + text.slice(at + 2);
  }
}

function mutateBytes(rng: SeededRandom, bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = Array.from(bytes);
  const at = rng.int(out.length + 1);
  switch (rng.int(4)) {
    case 0:
      if (out.length > 0) out[rng.int(out.length)] = rng.pick([0, 1, 9, 10, 48, 52, 255, rng.int(256)]);
      break;
    case 1:
      out.splice(at, 0, rng.int(256));
      break;
    case 2:
      out.splice(at, rng.range(1, 3));
      break;
    default:
      out.length = at;
  }
  return Uint8Array.from(out);
}

function mutatedText(rng: SeededRandom, valid: string): string {
  let text = valid;
  for (let m = rng.range(1, 3); m > 0; m--) text = mutateText(rng, text);
  return text;
}

// ---------------------------------------------------------------------------------------------
// The oracle for Volley's documented strictness

/** Base64 as Volley accepts it: the alphabet (url-safe too), up to two `=` at the end, a length that can make bytes. */
function isStrictBase64(body: string): boolean {
  const unpadded = body.replace(/={1,2}$/, "");
  return /^[A-Za-z0-9+/_-]*$/.test(unpadded) && unpadded.length % 4 !== 1;
}

const V3_TYPE_DIGITS = "0123456";

/** `b<type digit><base64>` with a known type digit and strict base64. */
function isStrictV3Base64Packet(packet: string): boolean {
  return V3_TYPE_DIGITS.includes(packet.charAt(1)) && packet.length >= 2 && isStrictBase64(packet.slice(2));
}

// ---------------------------------------------------------------------------------------------
// Running both sides

/** Calls a Volley decoder; a throw fails the test with the input. */
function ours<T>(label: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    throw new Error(`${label}: Volley's decoder threw ${String(error)}`);
  }
}

function show(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "string" && v.length > 200 ? `${v.slice(0, 200)}…` : v));
}

/** Fails unless the two packet lists are equal, after the binary data is made comparable. */
function expectSame(label: string, input: unknown, actual: NormalPacket[], expected: NormalPacket[]): void {
  if (show(actual) !== show(expected)) {
    throw new Error(`${label}: Volley and the published parser differ on ${show(input)}\nVolley:    ${show(actual)}\npublished: ${show(expected)}`);
  }
}

function checkV4Packet(label: string, input: string, binaryType: BinaryType): void {
  const mine = ours(label, () => decodePacket(input, binaryType));
  expectCleanOrErrorLast([mine]);
  const theirs = upstream.decodePacket(input, binaryType as upstream.BinaryType);
  if (input.charAt(0) === "b" && !isStrictBase64(input.slice(1))) {
    // documented: upstream decodes what Node makes of non-base64 text; Volley refuses it
    expectSame(`${label} (not base64: refused)`, input, [normalise(mine)], [normalise(PARSER_ERROR)]);
    if (theirs.type !== "message") throw new Error(`${label}: upstream did not decode ${show(input)} leniently`);
    return;
  }
  expectSame(label, input, [normalise(mine)], [normalise(theirs)]);
}

function checkV4Payload(label: string, input: string, binaryType: BinaryType): void {
  const mine = ours(label, () => decodePayload(input, binaryType));
  expectCleanOrErrorLast(mine);
  const theirs = upstream.decodePayload(input, binaryType as upstream.BinaryType);
  // packet by packet, up to the first `b` packet Volley may refuse
  const segments = input.split("\x1e");
  const refused = segments.findIndex((segment) => segment.charAt(0) === "b" && !isStrictBase64(segment.slice(1)));
  const theirsError = theirs.findIndex((packet) => packet.type === "error");
  if (refused !== -1 && (theirsError === -1 || refused < theirsError)) {
    const expected = [...theirs.slice(0, refused).map(normalise), normalise(PARSER_ERROR)];
    expectSame(`${label} (packet ${refused} not base64: refused)`, input, mine.map(normalise), expected);
    return;
  }
  expectSame(label, input, mine.map(normalise), theirs.map(normalise));
}

function checkV4Binary(label: string, bytes: Uint8Array, binaryType: BinaryType): void {
  // a Buffer and an ArrayBuffer that own exactly their bytes: upstream hands a view's whole
  // underlying buffer back for "arraybuffer" (a documented difference not fuzzed here)
  for (const frame of [Buffer.from(bytes), Uint8Array.from(bytes).buffer]) {
    const mine = ours(label, () => decodePacket(frame, binaryType));
    expectCleanOrErrorLast([mine]);
    expectSame(label, Array.from(bytes), [normalise(mine)], [normalise(upstream.decodePacket(frame, binaryType as upstream.BinaryType))]);
  }
}

function v2Payload(input: string | Buffer, binaryType: BinaryType): Array<{ type: string; data?: unknown }> {
  const packets: Array<{ type: string; data?: unknown }> = [];
  upstreamV2.decodePayload(input, binaryType === "arraybuffer" ? "arraybuffer" : undefined, (packet) => {
    packets.push(packet);
  });
  return packets;
}

function checkV3Packet(label: string, input: string, binaryType: BinaryType): void {
  const mine = ours(label, () => decodePacketV3(input, binaryType));
  expectCleanOrErrorLast([mine]);
  const theirs = upstreamV2.decodePacket(input, binaryType === "arraybuffer" ? "arraybuffer" : undefined);
  if (input.charAt(0) === "b" && !isStrictV3Base64Packet(input)) {
    expectSame(`${label} (not a v3 base64 packet: refused)`, input, [normalise(mine)], [normalise(PARSER_ERROR)]);
    return;
  }
  expectSame(label, input, [normalise(mine)], [normalise(theirs)]);
}

const PLAIN_LENGTH = /^[0-9]{1,15}$/;

/**
 * Where Volley stopped in a v3 text payload after `count` packets (past any "0:" that
 * follows), and whether what is there is something only engine.io-parser@2 accepts.
 */
function laxV3SegmentAfter(payload: string, count: number): boolean {
  let cursor = 0;
  for (let decoded = 0; ; ) {
    const colon = payload.indexOf(":", cursor);
    if (colon === -1) return false;
    const field = payload.slice(cursor, colon);
    if (!PLAIN_LENGTH.test(field)) return true; // engine.io-parser@2 takes any Number() form
    const length = Number(field);
    if (decoded === count && length > 0) {
      const packet = payload.substr(colon + 1, length);
      return packet.length === length && packet.charAt(0) === "b" && !isStrictV3Base64Packet(packet);
    }
    if (length > 0) decoded++;
    cursor = colon + 1 + length;
  }
}

function checkV3TextPayload(label: string, input: string, binaryType: BinaryType): void {
  const mine = ours(label, () => decodePayloadV3(input, binaryType));
  expectCleanOrErrorLast(mine);
  const theirs = v2Payload(input, binaryType).map(normalise);
  const actual = mine.map(normalise);
  if (show(actual) === show(theirs)) return;
  // allowed only where Volley stopped on something the README says it refuses
  const stopped = actual.length - 1;
  const documented =
    mine.at(-1)?.type === "error" &&
    show(actual.slice(0, stopped)) === show(theirs.slice(0, stopped)) &&
    laxV3SegmentAfter(input, stopped);
  if (!documented) expectSame(label, input, actual, theirs);
}

// ---------------------------------------------------------------------------------------------

describe("Engine.IO v4 decoders fuzz: never throw, same packets as engine.io-parser@5", () => {
  it.each(seeds)("mutated packets, seed %d", (seed) => {
    const rng = new SeededRandom(seed);
    for (let c = 0; c < 3000; c++) {
      const packet = randomPacket(rng);
      const valid = encodePacket(packet, false) as string;
      const input = rng.chance(0.1) ? valid : mutatedText(rng, valid);
      checkV4Packet(`packet (${reproduce(seed, c)})`, input, BINARY_TYPES[c % 2]!);
    }
  });

  it.each(seeds)("mutated payloads, seed %d", (seed) => {
    const rng = new SeededRandom(seed ^ 0x100);
    for (let c = 0; c < 2000; c++) {
      const packets = Array.from({ length: rng.range(1, 6) }, () => randomPacket(rng));
      const valid = encodePayload(packets);
      const input = rng.chance(0.1) ? valid : mutatedText(rng, valid);
      checkV4Payload(`payload (${reproduce(seed, c)})`, input, BINARY_TYPES[c % 2]!);
    }
  });

  it.each(seeds)("random text, seed %d", (seed) => {
    const rng = new SeededRandom(seed ^ 0x200);
    for (let c = 0; c < 3000; c++) {
      const input = (rng.chance(0.3) ? rng.pick(["b", "4", "0", "6"]) : "") + randomText(rng, 24);
      const binaryType = BINARY_TYPES[c % 2]!;
      checkV4Packet(`random packet (${reproduce(seed, c)})`, input, binaryType);
      checkV4Payload(`random payload (${reproduce(seed, c)})`, input, binaryType);
    }
  });

  it.each(seeds)("random binary frames, seed %d", (seed) => {
    const rng = new SeededRandom(seed ^ 0x300);
    for (let c = 0; c < 500; c++) checkV4Binary(`binary frame (${reproduce(seed, c)})`, rng.bytes(rng.int(40)), BINARY_TYPES[c % 2]!);
  });
});

describe("Engine.IO v3 decoders fuzz: never throw, same packets as engine.io-parser@2 (text)", () => {
  it.each(seeds)("mutated packets, seed %d", (seed) => {
    const rng = new SeededRandom(seed ^ 0x400);
    for (let c = 0; c < 3000; c++) {
      const packet = randomPacket(rng);
      const valid = encodePayloadV3([packet], false) as string;
      // the packet without its "<length>:" prefix
      const input = mutatedText(rng, valid.slice(valid.indexOf(":") + 1));
      checkV3Packet(`v3 packet (${reproduce(seed, c)})`, input, BINARY_TYPES[c % 2]!);
    }
  });

  it.each(seeds)("mutated text payloads, seed %d", (seed) => {
    const rng = new SeededRandom(seed ^ 0x500);
    for (let c = 0; c < 2000; c++) {
      const packets = Array.from({ length: rng.range(0, 5) }, () => randomPacket(rng));
      const valid = encodePayloadV3(packets, false) as string;
      const input = rng.chance(0.1) ? valid : mutatedText(rng, valid);
      checkV3TextPayload(`v3 payload (${reproduce(seed, c)})`, input, BINARY_TYPES[c % 2]!);
    }
  });

  it.each(seeds)("mutated binary payloads and frames never throw and give clean packets, seed %d", (seed) => {
    // engine.io-parser@2 reads broken binary payloads too leniently to compare with (packets
    // of no type, lengths read past the end), so here only Volley's own contract is checked
    const rng = new SeededRandom(seed ^ 0x600);
    for (let c = 0; c < 2000; c++) {
      const packets = Array.from({ length: rng.range(1, 5) }, () => randomPacket(rng));
      const valid = encodePayloadV3(packets, true);
      const bytes = typeof valid === "string" ? Buffer.from(valid) : Uint8Array.from(valid as Uint8Array);
      let input: Uint8Array = bytes;
      for (let m = rng.range(1, 3); m > 0; m--) input = mutateBytes(rng, input);
      const label = `v3 binary (${reproduce(seed, c)})`;
      const binaryType = BINARY_TYPES[c % 2]!;
      expectCleanOrErrorLast(ours(label, () => decodePayloadV3(input, binaryType)));
      expectCleanOrErrorLast([ours(label, () => decodePacketV3(input, binaryType))]);
    }
  });
});

describe("the oracle", () => {
  it("tells Volley's base64 from what only a lenient decoder reads", () => {
    expect(["", "AQ", "AQI", "AQID", "AQ==", "AQI=", "-_8", "=="].every(isStrictBase64)).toBe(true);
    expect(["A", "AQ$", "AQ=A", "AQ===", "é", "A Q"].some(isStrictBase64)).toBe(false);
    expect(isStrictV3Base64Packet("b4AQ")).toBe(true);
    expect(isStrictV3Base64Packet("b7AQ")).toBe(false);
    expect(isStrictV3Base64Packet("b")).toBe(false);
  });
});
