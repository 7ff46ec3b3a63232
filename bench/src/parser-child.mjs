// The parser under test, in a process of its own (started by the runner):
//
//   node --expose-gc src/parser-child.mjs <volley|socket.io|ws>
//
// `volley` is @volley/parser as @volley/server loads it (its ES module build), `socket.io`
// is socket.io-parser as socket.io 4.8 loads it (required from socket.io's own
// dependencies), `ws` is what the raw ws server does instead of a parser: JSON.stringify +
// JSON.parse of the payload alone (binary values as their placeholders), the floor of any
// parser that calls both once per packet. IPC:
//
//   { id, type: "parser", ms, profile? } -> { id, results: { [input]: { chars, ops, cpuMicros, wallMs } } }
//   { id, type: "close" }                -> { id }, then the process exits
//
// Each input: a warm-up of ms / 4, then round trips (encode, then decode every chunk) in
// batches until `ms` have passed. Every round trip must yield exactly one decoded packet,
// and one decoded packet per input must equal the packet given, or the request fails.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { WindowProfiler } from "./child-tools.mjs";
import { PARSER_INPUTS } from "./parser-inputs.mjs";

const require = createRequire(import.meta.url);
const kind = process.argv[2];

if (typeof process.send !== "function") {
  console.error("parser-child.mjs must be started by the runner (it talks over IPC)");
  process.exit(2);
}

/** The library as its server loads it. */
async function loadParser() {
  if (kind === "volley") {
    const fromServer = createRequire(require.resolve("@volley/server"));
    const dir = dirname(fromServer.resolve("@volley/parser/package.json"));
    return import(pathToFileURL(join(dir, "dist/index.js")).href);
  }
  if (kind === "socket.io") return createRequire(require.resolve("socket.io"))("socket.io-parser");
  if (kind === "ws") return undefined;
  throw new Error(`unknown parser kind "${kind}" (volley, socket.io or ws)`);
}

const lib = await loadParser();

/**
 * A round trip of one packet: `run(packet)` encodes it and decodes what came out; `last()`
 * is the last packet decoded, `decoded()` how many were.
 */
function roundTrip() {
  let count = 0;
  let last;
  if (lib === undefined) {
    return {
      run(packet) {
        last = JSON.parse(JSON.stringify(packet.data));
        count++;
      },
      last: () => last,
      decoded: () => count,
    };
  }
  const encoder = new lib.Encoder();
  const decoder = new lib.Decoder();
  decoder.on("decoded", (packet) => {
    last = packet;
    count++;
  });
  return {
    run(packet) {
      const chunks = encoder.encode(packet);
      for (let i = 0; i < chunks.length; i++) decoder.add(chunks[i]);
    },
    last: () => last,
    decoded: () => count,
  };
}

/** Round trips of `packet` in batches of `batch` for `ms`; fresh shells (socket.io-parser rewrites them). */
function measure(rt, packet, batch, ms) {
  let ops = 0;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  do {
    for (let i = 0; i < batch; i++) rt.run({ ...packet });
    ops += batch;
  } while (performance.now() - start < ms);
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  return { ops, wallMs, cpuMicros: cpu.user + cpu.system };
}

async function runAll(ms, profileFile) {
  const profiler = new WindowProfiler();
  const results = {};
  for (const input of PARSER_INPUTS) {
    const packet = input.packet();
    // the floor handles the payload as it travels: binary values as their placeholders
    const given = lib === undefined ? { ...packet, data: input.wireData() } : packet;
    const rt = roundTrip();
    measure(rt, given, input.batch, ms / 4);
    if (profileFile !== undefined) await profiler.start();
    const before = rt.decoded();
    const figures = measure(rt, given, input.batch, ms);
    if (profileFile !== undefined) await profiler.stop(`${profileFile}-${input.key}.cpuprofile`);
    if (rt.decoded() - before !== figures.ops) {
      throw new Error(`${kind} ${input.name}: ${figures.ops} round trips decoded ${rt.decoded() - before} packets`);
    }
    const [got, expected] = lib === undefined ? [rt.last(), given.data] : [rt.last()?.data, packet.data];
    if (!isDeepStrictEqual(got, expected) || (lib !== undefined && rt.last().nsp !== "/")) {
      throw new Error(`${kind} ${input.name}: decoded ${JSON.stringify(rt.last())}, expected ${JSON.stringify(expected)}`);
    }
    results[input.key] = { chars: input.chars, ...figures };
  }
  return results;
}

process.on("message", (msg) => {
  const reply = (body = {}) => process.send({ id: msg.id, ...body });
  switch (msg.type) {
    case "parser":
      return runAll(msg.ms, msg.profile).then((results) => reply({ results }), (err) => reply({ error: err.stack ?? String(err) }));
    case "close":
      reply();
      process.disconnect();
      return;
    default:
      return reply({ error: `unknown request ${JSON.stringify(msg.type)}` });
  }
});
process.on("disconnect", () => process.exit(0));
process.send({ type: "ready", port: 0, pid: process.pid });
