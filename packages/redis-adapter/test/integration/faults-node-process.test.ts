// A server node killed for real: a Volley node runs in a child process (the built
// package), and is killed with SIGKILL (no goodbye, its connections cut by the kernel).
// The requests of the other nodes finish (resolve without it, or reject naming it), never
// hang; serverCount() drops within heartbeatTimeout; then requests answer at once again.
import { describe, expect, it } from "@jest/globals";
import { createAdapter, createShardedAdapter, NodesTimeoutError, RedisAdapterBase } from "../../src/index";
import { connectClient, nodesKnown, startRedisCluster, type NodeAdapterFactory, type RedisCluster } from "../helpers/cluster";
import { redisServerForFile, resourcesOfEachTest, unhandledRejectionsOfFile } from "../helpers/hooks";
import { forkNode, killNode } from "../helpers/node-process";
import { once, until } from "../helpers/wait";

const OPTIONS = { requestsTimeout: 1000, heartbeatInterval: 200, heartbeatTimeout: 1500 };

const servers = redisServerForFile();

const rejections = unhandledRejectionsOfFile();
const run = resourcesOfEachTest();

const RUNS: readonly ["classic" | "sharded", NodeAdapterFactory][] = [
  ["classic", (pub, sub, key) => createAdapter(pub, sub, { key, ...OPTIONS })],
  ["sharded", (pub, sub, key) => createShardedAdapter(pub, sub, { channelPrefix: key, ...OPTIONS })],
];

describe.each(RUNS)("%s adapter", (flavour, factory) => {
  it("a node process killed with SIGKILL: requests finish without it or name it, serverCount drops within heartbeatTimeout", async () => {
    let key = "";
    const cluster = (run.cluster = await startRedisCluster(2, "redis@5", servers.redis.port, (pub, sub, clusterKey) => {
      key = clusterKey;
      return factory(pub, sub, clusterKey);
    }));
    const [node0, node1] = cluster.servers;
    if (node0 === undefined || node1 === undefined) throw new Error("two nodes expected");
    const adapter0 = node0.of("/").adapter as RedisAdapterBase;
    const adapter1 = node1.of("/").adapter as RedisAdapterBase;
    node1.on("question", (answer: (value: string) => void) => answer("from node 1"));
    run.childNode = await forkNode(servers.redis.port, key, flavour, OPTIONS);
    const child = run.childNode;
    await Promise.all([nodesKnown(adapter0, 2), nodesKnown(adapter1, 2)]);
    expect(adapter0.liveNodes()).toContain(child.uid);

    // a client on each node, the child's included
    for (const url of [cluster.urls[0] ?? "", cluster.urls[1] ?? "", child.url]) {
      const client = connectClient(url);
      run.clients.push(client);
      await once(client, "connect");
    }
    expect(await node0.fetchSockets()).toHaveLength(3);
    expect(await node0.serverSideEmitWithAck("question")).toEqual(expect.arrayContaining(["from node 1", "from the child process"]));
    expect(await adapter0.serverCount()).toBe(3);

    // killed: its client loses its connection, the other nodes are not told
    const killedAt = Date.now();
    const cut = once(run.clients[2] as ReturnType<typeof connectClient>, "disconnect");
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
