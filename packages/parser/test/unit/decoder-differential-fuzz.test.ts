// Differential fuzzing of the Decoder against the published socket.io-parser 4: seeded
// sequences of valid packets (binary ones with their attachments as separate messages), and
// random mutations of them (text changed, messages dropped, repeated, swapped or inserted,
// attachments in another binary shape) go through both decoders. Volley must throw only
// DecodeErrors, and up to the first error both must emit the same packets and fail (or not)
// at the same message. test/unit/fuzz.test.ts checks Volley's own contract on garbage; this
// file checks that Volley agrees with socket.io-parser wherever it does not document otherwise.
//
// Where the two may differ, Volley refusing what socket.io-parser accepts, each case is named
// in DIVERGENCES and recognised by an oracle written here from the input and from what
// socket.io-parser made of it (never from what Volley did).
//
// Seeds are fixed; VOLLEY_FUZZ_SEED=<n>[,<n>...] runs others. Every failure names its seed.
import { describe, expect, it } from "@jest/globals";
import * as theirs from "socket.io-parser";
import { DecodeError, Decoder, Encoder, PacketType, type Packet } from "../../src";
import { SeededRandom, fuzzSeeds, reproduce } from "../helpers/seeded-random";

const { CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK } = PacketType;
const seeds = fuzzSeeds([0x10ad0001, 0x10ad0002]);

// ---------------------------------------------------------------------------------------------
// Valid packets

const NAMESPACES = ["/", "/", "/chat", "/a-b_c", "/é"];
const WORDS = ["hello", "é😀", "", "a,b", '"q"', "_placeholder", "num", "x".repeat(40)];

function value(rng: SeededRandom, depth: number, binary: Buffer[] | undefined): unknown {
  const r = rng.float();
  if (binary !== undefined && binary.length < 3 && r < 0.15) {
    const bytes = rng.bytes(rng.int(6));
    binary.push(bytes);
    return bytes;
  }
  if (depth > 3 || r < 0.45) return rng.pick<unknown>([0, 1, -7, 2.5, true, false, null, rng.pick(WORDS), rng.int(1_000_000)]);
  if (r < 0.7) return Array.from({ length: rng.int(4) }, () => value(rng, depth + 1, binary));
  const object: Record<string, unknown> = {};
  for (let n = rng.int(4); n > 0; n--) object[rng.pick(["a", "b", "key", "é", "num", "data", "0"])] = value(rng, depth + 1, binary);
  return object;
}

function validPacket(rng: SeededRandom): Packet {
  const nsp = rng.pick(NAMESPACES);
  const withBinary = rng.chance(0.35);
  const binary: Buffer[] | undefined = withBinary ? [] : undefined;
  const args = (): unknown[] => Array.from({ length: rng.int(4) }, () => value(rng, 2, binary));
  let packet: Packet;
  switch (rng.int(6)) {
    case 0:
      packet = rng.chance(0.5) ? { type: CONNECT, nsp } : { type: CONNECT, nsp, data: { token: rng.pick(WORDS), n: rng.int(100) } };
      break;
    case 1:
      packet = { type: DISCONNECT, nsp };
      break;
    case 2:
    case 3:
      packet = { type: EVENT, nsp, data: [rng.pick(["message", "chat", "a b", "é"]), ...args()] };
      if (rng.chance(0.5)) packet.id = rng.pick([0, 1, 42, 123456, Number.MAX_SAFE_INTEGER]);
      break;
    case 4:
      packet = { type: ACK, nsp, id: rng.int(1000), data: args() };
      break;
    default:
      packet = { type: CONNECT_ERROR, nsp, data: rng.chance(0.5) ? "Not authorized" : { message: "nope", data: { code: rng.int(5) } } };
  }
  // an attachment for sure in some event and ack packets
  if (withBinary && (packet.type === EVENT || packet.type === ACK) && rng.chance(0.6)) {
    (packet.data as unknown[]).push(rng.chance(0.5) ? rng.bytes(rng.int(5)) : { file: rng.bytes(3), list: [rng.bytes(1)] });
  }
  return packet;
}

// ---------------------------------------------------------------------------------------------
// Mutations

const INTERESTING = '0123456789-/,[]{}":_ \t\n\u00a0\u0001\u007fx.e+';
const SNIPPETS = [
  '{"_placeholder":true,"num":0}',
  '{"_placeholder":true,"num":1}',
  '{"_placeholder":true,"num":0.5}',
  '{"_placeholder":true,"num":-1}',
  '{"_placeholder":true}',
  '{"__proto__":{"x":1}}',
  '{"constructor":1}',
  "1e0",
  "0x1",
  " 1",
  "99999999999999999",
  "/ns\u0000",
  '["connect"]',
  "[1]",
  "[[[[[[[[",
];

function mutateText(rng: SeededRandom, text: string): string {
  const at = rng.int(text.length + 1);
  switch (rng.int(7)) {
    case 0:
      return text.slice(0, at) + INTERESTING[rng.int(INTERESTING.length)] + text.slice(at + 1);
    case 1:
      return text.slice(0, at) + INTERESTING[rng.int(INTERESTING.length)] + text.slice(at);
    case 2:
      return text.slice(0, at) + text.slice(at + rng.range(1, 3));
    case 3:
      return text.slice(0, at);
    case 4:
      return text.slice(0, at) + rng.pick(SNIPPETS) + text.slice(at);
    case 5:
      return text.slice(0, at) + rng.pick(SNIPPETS) + text.slice(at + rng.range(1, 12));
    default:
      // another type digit, or a binary packet's attachment count changed
      return text.replace(/^(\d)(\d*-)?/, (_all, _type: string, count: string | undefined) =>
        String(rng.int(8)) + (count !== undefined && rng.chance(0.5) ? `${rng.range(0, 4)}-` : (count ?? "")),
      );
  }
}

type Chunk = string | Buffer | ArrayBuffer | Uint8Array;

function mutateSequence(rng: SeededRandom, chunks: Chunk[]): string {
  if (chunks.length === 0) {
    chunks.push(mutateText(rng, "2"));
    return "a message made up";
  }
  const at = rng.int(chunks.length);
  const chunk = chunks[at]!;
  switch (rng.int(7)) {
    case 0:
    case 1:
    case 2: {
      const texts = chunks.map((c, i) => [c, i] as const).filter(([c]) => typeof c === "string");
      if (texts.length === 0) return "nothing";
      const [text, i] = rng.pick(texts);
      chunks[i] = mutateText(rng, text as string);
      return `text ${i} changed`;
    }
    case 3:
      chunks.splice(at, 1);
      return `message ${at} dropped`;
    case 4:
      chunks.splice(at, 0, chunk);
      return `message ${at} repeated`;
    case 5: {
      const other = rng.int(chunks.length);
      chunks[at] = chunks[other]!;
      chunks[other] = chunk;
      return `messages ${at} and ${other} swapped`;
    }
    default:
      if (typeof chunk === "string") {
        chunks.splice(at, 0, rng.bytes(rng.int(4)));
        return `binary inserted at ${at}`;
      }
      // the same bytes in another shape a transport may hand over
      chunks[at] = rng.chance(0.5) ? Uint8Array.from(chunk as Uint8Array).buffer : Uint8Array.from(chunk as Uint8Array);
      return `attachment ${at} as ${chunks[at]!.constructor.name}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Running both decoders

/** Up to the first error: the packets emitted (binary as Buffers), and the message that failed. */
interface Outcome {
  decoded: unknown[];
  failedAt: number | null;
  packets: theirs.Packet[];
}

function comparable(value: unknown): unknown {
  if (value instanceof ArrayBuffer || Object.prototype.toString.call(value) === "[object ArrayBuffer]") return { bytes: Buffer.from(value as ArrayBuffer).toString("hex") };
  if (ArrayBuffer.isView(value)) return { bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex") };
  if (Array.isArray(value)) return value.map(comparable);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = comparable(v);
    }
    return out;
  }
  return value;
}

/** Copies of the chunks: socket.io-parser rewrites what it decodes in place. */
function copies(chunks: readonly Chunk[]): Chunk[] {
  return chunks.map((chunk) => (typeof chunk === "string" ? chunk : chunk instanceof ArrayBuffer ? chunk.slice(0) : Buffer.from(chunk)));
}

function runOurs(label: string, chunks: readonly Chunk[]): Outcome {
  const decoder = new Decoder();
  const decoded: unknown[] = [];
  const packets: theirs.Packet[] = [];
  decoder.on("decoded", (packet) => {
    packets.push(packet as theirs.Packet);
    decoded.push(comparable(packet));
  });
  const input = copies(chunks);
  for (let i = 0; i < input.length; i++) {
    try {
      decoder.add(input[i]);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw new Error(`${label}: Volley threw something else than a DecodeError: ${String(error)}`);
      return { decoded, failedAt: i, packets };
    }
  }
  return { decoded, failedAt: null, packets };
}

function runTheirs(chunks: readonly Chunk[]): Outcome {
  const decoder = new theirs.Decoder();
  const decoded: unknown[] = [];
  const packets: theirs.Packet[] = [];
  decoder.on("decoded", (packet: theirs.Packet) => {
    packets.push(packet);
    decoded.push(comparable(packet));
  });
  const input = copies(chunks);
  for (let i = 0; i < input.length; i++) {
    try {
      decoder.add(input[i]);
    } catch {
      return { decoded, failedAt: i, packets };
    }
  }
  return { decoded, failedAt: null, packets };
}

// ---------------------------------------------------------------------------------------------
// The documented divergences

/**
 * Why socket.io-parser's packet `packet`, read from `text`, is one Volley refuses (README,
 * "Errors" and "Where we are stricter"), or undefined when Volley should take it too.
 */
function refusedByVolley(packet: theirs.Packet, text: string | undefined): string | undefined {
  const data = packet.data as unknown;
  if (text === "") return "an empty message, which socket.io-parser reads as CONNECT";
  if (text !== undefined && text.charAt(0) !== "0" && Number(text.charAt(0)) === 0) {
    return "a whitespace type character, which socket.io-parser reads as 0 (CONNECT)";
  }
  if (packet.type === EVENT && Array.isArray(data) && typeof data[0] === "number") return "a numeric event name";
  if (packet.type === ACK && packet.id === undefined) return "an ACK without ack id";
  if ((packet.type === CONNECT || packet.type === DISCONNECT || packet.type === CONNECT_ERROR) && packet.id !== undefined) {
    return "an ack id on a packet type that has none";
  }
  if (packet.id !== undefined && !Number.isSafeInteger(packet.id)) return "an ack id beyond Number.MAX_SAFE_INTEGER";
  // socket.io-parser checks a payload only when there is one
  if ((packet.type === EVENT || packet.type === ACK || packet.type === CONNECT_ERROR) && data === undefined) {
    return "an EVENT, ACK or CONNECT_ERROR without payload";
  }
  if (/[\u0000-\u001f\u007f]/.test(packet.nsp)) return "a namespace with a control character";
  if (hasForbiddenKey(data)) return "a __proto__ or constructor key";
  if (depth(data) > 100) return "a payload deeper than maxDepth";
  if (text !== undefined && laxNumberFields(text)) return "an attachment count or ack id that is not plain digits";
  return undefined;
}

function hasForbiddenKey(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (!Array.isArray(value) && (Object.prototype.hasOwnProperty.call(value, "__proto__") || Object.prototype.hasOwnProperty.call(value, "constructor"))) return true;
  return Object.values(value).some(hasForbiddenKey);
}

function depth(value: unknown): number {
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value)) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depth));
}

/**
 * socket.io-parser reads the attachment count with Number() (" 1", "1e0", "0x1" pass) and
 * takes any character c with Number(c) == c into the ack id (so whitespace reads as 0).
 */
function laxNumberFields(text: string): boolean {
  let i = 0;
  if (text[0] === "5" || text[0] === "6") {
    const dash = text.indexOf("-");
    if (dash === -1 || !/^[0-9]+$/.test(text.slice(1, dash))) return true;
    i = dash;
  }
  if (text.charAt(i + 1) === "/") {
    const comma = text.indexOf(",", i + 1);
    i = comma === -1 ? text.length : comma;
  }
  let j = i + 1;
  // eslint-disable-next-line eqeqeq -- the loose comparison socket.io-parser makes
  while (j < text.length && Number(text.charAt(j)) == (text.charAt(j) as unknown as number)) {
    if (!/[0-9]/.test(text.charAt(j))) return true;
    j++;
  }
  return false;
}

/** A binary packet whose placeholders socket.io-parser never checks before its attachments are in, or reads leniently. */
function laxPlaceholders(text: string): boolean {
  const json = text.slice(text.search(/[[{"]/));
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return false;
  }
  const count = Number(text.slice(1, text.indexOf("-")));
  const bad = (value: unknown): boolean => {
    if (typeof value !== "object" || value === null) return false;
    const placeholder = value as { _placeholder?: unknown; num?: unknown };
    if (placeholder._placeholder === true) {
      return typeof placeholder.num !== "number" || !Number.isInteger(placeholder.num) || placeholder.num < 0 || placeholder.num >= count;
    }
    return Object.values(value).some(bad);
  };
  return bad(parsed);
}

/** The packet socket.io-parser reads from a binary packet's text, given as many attachments as it announces. */
function theirPacketOf(text: string): theirs.Packet | undefined {
  const decoder = new theirs.Decoder();
  let packet: theirs.Packet | undefined;
  decoder.on("decoded", (decoded: theirs.Packet) => (packet = decoded));
  try {
    decoder.add(text);
    for (let n = 0; n < 10 && packet === undefined; n++) decoder.add(Buffer.alloc(1));
  } catch {
    return undefined;
  }
  return packet;
}

const DIVERGENCES = [
  "an empty message, which socket.io-parser reads as CONNECT",
  "a whitespace type character, which socket.io-parser reads as 0 (CONNECT)",
  "a numeric event name",
  "an ACK without ack id",
  "an ack id on a packet type that has none",
  "an ack id beyond Number.MAX_SAFE_INTEGER",
  "an EVENT, ACK or CONNECT_ERROR without payload",
  "a namespace with a control character",
  "a __proto__ or constructor key",
  "a payload deeper than maxDepth",
  "an attachment count or ack id that is not plain digits",
  "a bad placeholder, refused with the text part (socket.io-parser finds it, or not, once the attachments are in)",
] as const;

/**
 * Fails unless both outcomes agree, or they part where Volley refuses a message for one of
 * the DIVERGENCES. Returns the divergence seen, if any.
 */
function compare(label: string, chunks: readonly Chunk[]): string | undefined {
  const ours = runOurs(label, chunks);
  const reference = runTheirs(chunks);
  const fail = (why: string): never => {
    const shown = chunks.map((c) => (typeof c === "string" ? JSON.stringify(c) : `<${c.constructor.name} ${Buffer.from(c instanceof ArrayBuffer ? new Uint8Array(c) : c).toString("hex")}>`));
    throw new Error(
      `${label}: ${why}\ninput: [${shown.join(", ")}]\nVolley:           failed at ${ours.failedAt} after ${JSON.stringify(ours.decoded)}\nsocket.io-parser: failed at ${reference.failedAt} after ${JSON.stringify(reference.decoded)}`,
    );
  };
  const same = JSON.stringify(ours.decoded) === JSON.stringify(reference.decoded) && ours.failedAt === reference.failedAt;
  if (same) return undefined;
  // Volley must have refused a message (the first where they part) for a documented reason
  const at = ours.failedAt;
  if (at === null || JSON.stringify(ours.decoded) !== JSON.stringify(reference.decoded.slice(0, ours.decoded.length))) {
    return fail("they differ");
  }
  const chunk = chunks[at];
  const text = typeof chunk === "string" ? chunk : undefined;
  // what socket.io-parser made of that message: the next packet it emitted, from that message or its attachments
  const theirPacket = reference.packets[ours.decoded.length];
  if (text !== undefined && (text[0] === "5" || text[0] === "6") && laxPlaceholders(text)) return DIVERGENCES[11];
  if (theirPacket !== undefined) {
    const reason = refusedByVolley(theirPacket, text);
    if (reason !== undefined) return reason;
  } else if (text !== undefined) {
    // socket.io-parser took the text part of a binary packet and was still waiting for its
    // attachments when the input ended, or failed later: what would it have made of it?
    if (laxNumberFields(text)) return DIVERGENCES[10];
    const whole = theirPacketOf(text);
    const reason = whole === undefined ? undefined : refusedByVolley(whole, text);
    if (reason !== undefined) return reason;
  }
  return fail("Volley refused a message socket.io-parser takes, for no documented reason");
}

describe("Decoder differential fuzz against socket.io-parser 4", () => {
  it.each(seeds)("valid packet sequences decode the same, seed %d", (seed) => {
    const rng = new SeededRandom(seed);
    const encoder = new Encoder();
    for (let c = 0; c < 500; c++) {
      const chunks = Array.from({ length: rng.range(1, 5) }, () => validPacket(rng)).flatMap((packet) => encoder.encode(packet) as Chunk[]);
      const label = `valid sequence (${reproduce(seed, c)})`;
      const outcome = runOurs(label, chunks);
      expect({ label, failedAt: outcome.failedAt }).toEqual({ label, failedAt: null });
      expect(compare(label, chunks)).toBeUndefined();
    }
  });

  it.each(seeds)("mutated sequences: the same packets and verdict, or a documented refusal, seed %d", (seed) => {
    const rng = new SeededRandom(seed ^ 0x100);
    const encoder = new Encoder();
    const seen = new Map<string, number>();
    for (let c = 0; c < 4000; c++) {
      const chunks = Array.from({ length: rng.range(1, 4) }, () => validPacket(rng)).flatMap((packet) => encoder.encode(packet) as Chunk[]);
      const mutations: string[] = [];
      for (let m = rng.range(1, 3); m > 0; m--) mutations.push(mutateSequence(rng, chunks));
      const divergence = compare(`mutated sequence: ${mutations.join("; ")} (${reproduce(seed, c)})`, chunks);
      const key = divergence ?? "none";
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    // the mutations reach most documented divergences (not an exact list: it depends on the seed)
    expect(seen.get("none")).toBeGreaterThan(3000);
    expect(seen.size).toBeGreaterThan(5);
  });
});
