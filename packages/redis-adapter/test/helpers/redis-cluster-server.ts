// A real Redis Cluster for the tests: three masters (redis-server --cluster-enabled yes) on
// free loopback ports, each with its cluster bus on another free port, formed with
// `redis-cli --cluster create`, ready once every node's CLUSTER INFO says cluster_state:ok.
// Stopped by PID; their node files live in a temporary folder removed at stop().
import { execFile, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort, kill, spawnRedis } from "./redis-server";

const REDIS_CLI = process.env["REDIS_CLI"] ?? "/usr/bin/redis-cli";
const READY_TIMEOUT_MS = 20_000;
const run = promisify(execFile);

export interface RedisClusterServer {
  /** The client port of each master. */
  readonly ports: readonly number[];
  /** The port of the master that owns `key`'s hash slot (a channel name, for sharded pub/sub). */
  masterOf(key: string): Promise<number>;
  /** Stops every node (SIGTERM, by PID) and removes their files. */
  stop(): Promise<void>;
}

/** Runs redis-cli against `port` and returns its output. */
export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run(REDIS_CLI, ["-h", "127.0.0.1", "-p", String(port), ...args], { timeout: 10_000 });
  return stdout;
}

/** Starts a cluster of `masters` masters (no replicas) and resolves once it serves every slot. */
export async function startRedisClusterServer(masters = 3): Promise<RedisClusterServer> {
  const dir = await mkdtemp(join(tmpdir(), "volley-redis-cluster-"));
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(children.map((child) => kill(child)));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const { port, child } = await spawnClusterNode(dir);
      children.push(child);
      ports.push(port);
    }
    await run(
      REDIS_CLI,
      ["--cluster", "create", ...ports.map((port) => `127.0.0.1:${port}`), "--cluster-replicas", "0", "--cluster-yes"],
      { timeout: 20_000 },
    );
    await clusterReady(ports);
  } catch (error) {
    await stop();
    throw error;
  }
  return { ports, stop, masterOf: (key) => masterOf(ports, key) };
}

async function masterOf(ports: readonly number[], key: string): Promise<number> {
  const first = ports[0];
  if (first === undefined) throw new Error("no node");
  const slot = Number((await redisCli(first, "cluster", "keyslot", key)).trim());
  // CLUSTER NODES: "<id> <host>:<port>@<bus> <flags> <master> <ping> <pong> <epoch> <state> <slot ranges…>"
  for (const line of (await redisCli(first, "cluster", "nodes")).split("\n")) {
    const fields = line.trim().split(" ");
    const address = fields[1];
    if (address === undefined || !fields[2]?.includes("master")) continue;
    for (const range of fields.slice(8)) {
      const [from, to = from] = range.split("-").map(Number);
      if (from !== undefined && to !== undefined && slot >= from && slot <= to) {
        return Number(address.split("@")[0]?.split(":")[1]);
      }
    }
  }
  throw new Error(`no master owns slot ${slot}`);
}

async function spawnClusterNode(dir: string): Promise<{ port: number; child: ChildProcess }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const busPort = await freePort();
    if (busPort === port) continue;
    try {
      const child = await spawnRedis(port, [
        "--cluster-enabled", "yes",
        "--cluster-config-file", join(dir, `nodes-${port}.conf`),
        "--cluster-port", String(busPort),
        "--dir", dir,
      ]);
      return { port, child };
    } catch (error) {
      lastError = error; // a port was taken meanwhile: try others
    }
  }
  throw lastError;
}

/** Resolves once every node reports cluster_state:ok and knows every master; polls within a deadline. */
async function clusterReady(ports: readonly number[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = "";
  for (;;) {
    const infos = await Promise.all(ports.map((port) => redisCli(port, "cluster", "info")));
    const ready = infos.every(
      (info) => info.includes("cluster_state:ok") && info.includes(`cluster_known_nodes:${ports.length}`),
    );
    if (ready) return;
    last = infos.join("\n");
    if (Date.now() > deadline) throw new Error(`the Redis Cluster did not become ready:\n${last}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

