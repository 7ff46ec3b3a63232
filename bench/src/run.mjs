// The macro benchmark runner: Volley vs socket.io vs raw ws, side by side, same machine.
//
//   node src/run.mjs [--rounds=7] [--clients=1000] [--events=400] [--burst=20]
//                    [--echo-clients=100] [--echo-ops=500] [--only=volley,socket.io]
//                    [--no-report] [--profile[=fanout|echo|memory|all]] [--stall-ms=30000]
//
// Each round starts one fresh server child per implementation, in alternating order, and
// runs the three scenarios against it (see scenarios.mjs). The medians over the rounds are
// printed as markdown tables and written into REPORT.md (between the results markers).
// --profile runs one profiled session per server (Volley unless --only=…): CPU profiles of
// the measured fan-out and echo runs, heap snapshots before/with the idle clients, into
// profiles/, and prints where the CPU time and the heap go.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { KINDS, environment, renderReport } from "./report.mjs";
import { runSession } from "./scenarios.mjs";
import { summarizeCpuProfile, summarizeHeapDiff, summarizeHeapOwners } from "./profile-summary.mjs";

const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
const REPORT = `${BENCH_DIR}REPORT.md`;
const START_MARK = "<!-- results:start (written by `pnpm bench`) -->";
const END_MARK = "<!-- results:end -->";

function parseArgs(argv) {
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
  const profile = args.profile === undefined ? undefined : args.profile === true ? "all" : args.profile;
  if (profile !== undefined && !["fanout", "echo", "memory", "all"].includes(profile)) throw new Error(`--profile=fanout|echo|memory|all, got ${profile}`);
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
    stallMs: int("stall-ms", 30000),
    kinds: KINDS.filter((k) => only.includes(k)),
    writeReport: args["no-report"] === undefined && profile === undefined,
    profile,
  };
}

async function main() {
  const config = parseArgs(process.argv.slice(2));
  const env = environment();
  const started = performance.now();
  console.log(`Volley macro benchmarks · Node ${env.node} · ${env.cpu} · ${env.cores} cores · ${env.date}`);
  if (config.profile !== undefined) return profile(config);
  const sessions = [];
  for (let round = 0; round < config.rounds; round++) {
    const order = round % 2 === 0 ? config.kinds : [...config.kinds].reverse();
    for (const kind of order) {
      const t0 = performance.now();
      const session = await runSession(kind, config);
      sessions.push({ ...session, round });
      console.log(
        `round ${round + 1}/${config.rounds} ${kind.padEnd(9)} ${((performance.now() - t0) / 1000).toFixed(1)} s: ` +
          `fan-out ${Math.round(session.fanOut.deliveriesPerSec)}/s ${session.fanOut.serverCpuPerDelivery.toFixed(3)} µs/delivery · ` +
          `echo ${Math.round(session.echo.opsPerSec)}/s ${session.echo.serverCpuPerOp.toFixed(2)} µs/op · ` +
          `${session.memory.kbPerConnection.toFixed(2)} KB/conn`,
      );
    }
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const { markdown } = renderReport({ env, config, sessions, kinds: config.kinds, wallSeconds });
  console.log(`\n${markdown}\n`);
  if (config.writeReport) {
    writeReport(markdown);
    console.log(`written to ${REPORT}`);
  }
}

/** Puts `markdown` between the results markers of REPORT.md, keeping the rest (findings). */
function writeReport(markdown) {
  const block = `${START_MARK}\n${markdown}\n${END_MARK}`;
  const current = existsSync(REPORT) ? readFileSync(REPORT, "utf8") : "";
  const start = current.indexOf(START_MARK);
  const end = current.indexOf(END_MARK);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + block + current.slice(end + END_MARK.length)
      : `# Volley macro benchmark report\n\nProduced by \`pnpm bench\` (see README.md).\n\n${block}\n`;
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
      skip: { fanout: ["echo"], echo: ["fanout"], memory: ["fanout", "echo"], all: [] }[config.profile],
    });
    console.log(`\n## ${kind}: ${JSON.stringify({ fanOut: session.fanOut, echo: session.echo, memory: session.memory })}`);
    for (const scenario of ["fanout", "echo"]) {
      if (session[scenario === "fanout" ? "fanOut" : "echo"] === undefined) continue;
      console.log(`\n### ${kind} ${scenario}: CPU profile of the measured run, ${prefix}-${scenario}.cpuprofile\n`);
      console.log(summarizeCpuProfile(`${prefix}-${scenario}.cpuprofile`));
    }
    if (config.profile === "all" || config.profile === "memory") {
      const [before, idle] = [`${prefix}-before.heapsnapshot`, `${prefix}-idle.heapsnapshot`];
      console.log(`\n### ${kind} memory: heap snapshots ${prefix}-{before,idle}.heapsnapshot, ${config.clients} idle clients\n`);
      console.log(summarizeHeapOwners(before, idle, config.clients));
      console.log(`\n${summarizeHeapDiff(before, idle, config.clients, 25)}`);
    }
  }
}

main().catch((err) => {
  console.error(`bench failed: ${err.stack ?? err}`);
  process.exitCode = 1;
});
