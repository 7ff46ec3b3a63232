// Echo throughput of @volley/engine-client (the built dist) against the published
// engine.io-client, both talking to the same in-process engine.io server on loopback.
// Run with `pnpm build && pnpm bench`.
//
// Each round sends a burst of messages and waits for all their echoes; the libraries run in
// alternating order (ours first, then theirs first, …) so that load changes weigh on both.
// The ratio reported is the median of the per-round ratios (> 1: Volley is faster).
import { createServer } from "node:http";
import { cpus } from "node:os";
import { attach } from "engine.io";
import { Socket as TheirSocket } from "engine.io-client";
import { Socket as OurSocket } from "../dist/index.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);

const scenarios = [
  { name: "websocket, 50k × 32 B text", transports: ["websocket"], count: 50_000, message: () => "x".repeat(32) },
  { name: "websocket, 20k × 1 KiB binary", transports: ["websocket"], count: 20_000, message: () => Buffer.alloc(1024, 7) },
  { name: "polling, 50k × 32 B text", transports: ["polling"], count: 50_000, message: () => "x".repeat(32) },
  { name: "polling, 10k × 1 KiB binary", transports: ["polling"], count: 10_000, message: () => Buffer.alloc(1024, 7) },
];

const http = createServer();
const engine = attach(http, { maxHttpBufferSize: 1e8 });
engine.on("connection", (socket) => socket.on("message", (data) => socket.send(data)));
await new Promise((resolve) => http.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${http.address().port}`;

function open(Socket, transports) {
  return new Promise((resolve, reject) => {
    const socket = new Socket(url, { transports });
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Messages per second for one burst of `count` echoes. */
async function burst(Socket, scenario) {
  const socket = await open(Socket, scenario.transports);
  const message = scenario.message();
  const started = process.hrtime.bigint();
  await new Promise((resolve) => {
    let received = 0;
    socket.on("message", () => {
      received++;
      if (received === scenario.count) resolve();
    });
    for (let i = 0; i < scenario.count; i++) socket.send(message);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  socket.close();
  return scenario.count / seconds;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const spread = (values) => {
  const m = median(values);
  return (100 * Math.max(...values.map((value) => Math.abs(value - m)))) / m;
};
const format = (values) => `${Math.round(median(values)).toLocaleString("en-US")} msg/s ±${spread(values).toFixed(1)}%`;

const rows = [];
for (const scenario of scenarios) {
  await burst(OurSocket, scenario); // warm-up
  await burst(TheirSocket, scenario);
  const ours = [];
  const theirs = [];
  const ratios = [];
  for (let round = 0; round < ROUNDS; round++) {
    let our;
    let their;
    if (round % 2 === 0) {
      our = await burst(OurSocket, scenario);
      their = await burst(TheirSocket, scenario);
    } else {
      their = await burst(TheirSocket, scenario);
      our = await burst(OurSocket, scenario);
    }
    ours.push(our);
    theirs.push(their);
    ratios.push(our / their);
  }
  rows.push({ scenario: scenario.name, samples: ROUNDS, volley: format(ours), "engine.io-client": format(theirs), ratio: `${median(ratios).toFixed(2)}×` });
}

engine.close();
http.close();
console.log(`@volley/engine-client vs engine.io-client — echo throughput against engine.io`);
console.log(`Node ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}, ${new Date().toISOString()}`);
console.table(rows);
