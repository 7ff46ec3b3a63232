// Heap per idle session, server side only: @volley/engine-server against the published
// engine.io, same process, same machine. The server runs here; the clients run in a child
// process, so that their memory is not counted. For each transport mode, N sessions are
// opened and left idle (heartbeat 60 s, so nothing happens), then
//   (heap after full GCs with the N sessions - heap after full GCs before them) / N.
// A warm-up round opens and closes some sessions first, so that what is created once per
// server (the ws server, compiled code, caches) is not charged to the sessions.
// Run `pnpm build` first.
//
//   node --expose-gc bench/session-memory.bench.mjs [sessions=1000] [rounds=3] [modes=websocket,polling,upgraded]
import { fork } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { Server as VolleyServer } from "../dist/index.js";

const require = createRequire(import.meta.url);
const { Server: EngineIoServer } = require("engine.io");

const SESSIONS = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 3);
const MODES = (process.argv[4] ?? "websocket,polling,upgraded").split(",");
const WARM_UP = 50;

if (typeof globalThis.gc !== "function") {
  console.error("run with node --expose-gc");
  process.exit(1);
}

async function heapAfterGc() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

/** The client process: opens sessions on request, keeps them idle, closes them on request. */
function startClients() {
  const child = fork(fileURLToPath(new URL("./session-memory-clients.mjs", import.meta.url)), [], { stdio: "inherit" });
  let next = 0;
  const pending = new Map();
  child.on("message", (msg) => {
    pending.get(msg.id)?.(msg);
    pending.delete(msg.id);
  });
  const request = (msg) =>
    new Promise((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      child.send({ ...msg, id });
    });
  return { request, stop: () => child.kill() };
}

/** Waits until every session of the engine is idle in `mode` (polling: its GET is held). */
async function sessionsIdle(engine, http, count, mode) {
  const deadline = Date.now() + 60000;
  for (;;) {
    const sockets = Object.values(engine.clients);
    const ready =
      sockets.length === count &&
      sockets.every((s) =>
        mode === "polling" ? s.transport.name === "polling" && s.transport.writable : s.transport.name === "websocket" && !s.upgrading,
      );
    // and no other connection (a closed polling connection, an earlier session) is left
    if (ready && (await connections(http)) === count) return;
    if (Date.now() > deadline) throw new Error(`sessions not idle in time (${sockets.length}/${count})`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const connections = (http) => new Promise((resolve) => http.getConnections((err, n) => resolve(err ? -1 : n)));

async function measure(EngineServer, clients, mode) {
  const http = createServer();
  const engine = new EngineServer({ pingInterval: 60000, pingTimeout: 60000 });
  engine.attach(http);
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  const { port } = http.address();
  await clients.request({ type: "open", port, mode, count: WARM_UP });
  await sessionsIdle(engine, http, WARM_UP, mode);
  await clients.request({ type: "close" });
  while (engine.clientsCount > 0 || (await connections(http)) > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  const before = await heapAfterGc();
  await clients.request({ type: "open", port, mode, count: SESSIONS });
  await sessionsIdle(engine, http, SESSIONS, mode);
  const after = await heapAfterGc();
  await clients.request({ type: "close" });
  engine.close();
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  return (after - before) / SESSIONS;
}

const clients = startClients();
const results = new Map();
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of MODES) {
    // alternate the order so that neither server always runs on a fresher heap
    const order = round % 2 === 0 ? ["engine.io@6", "@volley/engine-server"] : ["@volley/engine-server", "engine.io@6"];
    for (const name of order) {
      const bytes = await measure(name === "engine.io@6" ? EngineIoServer : VolleyServer, clients, mode);
      const key = `${mode}|${name}`;
      results.set(key, [...(results.get(key) ?? []), bytes]);
    }
  }
}
clients.stop();

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
console.log(`heap per idle session (server only): ${SESSIONS} sessions, median of ${ROUNDS} rounds`);
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"} x${os.cpus().length}, ${os.platform()}, ${new Date().toISOString()}`);
console.log("| mode | engine.io@6 | @volley/engine-server | volley / engine.io |");
console.log("| --- | ---: | ---: | ---: |");
for (const mode of MODES) {
  const eio = median(results.get(`${mode}|engine.io@6`));
  const volley = median(results.get(`${mode}|@volley/engine-server`));
  console.log(`| ${mode} | ${(eio / 1024).toFixed(2)} KiB | ${(volley / 1024).toFixed(2)} KiB | ${(volley / eio).toFixed(2)}x |`);
}
