// The cross-worker broadcast benchmark ("workers"): one implementation as a Node.js cluster
// on one machine (workers-child.mjs: Volley with @volley/sticky + @volley/cluster-adapter, or
// socket.io with @socket.io/sticky + @socket.io/cluster-adapter), with 2 and then 4 workers.
// One session = both sizes of one implementation, in the order given:
//
//   1. the primary forks the workers; every worker must count all of them (serverCount());
//   2. N websocket clients connect to the primary's port, the sticky router hands each
//      connection to a worker (least connection); every worker must have some, all N counted;
//   3. broadcast burst (burstRun of cluster-scenario.mjs): worker 1 calls `io.emit("tick", …)`
//      K times, `burst` per macrotask (a warm-up of K/4 first); the run ends when every
//      client has all K, each client's last event checked byte for byte. deliveries/s, and
//      the CPU of every worker and of the primary (which relays the adapters' messages),
//      summed, per delivery.
//
// Every wait is bounded and a stall says what it saw; every client and the cluster are
// closed at the end of the session, whatever happened.
import { fileURLToPath } from "node:url";
import { burstRun } from "./cluster-scenario.mjs";
import { inPool } from "./pool.mjs";
import { waitUntil } from "./scenarios.mjs";
import { ServerProcess } from "./server-process.mjs";
import { WireClient } from "./wire-client.mjs";

const WORKERS_CHILD = fileURLToPath(new URL("./workers-child.mjs", import.meta.url));
/** The cluster sizes of a session. */
export const WORKER_COUNTS = [2, 4];
/**
 * A websocket handshake through the sticky router that has not reached "/" after this long
 * is given up and made again (at most HANDSHAKE_ATTEMPTS times per client): the published
 * @socket.io/sticky now and then never completes one on a busy machine. Connecting is not
 * measured; the retries are counted and printed.
 */
const HANDSHAKE_RETRY_MS = 10000;
const HANDSHAKE_ATTEMPTS = 3;

/**
 * Runs one session of `kind` (`config`: clients, events, burst, connectConcurrency, stallMs):
 * 2 then 4 workers when `smallFirst`, else the reverse. Resolves with
 * `{ kind, workers: { 2: burst, 4: burst } }`.
 */
export async function runWorkersSession(kind, config, smallFirst) {
  const workers = {};
  for (const count of smallFirst ? WORKER_COUNTS : [...WORKER_COUNTS].reverse()) {
    workers[count] = await runCluster(kind, count, config);
  }
  return { kind, workers };
}

async function runCluster(kind, count, config) {
  const what = `${kind} ${count} workers`;
  const primary = await ServerProcess.start(kind, { script: WORKERS_CHILD, role: "cluster", args: [`--workers=${count}`], timeoutMs: 30000 });
  const clients = [];
  try {
    await waitUntil(async () => (await primary.request("server-count")).count === count, config.stallMs, () => `${what}: the workers do not count ${count}`);
    const retried = await connectThroughRouter(primary.port, clients, config);
    let perWorker = [];
    await waitUntil(
      async () => {
        const reply = await primary.request("connections");
        perWorker = reply.perWorker;
        return reply.count === config.clients;
      },
      config.stallMs,
      () => `${what}: the workers count ${perWorker.join(" + ")} clients, expected ${config.clients}`,
    );
    if (perWorker.some((n) => n === 0)) throw new Error(`${what}: a worker got no client (${perWorker.join(" + ")}; with fewer clients, lower --connect-concurrency: a router may count a connection only once its handshake is done)`);
    const ctx = { what, servers: [primary], clients, groups: [clients], redis: undefined, config };
    await burstRun(ctx, Math.max(1, config.events >> 2)); // warm-up
    const burst = await burstRun(ctx, config.events);
    return { ...burst, perWorker, retried };
  } finally {
    for (const client of clients) client.close();
    await primary.stop();
  }
}

/** Connects `config.clients` clients to "/" through the router on `port`, into `clients`; resolves with how many handshakes were made again. */
async function connectThroughRouter(port, clients, config) {
  let retried = 0;
  await inPool(config.clients, config.connectConcurrency, async (i) => {
    for (let attempt = 1; ; attempt++) {
      const client = new WireClient(i);
      try {
        await client.connect(port, Math.min(HANDSHAKE_RETRY_MS, config.stallMs));
        clients.push(client);
        return;
      } catch (err) {
        if (attempt === HANDSHAKE_ATTEMPTS) throw err;
        retried++;
      }
    }
  });
  return retried;
}
