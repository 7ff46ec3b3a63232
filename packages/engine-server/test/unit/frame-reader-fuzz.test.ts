import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import type { Writable } from "node:stream";
import { describe, expect, it } from "@jest/globals";
import * as wsModule from "ws";
import { FrameError } from "../../src/errors";
import { FrameReader, type FrameSink } from "../../src/internal/websocket/frame-reader";
import { SeededRandom, fuzzSeeds, reproduce } from "../helpers/seeded-random";

// Differential fuzzing of the built-in frame reader against ws's Receiver, the parser that
// the published engine.io uses: seeded valid client streams and random mutations of them,
// read whole and split at every point (a bounded sample for long streams). Volley must never
// throw anything but a FrameError, and must deliver the same messages, pings, pongs and close
// and end with the same verdict (no error, or the same close status 1002/1007/1009) as ws.
//
// Seeds are fixed; VOLLEY_FUZZ_SEED=<n>[,<n>...] runs others. Every failure names its seed.
//
// Divergences from ws that are allowed: none. (ws's Receiver is fed the same bytes with the
// options of a server without extensions: isServer, the same maxPayload, no permessage-deflate.)

/** ws's frame parser: a Writable, exported by ws as `Receiver` (absent from @types/ws). */
type ReceiverConstructor = new (options: { isServer: boolean; maxPayload: number }) => Writable;
const { Receiver } = wsModule as unknown as { Receiver: ReceiverConstructor };

// ---------------------------------------------------------------------------------------------
// Frames

interface FrameSpec {
  fin: boolean;
  rsv: number;
  opcode: number;
  /** The payload before masking. */
  payload: Buffer;
  masked: boolean;
  key: Buffer;
  /** The length field's form; the smallest that fits when not given. */
  lengthForm?: 7 | 16 | 64;
  /** Written in the header instead of the payload's length. */
  declaredLength?: bigint;
  /** The payload is masked with this key while the header carries `key`. */
  wrongKey?: Buffer;
}

function encodeFrame(spec: FrameSpec): Buffer {
  const length = spec.declaredLength ?? BigInt(spec.payload.length);
  const form = spec.lengthForm ?? (length < 126n ? 7 : length < 65536n ? 16 : 64);
  const header = Buffer.alloc(form === 7 ? 2 : form === 16 ? 4 : 10);
  header[0] = (spec.fin ? 0x80 : 0) | ((spec.rsv & 7) << 4) | (spec.opcode & 0x0f);
  if (form === 7) header[1] = Number(length & 0x7fn);
  else if (form === 16) {
    header[1] = 126;
    header.writeUInt16BE(Number(length & 0xffffn), 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(length & 0xffffffffffffffffn, 2);
  }
  if (!spec.masked) return Buffer.concat([header, spec.payload]);
  header[1] = header[1]! | 0x80;
  const key = spec.wrongKey ?? spec.key;
  const masked = Buffer.alloc(spec.payload.length);
  for (let i = 0; i < masked.length; i++) masked[i] = spec.payload[i]! ^ key[i & 3]!;
  return Buffer.concat([header, spec.key, masked]);
}

/** The stream's bytes, and where each frame starts in it. */
function encodeStream(frames: FrameSpec[]): { bytes: Buffer; starts: number[] } {
  const parts = frames.map(encodeFrame);
  const starts: number[] = [];
  let at = 0;
  for (const part of parts) {
    starts.push(at);
    at += part.length;
  }
  return { bytes: Buffer.concat(parts), starts };
}

// ---------------------------------------------------------------------------------------------
// Valid streams

const VALID_CLOSE_CODES = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999];
const BOUNDARY_LENGTHS = [124, 125, 126, 127, 128, 255, 256, 65535];
const LARGE_LENGTHS = [65535, 65536, 65537];

function payloadLength(rng: SeededRandom): number {
  const r = rng.float();
  if (r < 0.6) return rng.int(40);
  if (r < 0.85) return rng.range(40, 400);
  if (r < 0.97) return rng.pick(BOUNDARY_LENGTHS);
  return rng.pick(LARGE_LENGTHS);
}

/** Random valid UTF-8 of exactly `length` bytes: mostly ASCII, and 2-, 3- and 4-byte characters. */
function utf8(rng: SeededRandom, length: number): Buffer {
  // drawn from a block of random bytes: one generator call per byte would be slow for 64 kB
  const noise = rng.bytes(length * 5 + 8);
  const out = Buffer.alloc(length);
  let n = 0;
  let at = 0;
  while (at < length) {
    const left = length - at;
    const kind = noise[n++]! & 7;
    const code = noise.readUInt32LE(n);
    n += 4;
    if (kind === 1 && left >= 2) {
      const c = 0x80 + (code % 0x780);
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 0x3f);
    } else if (kind === 2 && left >= 3) {
      let c = 0x800 + (code % 0xf800);
      if (c >= 0xd800 && c <= 0xdfff) c = 0x20ac; // no surrogates in UTF-8
      out[at++] = 0xe0 | (c >> 12);
      out[at++] = 0x80 | ((c >> 6) & 0x3f);
      out[at++] = 0x80 | (c & 0x3f);
    } else if (kind === 3 && left >= 4) {
      const c = 0x10000 + (code % 0x100000);
      out[at++] = 0xf0 | (c >> 18);
      out[at++] = 0x80 | ((c >> 12) & 0x3f);
      out[at++] = 0x80 | ((c >> 6) & 0x3f);
      out[at++] = 0x80 | (c & 0x3f);
    } else {
      out[at++] = 0x20 + (code % 95);
    }
  }
  return out;
}

function key(rng: SeededRandom): Buffer {
  return rng.chance(0.05) ? Buffer.alloc(4) : rng.bytes(4);
}

function frame(rng: SeededRandom, opcode: number, payload: Buffer, fin = true): FrameSpec {
  return { fin, rsv: 0, opcode, payload, masked: true, key: key(rng) };
}

/** What a reader reports: its events in order (payloads copied), and its error's close status. */
type Outcome = { events: ReaderEvent[]; error: number | null };
type ReaderEvent = { kind: "text" | "binary" | "ping" | "pong" | `close ${number}`; data: Buffer };

function sameOutcome(a: Outcome, b: Outcome): boolean {
  if (a.error !== b.error || a.events.length !== b.events.length) return false;
  return a.events.every((event, i) => event.kind === b.events[i]!.kind && event.data.equals(b.events[i]!.data));
}

/** A payload in a failure message (long ones by length and hash). */

function show(payload: Buffer): string {
  if (payload.length <= 48) return payload.toString("hex");
  return `${payload.length}B:${createHash("sha1").update(payload).digest("hex").slice(0, 16)}`;
}

/** A valid stream of 1-6 messages and control frames, maybe closed; and what it carries. */
function validStream(rng: SeededRandom): { frames: FrameSpec[]; expected: ReaderEvent[] } {
  const frames: FrameSpec[] = [];
  const expected: ReaderEvent[] = [];
  const count = rng.range(1, 6);
  const control = (): void => {
    const opcode = rng.chance(0.5) ? 0x9 : 0xa;
    const payload = rng.bytes(rng.chance(0.2) ? rng.pick([0, 124, 125]) : rng.int(20));
    frames.push(frame(rng, opcode, payload));
    expected.push({ kind: opcode === 0x9 ? "ping" : "pong", data: payload });
  };
  for (let i = 0; i < count; i++) {
    const kind = rng.int(10);
    if (kind < 2) {
      control();
      continue;
    }
    const binary = kind >= 6;
    const length = payloadLength(rng);
    const payload = binary ? rng.bytes(length) : utf8(rng, length);
    const opcode = binary ? 0x2 : 0x1;
    if (rng.chance(0.35) && length > 0) {
      // fragmented: cut anywhere (inside a UTF-8 character too), empty fragments allowed,
      // control frames allowed between fragments
      const cuts = Array.from({ length: rng.range(1, 4) }, () => rng.int(length + 1)).sort((a, b) => a - b);
      const bounds = [0, ...cuts, length];
      for (let f = 0; f + 1 < bounds.length; f++) {
        const last = f + 2 === bounds.length;
        frames.push(frame(rng, f === 0 ? opcode : 0x0, payload.subarray(bounds[f], bounds[f + 1]), last));
        if (!last && rng.chance(0.3)) control();
      }
    } else {
      frames.push(frame(rng, opcode, payload));
    }
    expected.push({ kind: binary ? "binary" : "text", data: payload });
  }
  if (rng.chance(0.3)) {
    if (rng.chance(0.3)) {
      frames.push(frame(rng, 0x8, Buffer.alloc(0)));
      expected.push({ kind: "close 1005", data: Buffer.alloc(0) });
    } else {
      const code = rng.pick(VALID_CLOSE_CODES);
      const reason = utf8(rng, rng.chance(0.2) ? 123 : rng.int(20));
      const payload = Buffer.alloc(2 + reason.length);
      payload.writeUInt16BE(code, 0);
      reason.copy(payload, 2);
      frames.push(frame(rng, 0x8, payload));
      expected.push({ kind: `close ${code}`, data: reason });
    }
  }
  return { frames, expected };
}

// ---------------------------------------------------------------------------------------------
// Mutations

const INVALID_UTF8 = [
  [0xff],
  [0x80],
  [0xc0, 0x80], // overlong NUL
  [0xc1, 0xbf],
  [0xe0, 0x80, 0x80], // overlong
  [0xed, 0xa0, 0x80], // a surrogate
  [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xe2, 0x82], // cut short
];
const INVALID_CLOSE_CODES = [0, 1, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535];
const HUGE_LENGTHS = [2n ** 53n - 1n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 32n, 0x7fffffffn];

function replaceRandomly(rng: SeededRandom, payload: Buffer, insert: readonly number[]): Buffer {
  const at = rng.int(payload.length + 1);
  return Buffer.concat([payload.subarray(0, at), Buffer.from(insert), payload.subarray(Math.min(payload.length, at + insert.length))]);
}

/** Changes one frame's header or payload, or the frames' order. */
function mutateFrames(rng: SeededRandom, frames: FrameSpec[]): string {
  if (frames.length === 0) frames.push(frame(rng, 0x1, Buffer.from("x")));
  const i = rng.int(frames.length);
  const f = frames[i]!;
  switch (rng.int(17)) {
    case 0:
      f.rsv = rng.range(1, 7);
      return `rsv ${f.rsv} on frame ${i}`;
    case 1:
      f.opcode = rng.int(16);
      return `opcode ${f.opcode} on frame ${i}`;
    case 2:
      f.fin = !f.fin;
      return `fin flipped on frame ${i}`;
    case 3:
      f.masked = false;
      return `frame ${i} unmasked`;
    case 4:
      f.wrongKey = rng.bytes(4);
      return `frame ${i} masked with another key than its header's`;
    case 5:
      // RFC 6455 asks for the shortest form; neither reader enforces it
      f.lengthForm = f.payload.length < 126 && rng.chance(0.5) ? 16 : 64;
      return `frame ${i} with an overlong length form`;
    case 6: {
      const delta = rng.pick([-3, -1, 1, 2, 7, 200]);
      f.declaredLength = BigInt(Math.max(0, f.payload.length + delta));
      return `frame ${i} declares ${f.declaredLength} bytes for ${f.payload.length}`;
    }
    case 7:
      f.declaredLength = rng.pick(HUGE_LENGTHS);
      f.lengthForm = 64;
      return `frame ${i} declares ${f.declaredLength} bytes`;
    case 8:
      f.opcode = 0x1;
      f.payload = replaceRandomly(rng, f.payload, rng.pick(INVALID_UTF8));
      return `frame ${i} made text with invalid UTF-8`;
    case 9:
      f.opcode = rng.pick([0x8, 0x9, 0xa]);
      f.payload = rng.bytes(rng.range(126, 200));
      return `control frame ${i} of ${f.payload.length} bytes`;
    case 10:
      f.opcode = 0x8;
      f.payload = rng.bytes(1);
      return `close frame ${i} with one byte`;
    case 11: {
      f.opcode = 0x8;
      const code = rng.pick(INVALID_CLOSE_CODES);
      f.payload = Buffer.concat([Buffer.from([code >> 8, code & 0xff]), utf8(rng, rng.int(10))]);
      return `close frame ${i} with code ${code}`;
    }
    case 12:
      f.opcode = 0x8;
      f.payload = Buffer.concat([Buffer.from([0x03, 0xe8]), Buffer.from(rng.pick(INVALID_UTF8))]);
      return `close frame ${i} with a reason not in UTF-8`;
    case 13:
      frames.splice(i, 1);
      return `frame ${i} dropped`;
    case 14:
      frames.splice(i, 0, { ...f });
      return `frame ${i} twice`;
    case 15: {
      const j = rng.int(frames.length);
      frames[i] = frames[j]!;
      frames[j] = f;
      return `frames ${i} and ${j} swapped`;
    }
    default: {
      const opcode = rng.pick([0x0, 0x1, 0x2]);
      frames.splice(i, 0, frame(rng, opcode, utf8(rng, rng.int(10)), rng.chance(0.5)));
      return `frame of opcode ${opcode} inserted at ${i}`;
    }
  }
}

/** Changes the encoded bytes. */
function mutateBytes(rng: SeededRandom, bytes: Buffer): { bytes: Buffer; what: string } {
  if (bytes.length === 0) return { bytes: rng.bytes(rng.range(1, 16)), what: "random bytes" };
  switch (rng.int(6)) {
    case 0: {
      const out = Buffer.from(bytes);
      const flips = rng.range(1, 4);
      for (let n = 0; n < flips; n++) {
        const at = rng.int(out.length);
        out[at] = out[at]! ^ (1 << rng.int(8));
      }
      return { bytes: out, what: `${flips} bit flips` };
    }
    case 1: {
      const at = rng.int(bytes.length);
      return { bytes: bytes.subarray(0, at), what: `truncated to ${at} bytes` };
    }
    case 2: {
      const at = rng.int(bytes.length + 1);
      return { bytes: Buffer.concat([bytes.subarray(0, at), rng.bytes(rng.range(1, 8)), bytes.subarray(at)]), what: `bytes inserted at ${at}` };
    }
    case 3: {
      const at = rng.int(bytes.length);
      const end = Math.min(bytes.length, at + rng.range(1, 8));
      return { bytes: Buffer.concat([bytes.subarray(0, at), bytes.subarray(end)]), what: `bytes ${at}..${end} deleted` };
    }
    case 4: {
      const out = Buffer.from(bytes);
      const at = rng.int(out.length);
      out[at] = rng.int(256);
      return { bytes: out, what: `byte ${at} overwritten` };
    }
    default:
      return { bytes: Buffer.concat([bytes, rng.bytes(rng.range(1, 32))]), what: "garbage appended" };
  }
}

// ---------------------------------------------------------------------------------------------
// The two readers

/** Records what the reader delivers, copying the buffers (they may be views of its input). */
class RecordingSink implements FrameSink {
  readonly events: ReaderEvent[] = [];
  onMessage(data: Buffer, isBinary: boolean): void {
    this.events.push({ kind: isBinary ? "binary" : "text", data: Buffer.from(data) });
  }
  onPing(payload: Buffer): void {
    this.events.push({ kind: "ping", data: Buffer.from(payload) });
  }
  onPong(payload: Buffer): void {
    this.events.push({ kind: "pong", data: Buffer.from(payload) });
  }
  onCloseFrame(code: number, reason: Buffer): void {
    this.events.push({ kind: `close ${code}`, data: Buffer.from(reason) });
  }
}

/** A run longer than this is taken for a hang (the largest stream is a few hundred kB). */
const RUN_TIME_LIMIT_MS = 2000;

/** Feeds `bytes` cut at `cuts` to a fresh FrameReader. Throws (failing the test) on anything but a first FrameError. */
function runVolley(bytes: Buffer, cuts: readonly number[], maxPayload: number): Outcome {
  const copy = Buffer.from(bytes); // the reader unmasks in place
  const sink = new RecordingSink();
  const reader = new FrameReader(sink, maxPayload);
  let error: number | null = null;
  const started = Date.now();
  let from = 0;
  for (const to of [...cuts, copy.length]) {
    try {
      reader.push(copy.subarray(from, to));
    } catch (thrown) {
      if (!(thrown instanceof FrameError)) throw new Error(`FrameReader threw something else than a FrameError: ${String(thrown)}`);
      if (error !== null) throw new Error(`FrameReader threw a second FrameError after ${error}: ${thrown.message}`);
      error = thrown.status;
    }
    from = to;
  }
  if (Date.now() - started > RUN_TIME_LIMIT_MS) throw new Error(`FrameReader took ${Date.now() - started}ms`);
  return { events: sink.events, error };
}

/** ws's error codes (documented in ws's doc/ws.md) and the close status ws sends for each. */
const WS_STATUS: Record<string, number> = {
  WS_ERR_EXPECTED_FIN: 1002,
  WS_ERR_EXPECTED_MASK: 1002,
  WS_ERR_INVALID_CLOSE_CODE: 1002,
  WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH: 1002,
  WS_ERR_INVALID_OPCODE: 1002,
  WS_ERR_UNEXPECTED_RSV_1: 1002,
  WS_ERR_UNEXPECTED_RSV_2_3: 1002,
  WS_ERR_INVALID_UTF8: 1007,
  WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH: 1009,
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 1009,
};

/** Feeds the same bytes, cut the same way, to ws's Receiver, as a server without extensions. */
function runWs(bytes: Buffer, cuts: readonly number[], maxPayload: number): Outcome {
  const copy = Buffer.from(bytes); // ws unmasks in place too
  const receiver = new Receiver({ isServer: true, maxPayload });
  const events: ReaderEvent[] = [];
  let concluded = false;
  receiver.on("message", (data: Buffer, isBinary: boolean) => events.push({ kind: isBinary ? "binary" : "text", data: Buffer.from(data) }));
  receiver.on("ping", (data: Buffer) => events.push({ kind: "ping", data: Buffer.from(data) }));
  receiver.on("pong", (data: Buffer) => events.push({ kind: "pong", data: Buffer.from(data) }));
  receiver.on("conclude", (code: number, reason: Buffer) => {
    concluded = true;
    events.push({ kind: `close ${code}`, data: Buffer.from(reason) });
  });
  // the stream reports its error on the next tick; `errored` has it at once
  receiver.on("error", () => undefined);
  let from = 0;
  for (const to of [...cuts, copy.length]) {
    // the Receiver ends itself on a close frame and destroys itself on an error: writing
    // more would only report a stream error of its own
    if (concluded || receiver.errored !== null) break;
    receiver.write(copy.subarray(from, to));
    from = to;
  }
  const failure = receiver.errored as (Error & { code?: string }) | null;
  if (failure === null) return { events, error: null };
  const status = WS_STATUS[failure.code ?? ""];
  if (status === undefined) throw new Error(`ws failed with an unexpected error: ${failure.code} ${failure.message}`);
  return { events, error: status };
}

// ---------------------------------------------------------------------------------------------
// Running a case

/** Streams up to this length are split at every point, and also fed one byte at a time. */
const FULL_SPLIT_LIMIT = 256;

/** Every split point for short streams; for long ones, those around each frame start and a random sample. */
function splitPoints(rng: SeededRandom, length: number, starts: readonly number[]): number[] {
  if (length <= FULL_SPLIT_LIMIT) return Array.from({ length: Math.max(0, length - 1) }, (_, i) => i + 1);
  const points = new Set<number>();
  // every point of the headers (at most 14 bytes) of a few frames, chosen at random
  for (let n = 0; n < 6 && starts.length > 0; n++) {
    const start = rng.pick(starts);
    for (let d = -1; d <= 15; d++) points.add(start + d);
  }
  for (let n = 0; n < 24; n++) points.add(rng.range(1, length - 1));
  return [...points].filter((p) => p > 0 && p < length).sort((a, b) => a - b);
}

function formatOutcome(outcome: Outcome): string {
  return `error ${outcome.error ?? "none"}; events [${outcome.events.map((e) => `${e.kind} ${show(e.data)}`).join(" | ")}]`;
}

function hexPreview(bytes: Buffer): string {
  return bytes.length <= 256 ? bytes.toString("hex") : `${bytes.subarray(0, 256).toString("hex")}... (${bytes.length} bytes)`;
}

/**
 * Reads `bytes` whole and split, with both readers; fails with everything needed to
 * reproduce when Volley's outcome differs from ws's.
 */
function checkStream(rng: SeededRandom, label: string, bytes: Buffer, starts: readonly number[], maxPayload: number): Outcome {
  const fail = (how: string, detail: string): never => {
    throw new Error(`${label}, maxPayload ${maxPayload}: ${how}\n${detail}\nstream: ${hexPreview(bytes)}`);
  };
  const run = (cuts: readonly number[], reader: typeof runVolley): Outcome => {
    try {
      return reader(bytes, cuts, maxPayload);
    } catch (error) {
      return fail(`${reader === runVolley ? "Volley" : "ws"} failed, cut at [${cuts.join(",")}]`, String(error));
    }
  };
  // tens of thousands of errors are made below: without stack traces (the label says all)
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return checkStreamNow(rng, bytes, starts, run, fail);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

function checkStreamNow(
  rng: SeededRandom,
  bytes: Buffer,
  starts: readonly number[],
  run: (cuts: readonly number[], reader: typeof runVolley) => Outcome,
  fail: (how: string, detail: string) => never,
): Outcome {
  const reference = run([], runWs);
  const compare = (cuts: readonly number[]): void => {
    const actual = run(cuts, runVolley);
    if (!sameOutcome(actual, reference)) {
      fail(`Volley differs from ws, cut at [${cuts.join(",")}]`, `Volley: ${formatOutcome(actual)}\nws:     ${formatOutcome(reference)}`);
    }
  };
  compare([]);
  const points = splitPoints(rng, bytes.length, starts);
  for (const point of points) compare([point]);
  // ws is the reference only if it is itself indifferent to how the bytes arrive
  for (let n = 0; n < 1 && points.length > 0; n++) {
    const point = rng.pick(points);
    const split = run([point], runWs);
    if (!sameOutcome(split, reference)) fail(`ws differs from itself, cut at [${point}]`, `split: ${formatOutcome(split)}\nwhole: ${formatOutcome(reference)}`);
  }
  // three pieces, and now and then one byte at a time
  for (let n = 0; n < 4 && bytes.length > 2; n++) {
    const a = rng.range(1, bytes.length - 2);
    compare([a, rng.range(a + 1, bytes.length - 1)]);
  }
  if (bytes.length <= FULL_SPLIT_LIMIT) compare(Array.from({ length: Math.max(0, bytes.length - 1) }, (_, i) => i + 1));
  return reference;
}

const MAX_PAYLOADS = [0, 0, 0, 64, 1000, 65536, 100 * 1024 * 1024];

describe("FrameReader fuzz: the same verdict as ws's Receiver", () => {
  const seeds = fuzzSeeds([0x5eed0001, 0x5eed0002]);

  it.each(seeds)("valid streams, whole and split at every point, seed %d", (seed) => {
    const rng = new SeededRandom(seed);
    for (let c = 0; c < 80; c++) {
      const caseRng = rng.fork();
      const { frames, expected } = validStream(caseRng);
      const { bytes, starts } = encodeStream(frames);
      const label = `valid stream (${reproduce(seed, c)})`;
      const outcome = checkStream(caseRng, label, bytes, starts, 0);
      // both readers also deliver what was sent, in order, without an error
      const sent = { events: expected, error: null };
      if (!sameOutcome(outcome, sent)) throw new Error(`${label}: read ${formatOutcome(outcome)}\nsent ${formatOutcome(sent)}`);
    }
  });

  it.each(seeds)("valid streams under a maxPayload, seed %d", (seed) => {
    const rng = new SeededRandom(seed ^ 0x1000);
    for (let c = 0; c < 40; c++) {
      const caseRng = rng.fork();
      const { frames } = validStream(caseRng);
      const { bytes, starts } = encodeStream(frames);
      const maxPayload = caseRng.pick([1, 40, 125, 126, 300, 65535, 65536]);
      checkStream(caseRng, `valid stream (${reproduce(seed, c)})`, bytes, starts, maxPayload);
    }
  });

  it.each(seeds)("frames with a mutated header, payload or order, seed %d", (seed) => {
    const rng = new SeededRandom(seed ^ 0x2000);
    const verdicts = new Set<number | null>();
    for (let c = 0; c < 250; c++) {
      const caseRng = rng.fork();
      const { frames } = validStream(caseRng);
      const mutations: string[] = [];
      for (let m = caseRng.range(1, 3); m > 0; m--) mutations.push(mutateFrames(caseRng, frames));
      const { bytes, starts } = encodeStream(frames);
      const maxPayload = caseRng.pick(MAX_PAYLOADS);
      const label = `mutated stream: ${mutations.join("; ")} (${reproduce(seed, c)})`;
      verdicts.add(checkStream(caseRng, label, bytes, starts, maxPayload).error);
    }
    // the mutations reach every verdict
    expect([...verdicts].sort()).toEqual([1002, 1007, 1009, null].sort());
  });

  it.each(seeds)("streams with mutated bytes, seed %d", (seed) => {
    const rng = new SeededRandom(seed ^ 0x3000);
    const verdicts = new Set<number | null>();
    for (let c = 0; c < 250; c++) {
      const caseRng = rng.fork();
      const { frames } = validStream(caseRng);
      const encoded = encodeStream(frames);
      let bytes = encoded.bytes;
      const mutations: string[] = [];
      for (let m = caseRng.range(1, 3); m > 0; m--) {
        const mutated = mutateBytes(caseRng, bytes);
        bytes = mutated.bytes;
        mutations.push(mutated.what);
      }
      const maxPayload = caseRng.pick(MAX_PAYLOADS);
      const label = `mutated bytes: ${mutations.join("; ")} (${reproduce(seed, c)})`;
      verdicts.add(checkStream(caseRng, label, bytes, encoded.starts, maxPayload).error);
    }
    expect(verdicts.has(1002)).toBe(true);
    expect(verdicts.has(null)).toBe(true);
  });

  it.each(seeds)("random bytes, seed %d", (seed) => {
    const rng = new SeededRandom(seed ^ 0x4000);
    for (let c = 0; c < 300; c++) {
      const caseRng = rng.fork();
      // a random first byte seldom starts a valid frame: half the cases start with a valid header's first bytes
      const start = caseRng.chance(0.5) ? Buffer.from([caseRng.pick([0x81, 0x82, 0x01, 0x89, 0x8a, 0x88]), 0x80 | caseRng.int(128)]) : Buffer.alloc(0);
      const bytes = Buffer.concat([start, caseRng.bytes(caseRng.range(0, 64))]);
      checkStream(caseRng, `random bytes (${reproduce(seed, c)})`, bytes, [0], caseRng.pick(MAX_PAYLOADS));
    }
  });

  it.each(seeds)("long streams fed in chunks of a few bytes, seed %d", (seed) => {
    const rng = new SeededRandom(seed ^ 0x5000);
    for (let c = 0; c < 4; c++) {
      const caseRng = rng.fork();
      const payload = utf8(caseRng, caseRng.pick(LARGE_LENGTHS));
      const cut = caseRng.range(1, payload.length - 1);
      const frames = [
        frame(caseRng, 0x1, payload.subarray(0, cut), false),
        frame(caseRng, 0x9, caseRng.bytes(125)),
        frame(caseRng, 0x0, payload.subarray(cut)),
      ];
      let { bytes } = encodeStream(frames);
      const label = `long stream (${reproduce(seed, c)})`;
      if (caseRng.chance(0.5)) bytes = mutateBytes(caseRng, bytes).bytes;
      const cuts: number[] = [];
      for (let at = caseRng.range(1, 7); at < bytes.length; at += caseRng.range(1, 7)) cuts.push(at);
      const reference = runWs(bytes, [], 0);
      const actual = runVolley(bytes, cuts, 0);
      if (!sameOutcome(actual, reference)) throw new Error(`${label}: Volley ${formatOutcome(actual)}\nws ${formatOutcome(reference)}`);
    }
  });
});

describe("FrameReader: cases this fuzzer found (the reader used to differ from ws on them)", () => {
  // what, the bytes, maxPayload, ws's verdict
  const cases: Array<[string, string, number, number]> = [
    // opcode 7 is refused from the two first bytes, not once a key has arrived
    ["a reserved opcode, the header cut after two bytes", "878aca", 0, 1002],
    // a control frame never has an extended length: 1002, even when that length is beyond 2^53
    ["a ping announcing a 64-bit length beyond 2^53", "89ff8a7eebac88698e1d0c4591b4db12", 0, 1002],
    ["a ping announcing 5 bytes in the 16-bit form", "89fe000511223344aabbccddee", 0, 1002],
    // a close frame of one byte is refused from its header, before that byte arrives
    ["a close frame announcing one byte, the byte not sent", "8881aabbccdd", 0, 1002],
    // a length over maxPayload (1000 here) is refused as soon as it is read, before the key
    ["a 16-bit length over maxPayload, the key not sent", "82fe0400", 1000, 1009],
    ["a 7-bit length over maxPayload (64 here), the key not sent", "82f0", 64, 1009],
  ];
  it.each(cases)("%s", (_what, hex, maxPayload, status) => {
    const bytes = Buffer.from(hex, "hex");
    const reference = runWs(bytes, [], maxPayload);
    expect(reference.error).toBe(status);
    for (let at = 0; at < bytes.length; at++) {
      const cuts = at === 0 ? [] : [at];
      expect(formatOutcome(runVolley(bytes, cuts, maxPayload))).toBe(formatOutcome(reference));
    }
  });
});
