// Encode + decode throughput of @volley/parser (the built dist) against the published
// socket.io-parser, in the same process. Run with `pnpm build && pnpm bench`.
//
// The two run in alternating rounds (ours first, then theirs first, …) so that a change
// of machine load during the run weighs on both; the ratio reported is the median of the
// per-round ratios.
//
// A third task, "JSON floor", runs only JSON.stringify + JSON.parse of the payload as it
// travels (binary values as their placeholders), in the same rounds. Its ratio to
// socket.io-parser is the most any parser that calls both once per packet could reach.
import { cpus } from "node:os";
import { Bench } from "tinybench";
import * as theirs from "socket.io-parser";
import * as ours from "../dist/index.js";
import { nestedObject } from "./inputs.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const ROUND_TIME_MS = Number(process.env.BENCH_TIME_MS ?? 400);

// Each task runs `batch` round trips per call, so that the harness's own per-call cost
// (timing, bookkeeping) does not blur sub-microsecond operations; ops/s counts round trips.
const scenarios = [
  { name: "small event", batch: 100, packet: () => ({ type: 2, nsp: "/", data: ["message", "hello world", 42] }) },
  {
    name: "event + small object",
    batch: 100,
    packet: () => ({ type: 2, nsp: "/", data: ["chat", { user: "bob", text: "hi there", at: 1700000000000 }] }),
  },
  // The server echo benchmark's packets (bench/ at the repo root): an EVENT with an ack id in,
  // its ACK out.
  {
    name: "echo event + ack id",
    batch: 100,
    packet: () => ({ type: 2, nsp: "/", id: 17, data: ["echo", { client: 3, seq: 17, text: "hello from the volley bench" }] }),
  },
  {
    name: "ack with small object",
    batch: 100,
    packet: () => ({ type: 3, nsp: "/", id: 17, data: [{ client: 3, seq: 17, text: "hello from the volley bench" }] }),
  },
  { name: "event + 1 KiB Buffer", batch: 100, packet: () => ({ type: 2, nsp: "/", data: ["file", Buffer.alloc(1024, 7)] }) },
  { name: "~10 KB nested object", batch: 1, packet: () => ({ type: 2, nsp: "/", data: ["state", nestedObject()] }) },
];

function roundTrip(lib) {
  const encoder = new lib.Encoder();
  const decoder = new lib.Decoder();
  let decoded = 0;
  decoder.on("decoded", () => decoded++);
  return (packet) => {
    const chunks = encoder.encode(packet);
    for (let i = 0; i < chunks.length; i++) decoder.add(chunks[i]);
    return decoded;
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
const format = (opsPerSecond, rme) => `${Math.round(opsPerSecond).toLocaleString("en-US")} ±${rme.toFixed(2)}%`;

const rows = [];
for (const scenario of scenarios) {
  const packet = scenario.packet();
  const size = new ours.Encoder().encode(packet)[0].length;
  const { batch } = scenario;
  // The payload as the wire carries it: what follows the header of the text packet.
  const text = new ours.Encoder().encode(packet)[0];
  const wirePayload = JSON.parse(text.slice(text.search(/[[{"]/)));
  let sink;
  const runs = {
    ours: roundTrip(ours),
    theirs: roundTrip(theirs),
    "JSON floor": () => {
      sink = JSON.parse(JSON.stringify(wirePayload));
    },
  };
  const results = { ours: [], theirs: [], "JSON floor": [] };
  const ratios = [];
  const floorRatios = [];
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ time: ROUND_TIME_MS, warmup: true });
    const order = round % 2 === 0 ? ["ours", "theirs", "JSON floor"] : ["JSON floor", "theirs", "ours"];
    for (const name of order) {
      const run = runs[name];
      // socket.io-parser's encoder rewrites the packet it is given: hand each a fresh shell.
      bench.add(name, () => {
        for (let i = 0; i < batch; i++) run({ ...packet });
      });
    }
    await bench.run();
    const byName = Object.fromEntries(bench.tasks.map((task) => [task.name, task.result]));
    for (const name of order) results[name].push(byName[name].throughput);
    ratios.push(byName.ours.throughput.mean / byName.theirs.throughput.mean);
    floorRatios.push(byName["JSON floor"].throughput.mean / byName.theirs.throughput.mean);
  }
  const summary = (list) => [mean(list.map((t) => t.mean)) * batch, Math.max(...list.map((t) => t.rme))];
  rows.push({
    scenario: `${scenario.name} (${size} chars)`,
    "ours ops/s": format(...summary(results.ours)),
    "socket.io-parser ops/s": format(...summary(results.theirs)),
    ratio: `${median(ratios).toFixed(2)}x`,
    "ratio range": `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
    "JSON floor ops/s": format(...summary(results["JSON floor"])),
    "JSON floor ratio": `${median(floorRatios).toFixed(2)}x`,
  });
  if (sink === undefined) throw new Error("the JSON floor task did not run");
}

console.log(`@volley/parser vs socket.io-parser — encode + decode, ${ROUNDS} alternating rounds of ${ROUND_TIME_MS} ms per task`);
console.log(`Node ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"} (${cpus().length} cores), ${new Date().toISOString()}`);
console.log("ops/s: mean over rounds; ±: largest relative margin of error of a round; ratio: median of the rounds");
console.log("JSON floor: JSON.stringify + JSON.parse of the wire payload alone; its ratio is the ceiling for a parser making both calls");
console.table(rows);
