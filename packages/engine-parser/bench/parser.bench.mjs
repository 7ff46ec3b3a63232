// Side-by-side micro-benchmark: @volley/engine-parser (built dist) against the published
// engine.io-parser, same inputs, same process. Each library is called the way it is meant
// to be called: ours returns values, upstream hands them to a callback.
//
//   pnpm build && pnpm bench
//   BENCH_TIME_MS (time per task, default 1000), BENCH_ROUNDS (default 3), BENCH_FILTER
//   (run the cases whose name contains it), BENCH_DEBUG=1 (print every round)
//
// Each sample runs a batch of calls over a ring of distinct inputs: with one constant input
// the JIT hoists tiny operations out of the loop and the numbers measure nothing.
import { deepStrictEqual } from "node:assert";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import * as upstream from "engine.io-parser";
import { Bench } from "tinybench";
import * as ours from "../dist/index.js";

const timeMs = Number(process.env.BENCH_TIME_MS ?? 1000);
const filter = process.env.BENCH_FILTER; // run only the cases whose name contains this
const RING = 16; // distinct inputs per case (a power of two: the index is `i & (RING - 1)`)

// ---- inputs ---------------------------------------------------------------------------
const ring = (make) => Array.from({ length: RING }, (_, i) => make(i));
const kibibyte = (seed) => {
  const bytes = Buffer.alloc(1024);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + seed * 7) & 0xff;
  return bytes;
};
const sentence = "lorem ipsum dolor sit amet ";

const shortTexts = ring((i) => ({ type: "message", data: `hello ${i}` }));
const kilobyteTexts = ring((i) => ({
  type: "message",
  data: `42["chat message",${JSON.stringify({ user: `user${i}`, text: sentence.repeat(36) + i })}]`,
}));
const binaries = ring((i) => ({ type: "message", data: kibibyte(i) }));
const mixedPayloads = ring((i) => [
  { type: "message", data: `2["ping-pong",${i}]` },
  { type: "message", data: Buffer.from(`a small binary attachment #${i}`) },
  { type: "message", data: sentence.repeat(11) + i },
  { type: "ping" },
  { type: "message", data: `42["event",{"a":${i},"b":[1,2,3],"c":"ünïcödé ✓"}]` },
  { type: "message", data: kibibyte(i).subarray(0, 256) },
  { type: "pong" },
  { type: "message", data: `3${i}["ack"]` },
  { type: "noop" },
  { type: "message", data: `451-["upload",{"_placeholder":true,"num":${i}}]` },
]);

function upstreamEncodePacket(packet, supportsBinary) {
  let out;
  upstream.encodePacket(packet, supportsBinary, (encoded) => (out = encoded));
  return out;
}
function upstreamEncodePayload(packets) {
  let out;
  upstream.encodePayload(packets, (encoded) => (out = encoded));
  return out;
}

// What the decoders get is read off a socket: flat strings and fresh Buffers, not the
// concatenations the encoders return (which V8 keeps as ropes until first read).
const received = (text) => Buffer.from(text, "utf8").toString("utf8");
const shortEncoded = shortTexts.map((packet) => received(ours.encodePacket(packet, true)));
const kilobyteEncoded = kilobyteTexts.map((packet) => received(ours.encodePacket(packet, true)));
const binaryFrames = binaries.map((packet) => Buffer.from(packet.data));
const base64Encoded = binaries.map((packet) => received(ours.encodePacket(packet, false)));
const payloadsEncoded = mixedPayloads.map((packets) => received(ours.encodePayload(packets)));

// Both libraries must produce the same thing, or the comparison means nothing.
for (let i = 0; i < RING; i++) {
  deepStrictEqual(shortEncoded[i], upstreamEncodePacket(shortTexts[i], true));
  deepStrictEqual(kilobyteEncoded[i], upstreamEncodePacket(kilobyteTexts[i], true));
  deepStrictEqual(base64Encoded[i], upstreamEncodePacket(binaries[i], false));
  deepStrictEqual(payloadsEncoded[i], upstreamEncodePayload(mixedPayloads[i]));
  deepStrictEqual(ours.decodePayload(payloadsEncoded[i]), upstream.decodePayload(payloadsEncoded[i]));
  deepStrictEqual(ours.decodePacket(base64Encoded[i]), upstream.decodePacket(base64Encoded[i]));
  deepStrictEqual(ours.decodePacket(kilobyteEncoded[i]), upstream.decodePacket(kilobyteEncoded[i]));
}

// ---- cases ----------------------------------------------------------------------------
// Sinks keep every result alive so that no call is optimised away. One sink per result
// kind, each shared by both libraries, keeps each one's type feedback monomorphic.
let sink = 0;
const text = (value) => {
  sink = (sink + value.length) | 0;
};
const bytes = (value) => {
  sink = (sink + value.byteLength) | 0;
};
const textPacket = (packet) => {
  sink = (sink + packet.data.length) | 0;
};
const binaryPacket = (packet) => {
  sink = (sink + packet.data.byteLength) | 0;
};
const packetList = (packets) => {
  sink = (sink + packets.length + packets[packets.length - 1].type.length) | 0;
};

/** [name, calls per sample, ours(i), theirs(i)]; a batch keeps samples above timer resolution. */
const cases = [
  ["encode short text packet", 4096,
    (i) => text(ours.encodePacket(shortTexts[i], true)),
    (i) => upstream.encodePacket(shortTexts[i], true, text)],
  ["decode short text packet", 4096,
    (i) => textPacket(ours.decodePacket(shortEncoded[i])),
    (i) => textPacket(upstream.decodePacket(shortEncoded[i]))],
  ["encode 1 KB text message", 4096,
    (i) => text(ours.encodePacket(kilobyteTexts[i], true)),
    (i) => upstream.encodePacket(kilobyteTexts[i], true, text)],
  ["decode 1 KB text message", 4096,
    (i) => textPacket(ours.decodePacket(kilobyteEncoded[i])),
    (i) => textPacket(upstream.decodePacket(kilobyteEncoded[i]))],
  ["encode 1 KiB binary (websocket)", 4096,
    (i) => bytes(ours.encodePacket(binaries[i], true)),
    (i) => upstream.encodePacket(binaries[i], true, bytes)],
  ["decode 1 KiB binary (websocket)", 4096,
    (i) => binaryPacket(ours.decodePacket(binaryFrames[i])),
    (i) => binaryPacket(upstream.decodePacket(binaryFrames[i]))],
  ["encode 1 KiB binary (base64)", 256,
    (i) => text(ours.encodePacket(binaries[i], false)),
    (i) => upstream.encodePacket(binaries[i], false, text)],
  ["decode 1 KiB binary (base64)", 256,
    (i) => binaryPacket(ours.decodePacket(base64Encoded[i])),
    (i) => binaryPacket(upstream.decodePacket(base64Encoded[i]))],
  ["encode payload, 10 mixed packets", 128,
    (i) => text(ours.encodePayload(mixedPayloads[i])),
    (i) => upstream.encodePayload(mixedPayloads[i], text)],
  ["decode payload, 10 mixed packets", 128,
    (i) => packetList(ours.decodePayload(payloadsEncoded[i])),
    (i) => packetList(upstream.decodePayload(payloadsEncoded[i]))],
];

/**
 * The batch loop for one task. Each loop is compiled from its own source (new Function), so
 * its call site sees one callee: closures made from one shared literal would share type
 * feedback, turn megamorphic and measure call overhead instead of the parsers.
 */
const makeLoop = (fn, batch) =>
  new Function("fn", `return function loop() { for (let i = 0; i < ${batch}; i++) fn(i & ${RING - 1}); };`)(fn);

// Several rounds, each running every case once with ours and theirs back to back (the
// order swapped every round), so that drift on a shared machine hits both sides alike.
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const selected = cases.filter(([name]) => filter === undefined || name.includes(filter));
const samples = new Map(selected.map(([name]) => [name, { ours: [], theirs: [], ratio: [] }]));
for (let round = 0; round < rounds; round++) {
  const bench = new Bench({ time: timeMs, warmupTime: Math.min(timeMs, 300), throws: true });
  for (const [name, batch, oursFn, theirsFn] of selected) {
    const sides = [["ours", oursFn], ["theirs", theirsFn]];
    if (round % 2 === 1) sides.reverse();
    for (const [side, fn] of sides) bench.add(`${name} | ${side}`, makeLoop(fn, batch));
  }
  await bench.run();
  for (const [name, batch] of selected) {
    const entry = samples.get(name);
    const measure = (side) => {
      const { throughput } = bench.getTask(`${name} | ${side}`).result;
      return { opsPerSecond: throughput.mean * batch, rme: throughput.rme };
    };
    const mine = measure("ours");
    const theirs = measure("theirs");
    entry.ours.push(mine);
    entry.theirs.push(theirs);
    entry.ratio.push(mine.opsPerSecond / theirs.opsPerSecond);
    if (process.env.BENCH_DEBUG) console.log(round, name, Math.round(mine.opsPerSecond), Math.round(theirs.opsPerSecond));
  }
}

// ---- report ---------------------------------------------------------------------------
const upstreamVersion = JSON.parse(
  readFileSync(new URL("../node_modules/engine.io-parser/package.json", import.meta.url), "utf8"),
).version;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const format = (n) => Math.round(n).toLocaleString("en-US");
const lines = [
  `@volley/engine-parser vs engine.io-parser ${upstreamVersion}`,
  `Node ${process.version} (${process.platform} ${process.arch}), CPU ${cpus()[0]?.model ?? "unknown"} x${cpus().length}, ${new Date().toISOString()}`,
  `${rounds} rounds of ${timeMs} ms per task; ops/s and ±rme are medians over the rounds, ratio the median of the rounds' ratios`,
  "",
  "| input | ops/s ours | ±rme | ops/s engine.io-parser | ±rme | ratio |",
  "| --- | ---: | ---: | ---: | ---: | ---: |",
];
for (const [name] of selected) {
  const { ours: mine, theirs, ratio } = samples.get(name);
  const cell = (side) =>
    `${format(median(side.map((s) => s.opsPerSecond)))} | ±${median(side.map((s) => s.rme)).toFixed(2)}%`;
  lines.push(`| ${name} | ${cell(mine)} | ${cell(theirs)} | ${median(ratio).toFixed(2)}× |`);
}
console.log(lines.join("\n"));
if (sink === 0.5) console.log("unreachable"); // reads the sink
