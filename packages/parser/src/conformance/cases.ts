// The checks of the parser conformance kit: what the server and the client rely on from
// any parser plugged into them.
import type { Parser, ParserDecoder } from "../contract";
import { isBinary } from "../is-binary";
import { PacketType, type EncodedChunk, type Packet } from "../packet";
import { isPacketValid } from "../validate";
import { check, checkEqual, ConformanceError, describe, fail, isBufferSource, packetEssentials } from "./assert";
import { createRandom, mutate, randomBytes, randomInt, randomString } from "./random";

/** One named check; `run()` rejects with an Error describing the failure. */
export interface ConformanceCase {
  name: string;
  run(): Promise<void>;
}

/** Options of the conformance kit. */
export interface ConformanceOptions {
  /**
   * Seed of the fuzzing cases; change it to explore other inputs, keep it to replay one.
   * @default 1
   */
  seed?: number;
  /**
   * Random inputs tried by each fuzzing case.
   * @default 300
   */
  fuzzIterations?: number;
  /**
   * Inputs in your parser's wire format that the decoder must reject: each entry is a
   * sequence of chunks fed to a fresh decoder, and one of the `add()` calls must throw.
   * @default []
   */
  invalidInputs?: ReadonlyArray<readonly unknown[]>;
}

const { CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR } = PacketType;

/** Builds the list of checks for `parser`. Each check creates its own encoders and decoders. */
export function parserConformanceCases(parser: Parser, options: ConformanceOptions = {}): ConformanceCase[] {
  const seed = options.seed ?? 1;
  const iterations = options.fuzzIterations ?? 300;
  const invalidInputs = options.invalidInputs ?? [];
  const cases: ConformanceCase[] = [];
  const add = (name: string, run: () => void | Promise<void>): void => {
    cases.push({ name, run: async () => run() });
  };

  add("encode() returns a non-empty array of strings and binary chunks", () => {
    const encoder = new parser.Encoder();
    for (const packet of samplePackets()) {
      const chunks = encoder.encode(packet);
      check(Array.isArray(chunks) && chunks.length > 0, `encode() of ${describe(packet)} returned ${describe(chunks)}`);
      for (const chunk of chunks) {
        check(typeof chunk === "string" || isBinary(chunk), `encode() returned a chunk that is neither text nor binary: ${describe(chunk)}`);
      }
    }
  });

  add("every packet type round-trips", () => {
    for (const packet of [
      { type: CONNECT, nsp: "/" },
      { type: CONNECT, nsp: "/", data: { token: "abc", nested: { n: 1 } } },
      { type: CONNECT, nsp: "/admin", data: { sid: "xG4rT9", pid: "p1" } },
      { type: DISCONNECT, nsp: "/" },
      { type: DISCONNECT, nsp: "/admin" },
      { type: EVENT, nsp: "/", data: ["hello"] },
      { type: EVENT, nsp: "/", data: ["hello", 1, "two", { three: [3] }] },
      { type: ACK, nsp: "/", id: 0, data: [] },
      { type: ACK, nsp: "/", id: 7, data: ["ok", { n: 2 }] },
      { type: CONNECT_ERROR, nsp: "/", data: { message: "Not authorized" } },
      { type: CONNECT_ERROR, nsp: "/admin", data: { message: "Not authorized", data: { reason: "token" } } },
    ] satisfies Packet[]) {
      checkRoundTrip(parser, packet);
    }
  });

  add("namespaces round-trip", () => {
    for (const nsp of ["/", "/admin", "/a-b_c.d~e/f", "/123", "/😀 é€", "/" + "n".repeat(200)]) {
      checkRoundTrip(parser, { type: EVENT, nsp, data: ["in", nsp] });
      checkRoundTrip(parser, { type: CONNECT, nsp });
    }
  });

  add("ack ids round-trip on EVENT and ACK", () => {
    for (const id of [0, 1, 9, 10, 12, 999, 2 ** 31, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER]) {
      checkRoundTrip(parser, { type: EVENT, nsp: "/", id, data: ["ask", id] });
      checkRoundTrip(parser, { type: EVENT, nsp: "/chat", id, data: ["ask"] });
      checkRoundTrip(parser, { type: ACK, nsp: "/", id, data: [id] });
    }
  });

  add("JSON values round-trip unchanged", () => {
    const values: unknown[] = [
      "",
      "text with \"quotes\", \\backslashes\\, \n newlines, \u2028 and 😀",
      0,
      -1.5,
      1e21,
      Number.MAX_SAFE_INTEGER,
      true,
      false,
      null,
      [],
      {},
      [[[]], {}],
      { a: { b: { c: [1, "2", null, { d: false }] } } },
      { "key with spaces": 1, "": 2, "😀": 3, _placeholder: false },
      "x".repeat(100_000),
    ];
    for (const value of values) checkRoundTrip(parser, { type: EVENT, nsp: "/", data: ["value", value] });
    checkRoundTrip(parser, { type: ACK, nsp: "/", id: 1, data: values.slice(0, 14) });
  });

  add("values with toJSON() travel as what toJSON() returns (Date as an ISO string)", () => {
    const date = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    const custom = { toJSON: () => ({ kind: "custom", n: 1 }) };
    const packet: Packet = { type: EVENT, nsp: "/", data: ["when", date, { custom }] };
    checkRoundTripTo(parser, packet, { type: EVENT, nsp: "/", data: ["when", date.toISOString(), { custom: { kind: "custom", n: 1 } }] });
  });

  add("Buffer attachments round-trip anywhere in the payload", () => {
    const bytes = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);
    const buffer = (n: number, fill: number): Uint8Array =>
      typeof globalThis.Buffer === "function" ? globalThis.Buffer.alloc(n, fill) : bytes(n, fill);
    for (const data of [
      ["file", buffer(3, 1)],
      ["file", { nested: { deeper: buffer(1024, 2) } }],
      ["files", [buffer(1, 3), buffer(2, 4)], { third: buffer(5, 5) }],
      ["empty", buffer(0, 0)],
      ["mixed", "text", 42, buffer(10, 6), null, { list: [1, buffer(4, 7), "x"] }],
    ]) {
      checkRoundTrip(parser, { type: EVENT, nsp: "/", data });
      checkRoundTrip(parser, { type: EVENT, nsp: "/upload", id: 3, data });
      checkRoundTrip(parser, { type: ACK, nsp: "/", id: 4, data: data.slice(1) });
    }
    const shared = buffer(8, 9);
    checkRoundTrip(parser, { type: EVENT, nsp: "/", data: ["twice", shared, { again: shared }] });
  });

  add("ArrayBuffer, typed arrays, DataView and views at an offset round-trip as their bytes", () => {
    const backing = new Uint8Array(64).map((_, i) => i);
    for (const value of [
      backing.buffer.slice(0, 16),
      new Uint8Array([1, 2, 3, 250]),
      new Int16Array([-1, 2, 300]),
      new Float64Array([Math.PI, -0]),
      new DataView(backing.buffer, 8, 8),
      new Uint8Array(backing.buffer, 10, 20),
      new Uint32Array(backing.buffer, 16, 4),
    ]) {
      checkRoundTrip(parser, { type: EVENT, nsp: "/", data: ["bin", value, { inner: [value] }] });
    }
  });

  add("decoded packets are emitted synchronously and in order", () => {
    const encoder = new parser.Encoder();
    const decoder = new parser.Decoder();
    const decoded: Packet[] = [];
    decoder.on("decoded", (packet) => decoded.push(packet));
    const packets = samplePackets();
    let expectedCount = 0;
    for (const packet of packets) {
      const chunks = encoder.encode(packet);
      for (let i = 0; i < chunks.length; i++) {
        decoder.add(chunks[i]);
        const isLast = i === chunks.length - 1;
        check(
          decoded.length === expectedCount + (isLast ? 1 : 0),
          `after chunk ${i + 1}/${chunks.length} of ${describe(packet)}: expected ${expectedCount + (isLast ? 1 : 0)} decoded packets, got ${decoded.length}`,
        );
      }
      expectedCount++;
    }
    packets.forEach((packet, i) => checkEqual(packetEssentials(decoded[i]!), expectedPacket(packet), `packet #${i}`));
    decoder.destroy();
  });

  add("a packet split across attachments is emitted once, when its last chunk arrives", () => {
    const encoder = new parser.Encoder();
    const packet: Packet = { type: EVENT, nsp: "/", id: 5, data: ["parts", new Uint8Array([1]), new Uint8Array([2, 2]), { c: new Uint8Array([3]) }] };
    const chunks = encoder.encode(packet);
    const decoder = new parser.Decoder();
    const decoded: Packet[] = [];
    decoder.on("decoded", (p) => decoded.push(p));
    chunks.forEach((chunk, i) => {
      decoder.add(chunk);
      check(decoded.length === (i === chunks.length - 1 ? 1 : 0), `decoded ${decoded.length} packet(s) after chunk ${i + 1} of ${chunks.length}`);
    });
    checkEqual(packetEssentials(decoded[0]!), expectedPacket(packet), "reassembled packet");
  });

  add("decoders share no state", () => {
    const encoder = new parser.Encoder();
    const chunks = encoder.encode({ type: EVENT, nsp: "/", data: ["a", new Uint8Array([1])] });
    const first = new parser.Decoder();
    const second = new parser.Decoder();
    const seen: Packet[] = [];
    second.on("decoded", (p) => seen.push(p));
    if (chunks.length > 1) first.add(chunks[0]);
    for (const chunk of encoder.encode({ type: EVENT, nsp: "/", data: ["b"] })) second.add(chunk);
    check(seen.length === 1, "a second decoder was disturbed by a partial packet in the first one");
    first.destroy();
    second.destroy();
  });

  add("destroy() drops a partial packet", () => {
    const encoder = new parser.Encoder();
    const chunks = encoder.encode({ type: EVENT, nsp: "/", data: ["stale", new Uint8Array([1]), new Uint8Array([2])] });
    const decoder = new parser.Decoder();
    const decoded: Packet[] = [];
    decoder.on("decoded", (p) => decoded.push(p));
    for (const chunk of chunks.slice(0, -1)) decoder.add(chunk);
    decoder.destroy();
    try {
      decoder.add(chunks[chunks.length - 1]);
    } catch {
      // Rejecting the orphan attachment is fine; completing the dropped packet is not.
    }
    check(decoded.length === 0 || chunks.length === 1, "the dropped packet was completed after destroy()");
  });

  add("the encoder does not modify the packet it is given", () => {
    const encoder = new parser.Encoder();
    const file = new Uint8Array([1, 2, 3]);
    const inner = { file, list: [file, "x"] };
    const data = ["save", inner, 1];
    const packet: Packet = { type: EVENT, nsp: "/", id: 1, data };
    encoder.encode(packet);
    check(packet.type === EVENT && packet.data === data && data[1] === inner && inner.file === file && inner.list[0] === file, "encode() changed the packet or its payload");
    check(!("attachments" in packet) || packet.attachments === undefined, "encode() added attachments to the packet");
  });

  add("the encoder refuses invalid packets with an Error", () => {
    const encoder = new parser.Encoder();
    const invalid: unknown[] = [
      { type: 9, nsp: "/" },
      { type: EVENT, nsp: "/", data: "not an array" },
      { type: EVENT, nsp: "/", data: [] },
      { type: EVENT, nsp: "/", data: [true] },
      { type: EVENT, nsp: "/", data: ["disconnect"] },
      { type: ACK, nsp: "/", data: ["no id"] },
      { type: EVENT, nsp: "/", id: -1, data: ["a"] },
      { type: EVENT, nsp: "/", id: 1.5, data: ["a"] },
      { type: EVENT, nsp: "no-slash", data: ["a"] },
      { type: CONNECT, nsp: "/", data: "not an object" },
    ];
    for (const packet of invalid) {
      checkThrowsError(() => encoder.encode(packet as Packet), `encode(${describe(packet)})`);
    }
  });

  add("deep and circular payloads give an Error, not a stack overflow", () => {
    const encoder = new parser.Encoder();
    let deep: unknown[] = [];
    const root = deep;
    for (let i = 0; i < 100_000; i++) {
      const next: unknown[] = [];
      deep.push(next);
      deep = next;
    }
    const circular: Record<string, unknown> = { name: "loop" };
    circular["self"] = circular;
    for (const data of [["deep", root], ["circular", circular]]) {
      const error = checkThrowsError(() => encoder.encode({ type: EVENT, nsp: "/", data }), `encode of a ${String(data[0])} payload`);
      check(!(error instanceof RangeError), `encode of a ${String(data[0])} payload overflowed the stack instead of reporting an error`);
    }
  });

  add("decoded packets are valid and never of a BINARY_* type", () => {
    const encoder = new parser.Encoder();
    const decoder = new parser.Decoder();
    decoder.on("decoded", (packet) => {
      check(isPacketValid(packet), `decoded an invalid packet ${describe(packet)}`);
      check(packet.type !== PacketType.BINARY_EVENT && packet.type !== PacketType.BINARY_ACK, "decoded a BINARY_* packet; expected EVENT or ACK");
    });
    for (const packet of samplePackets()) for (const chunk of encoder.encode(packet)) decoder.add(chunk);
  });

  add("the declared invalid inputs are rejected", () => {
    invalidInputs.forEach((sequence, index) => {
      const decoder = new parser.Decoder();
      const decoded: Packet[] = [];
      decoder.on("decoded", (p) => decoded.push(p));
      let threw = false;
      for (const chunk of sequence) {
        try {
          decoder.add(chunk);
        } catch (error) {
          check(error instanceof Error, `invalid input #${index}: add() threw a non-Error ${describe(error)}`);
          threw = true;
          break;
        }
      }
      check(threw, `invalid input #${index} was accepted (decoded ${decoded.length} packet(s))`);
      decoder.destroy();
    });
  });

  add(`random and damaged input is rejected with an Error or decoded to valid packets (seed ${seed})`, async () => {
    const random = createRandom(seed);
    const encoder = new parser.Encoder();
    const encodedSamples = samplePackets().map((packet) => encoder.encode(packet));
    for (let i = 0; i < iterations; i++) {
      const decoder = new parser.Decoder();
      decoder.on("decoded", (packet) => {
        if (!isPacketValid(packet)) fail(`iteration ${i}: decoded an invalid packet ${describe(packet)}`);
      });
      const sequence = garbageSequence(random, encodedSamples);
      for (const chunk of sequence) {
        try {
          decoder.add(chunk);
        } catch (error) {
          if (error instanceof ConformanceError) throw error;
          check(error instanceof Error, `iteration ${i}: add(${describe(chunk)}) threw a non-Error ${describe(error)}`);
          break;
        }
      }
      decoder.destroy();
    }
    // Anything thrown later, outside add(), would surface in the test runner after this tick.
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  });

  add("values that are neither text nor binary are rejected with an Error", () => {
    for (const value of [undefined, null, 42, true, {}, [], { type: 2 }, () => 1]) {
      const decoder = new parser.Decoder();
      checkThrowsError(() => decoder.add(value), `add(${describe(value)})`);
    }
  });

  return cases;
}

/** Functions of a test framework: jest, mocha, vitest and node:test all have these. */
export interface TestFramework {
  describe?: (name: string, body: () => void) => unknown;
  it: (name: string, body: () => Promise<void>) => unknown;
}

/**
 * Registers one test per conformance check in your test framework.
 *
 * @example
 * import { describe, it } from "@jest/globals";
 * import { registerParserConformance } from "@volley/parser/conformance";
 * import * as myParser from "../src";
 *
 * registerParserConformance(myParser, { describe, it });
 */
export function registerParserConformance(
  parser: Parser,
  framework: TestFramework,
  options: ConformanceOptions & { title?: string } = {},
): void {
  const register = (): void => {
    for (const testCase of parserConformanceCases(parser, options)) framework.it(testCase.name, testCase.run);
  };
  if (framework.describe !== undefined) framework.describe(options.title ?? "parser conformance", register);
  else register();
}

function samplePackets(): Packet[] {
  return [
    { type: CONNECT, nsp: "/" },
    { type: CONNECT, nsp: "/admin", data: { token: "t" } },
    { type: EVENT, nsp: "/", data: ["first", 1] },
    { type: EVENT, nsp: "/", data: ["binary", new Uint8Array([1, 2, 3]), { more: new Uint8Array([4]) }], id: 1 },
    { type: EVENT, nsp: "/chat", id: 2, data: ["second", { a: [1, 2] }] },
    { type: ACK, nsp: "/", id: 1, data: [new Uint8Array([9]), "done"] },
    { type: ACK, nsp: "/chat", id: 2, data: [] },
    { type: CONNECT_ERROR, nsp: "/admin", data: { message: "nope" } },
    { type: DISCONNECT, nsp: "/chat" },
    { type: EVENT, nsp: "/", data: ["last"] },
  ];
}

function expectedPacket(packet: Packet): Record<string, unknown> {
  return packetEssentials(packet);
}

function decodeAll(parser: Parser, chunks: EncodedChunk[]): Packet[] {
  const decoder: ParserDecoder = new parser.Decoder();
  const decoded: Packet[] = [];
  decoder.on("decoded", (packet) => decoded.push(packet));
  for (const chunk of chunks) decoder.add(chunk);
  decoder.destroy();
  return decoded;
}

function checkRoundTrip(parser: Parser, packet: Packet): void {
  checkRoundTripTo(parser, packet, packet);
}

function checkRoundTripTo(parser: Parser, packet: Packet, expected: Packet): void {
  const chunks = new parser.Encoder().encode(packet);
  let decoded: Packet[];
  try {
    decoded = decodeAll(parser, chunks);
  } catch (error) {
    fail(`decoding ${describe(packet)} failed: ${String(error)}`);
  }
  check(decoded.length === 1, `${describe(packet)} decoded to ${decoded.length} packets`);
  checkEqual(packetEssentials(decoded[0]!), expectedPacket(expected), `round trip of ${describe(packet)}`);
}

function checkThrowsError(action: () => unknown, what: string): Error {
  try {
    action();
  } catch (error) {
    check(error instanceof Error, `${what} threw a non-Error ${describe(error)}`);
    return error;
  }
  return fail(`${what} did not throw`);
}

function garbageSequence(random: () => number, samples: EncodedChunk[][]): unknown[] {
  const kind = randomInt(random, 4);
  if (kind === 0) return [randomString(random, 40)];
  if (kind === 1) return [randomBytes(random, 40)];
  const sample = samples[randomInt(random, samples.length)]!;
  const chunks = sample.map((chunk) => (isBufferSource(chunk) ? toBytes(chunk) : chunk));
  const at = randomInt(random, chunks.length);
  const target = chunks[at];
  const result: unknown[] = chunks;
  if (kind === 2 && (typeof target === "string" || target instanceof Uint8Array)) result[at] = mutate(random, target);
  else if (kind === 3) result.splice(at, 1, ...(random() < 0.5 ? [] : [target, target]));
  return result;
}

function toBytes(chunk: ArrayBuffer | ArrayBufferView): Uint8Array {
  return chunk instanceof ArrayBuffer
    ? new Uint8Array(chunk.slice(0))
    : new Uint8Array(chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength));
}
