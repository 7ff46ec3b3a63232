import { describe, expect, it } from "@jest/globals";
import {
  Decoder,
  DecodeErrorCode,
  EncodeErrorCode,
  Encoder,
  PacketType,
  RESERVED_EVENTS,
  type EncodedChunk,
} from "../../src";
import { createRandom, randomInt } from "../../src/conformance/random";
import { readSmallPayload, writeSmallPayload } from "../../src/small-payload";
import type { PlaceholderSlot } from "../../src/inspect-payload";
import { isReservedEvent } from "../../src/reserved-event";
import { isReservedEvent as isReservedEventInBrowsers } from "../../src/reserved-event.browser";
import { decodeAll, thrownBy } from "../helpers/decode";
import { sameJSONValue } from "../helpers/same-json-value";

const SEED = 20_261_125;

// The fast paths as the encoder and decoder call them with the default maxDepth.
const writeAtDefaultDepth = (data: unknown[], chunks: EncodedChunk[]): string | undefined =>
  writeSmallPayload(data, chunks, 100);
const readAtDefaultDepth = (
  text: string,
  start: number,
  slots: PlaceholderSlot[] | undefined,
  attachments: number,
): unknown[] | undefined => readSmallPayload(text, start, slots, attachments, 100);

// Values chosen to sit on both sides of every rule of the fast paths.
const STRINGS = [
  ...["", "a", "message", "hello world", 'quo"te', "back\\slash", "tab\there", "nl\n", "\u0000", "\u007f"],
  ...["é€", "😀", "\ud800", "\udfff", "x".repeat(128), "x".repeat(129), "__proto__", "{}"],
];
const NUMBERS = [
  ...[0, -0, 1, -1, 42, 1.5, -2.25, 1e21, 1e-7, 123456789012345, 1234567890123456, 2 ** 53 + 2],
  ...[Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity],
];
const OTHERS: unknown[] = [true, false, null, undefined, [], [1], {}, { a: 1 }, () => 1, Symbol("s"), new Date(0)];

function randomItem(random: () => number): unknown {
  const pick = random();
  if (pick < 0.45) return STRINGS[randomInt(random, STRINGS.length)];
  if (pick < 0.85) return NUMBERS[randomInt(random, NUMBERS.length)];
  return OTHERS[randomInt(random, OTHERS.length)];
}

describe("writeAtDefaultDepth: the encoder's fast path", () => {
  it("writes exactly what JSON.stringify writes, or declines", () => {
    const random = createRandom(SEED);
    let written = 0;
    for (let i = 0; i < 5000; i++) {
      const data = Array.from({ length: randomInt(random, 18) }, () => randomItem(random));
      const chunks: EncodedChunk[] = [""];
      const text = writeAtDefaultDepth(data, chunks);
      if (text === undefined) continue;
      written++;
      expect(text).toBe(JSON.stringify(data));
      expect(chunks).toHaveLength(1);
    }
    expect(written).toBeGreaterThan(500);
  });

  it("declines what needs JSON.stringify's rules: escapes, surrogates, toJSON, holes, omitted values", () => {
    const declined = ['a"b', "a\\b", "a\nb", "\ud83d\ude00", "\ud800", undefined, () => 1, 1n, new Date(0)];
    for (const value of declined) {
      expect(writeAtDefaultDepth(["x", value], [""])).toBeUndefined();
      expect(writeAtDefaultDepth(["x", { a: [value] }], [""])).toBeUndefined();
    }
    const withToJSON = Object.assign(["x"], { toJSON: () => ["y"] });
    expect(writeAtDefaultDepth(withToJSON, [""])).toBeUndefined();
    expect(writeAtDefaultDepth(["x", , 1], [""])).toBeUndefined();
    expect(writeAtDefaultDepth(new Array(32).fill(1), [""])).toBe(JSON.stringify(new Array(32).fill(1)));
    expect(writeAtDefaultDepth(new Array(33).fill(1), [""])).toBeUndefined();
  });

  it("replaces top-level binary values by numbered placeholders, in order, without copying", () => {
    const first = Buffer.from([1]);
    const second = new ArrayBuffer(2);
    const third = new Blob(["b"]);
    const chunks: EncodedChunk[] = [""];
    expect(writeAtDefaultDepth(["f", first, 2, second, third], chunks)).toBe(
      '["f",{"_placeholder":true,"num":0},2,{"_placeholder":true,"num":1},{"_placeholder":true,"num":2}]',
    );
    expect(chunks[1]).toBe(first);
    expect(chunks[2]).toBe(second);
    expect(chunks[3]).toBe(third);
  });

  it("takes a binary value with its own toJSON as binary, like the general walk", () => {
    class Labelled extends Uint8Array {
      toJSON(): string {
        return "label";
      }
    }
    const value = new Labelled([1, 2]);
    const encoder = new Encoder();
    expect(encoder.encode({ type: PacketType.EVENT, nsp: "/", data: ["x", value] })).toEqual([
      '51-["x",{"_placeholder":true,"num":0}]',
      value,
    ]);
    expect(encoder.encode({ type: PacketType.EVENT, nsp: "/", data: ["x", { value }] })).toEqual([
      '51-["x",{"value":{"_placeholder":true,"num":0}}]',
      value,
    ]);
  });

  it("still enforces maxAttachments at the limit and one past it", () => {
    const encoder = new Encoder({ maxAttachments: 2 });
    const two = ["x", Buffer.alloc(1), Buffer.alloc(1)];
    expect(encoder.encode({ type: PacketType.EVENT, nsp: "/", data: two })).toHaveLength(3);
    const three = [...two, Buffer.alloc(1)];
    const error = thrownBy(() => encoder.encode({ type: PacketType.EVENT, nsp: "/", data: three }));
    expect((error as { code: string }).code).toBe(EncodeErrorCode.TOO_MANY_ATTACHMENTS);
  });
});

describe("readAtDefaultDepth: the decoder's fast path", () => {
  it("reads exactly what JSON.parse reads, or declines", () => {
    const random = createRandom(SEED + 1);
    let read = 0;
    for (let i = 0; i < 5000; i++) {
      const data = Array.from({ length: randomInt(random, 18) }, () => randomItem(random));
      const text = "2" + JSON.stringify(data);
      const items = readAtDefaultDepth(text, 1, undefined, 0);
      if (items === undefined) continue;
      read++;
      expect(Object.is(items.length, data.length)).toBe(true);
      expect(sameJSONValue(items, JSON.parse(text.slice(1)))).toBe(true);
    }
    expect(read).toBeGreaterThan(500);
  });

  it("reads JSON numbers of every form to the same double as JSON.parse", () => {
    const numbers = ["0", "-0", "7", "-12", "123456789012345", "1234567890123456", "9007199254740993"];
    for (const number of [...numbers, "1.5", "-0.0", "1e3", "1E+3", "2.5e-3", "1e400"]) {
      const items = readAtDefaultDepth(`[${number}]`, 0, undefined, 0);
      expect(items).toBeDefined();
      expect(Object.is(items![0], (JSON.parse(`[${number}]`) as number[])[0])).toBe(true);
    }
  });

  it("declines anything outside the subset, valid JSON or not", () => {
    const valid = ['["a" ]', "[ 1]", '["a\\"b"]', '["\\u005f_proto__"]', '[{"a" :1}]', "[[1] ]", "[1] ", "{}", '"s"'];
    const invalid = ['["a\tb"]', '["a', "[1,]", "[01]", "[1.]", "[-]", "[1e]", "[tru]", "[nul]", "[1]x"];
    for (const text of [...valid, ...invalid]) {
      expect(readAtDefaultDepth(text, 0, undefined, 0)).toBeUndefined();
    }
  });

  it("records exact placeholders in binary packets only, each within the announced count", () => {
    const slots: PlaceholderSlot[] = [];
    const items = readAtDefaultDepth('["f",{"_placeholder":true,"num":1},{"_placeholder":true,"num":0}]', 0, slots, 2);
    expect(items).toEqual(["f", undefined, undefined]);
    expect(slots).toEqual([
      { container: items, key: 1, num: 1 },
      { container: items, key: 2, num: 0 },
    ]);
    // Outside binary packets, a placeholder is ordinary data, as in the general path.
    const placeholder = '["f",{"_placeholder":true,"num":0}]';
    expect(readAtDefaultDepth(placeholder, 0, undefined, 1)).toEqual(["f", { _placeholder: true, num: 0 }]);
    const declined = [
      '["f",{"_placeholder":true,"num":2}]',
      '["f",{"_placeholder":true,"num":01}]',
      '["f",{"_placeholder":true,"num":-1}]',
      '["f",{"_placeholder":true,"num":0,"x":1}]',
      '["f",{"_placeholder":true, "num":0}]',
    ];
    for (const text of declined) {
      expect(readAtDefaultDepth(text, 0, [], 2)).toBeUndefined();
    }
  });

  it("leaves errors to the general path, with the same codes as before", () => {
    const decodeError = (text: string): unknown =>
      (thrownBy(() => new Decoder().add(text)) as { code: unknown }).code;
    expect(decodeError('2["a",]')).toBe(DecodeErrorCode.INVALID_JSON);
    expect(decodeError('2["a\u0001"]')).toBe(DecodeErrorCode.INVALID_JSON);
    expect(decodeError("2[true]")).toBe(DecodeErrorCode.INVALID_PAYLOAD);
    expect(decodeError("2[]")).toBe(DecodeErrorCode.INVALID_PAYLOAD);
    expect(decodeError('2["connect"]')).toBe(DecodeErrorCode.RESERVED_EVENT);
    expect(decodeError('51-["f",{"_placeholder":true,"num":1}]')).toBe(DecodeErrorCode.INVALID_PLACEHOLDER);
    expect(decodeError('51-[{"_placeholder":true,"num":0}]')).toBe(DecodeErrorCode.INVALID_PAYLOAD);
  });

  it("reassembles a binary packet with its attachments in place", () => {
    const first = Buffer.from([1]);
    const second = Buffer.from([2]);
    const text = '52-["f",{"_placeholder":true,"num":1},3,{"_placeholder":true,"num":0}]';
    const [packet] = decodeAll([text, first, second]);
    expect(packet).toEqual({ type: PacketType.EVENT, nsp: "/", data: ["f", second, 3, first] });
  });
});

describe("objects through both fast paths, with keys that share the caches' slots", () => {
  // Keys of the same length and end characters (one slot of the writer's cache), keys
  // sharing their first two characters or being prefixes of each other (one slot of the
  // reader's cache), one-character keys, and keys the fast paths must leave alone.
  const KEYS = [
    ...["ab", "cb", "eb", "a", "b", "t", "te", "tex", "text", "texture", "textual", "type", "ty"],
    ...["user", "used", "users", "id", "idx", "", "é", "😀", 'q"k', "b\\k", "k\n", "x".repeat(33), "__proto__"],
  ];

  function randomObject(random: () => number, depth: number): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    const count = randomInt(random, 6);
    for (let i = 0; i < count; i++) {
      const key = KEYS[randomInt(random, KEYS.length)]!;
      const value = depth > 0 && random() < 0.2 ? randomObject(random, depth - 1) : randomItem(random);
      // an own "__proto__" as JSON.parse would make it, not the prototype setter
      Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return object;
  }

  it("write exactly what JSON.stringify writes and read exactly what JSON.parse reads, or decline", () => {
    const random = createRandom(SEED + 2);
    let written = 0;
    let read = 0;
    for (let i = 0; i < 5000; i++) {
      const data = ["event", randomObject(random, 2), randomObject(random, 1)];
      const text = writeAtDefaultDepth(data, [""]);
      if (text !== undefined) {
        written++;
        expect(text).toBe(JSON.stringify(data));
      }
      const json = JSON.stringify(data);
      const items = readAtDefaultDepth(json, 0, undefined, 0);
      if (items !== undefined) {
        read++;
        expect(sameJSONValue(items, JSON.parse(json))).toBe(true);
        expect(Object.keys(items[1] as object)).toEqual(Object.keys(JSON.parse(json)[1] as object));
      }
    }
    expect(written).toBeGreaterThan(500);
    expect(read).toBeGreaterThan(500);
  });

  it("the encoder leaves keys inherited from a polluted Object.prototype out, as JSON.stringify does", () => {
    const encoder = new Encoder();
    const prototype = Object.prototype as Record<string, unknown>;
    prototype["polluted"] = 1;
    try {
      const data = ["event", { user: "ann", text: "hey!" }];
      expect(encoder.encode({ type: PacketType.EVENT, nsp: "/", data })).toEqual([`2${JSON.stringify(data)}`]);
      expect(JSON.stringify(data)).toBe('["event",{"user":"ann","text":"hey!"}]');
    } finally {
      delete prototype["polluted"];
    }
  });

  it("a prototype-less object is written as JSON.stringify writes it", () => {
    const object = Object.assign(Object.create(null) as Record<string, unknown>, { user: "ann", text: "hey!" });
    expect(writeAtDefaultDepth(["event", object], [""])).toBe('["event",{"user":"ann","text":"hey!"}]');
  });

  it("objects of exactly 32 keys are written and read, one more key is declined both ways", () => {
    const keys = (count: number): Record<string, number> => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i]));
    expect(writeAtDefaultDepth(["e", keys(32)], [""])).toBe(JSON.stringify(["e", keys(32)]));
    expect(writeAtDefaultDepth(["e", keys(33)], [""])).toBeUndefined();
    expect(readAtDefaultDepth(JSON.stringify(["e", keys(32)]), 0, undefined, 0)).toEqual(["e", keys(32)]);
    expect(readAtDefaultDepth(JSON.stringify(["e", keys(33)]), 0, undefined, 0)).toBeUndefined();
  });
});

describe.each([
  ["isReservedEvent", isReservedEvent],
  ["isReservedEvent of the browser build", isReservedEventInBrowsers],
])("%s", (_name, isReserved) => {
  it("agrees with RESERVED_EVENTS", () => {
    for (const name of RESERVED_EVENTS) expect(isReserved(name)).toBe(true);
    for (const name of ["message", "connected", "Connect", "disconnect ", "newlistener", "", "removeListeners", "toString", "__proto__"]) {
      expect(isReserved(name)).toBe(false);
    }
  });
});
