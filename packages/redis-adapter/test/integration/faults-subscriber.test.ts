// A subscriber connection dropped under running nodes (CLIENT KILL TYPE pubsub from an
// admin connection): the nodes check that they are subscribed again to every channel (a
// probe of their own comes back on each), subscribe again themselves when the client
// library did not, Redis counts every subscription again, and broadcasts flow between the
// nodes again.
import { afterEach, describe, expect, it } from "@jest/globals";
import { createAdapter, createShardedAdapter, RedisAdapterBase, type SubscriptionCheck } from "../../src/index";
import { CLUSTER_LIBRARIES, type ClientLibrary } from "../helpers/clients";
import { connectClient, startRedisCluster, type NodeAdapterFactory, type RedisCluster } from "../helpers/cluster";
import { redisServersForFile, unhandledRejectionsOfFile } from "../helpers/hooks";
import { redisCli } from "../helpers/redis-cluster-server";
import { once, until } from "../helpers/wait";

const OPTIONS = { requestsTimeout: 500, heartbeatInterval: 300, heartbeatTimeout: 3000 };

const servers = redisServersForFile();

let cluster: RedisCluster | undefined;
const clients: ReturnType<typeof connectClient>[] = [];
const rejections = unhandledRejectionsOfFile();
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await cluster?.close();
  cluster = undefined;
});

type Flavour = "classic" | "sharded";
/**
 * How the adapter learns that its subscriber connection was replaced: the client says so
 * (an error, `ready`, a cluster's `node-error` or `+subscriber`), or says nothing (ioredis'
 * Cluster with its one classic subscriber connection, which it replaces and resubscribes
 * silently: the adapter checks only if a message of its own then fails to come back, so
 * the test runs the check itself).
 */
type Signal = "reported" | "silent";
// ioredis' Cluster first: after a subscriber connection was killed, it keeps a 2 s timer
// for the dead connection (AbstractConnector.disconnect), which expires meanwhile.
const RUNS: readonly [Flavour, ClientLibrary, Signal][] = [
  ["classic", "ioredis Cluster", "silent"],
  ["sharded", "ioredis Cluster", "reported"],
  ["classic", "redis@5", "reported"],
  ["classic", "ioredis", "reported"],
  // the library does not subscribe again: the adapter's check must
  ["classic", "ioredis without autoResubscribe", "reported"],
  ["sharded", "redis@4", "reported"],
  ["sharded", "ioredis without autoResubscribe", "reported"],
  ["sharded", "redis@5 cluster", "reported"],
];

function factory(flavour: Flavour): NodeAdapterFactory {
  return flavour === "classic"
    ? (pub, sub, key) => createAdapter(pub, sub, { key, ...OPTIONS })
    : (pub, sub, key) => createShardedAdapter(pub, sub, { channelPrefix: key, subscriptionMode: "dynamic", ...OPTIONS });
}

/** Subscribers of `channel` over every Redis node (PUBSUB NUMSUB or SHARDNUMSUB). */
async function subscribers(ports: readonly number[], flavour: Flavour, channel: string): Promise<number> {
  const counts = await Promise.all(
    ports.map(async (port) => {
      const reply = await redisCli(port, "pubsub", flavour === "classic" ? "numsub" : "shardnumsub", channel);
      return Number(reply.trim().split("\n")[1]);
    }),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

describe.each(RUNS)("%s adapter with %s (reconnection %s)", (flavour, library, signal) => {
  it("checks that it is subscribed again after its subscriber connection was killed, and broadcasts flow again", async () => {
    const onCluster = (CLUSTER_LIBRARIES as readonly ClientLibrary[]).includes(library);
    const ports = onCluster ? servers.redisCluster.ports : [servers.redis.port];
    cluster = await startRedisCluster(2, library, ports[0] ?? 0, factory(flavour));
    const adapters = cluster.servers.map((server) => server.of("/").adapter as RedisAdapterBase);
    const [client0, client1] = await Promise.all(
      (cluster.urls.slice(0, 2) as string[]).map(async (url) => {
        const client = connectClient(url);
        clients.push(client);
        await once(client, "connect");
        return client;
      }),
    );
    if (client0 === undefined || client1 === undefined) throw new Error("two clients expected");
    // a room of its own on each node (in the sharded dynamic mode, a channel each)
    cluster.servers[0]?.in(client0.id ?? "").socketsJoin("room-0");
    cluster.servers[1]?.in(client1.id ?? "").socketsJoin("room-1");
    await until(adapters[1] as RedisAdapterBase, "join-room", () => adapters[1]?.rooms.has("room-1") === true);
    await until(adapters[0] as RedisAdapterBase, "join-room", () => adapters[0]?.rooms.has("room-0") === true);

    const channels = adapters.map((adapter) => [...adapter.channels].sort());
    const expected = new Map<string, number>();
    for (const channel of channels.flat()) expected.set(channel, (expected.get(channel) ?? 0) + 1);
    // every channel answers a probe before the fault
    for (const [index, adapter] of adapters.entries()) {
      const before = await adapter.checkSubscriptions();
      expect({ ...before, verified: [...before.verified].sort() }).toEqual({ verified: channels[index], resubscribed: [], failed: [] });
    }
    const checks: SubscriptionCheck[][] = adapters.map(() => []);
    for (const [index, adapter] of adapters.entries()) adapter.on("subscriptions-checked", (check) => checks[index]?.push(check));
    const answered = (index: number): Set<string> =>
      new Set(checks[index]?.flatMap((check) => (check.failed.length === 0 ? [...check.verified, ...check.resubscribed] : [])));

    // an admin connection kills every subscriber connection of every Redis node
    await Promise.all(ports.map((port) => redisCli(port, "client", "kill", "type", "pubsub")));

    // each adapter checks its channels by itself until every one answers again
    for (const [index, adapter] of adapters.entries()) {
      // the subscriber connection was replaced with no word: the test runs the check (it
      // subscribes again to what the library has not yet)
      if (signal === "silent") checks[index]?.push(await adapter.checkSubscriptions());
      await until(adapter, "subscriptions-checked", () => channels[index]?.every((channel) => answered(index).has(channel)) === true, 15_000);
    }
    if (library === "ioredis without autoResubscribe") {
      // nobody else did: the adapters subscribed again themselves
      for (const index of [0, 1]) {
        expect(checks[index]?.flatMap((check) => check.resubscribed).sort()).toEqual(channels[index]);
      }
    }
    // Redis counts each subscription again
    for (const [channel, count] of expected) expect([channel, await subscribers(ports, flavour, channel)]).toEqual([channel, count]);
    // broadcasts cross the nodes again, both ways
    const to1 = once<[string]>(client1, "news");
    cluster.servers[0]?.to("room-1").emit("news", "from node 0");
    expect(await to1).toEqual(["from node 0"]);
    const to0 = once<[string]>(client0, "news");
    cluster.servers[1]?.to("room-0").emit("news", "from node 1");
    expect(await to0).toEqual(["from node 1"]);
    expect(rejections).toEqual([]);
  }, 40_000);
});

describe.each([
  ["classic", "ioredis"],
  ["sharded", "redis@5"],
] as const)("%s adapter with %s", (flavour, library) => {
  it("notices a subscription lost without a word (its own heartbeat does not come back) and subscribes again", async () => {
    cluster = await startRedisCluster(2, library, servers.redis.port, factory(flavour));
    const adapter = cluster.servers[0]?.of("/").adapter as RedisAdapterBase;
    const channel = (adapter as unknown as { channel: string }).channel;
    const checked = new Promise<SubscriptionCheck>((resolve) => adapter.once("subscriptions-checked", resolve));
    // the library's own client leaves the main channel behind the adapter's back: no
    // error, no reconnection
    const sub = cluster.pairs[0]?.sub as unknown as { unsubscribe(channel: string): Promise<unknown>; sUnsubscribe(channel: string): Promise<unknown> };
    await (flavour === "classic" ? sub.unsubscribe(channel) : sub.sUnsubscribe(channel));
    expect(await subscribers([servers.redis.port], flavour, channel)).toBe(1);
    // within about two requestsTimeout, the node's next heartbeat is missed and the check runs
    const check = await checked;
    expect(check.resubscribed).toEqual([channel]);
    expect(check.failed).toEqual([]);
    expect(await subscribers([servers.redis.port], flavour, channel)).toBe(2);
    // node 1's broadcasts reach node 0's clients again
    const client = connectClient(cluster.urls[0] ?? "");
    clients.push(client);
    await once(client, "connect");
    const news = once<[string]>(client, "news");
    cluster.servers[1]?.emit("news", "hello");
    expect(await news).toEqual(["hello"]);
  });
});
