// @socket.io/admin-ui 0.5 instrumenting two nodes over Redis: socket.io 4.8 with the
// published @socket.io/redis-adapter 8.3, and @volley/server with @volley/redis-adapter, each
// pair on its own keys of a redis-server started here. The admin client connects to the
// first node only and must see both nodes' stats, sockets and events, and act on a socket of
// the other node; the two stacks must be observed alike.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createAdapter as createPublishedAdapter } from "@socket.io/redis-adapter";
import type { Adapter } from "@volley/adapter";
import { createAdapter as createVolleyAdapter, RedisAdapterBase } from "@volley/redis-adapter";
import { createClient } from "redis";
import { startRedisServer, type RedisServer } from "../../../packages/redis-adapter/test/helpers/redis-server";
import {
  AdminClient,
  chatApp,
  Labels,
  STACKS,
  connect,
  connected,
  nextEvent,
  startInstrumented,
  statsShape,
  type InstrumentedServer,
  type Stack,
} from "./helpers/admin-ui";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

/** Resolves once the Volley adapter of `nsp` knows the other node (its heartbeats arrived). */
function otherNodeKnown(adapter: Adapter, timeoutMs = 10_000): Promise<void> {
  if (!(adapter instanceof RedisAdapterBase)) return Promise.reject(new Error("not a @volley/redis-adapter adapter"));
  if (adapter.liveNodes().length >= 1) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onUp = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      adapter.off("node-up", onUp);
      reject(new Error("the nodes did not see each other"));
    }, timeoutMs);
    adapter.once("node-up", onUp);
  });
}

interface Cluster {
  readonly nodes: InstrumentedServer[];
  close(): Promise<void>;
}

async function startCluster(stack: Stack): Promise<Cluster> {
  const key = `admin-ui-${randomUUID()}`;
  const nodes: InstrumentedServer[] = [];
  const redisClients: Array<{ close(): Promise<void> }> = [];
  const close = async (): Promise<void> => {
    for (const node of nodes) await node.close();
    await Promise.all(redisClients.map((client) => client.close()));
  };
  try {
    for (const serverId of ["node-a", "node-b"]) {
      const pub = createClient({ url: redis.url });
      const sub = pub.duplicate();
      await Promise.all([pub.connect(), sub.connect()]);
      redisClients.push(pub, sub);
      const adapter = {
        volley: createVolleyAdapter(pub, sub, { key, requestsTimeout: 5000 }),
        socketIo: createPublishedAdapter(pub, sub, { key, requestsTimeout: 5000 }),
      };
      nodes.push(await startInstrumented(stack, { auth: false, mode: "development", serverId }, chatApp, adapter));
    }
    if (stack === "@volley/server") {
      const adapters = nodes.flatMap((node) => ["/", "/admin"].map((name) => (node.io.of(name) as unknown as { adapter: Adapter }).adapter));
      await Promise.all(adapters.map((adapter) => otherNodeKnown(adapter)));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { nodes, close };
}

async function twoNodes(stack: Stack): Promise<Record<string, unknown>> {
  const cluster = await startCluster(stack);
  const clients: Array<{ close(): unknown }> = [];
  const labels = new Labels();
  try {
    const [nodeA, nodeB] = cluster.nodes as [InstrumentedServer, InstrumentedServer];
    const alice = connect(nodeA.url, { transports: ["websocket"], auth: { user: "alice" } });
    const bob = connect(nodeB.url, { transports: ["websocket"], auth: { user: "bob" } });
    clients.push(alice, bob);
    await Promise.all([connected(alice), connected(bob)]);
    labels.set(alice.id, "alice");
    labels.set(bob.id, "bob");

    const admin = new AdminClient(nodeA.url, "/admin", {}, { transports: ["websocket"] });
    clients.push(admin);
    await connected(admin.socket);
    labels.set(admin.socket.id, "admin");
    const [allSockets] = await admin.waitFor("all_sockets");
    const statsA = await admin.waitFor("server_stats", (args) => (args[0] as { serverId: string }).serverId === "node-a");
    const statsB = await admin.waitFor("server_stats", (args) => (args[0] as { serverId: string }).serverId === "node-b");

    // carol joins the other node: the dashboard hears of her through the adapter
    const carol = connect(nodeB.url, { transports: ["websocket"], auth: { user: "carol" } });
    clients.push(carol);
    await connected(carol);
    labels.set(carol.id, "carol");
    const [carolConnected] = await admin.waitFor("socket_connected", (args) => labels.of((args[0] as { id: string }).id) === "carol");
    await carol.timeout(10_000).emitWithAck("chat", "from node b");
    const eventReceived = await admin.waitFor("event_received", (args) => labels.of(args[1]) === "carol");
    const eventSent = await admin.waitFor("event_sent", (args) => labels.of(args[1]) === "carol");

    // the actions, sent to node a, on carol of node b
    admin.socket.emit("join", "/", "vip", carol.id);
    const vipJoined = await admin.waitFor("room_joined", (args) => args[1] === "vip");
    const vipAfterJoin = (await nodeA.io.of("/").in("vip").fetchSockets()).map((socket) => labels.of(socket.id));
    const notice = nextEvent(carol, "notice");
    admin.socket.emit("emit", "/", "vip", "notice", "for the vip room");
    const [noticeText] = await notice;
    admin.socket.emit("leave", "/", "vip", carol.id);
    const vipLeft = await admin.waitFor("room_left", (args) => args[1] === "vip");
    const vipAfterLeave = (await nodeA.io.of("/").in("vip").fetchSockets()).map((socket) => labels.of(socket.id));
    const carolDisconnect = nextEvent(carol, "disconnect");
    admin.socket.emit("_disconnect", "/", false, carol.id);
    const [carolReason] = await carolDisconnect;
    const carolDisconnected = await admin.waitFor("socket_disconnected", (args) => labels.of(args[1]) === "carol");
    const laterStatsB = await admin.nextStats(
      (stats) => stats.serverId === "node-b" && stats.clientsCount === 1 && stats.namespaces.some((nsp) => nsp.name === "/" && nsp.socketsCount === 1),
      15_000,
    );

    const observed = {
      allSockets: (allSockets as unknown[]).map((socket) => labels.socket(socket)).sort((a, b) => String(a["id"]).localeCompare(String(b["id"]))),
      statsA: statsShape(statsA[0] as never),
      statsB: statsShape(statsB[0] as never),
      carolConnected: labels.socket(carolConnected),
      eventReceived: labels.event(eventReceived),
      eventSent: labels.event(eventSent),
      vipJoined: labels.event(vipJoined),
      vipAfterJoin,
      noticeText,
      vipLeft: labels.event(vipLeft),
      vipAfterLeave,
      carolReason,
      carolDisconnected: labels.event(carolDisconnected),
      laterStatsB: statsShape(laterStatsB),
    };

    // fetchSockets across the nodes: alice (here), bob (there), the admin itself
    expect(observed.allSockets).toMatchObject([
      { id: "admin", nsp: "/admin", transport: "websocket", rooms: ["admin"] },
      { id: "alice", nsp: "/", transport: "websocket", data: { user: "alice" }, rooms: ["alice", "lobby"], clientId: "<12 chars>" },
      { id: "bob", nsp: "/", transport: "websocket", data: { user: "bob" }, rooms: ["bob", "lobby"], clientId: "<12 chars>", handshake: { address: "127.0.0.1" } },
    ]);
    expect(observed.statsA).toMatchObject({ serverId: "node-a", clientsCount: 2 });
    expect(observed.statsB).toMatchObject({ serverId: "node-b", clientsCount: 1 });
    expect(observed.carolConnected).toMatchObject({ id: "carol", nsp: "/", transport: "websocket", data: { user: "carol" } });
    expect(observed.eventReceived).toEqual(["/", "carol", ["chat", "from node b"]]);
    expect(observed.eventSent).toEqual(["/", "carol", ["chat", "echo from node b"]]);
    expect(observed.vipJoined).toEqual(["/", "vip", "carol"]);
    expect(observed.vipAfterJoin).toEqual(["carol"]);
    expect(observed.noticeText).toBe("for the vip room");
    expect(observed.vipLeft).toEqual(["/", "vip", "carol"]);
    expect(observed.vipAfterLeave).toEqual([]);
    expect(observed.carolReason).toBe("io server disconnect");
    expect(observed.carolDisconnected).toEqual(["/", "carol", "server namespace disconnect"]);
    expect(observed.laterStatsB).toMatchObject({ namespaces: [{ name: "/", socketsCount: 1 }, { name: "/admin", socketsCount: 0 }, { name: "/chat", socketsCount: 0 }] });
    return observed;
  } finally {
    for (const client of clients) client.close();
    await cluster.close();
  }
}

describe("@socket.io/admin-ui 0.5 on two nodes over Redis", () => {
  const observations = new Map<Stack, Record<string, unknown>>();

  it.each(STACKS)("%s: the admin client of one node sees and acts on both", async (stack) => {
    observations.set(stack, await twoNodes(stack));
  }, 90_000);

  it("@volley/server with @volley/redis-adapter is observed as socket.io 4.8 with @socket.io/redis-adapter is", () => {
    const reference = observations.get("socket.io 4.8");
    expect(reference).toBeDefined();
    expect(observations.get("@volley/server")).toEqual(reference);
  });
});
