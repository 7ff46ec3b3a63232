// Turns the sessions of a run into the report: environment header, then one markdown
// table per scenario with the median of each figure per implementation, the ratios
// Volley/socket.io and Volley/ws, and the issue's target for Volley vs socket.io. Three suites:
// the server benchmark (scenarios.mjs), the client benchmark (client-scenario.mjs) and the
// cross-node broadcast benchmark (cluster-scenario.mjs).
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import { EXTRA_REPORT_SCENARIOS, EXTRA_ROUNDS } from "./extra-scenarios.mjs";
import { barChart, slug } from "./charts.mjs";

const require = createRequire(import.meta.url);

export const KINDS = ["volley", "socket.io", "ws"];

/** The median of `values` (mean of the two middle ones for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Node version, CPU, cores, date, versions of what is measured. */
export function environment() {
  const cpus = os.cpus();
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    // not a git checkout: leave "unknown"
  }
  const version = (name) => {
    try {
      return require(`${name}/package.json`).version;
    } catch {
      return "?";
    }
  };
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: os.availableParallelism?.() ?? cpus.length,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    commit,
    socketIo: version("socket.io"),
    ws: version("ws"),
    volley: version("@volley/server"),
    socketIoClient: version("socket.io-client"),
    volleyClient: version("@volley/client"),
    volleyRedisAdapter: version("@volley/redis-adapter"),
    socketIoRedisAdapter: version("@socket.io/redis-adapter"),
    nodeRedis: version("redis"),
    ioredis: version("ioredis"),
  };
}

/**
 * The figures of each scenario: how to read one out of a session, how to print it, and the
 * target of the issue for the Volley/socket.io ratio (`max` or `min`); `ratio: false` for a
 * figure whose ratio means nothing (a difference that may be negative).
 */
const SERVER_SCENARIOS = [
  {
    title: (c) =>
      `Fan-out: ${c.clients} clients, ${c.events} \`io.emit("tick", …)\` per run (${c.burst} per macrotask), ${c.events * c.clients} deliveries per run`,
    figures: [
      { name: "deliveries/s", get: (s) => s.fanOut.deliveriesPerSec, digits: 0, target: { min: 7 } },
      { name: "server CPU µs / delivery", get: (s) => s.fanOut.serverCpuPerDelivery, digits: 3, target: { max: 0.33 } },
      { name: "load generator CPU µs / delivery", get: (s) => s.fanOut.clientCpuPerDelivery, digits: 3 },
    ],
  },
  {
    title: (c) => `Echo with ack: ${c.echoClients} clients × ${c.echoOps} sequential \`emit("echo", data, ack)\` per run`,
    figures: [
      { name: "acked ops/s", get: (s) => s.echo.opsPerSec, digits: 0 },
      { name: "server CPU µs / op", get: (s) => s.echo.serverCpuPerOp, digits: 2, target: { max: 0.3 } },
      { name: "load generator CPU µs / op", get: (s) => s.echo.clientCpuPerOp, digits: 2 },
    ],
  },
  {
    title: (c) => `Memory per idle connection: server heap after GC with ${c.clients} idle clients minus before, / ${c.clients}`,
    figures: [{ name: "KB / connection", get: (s) => s.memory.kbPerConnection, digits: 2, target: { max: 0.45 } }],
  },
];

const CLIENT_SCENARIOS = [
  {
    title: (c) =>
      `Client echo with ack: ${c.clientCount} clients × ${c.clientOps} sequential \`socket.emit("echo", data, ack)\` per run, ` +
      `client child's CPU, against one ${c.clientServer} server`,
    figures: [
      { name: "client CPU µs / acked op", get: (s) => s.echo.clientCpuPerOp, digits: 2, target: { max: 0.7 } },
      { name: "acked ops/s", get: (s) => s.echo.opsPerSec, digits: 0 },
      { name: "server CPU µs / op (same server)", get: (s) => s.echo.serverCpuPerOp, digits: 2 },
    ],
  },
  {
    title: (c) => `Client heap per connection: client child's heap after GC with ${c.clientCount} connected clients minus before, / ${c.clientCount}`,
    figures: [
      { name: "KB / connection", get: (s) => s.memory.kbPerConnection, digits: 2, target: { max: 0.7 } },
      { name: "KB / connection after the echo runs", get: (s) => s.memory.kbPerConnectionAfterEcho, digits: 2 },
    ],
  },
];

/** The latency figure `field` ("median" or "p99") of node `node`'s probes in `topology`, latency run `run`. */
const latency = (run, topology, node, field) => (s) => s[topology].latency[run][node][field];
/** Latency of the other node's probes with two nodes minus that of the probes of one node, same round. */
const addedLatency = (run, field) => (s) => s.cluster.latency[run][1][field] - s.single.latency[run][0][field];

/** The rows of a latency table: latency run `run` ("all" or "probes"). */
const latencyFigures = (run) => [
  { name: "one node: median", get: latency(run, "single", 0, "median"), digits: 0 },
  { name: "one node: p99", get: latency(run, "single", 0, "p99"), digits: 0 },
  { name: "two nodes, the other node's probes: median", get: latency(run, "cluster", 1, "median"), digits: 0 },
  { name: "two nodes, the other node's probes: p99", get: latency(run, "cluster", 1, "p99"), digits: 0 },
  { name: "two nodes, the emitting node's probes: median", get: latency(run, "cluster", 0, "median"), digits: 0 },
  // differences, of either sign: no ratio
  { name: "added by the cluster: median", get: addedLatency(run, "median"), digits: 0, ratio: false },
  { name: "added by the cluster: p99", get: addedLatency(run, "p99"), digits: 0, ratio: false },
];

const CLUSTER_SCENARIOS = [
  {
    title: (c) =>
      `Cross-node broadcast: 2 server processes sharing one Redis, ${c.clusterClients} clients split between them, ` +
      `node 1 calls \`io.emit("tick", …)\` ${c.events} times per run (${c.burst} per macrotask), ${c.events * c.clusterClients} deliveries per run`,
    figures: [
      { name: "deliveries/s, every client (both nodes)", get: (s) => s.cluster.burst.deliveriesPerSec, digits: 0, target: { min: 1.5 } },
      { name: "deliveries/s, the other node's clients", get: (s) => s.cluster.burst.remoteDeliveriesPerSec, digits: 0, target: { min: 1.5 } },
      { name: "server CPU µs / delivery (both processes)", get: (s) => s.cluster.burst.serverCpuPerDelivery, digits: 3, target: { max: 0.5 } },
      { name: "… of which the emitting node", get: (s) => s.cluster.burst.nodeCpuPerDelivery[0], digits: 3 },
      { name: "… of which the other node", get: (s) => s.cluster.burst.nodeCpuPerDelivery[1], digits: 3 },
      { name: "Redis CPU µs / broadcast", get: (s) => s.cluster.burst.redisCpuPerBroadcast, digits: 1 },
      { name: "load generator CPU µs / delivery", get: (s) => s.cluster.burst.clientCpuPerDelivery, digits: 3 },
    ],
  },
  {
    title: (c) => `The same broadcasts on one node: one server process, no adapter, the same ${c.clusterClients} clients`,
    figures: [
      { name: "deliveries/s", get: (s) => s.single.burst.deliveriesPerSec, digits: 0 },
      { name: "server CPU µs / delivery", get: (s) => s.single.burst.serverCpuPerDelivery, digits: 3 },
      {
        name: "CPU / delivery, two nodes ÷ one node",
        get: (s) => s.cluster.burst.serverCpuPerDelivery / s.single.burst.serverCpuPerDelivery,
        digits: 2,
      },
    ],
  },
  {
    title: (c) =>
      `Latency, broadcast to every client: node 1 emits ${c.latencyEvents} stamped ticks per run, one every ${c.latencyIntervalMs} ms, ` +
      `to the ${c.clusterClients} clients and the ${c.probes} probes per node; send → receive time of every tick at every probe, µs`,
    figures: latencyFigures("all"),
  },
  {
    title: (c) =>
      `Latency, broadcast to the probes' room: the same ticks to the ${c.probes} probes per node only ` +
      `(the ${c.clusterClients} clients stay connected, idle), µs`,
    figures: latencyFigures("probes"),
  },
];

/**
 * What a report is made of, per suite: labels of the implementations, the versions line,
 * the scenario tables and the per-round table.
 */
export const SUITES = {
  server: {
    label: { volley: "Volley", "socket.io": "socket.io", ws: "raw ws" },
    sioRatio: "Volley / socket.io",
    wsRatio: "Volley / ws",
    versions: (env) => `@volley/server ${env.volley}, socket.io ${env.socketIo}, ws ${env.ws}`,
    scenarios: [...SERVER_SCENARIOS, ...EXTRA_REPORT_SCENARIOS],
    // the chart the root README shows: one figure of each of these scenarios
    headline: {
      file: "charts/headline.svg",
      title: "Volley vs socket.io 4.8 vs raw ws: fan-out, echo, memory (medians)",
      scenarios: ["Fan-out", "Echo with ack", "Memory per idle connection"],
      figures: ["deliveries/s", "server CPU µs / op", "KB / connection"],
    },
    moreRounds: EXTRA_ROUNDS,
    rounds: {
      summary: "Every round (fan-out deliveries/s, fan-out server µs/delivery, echo ops/s, echo server µs/op, KB/connection)",
      head: "| round | server | deliveries/s | µs/delivery | ops/s | µs/op | KB/conn |\n| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
      row: (s) => [fmt(s.fanOut.deliveriesPerSec, 0), fmt(s.fanOut.serverCpuPerDelivery, 3), fmt(s.echo.opsPerSec, 0), fmt(s.echo.serverCpuPerOp, 2), fmt(s.memory.kbPerConnection, 2)],
    },
  },
  client: {
    label: { volley: "@volley/client", "socket.io": "socket.io-client", ws: "raw ws client" },
    sioRatio: "Volley / socket.io-client",
    wsRatio: "Volley / raw ws",
    versions: (env, config) =>
      `@volley/client ${env.volleyClient}, socket.io-client ${env.socketIoClient}, ws ${env.ws} · ` +
      `server: ${config.clientServer === "volley" ? `@volley/server ${env.volley}` : `socket.io ${env.socketIo}`} in its own process`,
    scenarios: CLIENT_SCENARIOS,
    rounds: {
      summary: "Every round (client CPU µs/op, ops/s, server µs/op, client KB/connection idle and after the echo runs)",
      head: "| round | client | client µs/op | ops/s | server µs/op | KB/conn | KB/conn after echo |\n| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
      row: (s) => [fmt(s.echo.clientCpuPerOp, 2), fmt(s.echo.opsPerSec, 0), fmt(s.echo.serverCpuPerOp, 2), fmt(s.memory.kbPerConnection, 2), fmt(s.memory.kbPerConnectionAfterEcho, 2)],
    },
  },
  redis: {
    label: { volley: "Volley", "socket.io": "socket.io" },
    sioRatio: "Volley / socket.io",
    wsRatio: "",
    versions: (env, config) =>
      `Volley: @volley/server ${env.volley} + @volley/redis-adapter ${env.volleyRedisAdapter}; ` +
      `socket.io ${env.socketIo} + @socket.io/redis-adapter ${env.socketIoRedisAdapter}; ` +
      `both with ${redisClientText(env, config)} clients, redis-server ${config.redisServerVersion}`,
    scenarios: CLUSTER_SCENARIOS,
    rounds: {
      summary:
        "Every round (two nodes: deliveries/s, server µs/delivery; one node: the same; latency of the broadcasts to every client, µs: one node median and p99, other node's probes median and p99)",
      head:
        "| round | server | 2 nodes deliveries/s | 2 nodes µs/delivery | 1 node deliveries/s | 1 node µs/delivery | 1 node median | 1 node p99 | other node median | other node p99 |\n" +
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      row: (s) => [
        fmt(s.cluster.burst.deliveriesPerSec, 0),
        fmt(s.cluster.burst.serverCpuPerDelivery, 3),
        fmt(s.single.burst.deliveriesPerSec, 0),
        fmt(s.single.burst.serverCpuPerDelivery, 3),
        fmt(s.single.latency.all[0].median, 0),
        fmt(s.single.latency.all[0].p99, 0),
        fmt(s.cluster.latency.all[1].median, 0),
        fmt(s.cluster.latency.all[1].p99, 0),
      ],
    },
  },
};

/** The Redis client library the cluster suite used, with its version. */
const redisClientText = (env, config) => (config.redisClient === "ioredis" ? `ioredis ${env.ioredis}` : `redis (node-redis) ${env.nodeRedis}`);

export const fmt = (value, digits) =>
  value === undefined || Number.isNaN(value) ? "–" : value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

function targetText(target, ratio) {
  if (target === undefined) return "";
  const ok = target.max !== undefined ? ratio <= target.max : ratio >= target.min;
  const bound = target.max !== undefined ? `≤ ${target.max}×` : `≥ ${target.min}×`;
  return `${bound} ${Number.isNaN(ratio) ? "" : ok ? "met" : "**missed**"}`;
}

/**
 * The spread of Volley / socket.io over the rounds, each round's two figures paired (they
 * ran one after the other), as "(min–max)": how much of the ratio is the machine's noise.
 */
function roundRange(byKind, figure) {
  const ratios = [];
  for (const session of byKind.volley) {
    const other = byKind["socket.io"].find((s) => s.round === session.round);
    const ratio = other === undefined ? NaN : figure.get(session) / figure.get(other);
    if (Number.isFinite(ratio)) ratios.push(ratio);
  }
  if (ratios.length < 2) return "";
  return `(${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)})`;
}

/** The markdown report of a run of `suite` ("server", "client" or "redis"): header, tables, per-round samples. */
export function renderReport({ env, config, sessions, kinds, wallSeconds, suite: suiteName = "server" }) {
  const suite = SUITES[suiteName];
  const LABEL = suite.label;
  const byKind = Object.fromEntries(kinds.map((k) => [k, sessions.filter((s) => s.kind === k)]));
  const lines = [];
  lines.push(`Node ${env.node} · ${env.cpu} · ${env.cores} cores · ${env.memory} · ${env.os}`);
  lines.push(
    `${env.date} · commit ${env.commit} · ${suite.versions(env, config)} · ` +
      `${config.rounds} rounds in alternating order, medians · run took ${wallSeconds.toFixed(0)} s`,
  );
  const summary = [];
  const charts = [];
  const headlinePanels = [];
  const labels = Object.fromEntries(kinds.map((k) => [k, LABEL[k]]));
  for (const scenario of suite.scenarios) {
    lines.push("", `### ${scenario.title(config)}`, "");
    const panels = [];
    const header = ["figure", ...kinds.map((k) => LABEL[k])];
    const hasSio = kinds.includes("socket.io") && kinds.includes("volley");
    const hasWs = kinds.includes("ws") && kinds.includes("volley");
    if (hasSio) header.push(suite.sioRatio, "target");
    if (hasWs) header.push(suite.wsRatio);
    lines.push(`| ${header.join(" | ")} |`, `|${header.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`);
    for (const figure of scenario.figures) {
      const med = Object.fromEntries(kinds.map((k) => [k, median(byKind[k].map(figure.get))]));
      const row = [figure.name, ...kinds.map((k) => fmt(med[k], figure.digits))];
      const better = figure.target === undefined ? "" : figure.target.min !== undefined ? " (higher is better)" : " (lower is better)";
      panels.push({ name: `${figure.name}${better}`, digits: figure.digits, values: med });
      if (hasSio && figure.ratio === false) {
        row.push("", "");
      } else if (hasSio) {
        const ratio = med.volley / med["socket.io"];
        row.push(Number.isFinite(ratio) ? `${fmt(ratio, 2)}× ${roundRange(byKind, figure)}` : "–", targetText(figure.target, ratio));
        if (figure.target !== undefined) {
          const range = roundRange(byKind, figure);
          summary.push({ scenario: scenario.title(config).split(":")[0], figure: figure.name, ratio, range, text: targetText(figure.target, ratio) });
        }
      }
      if (hasWs) row.push(Number.isFinite(med.volley / med.ws) ? `${fmt(med.volley / med.ws, 2)}×` : "–");
      lines.push(`| ${row.join(" | ")} |`);
    }
    // the same medians as bars, one panel per figure: charts/<suite>-<scenario>.svg
    const name = scenario.title(config).split(":")[0];
    const file = `charts/${suiteName}-${slug(name)}.svg`;
    charts.push({ file, svg: barChart({ title: `${name} (medians, ${config.rounds} rounds)`, labels, panels }) });
    lines.push("", `![${name}: bars of the medians](${file})`);
    if (suite.headline?.scenarios.includes(name)) {
      const [panel] = panels.filter((p) => p.name.startsWith(suite.headline.figures[suite.headline.scenarios.indexOf(name)]));
      if (panel !== undefined) headlinePanels.push({ ...panel, name: `${name}: ${panel.name}` });
    }
  }
  if (headlinePanels.length > 0) {
    charts.push({ file: suite.headline.file, svg: barChart({ title: suite.headline.title, labels, panels: headlinePanels }) });
  }
  if (summary.length > 0) {
    // the closing note: every target of the issue, met or not, in one place
    lines.push("", `### Targets (${suite.sioRatio}, ratio of medians, per-round spread)`, "", "| scenario | figure | ratio | target |", "| --- | --- | ---: | --- |");
    for (const t of summary) lines.push(`| ${t.scenario} | ${t.figure} | ${fmt(t.ratio, 2)}× ${t.range} | ${t.text} |`);
  }
  lines.push("", `<details><summary>${suite.rounds.summary}</summary>`, "");
  lines.push(suite.rounds.head);
  for (const s of sessions) lines.push(`| ${[s.round + 1, LABEL[s.kind], ...suite.rounds.row(s)].join(" | ")} |`);
  lines.push("", "</details>");
  if (suite.moreRounds !== undefined) {
    lines.push("", `<details><summary>${suite.moreRounds.summary}</summary>`, "", suite.moreRounds.head);
    for (const s of sessions) lines.push(`| ${[s.round + 1, LABEL[s.kind], ...suite.moreRounds.row(s, fmt)].join(" | ")} |`);
    lines.push("", "</details>");
  }
  return { markdown: lines.join("\n"), summary, charts };
}
