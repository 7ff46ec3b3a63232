// `pnpm --filter @volley/example-cluster start`: the chat on WORKERS processes of one Node.js
// cluster behind @volley/sticky, sharing their state through @volley/cluster-adapter over the
// cluster's IPC channel, or through Redis when REDIS_URL is set. With WORKERS=0 this process
// is one standalone server (for a load balancer in front of several, with REDIS_URL).
import cluster from "node:cluster";
import { createServer } from "node:http";
import { setupPrimary as setupClusterAdapterPrimary } from "@volley/cluster-adapter";
import { setupPrimary, setupWorker } from "@volley/sticky";
import { readConfig } from "./config.js";
import { startNode } from "./node.js";

/** What a worker tells the primary once it serves and sees the other workers. */
const READY = "volley-example-cluster:ready";

const config = readConfig(process.env);
const sharing = config.redisUrl === undefined ? "cluster adapter, no Redis" : `Redis ${config.redisUrl}`;

if (config.workers === 0) await standalone();
else if (cluster.isPrimary) await primary();
else await worker();

/** One server listening on PORT itself. */
async function standalone() {
  const node = await startNode({ name: `server ${process.pid}`, redisUrl: config.redisUrl, cookie: config.cookie });
  await listen(node.httpServer);
  console.log(`Volley chat server ${process.pid} at ${urlOf(node.httpServer)} (${config.redisUrl === undefined ? "alone, no REDIS_URL" : sharing}; Ctrl+C to stop)`);
  onSignals(() => node.close().then(() => process.exit(0)));
}

/** Listens on PORT, hands each connection to the worker of its Engine.IO session, keeps WORKERS workers running. */
async function primary() {
  const httpServer = createServer();
  setupPrimary(httpServer, { loadBalancingMethod: config.balancing });
  // Without Redis, the primary relays the cluster adapter's messages between the workers.
  if (config.redisUrl === undefined) setupClusterAdapterPrimary();
  await listen(httpServer);
  const url = urlOf(httpServer);
  const ready = new Set();
  let serving = false;
  let stopping = false;

  cluster.on("message", (worker, message) => {
    if (message?.type !== READY) return;
    ready.add(worker.id);
    if (serving || ready.size < config.workers) return;
    serving = true;
    console.log(`Volley chat on ${config.workers} workers at ${url} (${sharing}, ${config.balancing}; Ctrl+C to stop)`);
  });
  cluster.on("exit", (worker, code, signal) => {
    ready.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) httpServer.close(() => process.exit(0));
      return;
    }
    if (!serving) {
      console.error(`worker ${worker.id} stopped while starting (${signal ?? `exit code ${code}`})`);
      stop(1);
      return;
    }
    // Its clients reconnect to the living workers (and recover their sessions there).
    console.error(`worker ${worker.id} died (${signal ?? `exit code ${code}`}): starting another`);
    cluster.fork();
  });

  /** @param {number} exitCode */
  function stop(exitCode) {
    if (stopping) return;
    stopping = true;
    process.exitCode = exitCode;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) httpServer.close(() => process.exit(exitCode));
    for (const worker of workers) worker?.process.kill("SIGTERM");
  }

  onSignals(() => stop(0));
  for (let i = 0; i < config.workers; i++) cluster.fork();
}

/** A worker: the chat, fed by the primary, ready once it sees the other workers. */
async function worker() {
  const id = cluster.worker?.id ?? 0;
  const node = await startNode({ name: `worker ${id}`, redisUrl: config.redisUrl, cookie: config.cookie }).catch((error) => {
    console.error(`worker ${id}: ${error.message}`);
    process.exit(1);
  });
  setupWorker(node.io);
  onSignals(() => node.close().then(() => process.exit(0)));
  await node.peers(config.workers - 1).catch((error) => {
    console.error(`worker ${id}: ${error.message}`);
    process.exit(1);
  });
  process.send?.({ type: READY });
}

/** @param {import("node:http").Server} server */
function listen(server) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve(undefined));
  });
}

/** @param {import("node:http").Server} server */
function urlOf(server) {
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  const host = config.host === undefined || config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  return `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
}

/** @param {() => void} stop */
function onSignals(stop) {
  for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) process.once(signal, stop);
}
