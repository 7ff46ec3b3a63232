// Random payloads in the fast paths' subset and just outside it, each compared with what
// the general path does with it: JSON.stringify (after replaceBinary when it holds binary
// values) on the way out, JSON.parse plus inspectPayload on the way in.
import { describe, expect, it } from "@jest/globals";
import { DecodeError, DecodeErrorCode, PacketType, type EncodedChunk } from "../../src";
import { createRandom, randomInt } from "../../src/conformance/random";
import { replaceBinary } from "../../src/deconstruct";
import { findBinary } from "../../src/find-binary";
import { inspectPayload, type PlaceholderSlot } from "../../src/inspect-payload";
import { readSmallPayload, writeSmallPayload } from "../../src/small-payload";
import type { BinaryData } from "../../src/packet";
import { decodeAll, thrownBy } from "../helpers/decode";
import { sameJSONValue } from "../helpers/same-json-value";

const SEED = 20_261_126;
const RUNS = 12_000;
const MAX_DEPTHS = [1, 2, 3, 4, 5, 100];

// Keys on both sides of every rule: forbidden names, integer-like names (which objects
// order first), inherited names, names to escape, surrogates.
const KEYS = [
  ...["a", "b", "id", "text", "user", "_placeholder", "num", "__proto__", "constructor", "toString"],
  ...["hasOwnProperty", "0", "1", "10", "2", "1e3", "-1", "01", "4294967295", "é", "😀", "\ud800"],
  ...['q"', "a\\b", "tab\t", " ", ""],
];
const STRINGS = [
  ...["", "a", "hello world", "hello from the volley bench", 'quo"te', "back\\slash", "nl\n", "\u0000"],
  ...["\u007f", "é€", "😀", "\ud800", "\udfff", "x".repeat(100), "x".repeat(600), "__proto__", "{}", "[1]"],
];
const NUMBERS = [
  ...[0, -0, 1, -1, 3, 17, 42, 0.1, 1.5, -2.25, 1e21, 1e-7, 123456789012345, 1234567890123456, 2 ** 53 + 2],
  ...[1700000000000, Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity],
];

class Point {
  x = 1;
}

function leaf(random: () => number): unknown {
  const pick = random();
  if (pick < 0.35) return STRINGS[randomInt(random, STRINGS.length)];
  if (pick < 0.7) return NUMBERS[randomInt(random, NUMBERS.length)];
  if (pick < 0.8) return [true, false, null][randomInt(random, 3)];
  if (pick < 0.9) return [Buffer.from([1, 2]), new Uint8Array(3), new ArrayBuffer(4)][randomInt(random, 3)];
  // Outside the subset.
  const others = [
    () => undefined,
    () => () => 1,
    () => Symbol("s"),
    () => 1n,
    () => new Date(0),
    () => new Number(1),
    () => new Map(),
    () => new Point(),
    () => ({ toJSON: () => "j" }),
    () => Object.assign([1], { toJSON: () => "j" }),
  ];
  return (others[randomInt(random, others.length)] as () => unknown)();
}

function randomValue(random: () => number, depth: number): unknown {
  const pick = random();
  if (depth >= 6 || pick < 0.55) return leaf(random);
  // Mostly small containers, sometimes past the item limit.
  const size = random() < 0.05 ? 30 + randomInt(random, 6) : randomInt(random, 5);
  if (pick < 0.75) return Array.from({ length: size }, () => randomValue(random, depth + 1));
  const object: Record<string, unknown> = random() < 0.1 ? Object.create(null) : {};
  for (let i = 0; i < size; i++) {
    const key = random() < 0.7 ? (KEYS[randomInt(random, 10)] as string) : (KEYS[randomInt(random, KEYS.length)] as string);
    // defineProperty so that "__proto__" becomes an own key, as JSON.parse would make it.
    Object.defineProperty(object, key, {
      value: randomValue(random, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
}

// What the general path writes: the JSON of the payload with binary values replaced.
function generalWrite(data: unknown[], maxDepth: number): { text: string; attachments: BinaryData[] } {
  const attachments: BinaryData[] = [];
  const written = findBinary(data, maxDepth) ? replaceBinary(data, attachments, maxDepth) : data;
  return { text: JSON.stringify(written), attachments };
}

describe(`writeSmallPayload against the general path (seed ${SEED})`, () => {
  it(`writes what the general path writes for ${RUNS} random payloads, or declines`, () => {
    const random = createRandom(SEED);
    let written = 0;
    let withBinary = 0;
    let nested = 0;
    for (let run = 0; run < RUNS; run++) {
      const data = Array.from({ length: randomInt(random, 5) }, () => randomValue(random, 1));
      const maxDepth = MAX_DEPTHS[randomInt(random, MAX_DEPTHS.length)] as number;
      const chunks: EncodedChunk[] = [""];
      const text = writeSmallPayload(data, chunks, maxDepth);
      if (text === undefined) continue;
      written++;
      // The general path would not have refused it (depth, cycles, JSON's own rules)…
      const general = generalWrite(data, maxDepth);
      // …and writes the same text, with the same attachments in the same order.
      expect(text).toBe(general.text);
      expect(chunks.length - 1).toBe(general.attachments.length);
      general.attachments.forEach((attachment, index) => expect(chunks[index + 1]).toBe(attachment));
      if (general.attachments.length > 0) withBinary++;
      if (/[[{].*[[{]/.test(text.slice(1))) nested++;
    }
    // Both sides of the subset were exercised.
    expect(written).toBeGreaterThan(RUNS / 5);
    expect(written).toBeLessThan(RUNS * 0.9);
    expect(withBinary).toBeGreaterThan(RUNS / 40);
    expect(nested).toBeGreaterThan(RUNS / 40);
  });

  it("declines payloads past the limits: depth, maxDepth, items, length, cycles", () => {
    const deep = [[[[1]]]];
    expect(writeSmallPayload(deep, [""], 100)).toBe("[[[[1]]]]");
    expect(writeSmallPayload([deep], [""], 100)).toBeUndefined();
    expect(writeSmallPayload(deep, [""], 3)).toBeUndefined();
    expect(writeSmallPayload([{ a: { b: 1 } }], [""], 3)).toBe('[{"a":{"b":1}}]');
    expect(writeSmallPayload([{ a: { b: 1 } }], [""], 2)).toBeUndefined();
    // A binary value is a leaf, not a level.
    const buffer = Buffer.from([1]);
    const chunks: EncodedChunk[] = [""];
    expect(writeSmallPayload([{ a: { b: buffer } }], chunks, 3)).toBe('[{"a":{"b":{"_placeholder":true,"num":0}}}]');
    expect(chunks[1]).toBe(buffer);
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i]));
    expect(writeSmallPayload([many], [""], 100)).toBeUndefined();
    expect(writeSmallPayload(["x".repeat(300), "y".repeat(300)], [""], 100)).toBeUndefined();
    const circular: Record<string, unknown> = {};
    circular["self"] = circular;
    expect(writeSmallPayload([circular], [""], 100)).toBeUndefined();
    const inheritedToJSON = Object.create({ toJSON: () => 1 }) as object;
    expect(writeSmallPayload([inheritedToJSON], [""], 100)).toBeUndefined();
  });

  it("writes keys in Object.keys order, integer-like keys first, -0 as 0", () => {
    const data = [{ b: 1, 10: 2, a: -0, 2: 3, "1e3": null }];
    expect(writeSmallPayload(data, [""], 100)).toBe(JSON.stringify(data));
    expect(writeSmallPayload(data, [""], 100)).toBe('[{"2":3,"10":2,"b":1,"a":0,"1e3":null}]');
  });
});

// Random JSON text written by hand, so that it can hold what JSON.stringify never
// writes: duplicate keys, whitespace, escapes, number forms, placeholders good and bad.
const NUMBER_TEXTS = ["0", "-0", "17", "-12", "0.1", "1e21", "1E+3", "2.5e-3", "1e400", "9007199254740993", "-0.0"];
const BAD_TEXTS = ["01", "1.", "-", "tru", "nul", "1e", '"\t"', "[1,]", "{,}"];
const PLACEHOLDERS = [
  '{"_placeholder":true,"num":0}',
  '{"_placeholder":true,"num":1}',
  '{"_placeholder":true,"num":2}',
  '{"_placeholder":true,"num":01}',
  '{"num":0,"_placeholder":true}',
  '{"_placeholder":true,"num":0,"x":1}',
  '{"_placeholder":false,"num":0}',
];

function randomText(random: () => number, depth: number): string {
  const pick = random();
  const space = (): string => (random() < 0.02 ? [" ", "\n", "\t"][randomInt(random, 3)]! : "");
  if (depth >= 6 || pick < 0.5) {
    const kind = random();
    if (kind < 0.35) return JSON.stringify(STRINGS[randomInt(random, STRINGS.length)]);
    if (kind < 0.4) return '"\\u0041\\n"';
    if (kind < 0.75) return NUMBER_TEXTS[randomInt(random, NUMBER_TEXTS.length)]!;
    if (kind < 0.85) return ["true", "false", "null"][randomInt(random, 3)]!;
    if (kind < 0.95) return random() < 0.5 ? PLACEHOLDERS[0]! : PLACEHOLDERS[randomInt(random, PLACEHOLDERS.length)]!;
    return BAD_TEXTS[randomInt(random, BAD_TEXTS.length)]!;
  }
  const size = random() < 0.05 ? 30 + randomInt(random, 6) : randomInt(random, 5);
  const items: string[] = [];
  if (pick < 0.72) {
    for (let i = 0; i < size; i++) items.push(space() + randomText(random, depth + 1) + space());
    return "[" + items.join(",") + "]";
  }
  for (let i = 0; i < size; i++) {
    const key = random() < 0.7 ? KEYS[randomInt(random, 10)]! : KEYS[randomInt(random, KEYS.length)]!;
    const keyText = random() < 0.03 ? '"\\u005f_proto__"' : JSON.stringify(key);
    items.push(space() + keyText + space() + ":" + randomText(random, depth + 1));
  }
  return "{" + items.join(",") + "}";
}

// Puts one distinct attachment in each slot, as the reassembly does.
function fill(slots: readonly PlaceholderSlot[], attachments: readonly Buffer[]): void {
  for (const { container, key, num } of slots) (container as Record<string | number, unknown>)[key] = attachments[num];
}

describe(`readSmallPayload against JSON.parse + inspectPayload (seed ${SEED})`, () => {
  it(`reads what the general path reads for ${RUNS} random texts, or declines`, () => {
    const random = createRandom(SEED + 1);
    const attachmentValues = [Buffer.from([0]), Buffer.from([1]), Buffer.from([2])];
    let read = 0;
    let withSlots = 0;
    let nested = 0;
    for (let run = 0; run < RUNS; run++) {
      const items = Array.from({ length: randomInt(random, 5) }, () => randomText(random, 1));
      const text = "[" + items.join(",") + "]";
      const maxDepth = MAX_DEPTHS[randomInt(random, MAX_DEPTHS.length)]!;
      const isBinary = random() < 0.5;
      const attachments = isBinary ? 1 + randomInt(random, 2) : 0;
      const slots: PlaceholderSlot[] | undefined = isBinary ? [] : undefined;
      const data = readSmallPayload(text, 0, slots, attachments, maxDepth);
      if (data === undefined) continue;
      read++;
      // The general path accepts it too…
      const parsed: unknown = JSON.parse(text);
      const generalSlots: PlaceholderSlot[] | undefined = isBinary ? [] : undefined;
      inspectPayload(parsed, maxDepth, generalSlots, attachments);
      // …records the same placeholders in the same order…
      expect(slots?.map((slot) => slot.num)).toEqual(generalSlots?.map((slot) => slot.num));
      if (slots !== undefined && generalSlots !== undefined) {
        if (slots.length > 0) withSlots++;
        fill(slots, attachmentValues);
        fill(generalSlots, attachmentValues);
      }
      // …and gives the same value: keys in the same order, same prototypes, -0 kept.
      expect(sameJSONValue(data, parsed)).toBe(true);
      if (/[[{].*[[{]/.test(text.slice(1))) nested++;
    }
    expect(read).toBeGreaterThan(RUNS / 10);
    expect(read).toBeLessThan(RUNS * 0.9);
    expect(withSlots).toBeGreaterThan(RUNS / 100);
    expect(nested).toBeGreaterThan(RUNS / 40);
  });

  it("declines forbidden, inherited and duplicate keys, so the general path decides", () => {
    for (const key of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      expect(readSmallPayload(`[{"${key}":1}]`, 0, undefined, 0, 100)).toBeUndefined();
      expect(readSmallPayload(`[{"a":[{"${key}":{}}]}]`, 0, undefined, 0, 100)).toBeUndefined();
    }
    expect(readSmallPayload('[{"a":1,"a":2}]', 0, undefined, 0, 100)).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("a");
    const forbidden = ['2["x",{"__proto__":{"polluted":1}}]', '217["x",{"a":{"constructor":1}}]', '317[{"__proto__":1}]'];
    for (const text of forbidden) {
      expect((thrownBy(() => decodeAll([text])) as DecodeError).code).toBe(DecodeErrorCode.FORBIDDEN_KEY);
    }
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("orders integer-like keys as JSON.parse does", () => {
    const text = '[{"b":1,"10":2,"a":3,"2":4,"1e3":5,"01":6,"4294967295":7,"4294967294":8}]';
    const data = readSmallPayload(text, 0, undefined, 0, 100);
    expect(data).toBeDefined();
    expect(sameJSONValue(data, JSON.parse(text))).toBe(true);
    expect(Object.keys((data as object[])[0]!)).toEqual(Object.keys((JSON.parse(text) as object[])[0]!));
  });

  it("counts depth as inspectPayload does and never goes past maxDepth", () => {
    expect(readSmallPayload("[[[[1]]]]", 0, undefined, 0, 100)).toEqual([[[[1]]]]);
    expect(readSmallPayload("[[[[[1]]]]]", 0, undefined, 0, 100)).toBeUndefined();
    expect(readSmallPayload('[{"a":[1]}]', 0, undefined, 0, 3)).toEqual([{ a: [1] }]);
    expect(readSmallPayload('[{"a":[1]}]', 0, undefined, 0, 2)).toBeUndefined();
    expect((thrownBy(() => decodeAll(['2["x",{"a":[1]}]'], { maxDepth: 2 })) as DecodeError).code).toBe(
      DecodeErrorCode.TOO_DEEP,
    );
    // A placeholder is a leaf: it adds no level.
    const slots: PlaceholderSlot[] = [];
    expect(readSmallPayload('[{"a":{"_placeholder":true,"num":0}}]', 0, slots, 1, 2)).toEqual([{ a: undefined }]);
    expect(slots).toHaveLength(1);
  });

  it("reassembles attachments into nested arrays and objects", () => {
    const first = Buffer.from([1]);
    const second = Buffer.from([2]);
    const text = '52-17["f",{"a":[1,{"_placeholder":true,"num":1}],"b":{"_placeholder":true,"num":0},"c":2}]';
    const [packet] = decodeAll([text, first, second]);
    expect(packet).toEqual({ type: PacketType.EVENT, nsp: "/", id: 17, data: ["f", { a: [1, second], b: first, c: 2 }] });
    const data = (packet!.data as unknown[])[1] as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(["a", "b", "c"]);
    expect((data["a"] as unknown[])[1]).toBe(second);
    expect(data["b"]).toBe(first);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
  });

  it("leaves bad placeholders in binary packets to the general path's errors", () => {
    const bad = ['51-["f",{"a":{"_placeholder":true,"num":1}}]', '51-["f",{"a":{"num":5,"_placeholder":true}}]'];
    for (const text of bad) {
      expect((thrownBy(() => decodeAll([text])) as DecodeError).code).toBe(DecodeErrorCode.INVALID_PLACEHOLDER);
    }
  });
});
