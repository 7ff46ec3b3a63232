// The browser build (dist/index.browser.*) resolves ./small-payload to
// src/small-payload.browser.ts (no fast paths), ./find-binary to src/find-binary.browser.ts
// (binary values found by the walk of replaceBinary) and ./reserved-event to
// src/reserved-event.browser.ts (the Set lookup). It must
// write the same text and decode the same packets, and refuse the same input with the same
// error, as the default build.
import { describe, expect, it, jest } from "@jest/globals";
import type * as Parser from "../../src";
import { registerParserConformance } from "../../src/conformance";
import type { Packet } from "../../src";

type FindBinary = typeof import("../../src/find-binary.browser");
// calls of the browser variant of findBinary, to show that the browser graph does use it
let variantCalls = 0;

function load(browser: boolean): typeof Parser {
  let api: typeof Parser | undefined;
  jest.isolateModules(() => {
    if (browser) {
      jest.doMock("../../src/small-payload", () => jest.requireActual("../../src/small-payload.browser"));
      jest.doMock("../../src/reserved-event", () => jest.requireActual("../../src/reserved-event.browser"));
      jest.doMock("../../src/find-binary", () => {
        const variant = jest.requireActual<FindBinary>("../../src/find-binary.browser");
        return {
          findBinary: (...args: Parameters<FindBinary["findBinary"]>) => {
            variantCalls++;
            return variant.findBinary(...args);
          },
        };
      });
    } else {
      jest.dontMock("../../src/small-payload");
      jest.dontMock("../../src/reserved-event");
      jest.dontMock("../../src/find-binary");
    }
    api = jest.requireActual<typeof Parser>("../../src");
  });
  return api as typeof Parser;
}

const node = load(false);
const browser = load(true);

type Outcome = { chunks: unknown[] } | { packets: Packet[] } | { error: { name: string; code: unknown; message: string } };

function attempt(run: () => unknown[] | Packet[], key: "chunks" | "packets"): Outcome {
  try {
    return { [key]: run() } as Outcome;
  } catch (error) {
    const { name, code, message } = error as Error & { code?: unknown };
    return { error: { name, code, message } };
  }
}

function encode(api: typeof Parser, packet: Packet): Outcome {
  return attempt(() => new api.Encoder().encode(packet), "chunks");
}

function decode(api: typeof Parser, chunks: readonly unknown[]): Outcome {
  return attempt(() => {
    const decoder = new api.Decoder();
    const packets: Packet[] = [];
    decoder.on("decoded", (packet: Packet) => packets.push(packet));
    for (const chunk of chunks) decoder.add(chunk as string);
    return packets;
  }, "packets");
}

const binary = new Uint8Array([1, 2, 3]).buffer;
const { EVENT, ACK, BINARY_EVENT } = node.PacketType;
const packets: Array<[string, Packet]> = [
  ["a small event", { type: EVENT, nsp: "/", data: ["message", "hello", 42, true, null, { a: [1, { b: 2 }] }] }],
  ["an event with an ack id in a namespace", { type: EVENT, nsp: "/chat", id: 7, data: ["m", -1.5e3] }],
  ["an ack", { type: ACK, nsp: "/", id: 0, data: [] }],
  ["a string to escape", { type: EVENT, nsp: "/", data: ["m", 'quote " and \\ and \n'] }],
  ["binary values", { type: EVENT, nsp: "/", data: ["file", binary, { nested: [binary] }] }],
  ["a value JSON.stringify omits", { type: EVENT, nsp: "/", data: ["m", { skip: undefined, keep: 1 }] }],
  ["a toJSON", { type: EVENT, nsp: "/", data: ["m", new Date(0)] }],
  ["deep nesting", { type: EVENT, nsp: "/", data: ["m", [[[[[[1]]]]]]] }],
  ["a reserved event name", { type: EVENT, nsp: "/", data: ["connect"] }],
  ["a numeric event name", { type: EVENT, nsp: "/", data: [1, 2] }],
  ["an invalid namespace", { type: EVENT, nsp: "chat", data: ["m"] }],
  ["a toJSON that returns binary", { type: EVENT, nsp: "/", data: ["m", { toJSON: () => ({ file: binary }) }] }],
  ["a toJSON that returns a toJSON", { type: EVENT, nsp: "/", data: ["m", { toJSON: () => ({ toJSON: () => 1 }) }] }],
  ["a class instance holding binary", { type: EVENT, nsp: "/", data: ["m", new (class { file = binary })()] }],
  ["an object with inherited keys", { type: EVENT, nsp: "/", data: ["m", Object.assign(Object.create({ inherited: binary }), { own: 1 })] }],
  ["a typed array view", { type: ACK, nsp: "/", id: 1, data: [new Uint16Array([1, 2]).subarray(1)] }],
  ["a Blob", { type: EVENT, nsp: "/", data: ["m", new Blob(["x"])] }],
  ["a circular payload", { type: EVENT, nsp: "/", data: ((): unknown[] => { const a: unknown[] = ["m"]; a.push({ a }); return a; })() }],
  ["a circular payload with binary", { type: EVENT, nsp: "/", data: ((): unknown[] => { const a: unknown[] = ["m", binary]; a.push({ a }); return a; })() }],
  ["a payload deeper than maxDepth", { type: EVENT, nsp: "/", data: ["m", JSON.parse("[".repeat(150) + "]".repeat(150))] }],
  ["a BigInt", { type: EVENT, nsp: "/", data: ["m", { n: 1n }] }],
  ["a throwing toJSON", { type: EVENT, nsp: "/", data: ["m", { toJSON: () => { throw new Error("no"); } }] }],
  ["a CONNECT payload with binary", { type: node.PacketType.CONNECT, nsp: "/", data: { token: binary } }],
  ["too many attachments", { type: EVENT, nsp: "/", data: ["m", ...Array.from({ length: 11 }, () => binary)] }],
];

const texts: Array<[string, unknown[]]> = [
  ["a small event", ['2["message","hello",42,true,null,{"a":[1,{"b":2}]}]']],
  ["an event in a namespace with an ack id", ['2/chat,12["m",{"x":-0.5}]']],
  ["whitespace", ['2[ "m" , 1 ]']],
  ["a duplicate key", ['2["m",{"a":1,"a":2}]']],
  ["a forbidden key", ['2["m",{"__proto__":{"x":1}}]']],
  ["a key of Object.prototype", ['2["m",{"toString":1}]']],
  ["a reserved event", ['2["disconnect"]']],
  ["invalid JSON", ['2["m",]']],
  ["a binary event", ['51-["file",{"_placeholder":true,"num":0}]', new Uint8Array([9])]],
  ["a bad placeholder", ['51-["file",{"_placeholder":true,"num":1}]', new Uint8Array([9])]],
  ["too deep", [`2["m",${"[".repeat(40)}${"]".repeat(40)}]`]],
];

describe("the browser build of the parser (no small-payload fast paths)", () => {
  it("uses the browser variants", () => {
    expect(browser.Encoder).not.toBe(node.Encoder);
    const before = variantCalls;
    encode(browser, { type: EVENT, nsp: "/", data: ["message", { a: 1 }] });
    expect(variantCalls).toBeGreaterThan(before);
  });

  it.each(packets)("encodes %s as the default build does", (_name, packet) => {
    const expected = encode(node, packet);
    expect(encode(browser, packet)).toEqual(expected);
  });

  it.each(texts)("decodes %s as the default build does", (_name, chunks) => {
    const expected = decode(node, chunks);
    expect(decode(browser, chunks)).toEqual(expected);
  });

  it("decodes what it encodes, as the default build does", () => {
    const packet: Packet = { type: BINARY_EVENT, nsp: "/", id: 3, data: ["file", binary] };
    const roundTrip = (api: typeof Parser): Outcome => decode(api, new api.Encoder().encode(packet));
    expect(roundTrip(browser)).toEqual(roundTrip(node));
  });
});

// The whole conformance kit (its fuzzing cases included) on the browser build's encoder and decoder.
registerParserConformance(browser, { describe, it }, {
  title: "the browser build passes the conformance kit",
  invalidInputs: [["9"], ['2"not an array"'], ['2["disconnect"]'], ['51-["a",{"_placeholder":true,"num":1}]'], [new Uint8Array([1])]],
});
