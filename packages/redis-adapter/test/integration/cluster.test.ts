// Behaviour beyond the conformance kit, on real Volley nodes over a real redis-server:
// allRooms and serverCount across nodes, requests that name the nodes that did not
// answer, a dead node dropped in bounded time, and every timer released.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { createAdapter, createShardedAdapter, NodesTimeoutError, RedisAdapterBase } from "../../src/index";
import type { ClientLibrary } from "../helpers/clients";
import { connectClient, startRedisCluster, type NodeAdapterFactory, type RedisCluster } from "../helpers/cluster";
import { startRedisServer, type RedisServer } from "../helpers/redis-server";
import { activeTimers, once, timersSettleTo, until } from "../helpers/wait";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});

const clients: ReturnType<typeof connectClient>[] = [];
let cluster: RedisCluster | undefined;
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await cluster?.close();
  cluster = undefined;
});

function adapterOf(index: number): RedisAdapterBase {
  const adapter = cluster?.servers[index]?.of("/").adapter;
  if (!(adapter instanceof RedisAdapterBase)) throw new Error(`node ${index} has no Redis adapter`);
  return adapter;
}

async function connect(index: number): Promise<ReturnType<typeof connectClient>> {
  const url = cluster?.urls[index];
  if (url === undefined) throw new Error(`no node ${index}`);
  const client = connectClient(url);
  clients.push(client);
  await once(client, "connect");
  return client;
}

const MODES: readonly [string, ClientLibrary, NodeAdapterFactory][] = [
  ["createAdapter", "redis@5", (pub, sub, key) => createAdapter(pub, sub, { key, requestsTimeout: 300, heartbeatInterval: 200, heartbeatTimeout: 600 })],
  ["createAdapter", "ioredis", (pub, sub, key) => createAdapter(pub, sub, { key, requestsTimeout: 300, heartbeatInterval: 200, heartbeatTimeout: 600 })],
  ["createShardedAdapter", "redis@4", (pub, sub, key) => createShardedAdapter(pub, sub, { channelPrefix: key, requestsTimeout: 300, heartbeatInterval: 200, heartbeatTimeout: 600 })],
];

describe.each(MODES)("%s with %s", (_name, library, factory) => {
  it("counts the nodes and lists every room of every node", async () => {
    cluster = await startRedisCluster(3, library, redis.port, factory);
    const [a, b] = [await connect(0), await connect(1)];
    cluster.servers[0]?.in(a.id ?? "").socketsJoin("room-a");
    await until(adapterOf(0), "join-room", () => adapterOf(0).rooms.has("room-a"));
    cluster.servers[1]?.in(b.id ?? "").socketsJoin(["room-b", "shared"]);
    await until(adapterOf(1), "join-room", () => adapterOf(1).rooms.has("shared"));
    expect(await cluster.servers[2]?.of("/").adapter.serverCount()).toBe(3);
    const rooms = await adapterOf(2).allRooms();
    expect([...rooms].sort()).toEqual([a.id, b.id, "room-a", "room-b", "shared"].sort());
  });

  it("names the node that does not answer, drops it within heartbeatTimeout, then answers without it", async () => {
    cluster = await startRedisCluster(3, library, redis.port, factory);
    await connect(0);
    await connect(2);
    const silent = adapterOf(1);
    // node 1 is cut off from Redis without saying goodbye, as a crashed process would be
    await cluster.pairs[1]?.close();
    const error = await cluster.servers[0]?.fetchSockets().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(NodesTimeoutError);
    expect((error as NodesTimeoutError).missingNodes).toEqual([silent.uid]);
    expect((error as NodesTimeoutError).message).toMatch(/^timeout reached: missing 1 responses \(no answer from node /);
    const [acked] = await new Promise<[Error | null]>((resolve) => {
      adapterOf(0).serverSideEmit(["ping", (err: Error | null) => resolve([err])]);
    });
    expect(acked).toBeInstanceOf(NodesTimeoutError);
    await until(adapterOf(0), "node-down", () => !adapterOf(0).liveNodes().includes(silent.uid), 3000);
    expect(await adapterOf(0).serverCount()).toBe(2);
    const sockets = await cluster.servers[0]?.fetchSockets();
    expect(sockets).toHaveLength(2);
  });
});

const RESOURCE_TIMING = { requestsTimeout: 100, heartbeatInterval: 1000, heartbeatTimeout: 3000 };
const RESOURCE_RUNS: readonly [string, ClientLibrary, NodeAdapterFactory][] = [
  ["createAdapter", "redis@5", (pub, sub, key) => createAdapter(pub, sub, { key, ...RESOURCE_TIMING })],
  ["createShardedAdapter", "ioredis", (pub, sub, key) => createShardedAdapter(pub, sub, { channelPrefix: key, ...RESOURCE_TIMING })],
];

describe.each(RESOURCE_RUNS)("resources, %s with %s", (_name, library, factory) => {
  it("releases every request, ack handler and timer after timed-out requests and close()", async () => {
    const baseline = activeTimers();
    cluster = await startRedisCluster(2, library, redis.port, factory);
    // a client on each node, in a room (in the sharded dynamic mode, a channel of its own)
    const [client0, client1] = [await connect(0), await connect(1)];
    for (const client of [client0, client1]) client.on("never", () => undefined); // they never acknowledge
    cluster.servers[0]?.in([client0.id ?? "", client1.id ?? ""]).socketsJoin("room");
    await until(adapterOf(1), "join-room", () => adapterOf(1).rooms.has("room"));
    // node 1 never answers server-side events
    cluster.servers[1]?.on("question", () => undefined);
    const server = cluster.servers[0];
    if (server === undefined) throw new Error("no node 0");
    const adapters = [adapterOf(0), adapterOf(1)];
    const channelsBefore = adapters.map((adapter) => adapter.channels.length);
    const steady = activeTimers();
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 10 }, () => server.serverSideEmitWithAck("question")),
      ...Array.from({ length: 10 }, () => server.timeout(100).emitWithAck("never")),
      ...Array.from({ length: 10 }, () => server.to("room").timeout(100).emitWithAck("never")),
    ]);
    expect(outcomes.every((outcome) => outcome.status === "rejected")).toBe(true);
    expect(outcomes.slice(0, 10).map((outcome) => (outcome as PromiseRejectedResult).reason)).toEqual(
      Array.from({ length: 10 }, () => expect.any(NodesTimeoutError)),
    );
    // once timed out, the requests, the ack handlers of both nodes and their timers are gone
    expect(await timersSettleTo(steady)).toBeLessThanOrEqual(steady);
    for (const client of [client0, client1]) client.disconnect();
    clients.length = 0;
    await cluster.close();
    cluster = undefined;
    // the heartbeat and liveness timers, the request timers and the ack timers are all gone,
    // and every channel (rooms' included) was unsubscribed
    expect(activeTimers()).toBeLessThanOrEqual(baseline);
    expect(channelsBefore.every((count) => count >= 2)).toBe(true);
    expect(adapters.map((adapter) => adapter.channels)).toEqual([[], []]);
  });
});
