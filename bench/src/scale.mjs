// The scale runs, on demand only (never in the default set), each against Volley and
// socket.io 4.8 in turn, one fresh server child per run (scale-server-child.mjs) and load
// generator children (scale-client-child.mjs):
//
//   node src/run.mjs --scenario=scale --scale=hold|churn|drop|slow-consumer[,…] [--only=volley,socket.io] [--no-report]
//     hold:          [--hold-clients=<ulimit -n − 100>] [--hold-seconds=40] [--hold-per-child=5000]
//     churn:         [--churn-cycles=60000] [--churn-in-flight=50]
//     drop:          [--drop-clients=50] [--drop-ticks=1000] [--drop-interval-ms=20] [--drop-cut-min-ms=100] [--drop-cut-max-ms=300]
//     slow-consumer: [--slow-readers=100] [--slow-seconds=30] [--slow-interval-ms=10] [--slow-bytes=16384]
//
// Each run prints its table and writes it into REPORT.md between its own markers, with its
// charts in charts/ (memory over time for hold and slow consumer).
import { execSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { lineChart } from "./charts.mjs";
import { environment } from "./report.mjs";
import { ServerProcess } from "./server-process.mjs";

const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
const REPORT = `${BENCH_DIR}REPORT.md`;
const SERVER = fileURLToPath(new URL("./scale-server-child.mjs", import.meta.url));
const CLIENTS = fileURLToPath(new URL("./scale-client-child.mjs", import.meta.url));
export const SCALE_RUNS = ["hold", "churn", "drop", "slow-consumer"];
const KINDS = ["volley", "socket.io"];
const LABEL = { volley: "Volley", "socket.io": "socket.io" };
const MB = 2 ** 20;

/** The open-file limit of this shell (and of the children it starts). */
function fileLimit() {
  try {
    return Number(execSync("ulimit -n", { encoding: "utf8", shell: "/bin/sh" }).trim()) || 1024;
  } catch {
    return 1024;
  }
}

/** The options of the scale runs out of the parsed `args` (`int(name, default)` reads a positive integer). */
function scaleConfig(args, int) {
  const runs = typeof args.scale === "string" ? args.scale.split(",") : [];
  if (runs.length === 0) throw new Error(`--scenario=scale needs --scale=${SCALE_RUNS.join("|")}`);
  for (const run of runs) if (!SCALE_RUNS.includes(run)) throw new Error(`--scale: unknown run ${run} (${SCALE_RUNS.join(", ")})`);
  const only = typeof args.only === "string" ? args.only.split(",") : KINDS;
  for (const kind of only) if (!KINDS.includes(kind)) throw new Error(`--only: the scale runs compare ${KINDS.join(" and ")}, got ${kind}`);
  const config = {
    runs,
    kinds: KINDS.filter((k) => only.includes(k)),
    writeReport: args["no-report"] === undefined,
    holdClients: int("hold-clients", Math.max(1, fileLimit() - 100)),
    holdSeconds: int("hold-seconds", 40),
    holdPerChild: int("hold-per-child", 5000),
    churnCycles: int("churn-cycles", 60000),
    churnInFlight: int("churn-in-flight", 50),
    dropClients: int("drop-clients", 50),
    dropTicks: int("drop-ticks", 1000),
    dropIntervalMs: int("drop-interval-ms", 20),
    dropCutMinMs: int("drop-cut-min-ms", 100),
    dropCutMaxMs: int("drop-cut-max-ms", 300),
    slowReaders: int("slow-readers", 100),
    slowSeconds: int("slow-seconds", 30),
    slowIntervalMs: int("slow-interval-ms", 10),
    slowBytes: int("slow-bytes", 16384),
  };
  if (config.dropCutMaxMs < config.dropCutMinMs) throw new Error("--drop-cut-max-ms must be at least --drop-cut-min-ms");
  return config;
}

/** Runs the chosen scale runs; `args` and `int` as run.mjs parses them. */
export async function runScale(args, int) {
  const config = scaleConfig(args, int);
  const env = environment();
  console.log(`Volley scale runs · Node ${env.node} · ${env.cpu} · ${env.cores} cores · file limit ${fileLimit()} · ${env.date}`);
  for (const run of config.runs) {
    const results = {};
    const t0 = performance.now();
    for (const kind of config.kinds) {
      console.log(`${run} · ${kind} …`);
      results[kind] = await RUNS[run].run(kind, config);
      console.log(`${run} · ${kind}: ${JSON.stringify(RUNS[run].brief(results[kind]))}`);
    }
    const { markdown, charts } = RUNS[run].render(results, config, env, (performance.now() - t0) / 1000);
    console.log(`\n${markdown}\n`);
    if (config.writeReport) {
      writeSection(run, markdown);
      mkdirSync(`${BENCH_DIR}charts`, { recursive: true });
      for (const { file, svg } of charts) writeFileSync(`${BENCH_DIR}${file}`, svg);
      console.log(`written to ${REPORT}${charts.length > 0 ? ` and ${charts.map((c) => c.file).join(", ")}` : ""}`);
    }
  }
}

/** Puts `markdown` between the run's markers in REPORT.md (appended under "# Scale runs" the first time). */
function writeSection(run, markdown) {
  const start = `<!-- scale-${run}:start (written by \`node src/run.mjs --scenario=scale --scale=${run}\`) -->`;
  const end = `<!-- scale-${run}:end -->`;
  let current = existsSync(REPORT) ? readFileSync(REPORT, "utf8") : "# Volley macro benchmark report\n";
  if (!current.includes("\n# Scale runs")) {
    current = `${current.trimEnd()}\n\n# Scale runs\n\nOn demand only (\`--scenario=scale\`, see README.md): each against socket.io 4.8, one fresh server process per implementation.\n`;
  }
  const block = `${start}\n${markdown}\n${end}`;
  const i = current.indexOf(start);
  const j = current.indexOf(end);
  writeFileSync(REPORT, i >= 0 && j > i ? current.slice(0, i) + block + current.slice(j + end.length) : `${current.trimEnd()}\n\n${block}\n`);
}

const fmt = (value, digits = 0) =>
  value === undefined || !Number.isFinite(value) ? "–" : value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A markdown table: `rows` of [name, ...one cell per kind]. */
function table(kinds, rows) {
  const head = ["figure", ...kinds.map((k) => LABEL[k])];
  return [`| ${head.join(" | ")} |`, `|${head.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

const header = (env, config, seconds) =>
  `Node ${env.node} · ${env.cpu} · ${env.cores} cores · ${env.memory} · ${env.os}\n` +
  `${env.date} · commit ${env.commit} · @volley/server ${env.volley}, socket.io ${env.socketIo} · run took ${seconds.toFixed(0)} s`;

/** Waits until `check()` resolves truthy, polling every `everyMs`; throws `what` after `timeoutMs`. */
async function until(check, timeoutMs, what, everyMs = 100) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`${what}: not reached after ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** Starts a server child of `kind` and `loadGenerators` load generator children for it; runs `body`, stops them all. */
async function withProcesses(kind, serverArgs, loadGenerators, body) {
  const server = await ServerProcess.start(kind, { script: SERVER, args: serverArgs });
  const children = [];
  try {
    for (let i = 0; i < loadGenerators; i++) children.push(await ServerProcess.start(String(server.port), { script: CLIENTS, role: "load generator" }));
    return await body(server, children);
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await server.stop();
  }
}

const stats = (server, reset = false) => server.request("stats", { reset });

/** The p-th percentile (0–1) of sorted values, nearest rank. */
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];

// ---------------------------------------------------------------------------------------
// hold

async function runHold(kind, config) {
  const total = config.holdClients;
  const childCount = Math.ceil(total / config.holdPerChild);
  return withProcesses(kind, [], childCount, async (server, children) => {
    const before = await stats(server);
    const heapBefore = (await server.request("heap")).heapUsed;
    const t0 = performance.now();
    const shares = children.map((_, i) => Math.floor(total / childCount) + (i < total % childCount ? 1 : 0));
    const connected = await Promise.all(children.map((child, i) => child.request("hold", { count: shares[i] }, 600000)));
    const connectSeconds = (performance.now() - t0) / 1000;
    await until(async () => (await stats(server)).connections === total, 30000, `${kind}: ${total} connections on the server`);
    const heapHeld = (await server.request("heap")).heapUsed;
    const held = await stats(server, true);
    const series = [[0, held.rss / MB]];
    const emitMicros = [];
    const start = performance.now();
    for (let n = 0; n < config.holdSeconds; n++) {
      // one broadcast per second, on the second
      await sleep(Math.max(0, start + n * 1000 - performance.now()));
      emitMicros.push((await server.request("broadcast", { n })).emitMicros);
      const s = await stats(server);
      series.push([(performance.now() - start) / 1000, s.rss / MB]);
    }
    const loop = (await stats(server)).loop;
    // every client has every broadcast, or the wait ends (bounded)
    const done = async () => {
      const all = await Promise.all(children.map((child) => child.request("ticks", {}, 120000)));
      return all.every((t) => t.received.every((r) => r >= config.holdSeconds)) ? all : undefined;
    };
    let ticks;
    try {
      ticks = await until(done, 30000, `${kind}: every client has ${config.holdSeconds} ticks`, 500);
    } catch {
      ticks = await Promise.all(children.map((child) => child.request("ticks", {}, 120000)));
    }
    const received = ticks.flatMap((t) => t.received);
    const latencies = ticks.flatMap((t) => t.latencies).sort((a, b) => a - b);
    const after = await stats(server);
    emitMicros.sort((a, b) => a - b);
    return {
      clients: total,
      children: childCount,
      connected: connected.reduce((sum, c) => sum + c.connected, 0),
      connectSeconds,
      rssPerConnKb: (held.rss - before.rss) / total / 1024,
      heapPerConnKb: (heapHeld - heapBefore) / total / 1024,
      rssHeldMb: held.rss / MB,
      rssEndMb: after.rss / MB,
      emitMs: { p50: percentile(emitMicros, 0.5) / 1000, max: emitMicros.at(-1) / 1000 },
      latency: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), samples: latencies.length },
      loop,
      complete: received.filter((r) => r === config.holdSeconds).length,
      errors: ticks.flatMap((t) => t.errors).slice(0, 5),
      closed: ticks.reduce((sum, t) => sum + t.closed, 0),
      series,
    };
  });
}

function renderHold(results, config, env, seconds) {
  const kinds = Object.keys(results);
  const row = (name, get, digits = 0) => [name, ...kinds.map((k) => fmt(get(results[k]), digits))];
  const lines = [
    header(env, config, seconds),
    "",
    `### Hold: ${config.holdClients} websocket clients (in ${results[kinds[0]].children} load generator processes), one \`io.emit("tick", …)\` per second for ${config.holdSeconds} s`,
    "",
    table(kinds, [
      row("clients connected", (r) => r.connected),
      row("… time to connect them all, s", (r) => r.connectSeconds, 1),
      row("server RSS per connection, KB", (r) => r.rssPerConnKb, 2),
      row("server heap per connection after GC, KB", (r) => r.heapPerConnKb, 2),
      row("server RSS with every client, MB", (r) => r.rssHeldMb, 1),
      row("server RSS at the end, MB", (r) => r.rssEndMb, 1),
      row("one broadcast to all (the emit call), median ms", (r) => r.emitMs.p50, 2),
      row("one broadcast to all, slowest ms", (r) => r.emitMs.max, 2),
      row("delivery latency p50, ms", (r) => r.latency.p50, 2),
      row("delivery latency p99, ms", (r) => r.latency.p99, 2),
      row("server event-loop delay p50, ms", (r) => r.loop.p50, 2),
      row("server event-loop delay p99, ms", (r) => r.loop.p99, 2),
      row("server event-loop delay max, ms", (r) => r.loop.max, 2),
      row(`clients with all ${config.holdSeconds} ticks, once and in order`, (r) => (r.errors.length === 0 ? r.complete : NaN)),
      row("clients closed during the run", (r) => r.closed),
    ]),
    "",
    "![Hold: server RSS over time](charts/scale-hold-memory.svg)",
  ];
  for (const k of kinds) if (results[k].errors.length > 0) lines.push("", `${LABEL[k]}: out of sequence: ${results[k].errors.join("; ")}`);
  const svg = lineChart({
    title: `Hold: server RSS, ${config.holdClients} clients, one broadcast per second`,
    xLabel: "seconds since the first broadcast",
    yLabel: "RSS, MB",
    series: kinds.map((k) => ({ key: k, label: LABEL[k], points: results[k].series })),
  });
  return { markdown: lines.join("\n"), charts: [{ file: "charts/scale-hold-memory.svg", svg }] };
}

// ---------------------------------------------------------------------------------------
// churn

async function runChurn(kind, config) {
  return withProcesses(kind, [], 1, async (server, [clients]) => {
    const noLeftovers = async () => {
      const left = await server.request("leftovers");
      return left.sockets + left.engineClients + left.rooms + left.sids === 0 ? left : undefined;
    };
    // warm-up: the code paths compiled, the pools filled, before the baseline
    await clients.request("churn", { cycles: Math.min(1000, config.churnCycles), inFlight: config.churnInFlight }, 600000);
    await until(noLeftovers, 10000, `${kind}: nothing left after the warm-up`);
    const baseline = (await server.request("heap")).heapUsed;
    const cpu0 = await server.cpuMicros();
    const result = await clients.request("churn", { cycles: config.churnCycles, inFlight: config.churnInFlight }, 3600000);
    const cpu = (await server.cpuMicros()) - cpu0;
    let leftovers;
    try {
      leftovers = await until(noLeftovers, 10000, "leftovers");
    } catch {
      // what is still there after 10 s goes into the table
      leftovers = await server.request("leftovers");
    }
    const after = (await server.request("heap")).heapUsed;
    return {
      cycles: result.cycles,
      byWay: result.byWay,
      cyclesPerSec: result.cycles / (result.wallMs / 1000),
      serverCpuPerCycle: cpu / result.cycles,
      baselineKb: baseline / 1024,
      afterKb: after / 1024,
      deltaKb: (after - baseline) / 1024,
      leftovers,
    };
  });
}

function renderChurn(results, config, env, seconds) {
  const kinds = Object.keys(results);
  const row = (name, get, digits = 0) => [name, ...kinds.map((k) => fmt(get(results[k]), digits))];
  const ways = Object.keys(results[kinds[0]].byWay);
  const lines = [
    header(env, config, seconds),
    "",
    `### Churn: ${config.churnCycles} connect → acked \`emit("echo")\` → leave cycles, ${config.churnInFlight} in flight, leaving in turn by ${ways.join(", ")}`,
    "",
    table(kinds, [
      row("cycles/s", (r) => r.cyclesPerSec),
      row("server CPU µs / cycle", (r) => r.serverCpuPerCycle, 1),
      row(`server heap after GC, baseline (after ${fmt(Math.min(1000, config.churnCycles))} warm-up cycles), KB`, (r) => r.baselineKb),
      row("server heap after GC, after the cycles, KB", (r) => r.afterKb),
      row("difference, KB", (r) => r.deltaKb, 1),
      row("sockets left in the namespace", (r) => r.leftovers.sockets),
      row("Engine.IO clients left", (r) => r.leftovers.engineClients),
      row("rooms left in the adapter", (r) => r.leftovers.rooms),
      row("sids left in the adapter", (r) => r.leftovers.sids),
    ]),
  ];
  return { markdown: lines.join("\n"), charts: [] };
}

// ---------------------------------------------------------------------------------------
// drop

async function runDropOnce(kind, config, recovery) {
  return withProcesses(kind, recovery ? ["--recovery"] : [], 1, async (server, [clients]) => {
    const room = "drop";
    const { connected } = await clients.request("drop-connect", { clients: config.dropClients, room, library: "socket.io-client" }, 60000);
    if (connected !== config.dropClients) throw new Error(`${kind}: ${connected} of ${config.dropClients} drop clients connected`);
    await until(async () => (await stats(server)).connections === config.dropClients, 10000, `${kind}: drop clients on the server`);
    const timeout = config.dropTicks * config.dropIntervalMs + 60000;
    const cut = clients.request("drop-cut", { count: config.dropTicks, cutMinMs: config.dropCutMinMs, cutMaxMs: config.dropCutMaxMs }, timeout);
    await server.request("stream", { count: config.dropTicks, intervalMs: config.dropIntervalMs, room }, timeout);
    await clients.request("stream-done");
    const { cuts, perClient } = await cut;
    const lostFractions = perClient.map((c) => c.lost / config.dropTicks).sort((a, b) => a - b);
    return {
      cuts,
      disconnects: perClient.reduce((sum, c) => sum + c.disconnects, 0),
      recovered: perClient.reduce((sum, c) => sum + c.recovered, 0),
      complete: perClient.filter((c) => c.lost === 0 && c.duplicates === 0 && c.outOfOrder === 0).length,
      duplicates: perClient.reduce((sum, c) => sum + c.duplicates, 0),
      outOfOrder: perClient.reduce((sum, c) => sum + c.outOfOrder, 0),
      lost: { mean: lostFractions.reduce((a, b) => a + b, 0) / lostFractions.length, min: lostFractions[0], max: lostFractions.at(-1) },
    };
  });
}

async function runDrop(kind, config) {
  return { recovery: await runDropOnce(kind, config, true), plain: await runDropOnce(kind, config, false) };
}

function renderDrop(results, config, env, seconds) {
  const kinds = Object.keys(results);
  const row = (name, get, digits = 0) => [name, ...kinds.map((k) => fmt(get(results[k]), digits))];
  const pct = (v) => v * 100;
  const block = (mode, title) => [
    "",
    `### Drop, ${title}: ${config.dropClients} socket.io-client sockets in a room, ${config.dropTicks} ticks to the room one every ${config.dropIntervalMs} ms, one client's TCP connection reset every ${config.dropCutMinMs}–${config.dropCutMaxMs} ms`,
    "",
    table(kinds, [
      row("connections cut", (r) => r[mode].cuts),
      row("disconnects seen by the clients", (r) => r[mode].disconnects),
      row("reconnections recovered (`socket.recovered`)", (r) => r[mode].recovered),
      row(`clients with all ${config.dropTicks} ticks, once and in order`, (r) => r[mode].complete),
      row("duplicates (all clients)", (r) => r[mode].duplicates),
      row("out of order (all clients)", (r) => r[mode].outOfOrder),
      row("ticks lost per client, mean %", (r) => pct(r[mode].lost.mean), 2),
      row("ticks lost per client, least %", (r) => pct(r[mode].lost.min), 2),
      row("ticks lost per client, most %", (r) => pct(r[mode].lost.max), 2),
    ]),
  ];
  const lines = [header(env, config, seconds), ...block("recovery", "with connection state recovery"), ...block("plain", "without recovery")];
  return { markdown: lines.join("\n"), charts: [] };
}

// ---------------------------------------------------------------------------------------
// slow consumer

async function runSlow(kind, config) {
  return withProcesses(kind, [], 1, async (server, [clients]) => {
    await clients.request("hold", { count: config.slowReaders }, 60000);
    await clients.request("slow", {}, 30000);
    await until(async () => (await stats(server)).connections === config.slowReaders + 1, 10000, `${kind}: readers and the slow client on the server`);
    const count = Math.round((config.slowSeconds * 1000) / config.slowIntervalMs);
    const start = performance.now();
    const first = await stats(server, true);
    const series = { rss: [[0, first.rss / MB]], heap: [[0, (first.heapUsed + first.external) / MB]], queued: [[0, first.queued / MB]] };
    let streaming = true;
    const streamed = server.request("stream", { count, intervalMs: config.slowIntervalMs, bytes: config.slowBytes }, config.slowSeconds * 1000 + 120000).finally(() => (streaming = false));
    while (streaming) {
      await sleep(500);
      const s = await stats(server);
      const t = (performance.now() - start) / 1000;
      series.rss.push([t, s.rss / MB]);
      series.heap.push([t, (s.heapUsed + s.external) / MB]);
      series.queued.push([t, s.queued / MB]);
    }
    await streamed;
    const streamSeconds = (performance.now() - start) / 1000;
    const end = await stats(server);
    const done = async () => {
      const t = await clients.request("ticks");
      return t.received.every((r) => r >= count) ? t : undefined;
    };
    let ticks;
    try {
      ticks = await until(done, 30000, `${kind}: every reader has ${count} ticks`, 200);
    } catch {
      ticks = await clients.request("ticks");
    }
    return {
      count,
      streamSeconds,
      rssStartMb: first.rss / MB,
      rssPeakMb: Math.max(...series.rss.map(([, y]) => y)),
      rssEndMb: end.rss / MB,
      heapPeakMb: Math.max(...series.heap.map(([, y]) => y)),
      queuedPeakMb: Math.max(...series.queued.map(([, y]) => y)),
      loop: end.loop,
      connectionsAtEnd: end.connections,
      slowClosed: ticks.slowClosed,
      complete: ticks.received.filter((r) => r === count).length,
      errors: ticks.errors,
      latency: ticks.latencies.length === 0 ? undefined : { p50: percentile(ticks.latencies.sort((a, b) => a - b), 0.5), p99: percentile(ticks.latencies, 0.99) },
      series,
    };
  });
}

function renderSlow(results, config, env, seconds) {
  const kinds = Object.keys(results);
  const row = (name, get, digits = 0) => [name, ...kinds.map((k) => fmt(get(results[k]), digits))];
  const r0 = results[kinds[0]];
  const lines = [
    header(env, config, seconds),
    "",
    `### Slow consumer: ${config.slowReaders} clients that read and one that never reads, ${r0.count} \`io.emit("tick", …)\` of ${config.slowBytes} bytes of payload, one every ${config.slowIntervalMs} ms (${config.slowSeconds} s)`,
    "",
    table(kinds, [
      row("stream took, s", (r) => r.streamSeconds, 1),
      row("server RSS at the start, MB", (r) => r.rssStartMb, 1),
      row("server RSS at its peak, MB", (r) => r.rssPeakMb, 1),
      row("server RSS at the end, MB", (r) => r.rssEndMb, 1),
      row("server heap + external at its peak, MB", (r) => r.heapPeakMb, 1),
      row("bytes queued on the server's TCP sockets at the peak, MB", (r) => r.queuedPeakMb, 2),
      row("server event-loop delay p99, ms", (r) => r.loop.p99, 2),
      row("connections at the end of the stream (the slow one included)", (r) => r.connectionsAtEnd),
      ["the slow client, as the client sees it (it reads nothing, so it sees a close only once the kernel buffers are through)", ...kinds.map((k) => (results[k].slowClosed === undefined ? "still open" : `closed by the server after ${fmt(results[k].slowClosed.afterMs / 1000, 1)} s (code ${results[k].slowClosed.code})`))],
      row(`readers with all ${r0.count} ticks, once and in order`, (r) => (r.errors.length === 0 ? r.complete : NaN)),
      row("readers' delivery latency p50, ms", (r) => r.latency?.p50, 2),
      row("readers' delivery latency p99, ms", (r) => r.latency?.p99, 2),
    ]),
    "",
    "![Slow consumer: server memory over time](charts/scale-slow-consumer-memory.svg)",
  ];
  for (const k of kinds) if (results[k].errors.length > 0) lines.push("", `${LABEL[k]}: out of sequence: ${results[k].errors.join("; ")}`);
  const svg = lineChart({
    title: `Slow consumer: server memory, ${config.slowReaders} readers + 1 that never reads`,
    xLabel: "seconds since the stream started",
    yLabel: "MB",
    series: kinds.flatMap((k) => [
      { key: k, label: `${LABEL[k]} RSS`, points: results[k].series.rss },
      { key: k, label: `${LABEL[k]} heap+external`, points: results[k].series.heap, dashed: true },
    ]),
  });
  return { markdown: lines.join("\n"), charts: [{ file: "charts/scale-slow-consumer-memory.svg", svg }] };
}

const RUNS = {
  hold: {
    run: runHold,
    render: renderHold,
    brief: (r) => ({ connected: r.connected, rssPerConnKb: r.rssPerConnKb, emitMs: r.emitMs, latency: r.latency, loop: r.loop, complete: r.complete, errors: r.errors }),
  },
  churn: { run: runChurn, render: renderChurn, brief: (r) => r },
  drop: { run: runDrop, render: renderDrop, brief: (r) => r },
  "slow-consumer": { run: runSlow, render: renderSlow, brief: ({ series, ...r }) => r },
};
