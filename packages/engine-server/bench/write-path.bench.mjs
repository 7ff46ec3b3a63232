// Write-path benchmark: @volley/engine-server against the published engine.io, same process,
// same machine. N raw WebSocket clients; each round the server sends a burst of M messages
// to every session in one synchronous run (what a Socket.IO broadcast does), and the round
// ends when every client has received its M messages. Run `pnpm build` first.
//
//   node bench/write-path.bench.mjs [clients=100] [burst=20] [rounds=300]
import { createServer } from "node:http";
import { once } from "node:events";
import { createRequire } from "node:module";
import os from "node:os";
import { WebSocket } from "ws";
import { Server as VolleyServer } from "../dist/index.js";

const require = createRequire(import.meta.url);
const { Server: EngineIoServer } = require("engine.io");

const CLIENTS = Number(process.argv[2] ?? 100);
const BURST = Number(process.argv[3] ?? 20);
const ROUNDS = Number(process.argv[4] ?? 300);
const PAYLOAD = JSON.stringify(["chat message", { user: "someone", text: "hello world, how are you?" }]);

async function setup(name, EngineServer) {
  const http = createServer();
  const engine = new EngineServer({ pingInterval: 60000, pingTimeout: 60000 });
  engine.attach(http);
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  const { port } = http.address();
  const sessions = [];
  engine.on("connection", (socket) => sessions.push(socket));
  const clients = [];
  for (let i = 0; i < CLIENTS; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/engine.io/?EIO=4&transport=websocket`);
    ws.received = 0;
    ws.on("message", () => {
      ws.received++;
      if (ws.received === ws.target) ws.done();
    });
    clients.push(ws);
    await once(ws, "open");
  }
  while (sessions.length < CLIENTS) await new Promise((r) => setImmediate(r));
  const round = () =>
    new Promise((resolve) => {
      let pending = clients.length;
      for (const ws of clients) {
        ws.target = ws.received + BURST;
        ws.done = () => {
          if (--pending === 0) resolve();
        };
      }
      for (const socket of sessions) for (let i = 0; i < BURST; i++) socket.send(PAYLOAD);
    });
  const close = async () => {
    for (const ws of clients) ws.terminate();
    engine.close();
    http.closeAllConnections();
    await new Promise((r) => http.close(r));
  };
  return { name, round, close };
}

async function measure(target) {
  for (let i = 0; i < 20; i++) await target.round(); // warm-up
  const samples = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    await target.round();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const sd = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / samples.length);
  return { mean, p50: samples[samples.length >> 1], p99: samples[Math.floor(samples.length * 0.99)], rme: (100 * sd) / mean / Math.sqrt(samples.length) };
}

async function sessionMemory(EngineServer) {
  // heap per idle websocket session, server side only (clients are in this process too,
  // so both servers pay the same client cost; compare the two numbers, not the absolute)
  globalThis.gc?.();
  const http = createServer();
  const engine = new EngineServer({ pingInterval: 60000, pingTimeout: 60000 });
  engine.attach(http);
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  const { port } = http.address();
  const count = 500;
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const clients = [];
  for (let i = 0; i < count; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/engine.io/?EIO=4&transport=websocket`);
    clients.push(ws);
    await once(ws, "message");
  }
  globalThis.gc?.();
  const perSession = (process.memoryUsage().heapUsed - before) / count;
  for (const ws of clients) ws.terminate();
  engine.close();
  http.closeAllConnections();
  await new Promise((r) => http.close(r));
  return perSession;
}

const results = [];
for (const [name, Impl] of [
  ["engine.io@6", EngineIoServer],
  ["@volley/engine-server", VolleyServer],
]) {
  const target = await setup(name, Impl);
  const stats = await measure(target);
  await target.close();
  const memory = await sessionMemory(Impl);
  results.push({ name, ...stats, memory });
}

const [baseline, volley] = results;
console.log(`write path: ${CLIENTS} websocket sessions x ${BURST} messages per round, ${ROUNDS} rounds`);
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"} x${os.cpus().length}, ${os.platform()}, ${new Date().toISOString()}`);
console.log("| server | mean ms/round | p50 | p99 | ±rme | msgs/s | heap/session (incl. client) |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const r of results) {
  const rate = Math.round((CLIENTS * BURST * 1000) / r.mean);
  console.log(`| ${r.name} | ${r.mean.toFixed(2)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.rme.toFixed(1)}% | ${rate} | ${(r.memory / 1024).toFixed(1)} KiB |`);
}
console.log(`volley vs engine.io: ${(baseline.mean / volley.mean).toFixed(2)}x throughput`);
