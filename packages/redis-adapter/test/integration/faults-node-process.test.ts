// A server node killed for real: a Volley node runs in a child process (the built
// package), and is killed with SIGKILL (no goodbye, its connections cut by the kernel).
// The requests of the other nodes finish (resolve without it, or reject naming it), never
// hang; serverCount() drops within heartbeatTimeout; then requests answer at once again.
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "@jest/globals";
import { createAdapter, createShardedAdapter, NodesTimeoutError, RedisAdapterBase } from "../../src/index";
import { connectClient, nodesKnown, startRedisCluster, type NodeAdapterFactory, type RedisCluster } from "../helpers/cluster";
import { redisServerForFile, unhandledRejectionsOfFile } from "../helpers/hooks";
import { once, until } from "../helpers/wait";

const OPTIONS = { requestsTimeout: 1000, heartbeatInterval: 200, heartbeatTimeout: 1500 };
const CHILD_SCRIPT = join(__dirname, "..", "helpers", "volley-node-process.mjs");

interface ChildNode {
  readonly process: ChildProcess;
  readonly url: string;
  readonly uid: string;
}

/** Forks a Volley node on `redisPort` in `flavour`, with the cluster's `key`; resolves once it listens. */
function forkNode(redisPort: number, key: string, flavour: "classic" | "sharded"): Promise<ChildNode> {
  const child = fork(CHILD_SCRIPT, [String(redisPort), key, flavour, JSON.stringify(OPTIONS)], {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise<ChildNode>((resolve, reject) => {
    const fail = (reason: string): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${reason}: ${output}`));
    };
    const timer = setTimeout(() => fail("the child node did not start within 10 s"), 10_000);
    child.once("exit", (code) => fail(`the child node exited (${code})`));
    child.once("message", (message: { url: string; uid: string }) => {
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve({ process: child, url: message.url, uid: message.uid });
    });
  });
}

/** SIGKILL by PID; resolves once the process is gone. */
function killNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  if (child.pid !== undefined) process.kill(child.pid, "SIGKILL");
  return exited;
}

const servers = redisServerForFile();

let cluster: RedisCluster | undefined;
let childNode: ChildNode | undefined;
const clients: ReturnType<typeof connectClient>[] = [];
const rejections = unhandledRejectionsOfFile();
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  if (childNode !== undefined) await killNode(childNode.process);
  childNode = undefined;
  await cluster?.close();
  cluster = undefined;
});

const RUNS: readonly ["classic" | "sharded", NodeAdapterFactory][] = [
  ["classic", (pub, sub, key) => createAdapter(pub, sub, { key, ...OPTIONS })],
  ["sharded", (pub, sub, key) => createShardedAdapter(pub, sub, { channelPrefix: key, ...OPTIONS })],
];

describe.each(RUNS)("%s adapter", (flavour, factory) => {
  it("a node process killed with SIGKILL: requests finish without it or name it, serverCount drops within heartbeatTimeout", async () => {
    let key = "";
    cluster = await startRedisCluster(2, "redis@5", servers.redis.port, (pub, sub, clusterKey) => {
      key = clusterKey;
      return factory(pub, sub, clusterKey);
    });
    const [node0, node1] = cluster.servers;
    if (node0 === undefined || node1 === undefined) throw new Error("two nodes expected");
    const adapter0 = node0.of("/").adapter as RedisAdapterBase;
    const adapter1 = node1.of("/").adapter as RedisAdapterBase;
    node1.on("question", (answer: (value: string) => void) => answer("from node 1"));
    childNode = await forkNode(servers.redis.port, key, flavour);
    const child = childNode;
    await Promise.all([nodesKnown(adapter0, 2), nodesKnown(adapter1, 2)]);
    expect(adapter0.liveNodes()).toContain(child.uid);

    // a client on each node, the child's included
    for (const url of [cluster.urls[0] ?? "", cluster.urls[1] ?? "", child.url]) {
      const client = connectClient(url);
      clients.push(client);
      await once(client, "connect");
    }
    expect(await node0.fetchSockets()).toHaveLength(3);
    expect(await node0.serverSideEmitWithAck("question")).toEqual(expect.arrayContaining(["from node 1", "from the child process"]));
    expect(await adapter0.serverCount()).toBe(3);

    // killed: its client loses its connection, the other nodes are not told
    const killedAt = Date.now();
    const cut = once(clients[2] as ReturnType<typeof connectClient>, "disconnect");
    await killNode(child.process);
    await cut;
    const settle = async <T>(request: Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> => {
      const started = Date.now();
      try {
        return { value: await request, ms: Date.now() - started };
      } catch (error) {
        return { error, ms: Date.now() - started };
      }
    };
    const [fetched, asked] = await Promise.all([settle(node0.fetchSockets()), settle(node0.serverSideEmitWithAck("question"))]);
    for (const outcome of [fetched, asked]) {
      // bounded: requestsTimeout, and some room for a loaded machine
      expect(outcome.ms).toBeLessThan(OPTIONS.requestsTimeout + 1000);
      if (outcome.error !== undefined) {
        expect(outcome.error).toBeInstanceOf(NodesTimeoutError);
        expect((outcome.error as NodesTimeoutError).missingNodes).toEqual([child.uid]);
      }
    }
    // resolved without the dead node: only the sockets and answers of the living ones
    if (fetched.error === undefined) expect(fetched.value).toHaveLength(2);
    if (asked.error === undefined) expect(asked.value).toEqual(["from node 1"]);

    // dropped within heartbeatTimeout (plus one liveness check and some scheduling room)
    for (const adapter of [adapter0, adapter1]) {
      await until(adapter, "node-down", () => !adapter.liveNodes().includes(child.uid), OPTIONS.heartbeatTimeout + 2000);
    }
    expect(Date.now() - killedAt).toBeLessThanOrEqual(OPTIONS.heartbeatTimeout + OPTIONS.heartbeatInterval + 500);
    expect(await adapter0.serverCount()).toBe(2);
    expect(await adapter1.serverCount()).toBe(2);
    // and the requests answer at once, without it
    const after = await settle(node0.serverSideEmitWithAck("question"));
    expect(after.value).toEqual(["from node 1"]);
    expect(after.ms).toBeLessThan(OPTIONS.requestsTimeout);
    expect(await node0.fetchSockets()).toHaveLength(2);
    expect(rejections).toEqual([]);
  });
});
