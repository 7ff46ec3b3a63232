// The cross-node broadcast benchmark: one implementation (Volley + @volley/redis-adapter, or
// socket.io + @socket.io/redis-adapter) as two server processes sharing one Redis, and the
// same implementation as one process with no adapter, each with the same N load-generator
// clients. One session = both topologies of one implementation, in the order given:
//
//   1. the nodes are started (with the cluster: both on the suite's Redis, channels under a
//      key of their own, and both must count 2 nodes before anything is sent);
//   2. N clients connect, client i to node i % nodes; each node must count its share;
//   3. broadcast burst: node 1 calls `io.emit("tick", …)` K times, `burst` per macrotask
//      (a warm-up of K/4 first); the run ends when every client of both nodes has all K,
//      each client's last event checked byte for byte. deliveries/s, the server processes'
//      CPU (both summed) per delivery, Redis' CPU per broadcast;
//   4. latency: P probe clients per node connect from a process of their own
//      (probe-child.mjs) and join the probes' room; node 1 emits L stamped ticks
//      `{ t, n, payload }`, one every `intervalMs` (L/4 as warm-up first), in two runs: to
//      every client (the N clients and the probes), then to the probes' room only (the N
//      clients stay connected, idle). Each probe notes receive time − t (µs, the machine's
//      monotonic clock) for every tick: median and p99, per node of the probes.
//
// Every wait is bounded and a stall says what it saw; every client, node and Redis client
// is closed at the end of the session, whatever happened.
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { connectClients, describeFanOut, waitUntil } from "./scenarios.mjs";
import { ServerProcess, withTimeout } from "./server-process.mjs";
import { PROBE_ROOM, STAMPED_TICK_PREFIX, tickFrame } from "./wire.mjs";

const PROBE_CHILD = fileURLToPath(new URL("./probe-child.mjs", import.meta.url));

/**
 * @typedef {object} ClusterConfig
 * @property {number} clusterClients  clients, split between the nodes
 * @property {number} events          broadcasts per measured burst run
 * @property {number} burst           broadcasts emitted per macrotask
 * @property {number} latencyEvents   stamped broadcasts per measured latency run
 * @property {number} latencyIntervalMs  time between two stamped broadcasts
 * @property {number} probes          latency probes per node
 * @property {string} redisClient     "redis" (node-redis) or "ioredis", for both implementations
 * @property {number} connectConcurrency  websocket handshakes in flight while connecting
 * @property {number} stallMs         bound of every wait
 * @property {string} [cpuProfile]    path prefix: CPU profiles of each node over the measured burst
 */

/**
 * Runs one session of `kind`: the one-node and the two-node topologies, one-node first when
 * `singleFirst`. `redis` is the suite's RedisServer, `key` a channel prefix used by no other
 * session. Resolves with `{ kind, single, cluster }`, each `{ burst, latency }`.
 */
export async function runClusterSession(kind, config, redis, key, singleFirst) {
  const result = { kind };
  for (const nodes of singleFirst ? [1, 2] : [2, 1]) {
    result[nodes === 1 ? "single" : "cluster"] = await runTopology(kind, nodes, config, redis, key);
  }
  return result;
}

/** `nodes` fresh server children of `kind` (with 2: sharing `redis`), N clients, the two runs. */
async function runTopology(kind, nodes, config, redis, key) {
  const args = nodes === 1 ? [] : [`--redis=${redis.url}`, `--redis-client=${config.redisClient}`, `--key=${key}`];
  const started = await Promise.allSettled(Array.from({ length: nodes }, () => ServerProcess.start(kind, { args })));
  const servers = started.filter((s) => s.status === "fulfilled").map((s) => s.value);
  const clients = [];
  let probes;
  try {
    const failed = started.find((s) => s.status === "rejected");
    if (failed !== undefined) throw failed.reason;
    const what = `${kind} ${nodes === 1 ? "one node" : "two nodes"}`;
    if (nodes > 1) {
      await waitUntil(
        async () => (await Promise.all(servers.map((s) => s.request("server-count")))).every((r) => r.count === nodes),
        config.stallMs,
        () => `${what}: the nodes do not count ${nodes} nodes`,
      );
    }
    await connectClients((i) => servers[i % nodes].port, clients, config.clusterClients, config);
    for (const [node, server] of servers.entries()) {
      const expected = Math.ceil((config.clusterClients - node) / nodes);
      const { count } = await server.request("connections");
      if (count !== expected) throw new Error(`${what}: node ${node + 1} counts ${count} clients, expected ${expected}`);
    }
    const groups = Array.from({ length: nodes }, (_, node) => clients.filter((_client, i) => i % nodes === node));
    const ctx = { what, servers, clients, groups, redis: nodes > 1 ? redis : undefined, config };
    await burstRun(ctx, Math.max(1, config.events >> 2)); // warm-up
    const burst = await burstRun(ctx, config.events, config.cpuProfile && `${config.cpuProfile}-${nodes}node`);
    probes = await ServerProcess.start("probes", { script: PROBE_CHILD, role: "probes" });
    const ports = servers.map((server) => server.port);
    const { connected } = await probes.request("connect", { ports, perPort: config.probes, timeoutMs: config.stallMs }, config.stallMs + 5000);
    if (connected !== config.probes * nodes) throw new Error(`${what}: ${connected} probes connected, expected ${config.probes * nodes}`);
    ctx.probes = probes;
    const latency = {};
    for (const room of [undefined, PROBE_ROOM]) {
      await latencyRun(ctx, Math.max(1, config.latencyEvents >> 2), room); // warm-up
      latency[room === undefined ? "all" : "probes"] = await latencyRun(ctx, config.latencyEvents, room);
    }
    return { burst, latency };
  } finally {
    for (const client of clients) client.close();
    await Promise.all([probes, ...servers].map((child) => child?.stop()));
  }
}

/** CPU time of every node so far (µs), in node order. */
function nodeCpu(servers) {
  return Promise.all(servers.map((server) => server.cpuMicros()));
}

/**
 * One burst run: node 1 emits `events` broadcasts; resolves once every client has them all.
 * With `profilePrefix`, each node's CPU profiler is on for the run.
 */
export async function burstRun({ what, servers, clients, groups, redis, config }, events, profilePrefix = undefined) {
  const finishedAt = groups.map(() => 0);
  let complete = 0;
  const delivered = new Promise((resolve) => {
    groups.forEach((group, g) => {
      let groupComplete = 0;
      for (const client of group) {
        client.expectEvents(events, () => {
          if (++groupComplete === group.length) finishedAt[g] = performance.now();
          if (++complete === clients.length) resolve();
        });
      }
    });
  });
  const base = clients.map((client) => client.events);
  if (profilePrefix !== undefined) await Promise.all(servers.map((server) => server.request("profile-start")));
  const cpuBefore = await nodeCpu(servers);
  const redisBefore = await redis?.cpuMicros();
  const loadBefore = process.cpuUsage();
  const start = performance.now();
  const emitted = servers[0].request("fanout", { events, burst: config.burst }, config.stallMs);
  emitted.catch(() => undefined); // awaited below; a stall is reported by the delivery wait
  await withTimeout(delivered, config.stallMs, `${what} broadcast`).catch((err) => {
    throw new Error(`${err.message}: ${describeFanOut(clients, base, complete, events)}`);
  });
  const wallMs = performance.now() - start;
  const load = process.cpuUsage(loadBefore);
  const redisCpu = redis === undefined ? undefined : (await redis.cpuMicros()) - redisBefore;
  await emitted;
  const cpu = (await nodeCpu(servers)).map((after, node) => after - cpuBefore[node]);
  if (profilePrefix !== undefined) {
    await Promise.all(servers.map((server, node) => server.request("profile-stop", { file: `${profilePrefix}-node${node + 1}.cpuprofile` }, 120000)));
  }
  const expected = tickFrame(events - 1);
  for (const client of clients) {
    if (client.lastEvent !== expected) throw new Error(`${what} broadcast: a client's last event is ${client.lastEvent}, expected ${expected}`);
  }
  const deliveries = events * clients.length;
  const cpuTotal = cpu.reduce((sum, c) => sum + c, 0);
  const result = {
    deliveries,
    wallMs,
    deliveriesPerSec: deliveries / (wallMs / 1000),
    serverCpuPerDelivery: cpuTotal / deliveries,
    nodeCpuPerDelivery: cpu.map((c) => c / deliveries),
    clientCpuPerDelivery: (load.user + load.system) / deliveries,
  };
  if (groups.length > 1) {
    // the clients of the other node: their deliveries over the time until the last of them had all
    result.remoteDeliveriesPerSec = (events * groups[1].length) / ((finishedAt[1] - start) / 1000);
    result.redisCpuPerBroadcast = redisCpu / events;
  }
  return result;
}

/**
 * One latency run: node 1 emits `events` stamped ticks, one every `latencyIntervalMs`, to
 * every client and probe, or to `room` (the probes' room) only; the probes
 * (probe-child.mjs) note the send→receive time of each. Median and p99 (µs) per node of
 * the probes.
 */
async function latencyRun({ what, servers, clients, probes, config }, events, room) {
  const toAll = room === undefined;
  let complete = 0;
  const delivered = new Promise((resolve) => {
    if (!toAll) return resolve(); // the clients get nothing: checked below
    for (const client of clients) client.expectEvents(events, () => ++complete === clients.length && resolve());
  });
  const base = clients.map((client) => client.events);
  await probes.request("arm", { events });
  const bound = config.stallMs + events * config.latencyIntervalMs;
  const emitted = servers[0].request("stamped", { events, intervalMs: config.latencyIntervalMs, room }, bound);
  emitted.catch(() => undefined); // awaited below; a stall is reported by the delivery wait
  await withTimeout(delivered, bound, `${what} latency run`).catch((err) => {
    throw new Error(`${err.message}: ${describeFanOut(clients, base, complete, events)}`);
  });
  await emitted;
  const { samples } = await probes.request("collect", { timeoutMs: bound }, bound + 5000);
  const lastN = `,"n":${events - 1},"payload":`;
  for (const [i, client] of clients.entries()) {
    if (!toAll) {
      if (client.events !== base[i]) throw new Error(`${what} latency run: a client outside the room "${room}" got ${client.events - base[i]} ticks`);
    } else if (!client.lastEvent?.startsWith(STAMPED_TICK_PREFIX) || !client.lastEvent.includes(lastN)) {
      throw new Error(`${what} latency run: a client's last event is ${client.lastEvent}, expected the stamped tick n=${events - 1}`);
    }
  }
  return samples.map((list, node) => {
    if (list.length !== events * config.probes || list.some((v) => !Number.isFinite(v))) {
      throw new Error(`${what} latency run: node ${node + 1}'s probes noted ${list.length} times (some not stamped?), expected ${events * config.probes}`);
    }
    list.sort((x, y) => x - y);
    return { median: percentile(list, 0.5), p99: percentile(list, 0.99), samples: list.length };
  });
}

/** The `q` quantile of sorted `values` (nearest rank). */
function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
