// The scenarios, run against one server child in one "session": the child is started, its
// heap measured, the idle clients connected and the heap measured again (memory per idle
// connection), then the same clients take the fan-out, then a subset of them the
// echo-with-ack run; then the scenarios of extra-scenarios.mjs (room fan-out on the same
// clients, connect rate, polling echo, and the parser in a child of its own). Every wait is
// bounded and a stall says what it saw.
import { performance } from "node:perf_hooks";
import { runChildExtras, runServerExtras } from "./extra-scenarios.mjs";
import { ServerProcess, withTimeout } from "./server-process.mjs";
import { tickFrame } from "./wire.mjs";
import { WireClient } from "./wire-client.mjs";

/**
 * @typedef {object} SessionConfig
 * @property {number} clients        idle / fan-out clients
 * @property {number} events         fan-out events per measured run (each to every client)
 * @property {number} burst          events emitted per macrotask in the server
 * @property {number} echoClients    clients doing sequential echo calls
 * @property {number} echoOps        echo calls per echo client per measured run
 * @property {number} connectConcurrency  websocket handshakes in flight while connecting
 * @property {number} stallMs        bound of every scenario wait
 * @property {string} [cpuProfile]       path prefix: CPU profiles of the measured fan-out and echo runs
 * @property {string} [heapSnapshot]     path prefix: heap snapshots before and with the idle clients
 * @property {string[]} [skip]          scenarios left out ("fanout", "echo") when profiling one
 */

/** Runs one session against a fresh `kind` server; resolves with its figures. */
export async function runSession(kind, config) {
  const server = await ServerProcess.start(kind);
  const clients = [];
  let session;
  try {
    await warmUpConnections(server, config);
    if (config.heapSnapshot !== undefined) await server.request("snapshot", { file: `${config.heapSnapshot}-before.heapsnapshot` }, 120000);
    const memory = await idleMemory(server, clients, config);
    if (config.heapSnapshot !== undefined) await server.request("snapshot", { file: `${config.heapSnapshot}-idle.heapsnapshot` }, 120000);
    let fan;
    if (!config.skip?.includes("fanout")) {
      await fanOut(server, clients, { ...config, events: Math.max(1, config.events >> 2) }); // warm-up
      fan = await profiled(server, config, "fanout", () => fanOut(server, clients, config));
    }
    let ack;
    if (!config.skip?.includes("echo")) {
      const echoers = clients.slice(0, config.echoClients);
      await echo(server, echoers, { ...config, echoOps: Math.max(1, config.echoOps >> 2) }); // warm-up
      ack = await profiled(server, config, "echo", () => echo(server, echoers, config));
    }
    const extras = await runServerExtras(server, clients, config, (name, measure) => profiled(server, config, name, measure));
    session = { kind, memory, fanOut: fan, echo: ack, ...extras };
  } finally {
    for (const client of clients) client.close();
    await server.stop();
  }
  return { ...session, ...(await runChildExtras(kind, config)) };
}

/** Runs `measure`, under the child's CPU profiler when `config.cpuProfile` is set. */
export async function profiled(server, config, scenario, measure) {
  if (config.cpuProfile === undefined) return measure();
  await server.request("profile-start");
  const result = await measure();
  await server.request("profile-stop", { file: `${config.cpuProfile}-${scenario}.cpuprofile` }, 120000);
  return result;
}

/**
 * Connects and drops a few clients so that code compiled and caches filled on the first
 * connection do not count as per-connection memory.
 */
async function warmUpConnections(server, config) {
  const few = [];
  await connectAll(server, few, Math.min(20, config.clients), config);
  for (const client of few) client.close();
  await waitForConnections(server, 0, config, "warm-up clients still counted by the server");
}

/** Waits until the server counts `count` sockets in "/"; throws `${kind}: ${what}` after --stall-ms. */
export async function waitForConnections(server, count, config, what) {
  await waitUntil(async () => (await server.request("connections")).count === count, config.stallMs, () => `${server.kind}: ${what}`);
}

/** Memory per idle connection: heap after GC with N idle clients minus heap before, / N. */
async function idleMemory(server, clients, config) {
  const before = await server.heapUsed();
  await connectAll(server, clients, config.clients, config);
  const { count } = await server.request("connections");
  if (count !== config.clients) throw new Error(`${server.kind}: ${config.clients} clients connected but the server counts ${count}`);
  const after = await server.heapUsed();
  return { heapBefore: before, heapAfter: after, kbPerConnection: (after - before) / config.clients / 1024 };
}

/** Connects `count` clients to "/" (bounded concurrency), appending them to `clients`. */
export function connectAll(server, clients, count, config) {
  return connectClients(() => server.port, clients, count, config);
}

/**
 * Connects `count` clients to "/" with `config.connectConcurrency` handshakes in flight,
 * appending them to `clients`; client number `i` (its index in `clients`) goes to port
 * `portOf(i)`.
 */
export async function connectClients(portOf, clients, count, config) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const client = new WireClient(clients.length);
      next++;
      const port = portOf(clients.length);
      clients.push(client);
      await client.connect(port, config.stallMs);
    }
  };
  const workers = Array.from({ length: Math.min(config.connectConcurrency, count) }, worker);
  await Promise.all(workers);
}

/** One fan-out run: `events` broadcasts to every client; deliveries/s and CPU per delivery. */
async function fanOut(server, clients, config) {
  const { events, burst } = config;
  let complete = 0;
  const delivered = new Promise((resolve) => {
    for (const client of clients) {
      client.expectEvents(events, () => {
        if (++complete === clients.length) resolve();
      });
    }
  });
  const deliveries = events * clients.length;
  const base = clients.map((client) => client.events);
  const cpuBefore = await server.cpuMicros();
  const clientCpuBefore = process.cpuUsage();
  const start = performance.now();
  const emitted = server.request("fanout", { events, burst }, config.stallMs);
  emitted.catch(() => undefined); // awaited below; a stall is reported by the delivery wait
  await withTimeout(delivered, config.stallMs, `${server.kind} fan-out`).catch((err) => {
    throw new Error(`${err.message}: ${describeFanOut(clients, base, complete, events)}`);
  });
  const wallMs = performance.now() - start;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  await emitted;
  const cpu = (await server.cpuMicros()) - cpuBefore;
  const expected = tickFrame(events - 1);
  for (const client of clients) {
    const last = client.lastEvent;
    if (last !== expected) throw new Error(`${server.kind} fan-out: a client's last event is ${last}, expected ${expected}`);
  }
  return deliveryFigures(deliveries, wallMs, cpu, clientCpu);
}

/** The figures of a fan-out run: `cpu` the server's (µs), `clientCpu` the runner's cpuUsage over the run. */
export function deliveryFigures(deliveries, wallMs, cpu, clientCpu) {
  return {
    deliveries,
    wallMs,
    deliveriesPerSec: deliveries / (wallMs / 1000),
    serverCpuPerDelivery: cpu / deliveries,
    clientCpuPerDelivery: (clientCpu.user + clientCpu.system) / deliveries,
  };
}

/** What a stalled fan-out saw: how far the clients got, and which connections closed. */
export function describeFanOut(clients, base, complete, events) {
  let fewest = Infinity;
  let total = 0;
  const closed = [];
  for (const [i, client] of clients.entries()) {
    const got = client.events - base[i];
    fewest = Math.min(fewest, got);
    total += got;
    if (!client.connected) closed.push(client.closeReason ?? "closed");
  }
  const closedText = closed.length === 0 ? "none closed" : `${closed.length} closed (first: ${closed[0]})`;
  return `${complete}/${clients.length} clients got all ${events} events, the slowest ${fewest}, ${total}/${events * clients.length} deliveries; ${closedText}`;
}

/** One echo run: every echo client makes `echoOps` sequential acked calls. */
async function echo(server, clients, config) {
  const { echoOps } = config;
  const ops = echoOps * clients.length;
  const startAcks = clients.reduce((sum, c) => sum + c.acks, 0);
  const cpuBefore = await server.cpuMicros();
  const clientCpuBefore = process.cpuUsage();
  const start = performance.now();
  let complete = 0;
  const acked = new Promise((resolve, reject) => {
    for (const client of clients) {
      client.runEchoes(
        echoOps,
        () => {
          if (++complete === clients.length) resolve();
        },
        reject,
      );
    }
  });
  await withTimeout(acked, config.stallMs, `${server.kind} echo`).catch((err) => {
    throw ackStall(err, clients, complete, startAcks, ops);
  });
  const wallMs = performance.now() - start;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const cpu = (await server.cpuMicros()) - cpuBefore;
  return {
    ops,
    wallMs,
    opsPerSec: ops / (wallMs / 1000),
    serverCpuPerOp: cpu / ops,
    clientCpuPerOp: (clientCpu.user + clientCpu.system) / ops,
  };
}

/** The error of an echo run that failed or stalled: how far it got, which clients closed. */
export function ackStall(err, clients, complete, startAcks, ops) {
  const got = clients.reduce((sum, c) => sum + c.acks, 0) - startAcks;
  const closed = clients.filter((c) => !c.connected);
  return new Error(
    `${err.message}: ${complete}/${clients.length} clients done, ${got}/${ops} acks` +
      (closed.length > 0 ? `, ${closed.length} closed (first: ${closed[0].closeReason})` : ""),
  );
}

/** Polls `check` every 10 ms until it resolves true; throws `describe()` after `timeoutMs`. */
export async function waitUntil(check, timeoutMs, describe) {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`${describe()} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
