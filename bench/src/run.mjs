// The macro benchmark runner: Volley vs socket.io vs raw ws, side by side, same machine.
//
//   node src/run.mjs [--scenario=server|client|redis|workers|all] [--rounds=7] [--only=volley,socket.io]
//                    [--clients=1000] [--events=400] [--burst=20] [--echo-clients=100] [--echo-ops=500]
//                    [--client-count=200] [--client-ops=300] [--client-server=socket.io|volley]
//                    [--cluster-clients=500] [--latency-events=100] [--latency-interval-ms=20] [--probes=10]
//                    [--redis-client=redis|ioredis]
//                    [--room-size=100] [--room-events=2000] [--connect-total=3000] [--connect-in-flight=200]
//                    [--polling-clients=200] [--polling-ops=50] [--parser-ms=1000]
//                    [--skip=room-fanout,connect-rate,polling-echo,parser]
//                    [--no-report] [--profile[=fanout|echo|memory|all|room-fanout|connect-rate|polling-echo|parser]]
//                    [--stall-ms=30000]
//
// The server benchmark: each round starts one fresh server child per implementation, in
// alternating order, and runs the server scenarios against it (see scenarios.mjs and
// extra-scenarios.mjs).
// The client benchmark: each round starts, per client implementation (@volley/client,
// socket.io-client, the raw ws client), in alternating order, one fresh server child and one
// client child (see client-scenario.mjs). The cross-node broadcast benchmark ("redis"): one
// redis-server of its own for the whole suite; each round runs, per Socket.IO server in
// alternating order, two server children sharing that Redis and one child with no adapter
// (see cluster-scenario.mjs). The medians over the rounds are printed as
// markdown tables and written into REPORT.md (each suite between its own markers).
// --profile runs one profiled session per implementation (Volley unless --only=…): CPU
// profiles of the measured runs and heap snapshots, into profiles/, and prints where the
// CPU time and the heap go (the server child's for the server suite, the client child's for
// the client suite, both nodes' over the measured broadcast burst for the redis suite).
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { KINDS, environment, renderReport } from "./report.mjs";
import { runSession } from "./scenarios.mjs";
import { EXTRA_SCENARIOS, describeExtras, extraConfig } from "./extra-scenarios.mjs";
import { runClientSession } from "./client-scenario.mjs";
import { runClusterSession } from "./cluster-scenario.mjs";
import { runWorkersSession } from "./workers-scenario.mjs";
import { workersSessionLine } from "./workers-report.mjs";
import { runScale } from "./scale.mjs";
import { RedisServer, redisServerVersion } from "./redis-server.mjs";
import { summarizeCpuProfile, summarizeHeapDiff, summarizeHeapOwners } from "./profile-summary.mjs";

const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
const REPORT = `${BENCH_DIR}REPORT.md`;
/** Where each suite's tables go in REPORT.md. */
const MARKS = {
  server: { start: "<!-- results:start (written by `pnpm bench`) -->", end: "<!-- results:end -->" },
  client: { start: "<!-- client-results:start (written by `pnpm bench`) -->", end: "<!-- client-results:end -->" },
  redis: { start: "<!-- redis-results:start (written by `pnpm bench`) -->", end: "<!-- redis-results:end -->" },
  workers: { start: "<!-- workers-results:start (written by `pnpm bench`) -->", end: "<!-- workers-results:end -->" },
};
const SCENARIO_CHOICES = { server: ["server"], client: ["client"], redis: ["redis"], workers: ["workers"], all: ["server", "client", "redis", "workers"] };
/** The implementations the cross-node suite compares (the raw ws server has no cluster mode). */
const CLUSTER_KINDS = ["volley", "socket.io"];

/** The command line as { name: value | true }, and `int(name, fallback)` reading a positive integer option. */
function readArgs(argv) {
  const args = {};
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (match === null) throw new Error(`unknown argument ${arg} (see the top of src/run.mjs)`);
    args[match[1]] = match[2] ?? true;
  }
  const int = (name, fallback) => {
    if (args[name] === undefined) return fallback;
    const value = Number(args[name]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${args[name]}`);
    return value;
  };
  return { args, int };
}

function parseArgs(argv) {
  const { args, int } = readArgs(argv);
  const profile = args.profile === undefined ? undefined : args.profile === true ? "all" : args.profile;
  const profiles = ["fanout", "echo", "memory", "all", ...EXTRA_SCENARIOS];
  if (profile !== undefined && !profiles.includes(profile)) throw new Error(`--profile=${profiles.join("|")}, got ${profile}`);
  // a profiled session looks at one suite: the server's unless --scenario says otherwise
  const scenario = args.scenario ?? (args.profile === undefined ? "all" : "server");
  if (SCENARIO_CHOICES[scenario] === undefined) throw new Error(`--scenario=server|client|redis|workers|all|scale, got ${args.scenario}`);
  const redisClient = args["redis-client"] ?? "redis";
  if (!["redis", "ioredis"].includes(redisClient)) throw new Error(`--redis-client=redis|ioredis, got ${redisClient}`);
  const clientServer = args["client-server"] ?? "socket.io";
  if (!["socket.io", "volley"].includes(clientServer)) throw new Error(`--client-server=socket.io|volley, got ${clientServer}`);
  const only = typeof args.only === "string" ? args.only.split(",") : profile !== undefined ? ["volley"] : KINDS;
  for (const kind of only) if (!KINDS.includes(kind)) throw new Error(`--only: unknown server ${kind} (${KINDS.join(", ")})`);
  return {
    rounds: int("rounds", profile !== undefined ? 1 : 7),
    clients: int("clients", 1000),
    events: int("events", 400),
    burst: int("burst", 20),
    echoClients: int("echo-clients", 100),
    echoOps: int("echo-ops", 500),
    connectConcurrency: int("connect-concurrency", 50),
    clientCount: int("client-count", 200),
    clientOps: int("client-ops", 300),
    clientServer,
    clusterClients: int("cluster-clients", 500),
    latencyEvents: int("latency-events", 100),
    latencyIntervalMs: int("latency-interval-ms", 20),
    probes: int("probes", 10),
    redisClient,
    suites: SCENARIO_CHOICES[scenario],
    stallMs: int("stall-ms", 30000),
    kinds: KINDS.filter((k) => only.includes(k)),
    writeReport: args["no-report"] === undefined && profile === undefined,
    profile,
    ...extraConfig(args, int),
  };
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv.includes("--scenario=scale")) {
    const { args, int } = readArgs(argv);
    return runScale(args, int);
  }
  const config = parseArgs(argv);
  const env = environment();
  console.log(`Volley macro benchmarks · Node ${env.node} · ${env.cpu} · ${env.cores} cores · ${env.date}`);
  for (const suite of config.suites) {
    if (config.profile !== undefined) await { server: profile, client: profileClients, redis: profileCluster, workers: noWorkersProfile }[suite](config);
    else if (suite === "workers") await runSuite(suite, { ...config, kinds: clusterKinds(config) }, env);
    else if (suite === "redis") await withRedis((redis) => runSuite(suite, { ...config, kinds: clusterKinds(config), redisServerVersion: redisServerVersion() }, env, redis));
    else await runSuite(suite, config, env);
  }
}

/** The workers benchmark has no profiled session. */
async function noWorkersProfile() {
  throw new Error("--profile does not cover --scenario=workers");
}

/** The chosen implementations that have a cluster mode; an error if none is left. */
function clusterKinds(config) {
  const kinds = config.kinds.filter((kind) => CLUSTER_KINDS.includes(kind));
  if (kinds.length === 0) throw new Error(`--scenario=redis and workers compare ${CLUSTER_KINDS.join(" and ")}: --only leaves none`);
  return kinds;
}

/** Runs `body(redis)` with a redis-server of our own, stopped afterwards whatever happened. */
async function withRedis(body) {
  const redis = await RedisServer.start();
  console.log(`redis-server on ${redis.url}`);
  try {
    return await body(redis);
  } finally {
    await redis.stop();
  }
}

/** One session of `suite` for `kind` in round `round`. */
function runSuiteSession(suite, kind, config, round, redis) {
  if (suite === "server") return runSession(kind, config);
  if (suite === "client") return runClientSession(kind, config);
  if (suite === "workers") return runWorkersSession(kind, config, round % 2 === 0);
  // the two topologies alternate too: one node first in even rounds
  return runClusterSession(kind, config, redis, `bench-r${round + 1}-${kind}`, round % 2 === 0);
}

/** The progress line of one session. */
function sessionLine(suite, session) {
  if (suite === "server") {
    return (
      `fan-out ${Math.round(session.fanOut.deliveriesPerSec)}/s ${session.fanOut.serverCpuPerDelivery.toFixed(3)} µs/delivery · ` +
      `echo ${Math.round(session.echo.opsPerSec)}/s ${session.echo.serverCpuPerOp.toFixed(2)} µs/op · ` +
      `${session.memory.kbPerConnection.toFixed(2)} KB/conn${describeExtras(session)}`
    );
  }
  if (suite === "client") {
    return (
      `${session.echo.clientCpuPerOp.toFixed(2)} client µs/op · ${Math.round(session.echo.opsPerSec)} ops/s · ` +
      `${session.memory.kbPerConnection.toFixed(2)} KB/conn (${session.memory.kbPerConnectionAfterEcho.toFixed(2)} after echo)`
    );
  }
  if (suite === "workers") return workersSessionLine(session);
  const { single, cluster } = session;
  const latency = ({ latency: { all, probes } }, node) =>
    `${Math.round(all[node].median)}/${Math.round(all[node].p99)} µs, to the probes ${Math.round(probes[node].median)}/${Math.round(probes[node].p99)} µs`;
  return (
    `2 nodes ${Math.round(cluster.burst.deliveriesPerSec)}/s ${cluster.burst.serverCpuPerDelivery.toFixed(3)} µs/delivery, ` +
    `latency other node ${latency(cluster, 1)} · ` +
    `1 node ${Math.round(single.burst.deliveriesPerSec)}/s ${single.burst.serverCpuPerDelivery.toFixed(3)} µs/delivery, ` +
    `latency ${latency(single, 0)} (median/p99)`
  );
}

/** The rounds of one suite ("server", "client" or "redis"), its tables printed and written. */
async function runSuite(suite, config, env, redis = undefined) {
  const started = performance.now();
  const sessions = [];
  const prefix = { server: "round", client: "client round", redis: "redis round", workers: "workers round" }[suite];
  for (let round = 0; round < config.rounds; round++) {
    const order = round % 2 === 0 ? config.kinds : [...config.kinds].reverse();
    for (const kind of order) {
      const t0 = performance.now();
      const session = await runSuiteSession(suite, kind, config, round, redis);
      sessions.push({ ...session, round });
      const took = `${((performance.now() - t0) / 1000).toFixed(1)} s`;
      console.log(`${prefix} ${round + 1}/${config.rounds} ${kind.padEnd(9)} ${took}: ${sessionLine(suite, session)}`);
    }
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const { markdown, charts } = renderReport({ env, config, sessions, kinds: config.kinds, wallSeconds, suite });
  console.log(`\n${markdown}\n`);
  if (config.writeReport) {
    writeReport(markdown, MARKS[suite]);
    writeCharts(charts);
    console.log(`written to ${REPORT} and ${charts.length} charts in ${BENCH_DIR}charts/`);
  }
}

/** Writes the SVG charts of a report ([{ file, svg }], `file` relative to the bench directory). */
export function writeCharts(charts) {
  mkdirSync(`${BENCH_DIR}charts`, { recursive: true });
  for (const { file, svg } of charts) writeFileSync(`${BENCH_DIR}${file}`, svg);
}

/**
 * Puts `markdown` between the suite's markers in REPORT.md, keeping the rest (the other
 * suite's tables, the findings); appends the block when the markers are not there yet.
 */
function writeReport(markdown, marks) {
  const block = `${marks.start}\n${markdown}\n${marks.end}`;
  const current = existsSync(REPORT) ? readFileSync(REPORT, "utf8") : "# Volley macro benchmark report\n\nProduced by `pnpm bench` (see README.md).\n";
  const start = current.indexOf(marks.start);
  const end = current.indexOf(marks.end);
  const next =
    start >= 0 && end > start ? current.slice(0, start) + block + current.slice(end + marks.end.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(REPORT, next);
}

/**
 * One profiled session per chosen server: heap snapshots before and with the idle clients,
 * and CPU profiles of the measured fan-out and echo runs only (the child's profiler is on
 * just for them); then the summaries.
 */
async function profile(config) {
  const dir = `${BENCH_DIR}profiles`;
  mkdirSync(dir, { recursive: true });
  for (const kind of config.kinds) {
    const prefix = `${dir}/${kind}-${Date.now()}`;
    const session = await runSession(kind, {
      ...config,
      cpuProfile: config.profile === "memory" ? undefined : prefix,
      heapSnapshot: config.profile === "all" || config.profile === "memory" ? prefix : undefined,
      // one scenario profiled: the others left out (--profile=all: fan-out, echo and memory)
      skip: config.profile === "all" ? EXTRA_SCENARIOS : ["fanout", "echo", ...EXTRA_SCENARIOS].filter((name) => name !== config.profile),
    });
    console.log(`\n## ${kind}: ${JSON.stringify(session)}`);
    for (const scenario of ["fanout", "echo", ...EXTRA_SCENARIOS]) {
      const files = scenario === "parser" ? Object.keys(session.parser ?? {}).map((key) => `parser-${key}`) : [scenario];
      for (const file of files) {
        if (!existsSync(`${prefix}-${file}.cpuprofile`)) continue;
        console.log(`\n### ${kind} ${file}: CPU profile of the measured run, ${prefix}-${file}.cpuprofile\n`);
        console.log(summarizeCpuProfile(`${prefix}-${file}.cpuprofile`));
      }
    }
    if (config.profile === "all" || config.profile === "memory") {
      const [before, idle] = [`${prefix}-before.heapsnapshot`, `${prefix}-idle.heapsnapshot`];
      console.log(`\n### ${kind} memory: heap snapshots ${prefix}-{before,idle}.heapsnapshot, ${config.clients} idle clients\n`);
      console.log(summarizeHeapOwners(before, idle, config.clients));
      console.log(`\n${summarizeHeapDiff(before, idle, config.clients, 25)}`);
    }
  }
}

/**
 * One profiled cross-node session per chosen Socket.IO server: a CPU profile of each node
 * (and of the one node without adapter) over the measured broadcast burst; then the summaries.
 */
async function profileCluster(config) {
  const dir = `${BENCH_DIR}profiles`;
  mkdirSync(dir, { recursive: true });
  await withRedis(async (redis) => {
    for (const kind of clusterKinds(config)) {
      const prefix = `${dir}/${kind}-${Date.now()}`;
      const session = await runClusterSession(kind, { ...config, cpuProfile: prefix }, redis, `bench-profile-${kind}`, true);
      console.log(`\n## ${kind} cross-node: ${JSON.stringify({ single: session.single.burst, cluster: session.cluster.burst })}`);
      for (const [file, what] of [
        [`${prefix}-2node-node1.cpuprofile`, "two nodes, the emitting node"],
        [`${prefix}-2node-node2.cpuprofile`, "two nodes, the other node"],
        [`${prefix}-1node-node1.cpuprofile`, "one node, no adapter"],
      ]) {
        console.log(`\n### ${kind} ${what}: CPU profile of the measured burst, ${file}\n`);
        console.log(summarizeCpuProfile(file));
      }
    }
  });
}

/**
 * One profiled client session per chosen client library: a CPU profile of the client child
 * over the measured echo run, client heap snapshots before and with the connected clients;
 * then the summaries.
 */
async function profileClients(config) {
  if (config.profile === "fanout") return;
  const dir = `${BENCH_DIR}profiles`;
  mkdirSync(dir, { recursive: true });
  for (const kind of config.kinds) {
    const prefix = `${dir}/${kind}-${Date.now()}`;
    const session = await runClientSession(kind, {
      ...config,
      cpuProfile: config.profile === "memory" ? undefined : prefix,
      heapSnapshot: config.profile === "all" || config.profile === "memory" ? prefix : undefined,
      skip: config.profile === "memory" ? ["echo"] : [],
    });
    console.log(`\n## ${kind} clients: ${JSON.stringify({ echo: session.echo, memory: session.memory })}`);
    if (session.echo !== undefined) {
      console.log(`\n### ${kind} clients echo: CPU profile of the client child over the measured run, ${prefix}-clients-echo.cpuprofile\n`);
      console.log(summarizeCpuProfile(`${prefix}-clients-echo.cpuprofile`));
    }
    if (config.profile === "all" || config.profile === "memory") {
      const [before, idle] = [`${prefix}-clients-before.heapsnapshot`, `${prefix}-clients-idle.heapsnapshot`];
      console.log(`\n### ${kind} clients memory: heap snapshots ${prefix}-clients-{before,idle}.heapsnapshot, ${config.clientCount} clients\n`);
      console.log(summarizeHeapOwners(before, idle, config.clientCount));
      console.log(`\n${summarizeHeapDiff(before, idle, config.clientCount, 25)}`);
    }
  }
}

main().catch((err) => {
  console.error(`bench failed: ${err.stack ?? err}`);
  process.exitCode = 1;
});
