// The report of the cross-worker benchmark ("workers", workers-scenario.mjs): one table per
// cluster size with the medians, the ratio Volley/socket.io and the issue's targets
// (≥ 2× the deliveries/s, ≤ 0.5× the server CPU per delivery). Registered in report.mjs'
// SUITES when this module is imported.
import { createRequire } from "node:module";
import { SUITES, fmt } from "./report.mjs";
import { WORKER_COUNTS } from "./workers-scenario.mjs";

const require = createRequire(import.meta.url);
const version = (name) => {
  try {
    return require(`${name}/package.json`).version;
  } catch {
    return "?";
  }
};

const sizeScenario = (count) => ({
  title: (c) =>
    `Cross-worker broadcast, ${count} workers: a node:cluster primary, ${c.clients} websocket clients spread over them by the sticky ` +
    `router, worker 1 calls \`io.emit("tick", …)\` ${c.events} times per run (${c.burst} per macrotask), ${c.events * c.clients} deliveries per run`,
  figures: [
    { name: "deliveries/s", get: (s) => s.workers[count].deliveriesPerSec, digits: 0, target: { min: 2 } },
    { name: "server CPU µs / delivery (every worker + the primary)", get: (s) => s.workers[count].serverCpuPerDelivery, digits: 3, target: { max: 0.5 } },
    { name: "load generator CPU µs / delivery", get: (s) => s.workers[count].clientCpuPerDelivery, digits: 3 },
  ],
});

SUITES.workers = {
  label: { volley: "Volley", "socket.io": "socket.io" },
  sioRatio: "Volley / socket.io",
  wsRatio: "",
  versions: () =>
    `Volley: @volley/server ${version("@volley/server")} + @volley/cluster-adapter ${version("@volley/cluster-adapter")} + ` +
    `@volley/sticky ${version("@volley/sticky")}; socket.io ${version("socket.io")} + @socket.io/cluster-adapter ` +
    `${version("@socket.io/cluster-adapter")} + @socket.io/sticky ${version("@socket.io/sticky")}; IPC serialization "json"`,
  scenarios: WORKER_COUNTS.map(sizeScenario),
  rounds: {
    summary: "Every round (deliveries/s, server µs/delivery and handshakes made again, per cluster size)",
    head:
      `| round | server | ${WORKER_COUNTS.map((n) => `${n} workers deliveries/s | ${n} workers µs/delivery | ${n} workers retried`).join(" | ")} |\n` +
      `| ---: | --- | ${WORKER_COUNTS.map(() => "---: | ---: | ---:").join(" | ")} |`,
    row: (s) => WORKER_COUNTS.flatMap((n) => [fmt(s.workers[n].deliveriesPerSec, 0), fmt(s.workers[n].serverCpuPerDelivery, 3), String(s.workers[n].retried)]),
  },
};

/** The progress line of one session. */
export function workersSessionLine(session) {
  return WORKER_COUNTS.map((n) => {
    const b = session.workers[n];
    return `${n} workers ${Math.round(b.deliveriesPerSec)}/s ${b.serverCpuPerDelivery.toFixed(3)} µs/delivery (clients ${b.perWorker.join("+")}${b.retried > 0 ? `, ${b.retried} handshake(s) made again` : ""})`;
  }).join(" · ");
}
