// Drop-in compatibility with the published socket.io-parser 4 (issue 7): code written for it
// must work by changing the import. Each scenario runs the same inputs through both parsers
// and compares what can be observed: packets, wire chunks, reviver / replacer calls, error
// message prefixes, emitter behaviour, exports.
import { describe, expect, it } from "@jest/globals";
import { inspect } from "node:util";
import * as theirs from "socket.io-parser";
import * as ours from "../../src";
import { Decoder, Encoder, PacketType, isPacketValid, type EncodedChunk, type Packet } from "../../src";

const { CONNECT, EVENT, ACK, CONNECT_ERROR } = PacketType;

type Reviver = (this: unknown, key: string, value: unknown) => unknown;

/** A reviver (or replacer) that logs each call: key, value and the keys of its holder (`this`). */
function recording(transform: (key: string, value: unknown) => unknown = (_key, value) => value): {
  fn: Reviver;
  calls: string[];
} {
  const calls: string[] = [];
  const fn: Reviver = function (this: unknown, key, value) {
    calls.push(`${JSON.stringify(key)} ${inspect(value, { depth: 8 })} in [${Object.keys(this as object).join(",")}]`);
    return transform(key, value);
  };
  return { fn, calls };
}

/** Feeds `chunks` to a decoder and returns the packets it emitted, or the first error's message. */
function run(decoder: Decoder | theirs.Decoder, chunks: readonly unknown[]): { packets: unknown[]; error?: string } {
  const packets: unknown[] = [];
  const listener = (packet: Packet | theirs.Packet): void => void packets.push(packet);
  if (decoder instanceof Decoder) decoder.on("decoded", listener);
  else decoder.on("decoded", listener);
  try {
    for (const chunk of chunks) decoder.add(chunk);
  } catch (error) {
    return { packets, error: (error as Error).message };
  }
  return { packets };
}

/** The same packet with binary values as Buffers and undefined properties dropped. */
function normalise(value: unknown): unknown {
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return value.map(normalise);
  if (value instanceof Date) return value;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, normalise(v)]));
  }
  return value;
}

const placeholder = (num: number): string => `{"_placeholder":true,"num":${num}}`;

describe("the reviver option", () => {
  // Texts the small-payload reader takes (the first four), the general path, and binary packets.
  const inputs: Array<[string, unknown[]]> = [
    ["small EVENT (the fast lane)", ['2["message","hello",42]']],
    ["EVENT with objects (the fast lane)", ['2["a",{"b":1,"c":[1,2,{"d":null}],"e":{"$date":0}}]']],
    ["EVENT in a namespace with an ack id", ['2/chat,12["ask",{"x":true,"n":-0.5}]']],
    ["ACK", ['31["answer",{"ok":true,"list":[3,4]}]']],
    ["CONNECT", ['0/admin,{"token":"abc","n":7}']],
    ["CONNECT_ERROR", ['4{"message":"nope","data":{"n":1}}']],
    ["EVENT longer than the small-payload limit", [`2["big","${"x".repeat(600)}",1]`]],
    ["EVENT with escapes and whitespace", ['2[ "a\\n" , {"k\\"": 2} ]']],
    ["EVENT with a numeric name", ['2[7,"numeric",8]']],
    ["binary EVENT", [`51-["file",${placeholder(0)},{"n":1}]`, Buffer.from([1, 2])]],
    ["binary ACK", [`62-/x,5[${placeholder(1)},{"f":${placeholder(0)}}]`, Buffer.from([1]), Buffer.from([2])]],
  ];
  const transforms: Array<[string, (key: string, value: unknown) => unknown]> = [
    ["an identity reviver", (_key, value) => value],
    ["a reviver that changes values", (key, value) => {
      if (typeof value === "number" && key !== "num") return value * 2; // placeholders kept
      if (typeof value === "object" && value !== null && "$date" in value) return new Date((value as { $date: number }).$date);
      if (key === "ok" || key === "x") return undefined; // drops the property
      return value;
    }],
  ];

  for (const [transformName, transform] of transforms) {
    it.each(inputs)(`${transformName}: %s gives the packets and the reviver calls socket.io-parser gives`, (_name, chunks) => {
      const reference = recording(transform);
      const expected = run(new theirs.Decoder(reference.fn), chunks);
      expect(expected.error).toBeUndefined();
      expect(reference.calls.length).toBeGreaterThan(1);
      // new Decoder(reviver) and new Decoder({ reviver }) both
      for (const make of [(fn: Reviver) => new Decoder(fn), (fn: Reviver) => new Decoder({ reviver: fn })]) {
        const mine = recording(transform);
        const actual = run(make(mine.fn), chunks);
        expect(actual.error).toBeUndefined();
        expect(actual.packets.map(normalise)).toEqual(expected.packets.map(normalise));
        expect(mine.calls).toEqual(reference.calls);
      }
    });
  }

  it("calls it as JSON.parse does: deepest first, the payload last with key \"\"", () => {
    const text = '2["a",{"b":[1]}]';
    const mine = recording();
    run(new Decoder(mine.fn), [text]);
    const reference = recording();
    JSON.parse(text.slice(1), reference.fn);
    expect(mine.calls).toEqual(reference.calls);
    expect(mine.calls.at(-1)).toMatch(/^"" \[/);
  });

  it("a reviver that breaks the payload gives the error socket.io-parser gives", () => {
    for (const reviver of [
      (key: string, value: unknown) => (key === "" ? { not: "an array" } : value),
      (key: string, value: unknown) => (key === "0" ? "disconnect" : value),
      (key: string, value: unknown) => (key === "" ? undefined : value),
      () => {
        throw new Error("reviver failed");
      },
    ]) {
      const expected = run(new theirs.Decoder(reviver), ['2["a",1]']);
      const actual = run(new Decoder(reviver), ['2["a",1]']);
      expect(expected.error).toBe("invalid payload");
      expect(actual.error?.startsWith(expected.error!)).toBe(true);
    }
    // a placeholder the reviver moves past the attachments
    const reviver = (key: string, value: unknown): unknown => (key === "num" ? 5 : value);
    const chunks = [`51-["a",${placeholder(0)}]`, Buffer.from([1])];
    const expected = run(new theirs.Decoder(reviver), chunks);
    expect(expected.error).toBe("illegal attachments");
    expect(run(new Decoder(reviver), chunks).error?.startsWith(expected.error!)).toBe(true);
  });

  it("leaves decoders without a reviver alone", () => {
    const mine = recording();
    run(new Decoder(mine.fn), ['2["a"]']);
    expect(run(new Decoder(), ['2["a"]']).packets).toEqual([{ type: EVENT, nsp: "/", data: ["a"] }]);
    expect(new Decoder().options.reviver).toBeUndefined();
    expect(new Decoder({ reviver: mine.fn }).options.reviver).toBe(mine.fn);
  });

  it("takes maxAttachments next to the reviver, as socket.io-parser does", () => {
    const text = `52-["a",${placeholder(0)},${placeholder(1)}]`;
    const expected = run(new theirs.Decoder({ reviver: (_k, v) => v, maxAttachments: 1 }), [text]);
    const actual = run(new Decoder({ reviver: (_k, v) => v, maxAttachments: 1 }), [text]);
    expect(expected.error).toBe("too many attachments");
    expect(actual.error?.startsWith(expected.error!)).toBe(true);
  });
});

describe("the replacer option", () => {
  const packets: Array<[string, Packet]> = [
    ["small EVENT (the fast lane)", { type: EVENT, nsp: "/", data: ["message", "hello", 42] }],
    ["EVENT with objects", { type: EVENT, nsp: "/", data: ["a", { b: 1, secret: "s", c: [1, { d: null }] }] }],
    ["EVENT in a namespace with an ack id", { type: EVENT, nsp: "/chat", id: 12, data: ["ask", { x: true }] }],
    ["ACK", { type: ACK, nsp: "/", id: 3, data: ["answer", { ok: true }] }],
    ["CONNECT", { type: CONNECT, nsp: "/admin", data: { token: "abc", secret: "s" } }],
    ["CONNECT_ERROR", { type: CONNECT_ERROR, nsp: "/", data: { message: "nope" } }],
    ["EVENT with a Map, a Date and a toJSON", { type: EVENT, nsp: "/", data: ["m", new Map([["k", 1]]), new Date(0), { toJSON: () => ({ t: 1 }) }] }],
    ["EVENT with a numeric name", { type: EVENT, nsp: "/", data: [7, "numeric"] }],
    ["binary EVENT", { type: EVENT, nsp: "/", data: ["file", Buffer.from([1, 2]), { n: 1, secret: "s" }] }],
    ["binary ACK in a namespace", { type: ACK, nsp: "/x", id: 5, data: [{ f: Buffer.from([1]) }, Buffer.from([2])] }],
  ];
  const transforms: Array<[string, (key: string, value: unknown) => unknown]> = [
    ["an identity replacer", (_key, value) => value],
    ["a replacer that changes values", (key, value) => {
      if (key === "secret") return undefined;
      if (value instanceof Map) return Object.fromEntries(value);
      if (typeof value === "number") return value + 100;
      return value;
    }],
  ];

  for (const [transformName, transform] of transforms) {
    it.each(packets)(`${transformName}: %s gives the chunks and the replacer calls socket.io-parser gives`, (_name, packet) => {
      const reference = recording(transform);
      // socket.io-parser rewrites the packet it encodes: give it a shallow copy
      const expected = new theirs.Encoder(reference.fn).encode({ ...packet } as theirs.Packet) as EncodedChunk[];
      expect(reference.calls.length).toBeGreaterThan(1);
      for (const make of [(fn: Reviver) => new Encoder(fn), (fn: Reviver) => new Encoder({ replacer: fn })]) {
        const mine = recording(transform);
        expect(make(mine.fn).encode(packet)).toEqual(expected);
        expect(mine.calls).toEqual(reference.calls);
      }
    });
  }

  it("a replacer that throws gives an error whose message begins with the replacer's", () => {
    const replacer = (key: string, value: unknown): unknown => {
      if (key === "1") throw new Error("replacer failed");
      return value;
    };
    const packet: Packet = { type: EVENT, nsp: "/", data: ["a", 1] };
    expect(() => new theirs.Encoder(replacer).encode({ ...packet } as theirs.Packet)).toThrow("replacer failed");
    expect(() => new Encoder(replacer).encode(packet)).toThrow(/^replacer failed/);
  });

  it("leaves encoders without a replacer alone", () => {
    expect(new Encoder().options.replacer).toBeUndefined();
    expect(new Encoder().encode({ type: EVENT, nsp: "/", data: ["a", 1] })).toEqual(['2["a",1]']);
  });
});

describe("numeric event names", () => {
  const names: unknown[] = [0, 1, -1, 1.5, 1e21, NaN, Infinity, "a", "", "connect", "disconnect", "newListener", true, null, undefined, {}, [], ["a"]];

  it.each(names.map((name) => [inspect(name), name]))("isPacketValid on an EVENT named %s answers as socket.io-parser's", (_label, name) => {
    for (const packet of [
      { type: EVENT, nsp: "/", data: [name, "x"] },
      { type: EVENT, nsp: "/chat", id: 4, data: [name] },
    ]) {
      expect(isPacketValid(packet)).toBe(theirs.isPacketValid(packet as theirs.Packet));
    }
  });

  it.each<[string, Packet]>([
    ["on /", { type: EVENT, nsp: "/", data: [1, "a"] }],
    ["zero, alone", { type: EVENT, nsp: "/", data: [0] }],
    ["negative and fractional, in a namespace with an ack id", { type: EVENT, nsp: "/chat", id: 9, data: [-1.5, { a: 1 }] }],
    ["with an exponent", { type: EVENT, nsp: "/", data: [1e21, "x"] }],
    ["with binary data", { type: EVENT, nsp: "/", data: [3, Buffer.from([1, 2])] }],
  ])("encode the same chunks and decode to the same packets, %s", (_name, packet) => {
    const expected = new theirs.Encoder().encode({ ...packet } as theirs.Packet) as EncodedChunk[];
    const chunks = new Encoder().encode(packet);
    expect(chunks).toEqual(expected);
    const theirPackets = run(new theirs.Decoder(), chunks);
    const ourPackets = run(new Decoder(), chunks);
    expect(ourPackets.error).toBeUndefined();
    expect(ourPackets.packets.map(normalise)).toEqual(theirPackets.packets.map(normalise));
    expect(ourPackets.packets.map(normalise)).toEqual([normalise(packet)]);
  });

  it.each(["2[1e400]", "2[-0]", '2/a,3[2,"x"]', "2[12345678901234567890]"])("decode %s as socket.io-parser does", (text) => {
    const expected = run(new theirs.Decoder(), [text]);
    expect(expected.error).toBeUndefined();
    expect(run(new Decoder(), [text])).toEqual(expected);
  });
});

describe("error messages begin with socket.io-parser's", () => {
  const binaryText = `51-["a",${placeholder(0)}]`;
  const inputs: Array<[string, unknown[]]> = [
    ["unknown type digit", ["8"]],
    ["unknown type letter", ["x[]"]],
    ["attachment count missing", ['5["a"]']],
    ["attachment count without dash", ["51"]],
    ["attachment count empty", ['5-["a"]']],
    ["attachment count not digits", ['5a-["a"]']],
    ["attachment count fractional", ['51.5-["a"]']],
    ["attachment count zero", ['50-["a"]']],
    ["attachment count above maxAttachments", ['511-["a"]']],
    ["attachment count of 11 digits", ['512345678901-["a"]']],
    ["EVENT payload a string", ['2"x"']],
    ["EVENT payload an object", ['2{"a":1}']],
    ["EVENT payload empty", ["2[]"]],
    ["EVENT named by a boolean", ["2[true]"]],
    ["EVENT named by null, in a namespace", ['2/a,[null]']],
    ["reserved event name", ['2["disconnect"]']],
    ["reserved event name in a namespace with an ack id", ['2/a,1["connect"]']],
    ["invalid JSON", ['2["a"']],
    ["trailing garbage", ['2["a"]x']],
    ["CONNECT with an array", ["0[]"]],
    ["CONNECT with a string", ['0"token"']],
    ["DISCONNECT with a payload", ["1{}"]],
    ["ACK with an object", ['31{"a":1}']],
    ["ACK without id, with an object", ['3{"a":1}']],
    ["CONNECT_ERROR with null", ["4null"]],
    ["namespace with a control character and a bad payload", ['2/a\u0001,{}']],
    ["binary data while none is awaited", [Buffer.from([1])]],
    ["text while attachments are awaited", [binaryText, '2["b"]']],
    ["a number", [5]],
    ["an object", [{}]],
    ["a boolean", [true]],
    ["placeholder past the attachments (theirs fails at the attachment, ours at the text)", [`51-["a",${placeholder(1)}]`, Buffer.from([1])]],
    ["placeholder with a negative num", [`51-["a",${placeholder(-1)}]`, Buffer.from([1])]],
    ["placeholder without num", ['51-["a",{"_placeholder":true}]', Buffer.from([1])]],
  ];

  it.each(inputs)("decoding: %s", (_name, chunks) => {
    const expected = run(new theirs.Decoder(), chunks);
    const actual = run(new Decoder(), chunks);
    expect(expected.error).toBeDefined();
    expect(actual.error).toBeDefined();
    expect(actual.error!.startsWith(expected.error!)).toBe(true);
  });

  it("cover every text socket.io-parser's decoder throws", () => {
    const texts = new Set(inputs.map(([, chunks]) => run(new theirs.Decoder(), chunks).error!.replace(/(Unknown type: |unknown packet type ).*/, "$1")));
    expect([...texts].sort()).toEqual([
      "Illegal attachments",
      "Unknown type: ",
      "got binary data when not reconstructing a packet",
      "got plaintext data when reconstructing a packet",
      "illegal attachments",
      "invalid payload",
      "too many attachments",
      "unknown packet type ",
    ]);
  });

  const circular: Record<string, unknown> = { a: 1 };
  circular["self"] = circular;
  const throwing = {
    toJSON(): never {
      throw new Error("toJSON failed");
    },
  };
  it.each<[string, Packet]>([
    ["circular CONNECT payload", { type: CONNECT, nsp: "/", data: circular }],
    ["circular CONNECT_ERROR payload", { type: CONNECT_ERROR, nsp: "/", data: { message: "x", data: circular } }],
    ["BigInt in an EVENT", { type: EVENT, nsp: "/", data: ["a", 1n] }],
    ["BigInt in a CONNECT", { type: CONNECT, nsp: "/", data: { n: 1n } }],
    ["throwing toJSON in an EVENT", { type: EVENT, nsp: "/", data: ["a", throwing] }],
    ["throwing toJSON in an ACK", { type: ACK, nsp: "/", id: 1, data: [{ x: throwing }] }],
  ])("encoding: %s", (_name, packet) => {
    let expected: string | undefined;
    try {
      new theirs.Encoder().encode({ ...packet } as theirs.Packet);
    } catch (error) {
      expected = (error as Error).message.split("\n")[0];
    }
    expect(expected).toBeDefined();
    expect(() => new Encoder().encode(packet)).toThrow(expect.objectContaining({ message: expect.stringMatching(new RegExp(`^${escape(expected!)}`)) }) as never);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("the Decoder's emitter methods", () => {
  type AnyDecoder = {
    on(event: "decoded", listener: (packet: unknown) => void): unknown;
    once(event: "decoded", listener: (packet: unknown) => void): unknown;
    off(event?: "decoded", listener?: (packet: unknown) => void): unknown;
    removeListener(event?: "decoded", listener?: (packet: unknown) => void): unknown;
    removeAllListeners(event?: "decoded"): unknown;
    listeners(event: "decoded"): unknown[];
    hasListeners(event: "decoded"): boolean;
    add(chunk: unknown): void;
  };

  /** One scenario, written against socket.io-parser's API; returns what it observed. */
  function scenario(decoder: AnyDecoder): unknown[] {
    const log: unknown[] = [];
    const a = function (this: unknown, packet: unknown): void {
      log.push(["a", (packet as { data: unknown }).data, this === decoder]);
    };
    const b = (packet: unknown): void => void log.push(["b", (packet as { data: unknown }).data]);
    const state = (step: string): void => void log.push([step, decoder.hasListeners("decoded"), decoder.listeners("decoded").length]);
    state("start");
    log.push(["on returns the decoder", decoder.on("decoded", a) === decoder]);
    decoder.once("decoded", b);
    state("on + once");
    decoder.add('2["one"]');
    decoder.add('2["two"]');
    state("once fired");
    log.push(["off returns the decoder", decoder.off("decoded", a) === decoder]);
    state("off(event, listener)");
    decoder.on("decoded", a);
    decoder.on("decoded", b);
    decoder.off("decoded");
    state("off(event)");
    decoder.on("decoded", a);
    decoder.off(undefined);
    state("off(undefined)");
    decoder.off();
    state("off()");
    decoder.add('2["three"]');
    decoder.on("decoded", b);
    decoder.removeListener();
    state("removeListener()");
    decoder.once("decoded", b);
    decoder.off("decoded", b);
    state("off of a once listener");
    decoder.on("decoded", a);
    decoder.removeAllListeners("decoded");
    state("removeAllListeners(event)");
    decoder.on("decoded", b);
    decoder.removeAllListeners();
    state("removeAllListeners()");
    decoder.add('2["four"]');
    return log;
  }

  it("behave as socket.io-parser's", () => {
    const expected = scenario(new theirs.Decoder() as unknown as AnyDecoder);
    expect(scenario(new Decoder() as unknown as AnyDecoder)).toEqual(expected);
    expect(expected).toContainEqual(["a", ["one"], true]);
  });

  it("let a subclass written for socket.io-parser emit with emitReserved", () => {
    class TheirUpper extends theirs.Decoder {
      override add(chunk: unknown): void {
        this.emitReserved("decoded", { type: theirs.PacketType.EVENT, nsp: "/", data: [String(chunk).toUpperCase()] });
      }
    }
    class OurUpper extends Decoder {
      override add(chunk: unknown): void {
        this.emitReserved("decoded", { type: PacketType.EVENT, nsp: "/", data: [String(chunk).toUpperCase()] });
      }
    }
    expect(run(new OurUpper(), ["abc"])).toEqual(run(new TheirUpper(), ["abc"]));
    expect(run(new OurUpper(), ["abc"]).packets).toHaveLength(1);
  });
});

describe("exports", () => {
  it("has every runtime export of socket.io-parser", () => {
    const missing = Object.keys(theirs).filter((name) => name !== "__esModule" && !(name in ours));
    expect(missing).toEqual([]);
  });

  it("has the same protocol and PacketType", () => {
    expect(ours.protocol).toBe(theirs.protocol);
    expect({ ...ours.PacketType }).toEqual({ ...theirs.PacketType });
  });
});
