// The server suite's scenarios after fan-out, echo and idle memory: room fan-out, connect
// rate, polling echo (run in the session's server child, after the echo) and the parser
// (in a child of its own, after the server child is gone). This module holds what the
// runner and the report need of them: options, the runs, the log line, the tables.
import { runConnectRate } from "./connect-rate.mjs";
import { runParser } from "./parser-scenario.mjs";
import { PARSER_INPUTS } from "./parser-inputs.mjs";
import { runPollingEcho } from "./polling-echo.mjs";
import { runRoomFanOut } from "./room-fanout.mjs";

/** Scenario names, as `--skip` and `--profile` take them. */
export const EXTRA_SCENARIOS = ["room-fanout", "connect-rate", "polling-echo", "parser"];

/**
 * The options of these scenarios from the parsed command line (`int(name, default)` reads a
 * positive integer option).
 */
export function extraConfig(args, int) {
  const skip = typeof args.skip === "string" ? args.skip.split(",") : [];
  for (const name of skip) if (!EXTRA_SCENARIOS.includes(name)) throw new Error(`--skip: unknown scenario ${name} (${EXTRA_SCENARIOS.join(", ")})`);
  return {
    roomSize: int("room-size", 100),
    roomEvents: int("room-events", 2000),
    connectTotal: int("connect-total", 3000),
    connectInFlight: int("connect-in-flight", 200),
    pollingClients: int("polling-clients", 200),
    pollingOps: int("polling-ops", 50),
    parserMs: int("parser-ms", 1000),
    skipExtra: skip,
  };
}

const runs = (config, name) => !config.skipExtra.includes(name) && !config.skip?.includes(name);

/**
 * Runs room fan-out (on the session's idle `clients`), connect rate and polling echo (not
 * for the raw ws server, which has no polling) against `server`; `profiled(name, measure)`
 * runs a measured run, under the child's profiler when profiling.
 */
export async function runServerExtras(server, clients, config, profiled) {
  const result = {};
  if (runs(config, "room-fanout")) {
    result.roomFanOut = await runRoomFanOut(server, clients, config, (measure) => profiled("room-fanout", measure));
  }
  if (runs(config, "connect-rate")) {
    result.connectRate = await runConnectRate(server, config, (measure) => profiled("connect-rate", measure));
  }
  if (runs(config, "polling-echo") && server.kind !== "ws") {
    result.pollingEcho = await runPollingEcho(server, config, (measure) => profiled("polling-echo", measure));
  }
  return result;
}

/** The parser scenario for `kind`, in a child of its own. */
export async function runChildExtras(kind, config) {
  return runs(config, "parser") ? { parser: await runParser(kind, config) } : {};
}

const fixed = (value, digits) => (value === undefined ? "–" : value.toFixed(digits));

/** The part of a round's log line for these scenarios. */
export function describeExtras(s) {
  const parts = [];
  if (s.roomFanOut) parts.push(`rooms ${Math.round(s.roomFanOut.deliveriesPerSec)}/s ${fixed(s.roomFanOut.serverCpuPerDelivery, 3)} µs/delivery`);
  if (s.connectRate) parts.push(`connect ${Math.round(s.connectRate.opsPerSec)}/s ${fixed(s.connectRate.serverCpuPerOp, 1)} µs/conn`);
  if (s.pollingEcho) parts.push(`polling ${Math.round(s.pollingEcho.opsPerSec)}/s ${fixed(s.pollingEcho.serverCpuPerOp, 1)} µs/op`);
  if (s.parser) parts.push(`parser ${PARSER_INPUTS.map((input) => fixed(nsPerRoundTrip(s, input.key), 0)).join("/")} ns`);
  return parts.length === 0 ? "" : ` · ${parts.join(" · ")}`;
}

const nsPerRoundTrip = (s, key) => (s.parser?.[key] === undefined ? undefined : (s.parser[key].cpuMicros * 1000) / s.parser[key].ops);
const perCpuSecond = (s, key) => (s.parser?.[key] === undefined ? undefined : s.parser[key].ops / (s.parser[key].cpuMicros / 1e6));

/** The report's tables of these scenarios (same shape as report.mjs's SERVER_SCENARIOS). */
export const EXTRA_REPORT_SCENARIOS = [
  {
    title: (c) =>
      `Room fan-out: ${c.clients} clients in rooms of ${c.roomSize}, ${c.roomEvents} \`io.to(room).emit("tick", …)\` per run, ` +
      `rooms in turn (${c.burst} per macrotask), ${c.roomEvents * c.roomSize} deliveries per run`,
    figures: [
      { name: "deliveries/s", get: (s) => s.roomFanOut?.deliveriesPerSec, digits: 0 },
      { name: "server CPU µs / delivery", get: (s) => s.roomFanOut?.serverCpuPerDelivery, digits: 3 },
      { name: "load generator CPU µs / delivery", get: (s) => s.roomFanOut?.clientCpuPerDelivery, digits: 3 },
    ],
  },
  {
    title: (c) =>
      `Connect rate: ${c.connectTotal} websocket connections per run, ${c.connectInFlight} in flight ` +
      "(TCP + upgrade + open + CONNECT + `40{sid}`), beside the idle clients",
    figures: [
      { name: "connections/s", get: (s) => s.connectRate?.opsPerSec, digits: 0 },
      { name: "setup time p50 ms", get: (s) => s.connectRate?.p50Ms, digits: 1 },
      { name: "setup time p99 ms", get: (s) => s.connectRate?.p99Ms, digits: 1 },
      { name: "server CPU µs / connection", get: (s) => s.connectRate?.serverCpuPerOp, digits: 1, target: { max: 0.5 } },
      { name: "load generator CPU µs / connection", get: (s) => s.connectRate?.clientCpuPerOp, digits: 1 },
    ],
  },
  {
    title: (c) =>
      `Polling echo: ${c.pollingClients} long-polling-only clients × ${c.pollingOps} sequential \`emit("echo", data, ack)\` per run ` +
      "(raw ws: no polling)",
    figures: [
      { name: "acked ops/s", get: (s) => s.pollingEcho?.opsPerSec, digits: 0 },
      { name: "round trip p50 ms", get: (s) => s.pollingEcho?.p50Ms, digits: 2 },
      { name: "round trip p99 ms", get: (s) => s.pollingEcho?.p99Ms, digits: 2 },
      { name: "server CPU µs / op", get: (s) => s.pollingEcho?.serverCpuPerOp, digits: 1, target: { max: 0.5 } },
      { name: "load generator CPU µs / op", get: (s) => s.pollingEcho?.clientCpuPerOp, digits: 1 },
    ],
  },
  {
    title: (c) =>
      `Parser: encode + decode round trips of one packet, ${c.parserMs} ms per input, per CPU second ` +
      "(@volley/parser vs socket.io-parser 4.2 as socket.io loads it; raw ws column: `JSON.stringify` + `JSON.parse` of the payload alone, the floor)",
    figures: PARSER_INPUTS.map((input) => ({
      name: `${input.name} (${input.chars} chars)`,
      get: (s) => perCpuSecond(s, input.key),
      digits: 0,
      target: input.key === "small" ? { min: 2 } : undefined,
    })),
  },
];

/** The folded per-round table of these scenarios. */
export const EXTRA_ROUNDS = {
  summary:
    "Every round (room fan-out server µs/delivery, connect rate connections/s and server µs/connection, " +
    "polling echo ops/s and server µs/op, parser ns/round trip per input)",
  head:
    "| round | server | rooms µs/delivery | conn/s | µs/conn | polling ops/s | polling µs/op | " +
    `${PARSER_INPUTS.map((input) => `${input.key} ns`).join(" | ")} |\n` +
    `| ---: | --- | ---: | ---: | ---: | ---: | ---: | ${PARSER_INPUTS.map(() => "---:").join(" | ")} |`,
  row: (s, fmt) => [
    fmt(s.roomFanOut?.serverCpuPerDelivery, 3),
    fmt(s.connectRate?.opsPerSec, 0),
    fmt(s.connectRate?.serverCpuPerOp, 1),
    fmt(s.pollingEcho?.opsPerSec, 0),
    fmt(s.pollingEcho?.serverCpuPerOp, 1),
    ...PARSER_INPUTS.map((input) => fmt(nsPerRoundTrip(s, input.key), 0)),
  ],
};
