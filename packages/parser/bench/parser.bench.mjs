// Encode + decode throughput of @volley/parser (the built dist) against the published
// socket.io-parser, in the same process. Run with `pnpm build && pnpm bench`.
import { cpus } from "node:os";
import { Bench } from "tinybench";
import * as theirs from "socket.io-parser";
import * as ours from "../dist/index.js";

const TIME_MS = Number(process.env.BENCH_TIME_MS ?? 1500);

function nestedObject() {
  const users = [];
  for (let i = 0; i < 50; i++) {
    users.push({
      id: i,
      name: `user-${i}`,
      email: `user${i}@example.com`,
      active: i % 3 !== 0,
      tags: ["alpha", "beta", `t${i}`],
      profile: { age: 20 + i, address: { street: `${i} Main St`, city: "Springfield", zip: "12345" }, score: i * 1.5 },
    });
  }
  return { page: 1, total: users.length, users };
}

const scenarios = [
  { name: "small event", packet: () => ({ type: 2, nsp: "/", data: ["message", "hello world", 42] }) },
  { name: "event + 1 KiB Buffer", packet: () => ({ type: 2, nsp: "/", data: ["file", Buffer.alloc(1024, 7)] }) },
  { name: "~10 KB nested object", packet: () => ({ type: 2, nsp: "/", data: ["state", nestedObject()] }) },
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

const rows = [];
for (const scenario of scenarios) {
  const bench = new Bench({ time: TIME_MS, warmup: true });
  const packet = scenario.packet();
  const size = new ours.Encoder().encode(packet)[0].length;
  const oursRun = roundTrip(ours);
  const theirsRun = roundTrip(theirs);
  // socket.io-parser's encoder rewrites the packet it is given; hand each run a fresh shell.
  bench.add("ours", () => oursRun({ ...packet }));
  bench.add("theirs", () => theirsRun({ ...packet }));
  await bench.run();
  const [a, b] = bench.tasks.map((task) => task.result);
  rows.push({
    scenario: `${scenario.name} (${size} chars)`,
    "ours ops/s": `${Math.round(a.throughput.mean).toLocaleString("en-US")} ±${a.throughput.rme.toFixed(2)}%`,
    "socket.io-parser ops/s": `${Math.round(b.throughput.mean).toLocaleString("en-US")} ±${b.throughput.rme.toFixed(2)}%`,
    ratio: `${(a.throughput.mean / b.throughput.mean).toFixed(2)}x`,
  });
}

console.log(`@volley/parser vs socket.io-parser — encode + decode, ${TIME_MS} ms per task`);
console.log(`Node ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"} (${cpus().length} cores), ${new Date().toISOString()}`);
console.table(rows);
