// Connection state recovery across nodes, in both flavours: a socket.io-client connected
// to node A loses its connection, node B broadcasts meanwhile, the client comes back on
// node C and gets every missed packet, in order, once, with `recovered` true. When the
// packets it missed are gone (more than maxBufferedPackets since, or the node that kept its
// session died), it is told so: `recovered` false, a new session, no replay — never a gap.
import { describe, expect, it } from "@jest/globals";
import type { Socket as ServerSocket } from "@volley/server";
import { io as ioc, type Socket as ClientSocket } from "socket.io-client";
import { createAdapter, createShardedAdapter, RedisAdapterBase } from "../../src/index";
import { nodesKnown, startRedisCluster, type NodeAdapterFactory, type RedisCluster } from "../helpers/cluster";
import { redisServerForFile, resourcesOfEachTest } from "../helpers/hooks";
import { forkNode, killNode } from "../helpers/node-process";
import { once, until } from "../helpers/wait";

const MAX_BUFFERED_PACKETS = 12;
const OPTIONS = { requestsTimeout: 1000, heartbeatInterval: 300, heartbeatTimeout: 3000, maxBufferedPackets: MAX_BUFFERED_PACKETS };
const RECOVERY = { connectionStateRecovery: { maxDisconnectionDuration: 10_000 } };

const servers = redisServerForFile();
const run = resourcesOfEachTest();

type Flavour = "classic" | "sharded";
const FLAVOURS: readonly [Flavour, NodeAdapterFactory][] = [
  ["classic", (pub, sub, key) => createAdapter(pub, sub, { key, ...OPTIONS })],
  ["sharded", (pub, sub, key) => createShardedAdapter(pub, sub, { channelPrefix: key, ...OPTIONS })],
];

/** A socket.io-client socket that never reconnects by itself (the test moves it between nodes). */
function connect(url: string): ClientSocket {
  const client = ioc(url, { forceNew: true, reconnection: false, transports: ["websocket"] });
  run.clients.push(client);
  return client;
}

/** Records the "news" events of `client` (the recovery offset, last argument, left out). */
function record(client: ClientSocket): unknown[] {
  const items: unknown[] = [];
  client.on("news", (item: unknown) => void items.push(item));
  return items;
}

/** Drops the client's connection as a network cut would; resolves once both sides saw it. */
async function cut(client: ClientSocket, serverSocket: { once(event: "disconnect", listener: () => void): unknown }): Promise<void> {
  const serverSaw = new Promise<void>((resolve) => serverSocket.once("disconnect", () => resolve()));
  const clientSaw = once(client, "disconnect");
  (client.io.engine as unknown as { close(): void }).close();
  await Promise.all([serverSaw, clientSaw]);
}

/** Points the client at `url` for its next connect(), keeping its session id and offset. */
function moveTo(client: ClientSocket, url: string): void {
  (client.io as unknown as { uri: string }).uri = url;
}

/** The next connection on `server` (server side), and the client's connect, once it connects again. */
async function reconnect(client: ClientSocket, server: { once(event: "connection", listener: (socket: ServerSocket) => void): unknown }): Promise<ServerSocket> {
  const back = new Promise<ServerSocket>((resolve) => server.once("connection", resolve));
  const connected = once(client, "connect");
  client.connect();
  const [socket] = await Promise.all([back, connected]);
  return socket;
}

async function threeNodes(factory: NodeAdapterFactory): Promise<RedisCluster> {
  return startRedisCluster(3, "redis@5", servers.redis.port, factory, { connectionStateRecovery: true }, true, () => RECOVERY);
}

/**
 * Node A (0) gets a client in "room" with one event received, then its connection cut;
 * node B (1) broadcasts `missed` events to the room (and one to another room, which the
 * client must not get); resolves with what the client recorded and its old socket id.
 */
async function clientCutFromA(c: RedisCluster, missed: number): Promise<{ client: ClientSocket; news: unknown[]; id: string; expected: string[] }> {
  const [nodeA, nodeB] = c.servers;
  if (nodeA === undefined || nodeB === undefined) throw new Error("nodes expected");
  const connected = new Promise<ServerSocket>((resolve) => nodeA.once("connection", resolve));
  const client = connect(c.urls[0] ?? "");
  const news = record(client);
  const socketA = await connected;
  socketA.join("room");
  socketA.data = { user: "alice" };
  nodeA.to("room").emit("news", "before");
  await until(client, "news", () => news.length === 1);
  const id = socketA.id;
  await cut(client, socketA);

  const expected: string[] = [];
  const elsewhere = c.servers[2];
  // a witness in the room on node C: once it has every event, node C's adapter has too
  const witness = connect(c.urls[2] ?? "");
  const witnessNews = record(witness);
  const witnessSocket = await new Promise<ServerSocket>((resolve) => elsewhere?.once("connection", resolve));
  witnessSocket.join("room");
  await until(witness, "connect", () => witness.connected);
  for (let i = 0; i < missed; i++) {
    if (i === 1) nodeB.to("other room").emit("news", "not for the client");
    nodeB.to("room").emit("news", `missed ${i}`);
    expected.push(`missed ${i}`);
  }
  await until(witness, "news", () => witnessNews.length === missed, 5000);
  return { client, news, id, expected };
}

describe.each(FLAVOURS)("%s adapter", (_flavour, factory) => {
  it("a client cut from node A comes back on node C with every packet node B sent meanwhile, in order, once", async () => {
    const cluster = (run.cluster = await threeNodes(factory));
    const { client, news, id, expected } = await clientCutFromA(cluster, 5);
    const nodeC = cluster.servers[2];
    if (nodeC === undefined) throw new Error("node C expected");
    moveTo(client, cluster.urls[2] ?? "");
    const socketC = await reconnect(client, nodeC);
    expect(client.recovered).toBe(true);
    expect(socketC.recovered).toBe(true);
    expect(socketC.id).toBe(id);
    expect(socketC.rooms.has("room")).toBe(true);
    expect(socketC.data).toEqual({ user: "alice" });
    nodeC.to("room").emit("news", "after");
    await until(client, "news", () => news.at(-1) === "after");
    expect(news).toEqual(["before", ...expected, "after"]);
  });

  it(`recovers a client that missed maxBufferedPackets - 1 packets (${MAX_BUFFERED_PACKETS - 1}): the last one it got is still kept`, async () => {
    const cluster = (run.cluster = await threeNodes(factory));
    // the broadcast to another room counts too: every broadcast is kept
    const { client, news, expected } = await clientCutFromA(cluster, MAX_BUFFERED_PACKETS - 2);
    moveTo(client, cluster.urls[2] ?? "");
    await reconnect(client, cluster.servers[2] as NonNullable<RedisCluster["servers"][number]>);
    expect(client.recovered).toBe(true);
    await until(client, "news", () => news.length === 1 + expected.length);
    expect(news).toEqual(["before", ...expected]);
  });

  it(`tells a client that missed maxBufferedPackets packets (${MAX_BUFFERED_PACKETS}) it was not recovered, and replays nothing`, async () => {
    const cluster = (run.cluster = await threeNodes(factory));
    const { client, news, id } = await clientCutFromA(cluster, MAX_BUFFERED_PACKETS - 1);
    const nodeC = cluster.servers[2];
    if (nodeC === undefined) throw new Error("node C expected");
    moveTo(client, cluster.urls[2] ?? "");
    const socketC = await reconnect(client, nodeC);
    expect(client.recovered).toBe(false);
    expect(socketC.recovered).toBe(false);
    expect(socketC.id).not.toBe(id);
    expect(socketC.rooms.has("room")).toBe(false);
    // a new session: it gets what is sent to it from now on, and nothing of the past
    nodeC.emit("news", "after");
    await until(client, "news", () => news.at(-1) === "after");
    expect(news).toEqual(["before", "after"]);
  });
});

describe.each(FLAVOURS)("%s adapter, the node that kept the session lost messages", (flavour, factory) => {
  it("tells the client it was not recovered when that node missed a broadcast meanwhile (its subscription was lost for a while)", async () => {
    const cluster = (run.cluster = await threeNodes(factory));
    const [nodeA, nodeB, nodeC] = cluster.servers;
    if (nodeA === undefined || nodeB === undefined || nodeC === undefined) throw new Error("three nodes expected");
    const adapterA = nodeA.of("/").adapter as RedisAdapterBase;
    const { client, news, id } = await clientCutFromA(cluster, 1);
    // witnesses in the room on node A and node C
    const [onA, onC] = await Promise.all(
      [0, 2].map(async (index) => {
        const server = cluster.servers[index];
        const connected = new Promise<ServerSocket>((resolve) => server?.once("connection", resolve));
        const witness = connect(cluster.urls[index] ?? "");
        const items = record(witness);
        (await connected).join("room");
        await until(witness, "connect", () => witness.connected);
        return { witness, items };
      }),
    );
    if (onA === undefined || onC === undefined) throw new Error("two witnesses expected");
    const channel = (adapterA as unknown as { channel: string }).channel;
    const resubscribed = new Promise<string[]>((resolve) =>
      adapterA.on("subscriptions-checked", (check) => {
        if (check.resubscribed.includes(channel)) resolve(check.resubscribed);
      }),
    );
    // node A's subscription to the main channel is lost behind its back...
    const sub = cluster.pairs[0]?.sub as unknown as { unsubscribe(channel: string): Promise<unknown>; sUnsubscribe(channel: string): Promise<unknown> };
    await (flavour === "classic" ? sub.unsubscribe(channel) : sub.sUnsubscribe(channel));
    // ...while node B broadcasts to the room: node C gets it, node A does not
    nodeB.to("room").emit("news", "lost on node A");
    await until(onC.witness, "news", () => onC.items.includes("lost on node A"));
    // node A notices (its own heartbeat does not come back) and subscribes again
    expect(await resubscribed).toContain(channel);
    nodeB.to("room").emit("news", "after the loss");
    await until(onA.witness, "news", () => onA.items.includes("after the loss"));
    expect(onA.items).not.toContain("lost on node A");

    // the session kept by node A would miss "lost on node A": the client is told it was not recovered
    moveTo(client, cluster.urls[2] ?? "");
    const socketC = await reconnect(client, nodeC);
    expect(client.recovered).toBe(false);
    expect(socketC.id).not.toBe(id);
    nodeC.emit("news", "fresh");
    await until(client, "news", () => news.at(-1) === "fresh");
    expect(news).toEqual(["before", "fresh"]);
  });
});

describe.each(FLAVOURS)("%s adapter, the node that kept the session killed", (flavour, factory) => {
  it("tells the client it was not recovered when the node it left died (SIGKILL) before it came back", async () => {
    let key = "";
    const cluster = (run.cluster = await startRedisCluster(2, "redis@5", servers.redis.port, (pub, sub, clusterKey) => {
      key = clusterKey;
      return factory(pub, sub, clusterKey);
    }, { connectionStateRecovery: true }, true, () => RECOVERY));
    const [nodeB, nodeC] = cluster.servers;
    if (nodeB === undefined || nodeC === undefined) throw new Error("two nodes expected");
    // node A is a process of its own
    run.childNode = await forkNode(servers.redis.port, key, flavour, OPTIONS, RECOVERY);
    const nodeA = run.childNode;
    await nodesKnown(nodeC.of("/").adapter, 2);
    const client = connect(nodeA.url);
    const news = record(client);
    await once(client, "connect");
    nodeB.emit("news", "before");
    await until(client, "news", () => news.length === 1);
    const id = client.id;

    // its connection cut (node A keeps the session), then node A killed
    const clientSaw = once(client, "disconnect");
    (client.io.engine as unknown as { close(): void }).close();
    await clientSaw;
    await killNode(nodeA.process);
    nodeB.emit("news", "missed");

    moveTo(client, cluster.urls[1] ?? "");
    const started = Date.now();
    const socketC = await reconnect(client, nodeC);
    // the restore request waited at most requestsTimeout for the dead node
    expect(Date.now() - started).toBeLessThan(OPTIONS.requestsTimeout + 2000);
    expect(client.recovered).toBe(false);
    expect(socketC.recovered).toBe(false);
    expect(socketC.id).not.toBe(id);
    nodeB.emit("news", "after");
    await until(client, "news", () => news.at(-1) === "after");
    expect(news).toEqual(["before", "after"]);
  });
});
