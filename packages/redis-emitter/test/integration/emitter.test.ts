// Every method of the emitter against 2 real Volley nodes with @volley/redis-adapter over a
// real redis-server, with real @volley/client clients: classic and sharded pub/sub, each
// client library. Negative checks use a fence: the emitter publishes on one connection and
// the nodes deliver in order, so a client that got the fence would have got anything sent
// before it.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Manager, type Socket as ClientSocket } from "@volley/client";
import { shardedChannels } from "@volley/redis-adapter";
import type { Emitter } from "../../src/index";
import {
  once,
  startCluster,
  startRedisServer,
  until,
  type ClientLibrary,
  type Flavour,
  type RedisServer,
  type TestCluster,
} from "../helpers/cluster";
import { allGot, Inbox } from "../helpers/inbox";
import { shardSubscribed } from "../helpers/redis-commands";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});

const COMBINATIONS: readonly [Flavour, ClientLibrary][] = [
  ["classic", "redis@5"],
  ["classic", "redis@4"],
  ["classic", "ioredis"],
  ["sharded dynamic", "redis@5"],
  ["sharded dynamic", "redis@4"],
  ["sharded dynamic", "ioredis"],
  ["sharded static", "redis@5"],
  ["sharded dynamic-private", "ioredis"],
];

describe.each(COMBINATIONS)("%s nodes, %s clients", (flavour, library) => {
  let cluster: TestCluster;
  let emitter: Emitter;
  /** a0, b0 on node 0; a1, b1 on node 1. */
  let clients: Record<"a0" | "b0" | "a1" | "b1", ClientSocket>;
  let inboxes: Record<keyof typeof clients, Inbox>;
  let everyone: Inbox[];
  const nodeUps: string[] = [];
  let fences = 0;

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 2, library, port: redis.port, flavour, namespaces: ["/admin"] });
    for (const index of [0, 1]) {
      for (const nsp of ["/", "/admin"]) cluster.adapter(index, nsp).on("node-up", (uid) => nodeUps.push(uid));
    }
    emitter = cluster.emitter();
    clients = {
      a0: await cluster.connect(0),
      b0: await cluster.connect(0),
      a1: await cluster.connect(1),
      b1: await cluster.connect(1),
    };
    inboxes = { a0: new Inbox(clients.a0), b0: new Inbox(clients.b0), a1: new Inbox(clients.a1), b1: new Inbox(clients.b1) };
    everyone = Object.values(inboxes);
  });

  afterAll(async () => {
    await cluster.close();
  });

  /** Makes a client's server-side socket join `room` on its own node, and waits until the node listens for it. */
  async function join(name: keyof typeof clients, room: string): Promise<void> {
    const node = name.endsWith("0") ? 0 : 1;
    const socket = cluster.servers[node]?.of("/").sockets.get(clients[name].id ?? "");
    if (socket === undefined) throw new Error(`no socket for ${name}`);
    await socket.join(room);
    await roomListened(room);
  }

  /** In the dynamic sharded modes, waits until every node with members in `room` subscribed to its channel. */
  async function roomListened(room: string): Promise<void> {
    if (!flavour.startsWith("sharded dynamic")) return;
    const members = [0, 1].filter((node) => cluster.adapter(node).rooms.has(room)).length;
    await shardSubscribed(redis.port, shardedChannels(cluster.prefix, "/").room(room), members);
  }

  /** Emits a fence to every client and waits until each got it. */
  async function fence(inboxList: readonly Inbox[] = everyone, target: Emitter = emitter): Promise<void> {
    const tag = `fence-${++fences}`;
    target.emit("fence", tag);
    await allGot(inboxList, "fence", tag);
  }

  it("emit reaches every socket of both nodes", async () => {
    expect(emitter.emit("news", "hello", { n: 1 })).toBe(true);
    for (const inbox of everyone) expect(await inbox.next("news")).toEqual(["hello", { n: 1 }]);
  });

  it("to / in / except target rooms and sockets on both nodes", async () => {
    await join("a0", "r");
    await join("a1", "r");
    await join("b1", "r");
    await join("b1", "muted");
    emitter.to("r").except("muted").emit("x", "room but muted");
    emitter.in(["r", "muted"]).emit("x", "either room");
    emitter.except(clients.a0.id ?? "").emit("x", "all but a0");
    await fence();
    expect(inboxes.a0.all("x")).toEqual([["room but muted"], ["either room"]]);
    expect(inboxes.a1.all("x")).toEqual([["room but muted"], ["either room"], ["all but a0"]]);
    expect(inboxes.b1.all("x")).toEqual([["either room"], ["all but a0"]]);
    expect(inboxes.b0.all("x")).toEqual([["all but a0"]]);
  });

  it("operators are immutable: a modifier never changes the operator it was called on", async () => {
    await join("b0", "imm");
    const toImm = emitter.to("imm");
    const narrowed = toImm.except(clients.b0.id ?? "");
    expect([...toImm.exceptRooms]).toEqual([]);
    expect([...narrowed.rooms]).toEqual(["imm"]);
    toImm.emit("imm", "to the room");
    narrowed.emit("imm", "nobody");
    await fence();
    expect(inboxes.b0.all("imm")).toEqual([["to the room"]]);
  });

  it("carries binary arguments as they are", async () => {
    await join("a1", "bin");
    emitter.emit("file", Buffer.from([0, 1, 2, 255]), { nested: new Uint8Array([7, 8]) });
    emitter.to("bin").emit("file", Buffer.alloc(3, 9), { nested: new Uint8Array([]) });
    for (const inbox of everyone) {
      const [bytes, { nested }] = (await inbox.next("file")) as [Buffer, { nested: Buffer }];
      expect(Buffer.isBuffer(bytes)).toBe(true);
      expect([...bytes]).toEqual([0, 1, 2, 255]);
      expect([...nested]).toEqual([7, 8]);
    }
    const [roomOnly] = (await inboxes.a1.next("file", (args) => (args[0] as Buffer).length === 3)) as [Buffer];
    expect([...roomOnly]).toEqual([9, 9, 9]);
  });

  it("volatile and compress(false) broadcasts reach connected clients", async () => {
    emitter.volatile.emit("flags", "volatile");
    emitter.compress(false).emit("flags", "uncompressed");
    emitter.volatile.compress(true).to("nobody-here").emit("flags", "to an empty room");
    await fence();
    for (const inbox of everyone) expect(inbox.all("flags")).toEqual([["volatile"], ["uncompressed"]]);
  });

  it("socketsJoin puts sockets of both nodes in rooms, and a broadcast right after reaches them", async () => {
    const a1 = clients.a1.id ?? "";
    emitter.in(a1).socketsJoin("joined");
    // Published at once: in the dynamic modes the emitter keeps it on the main channel
    // until the node had time to subscribe to the room's channel.
    emitter.to("joined").emit("j", "right after the join");
    await inboxes.a1.next("j");
    await until(cluster.adapter(1), "join-room", () => cluster.adapter(1).rooms.get("joined")?.has(a1) === true);
    emitter.socketsJoin(["all-of-us", "all-of-us-2"]);
    await Promise.all(
      [0, 1].map((node) => until(cluster.adapter(node), "join-room", () => cluster.adapter(node).rooms.get("all-of-us-2")?.size === 2)),
    );
    emitter.to("all-of-us").emit("j", "to all-of-us");
    await fence();
    expect(inboxes.a1.all("j")).toEqual([["right after the join"], ["to all-of-us"]]);
    for (const name of ["a0", "b0", "b1"] as const) expect(inboxes[name].all("j")).toEqual([["to all-of-us"]]);
  });

  it("socketsLeave takes sockets of both nodes out of rooms", async () => {
    await join("a0", "leave-1");
    await join("a1", "leave-1");
    await join("b1", "leave-1");
    await join("b1", "keep");
    emitter.in("keep").socketsLeave("leave-1");
    await until(cluster.adapter(1), "leave-room", () => cluster.adapter(1).rooms.get("leave-1")?.size === 1);
    emitter.to("leave-1").emit("l", "after b1 left");
    emitter.socketsLeave(["leave-1", "keep"]);
    await Promise.all([0, 1].map((node) => until(cluster.adapter(node), "delete-room", () => !cluster.adapter(node).rooms.has("leave-1"))));
    expect(cluster.adapter(1).rooms.has("keep")).toBe(false);
    emitter.to("leave-1").emit("l", "nobody left");
    await fence();
    expect(inboxes.a0.all("l")).toEqual([["after b1 left"]]);
    expect(inboxes.a1.all("l")).toEqual([["after b1 left"]]);
    expect(inboxes.b1.all("l")).toEqual([]);
  });

  it("of() reaches another namespace only", async () => {
    const admins = [new Inbox(await cluster.connect(0, "/admin")), new Inbox(await cluster.connect(1, "/admin"))];
    const admin = emitter.of("admin");
    expect(admin.nsp).toBe("/admin");
    expect(admin.uid).toBe(emitter.uid);
    admin.emit("alert", "disk full");
    await fence(admins, admin);
    await fence();
    for (const inbox of admins) expect(inbox.all("alert")).toEqual([["disk full"]]);
    for (const inbox of everyone) expect(inbox.all("alert")).toEqual([]);
  });

  it("serverSideEmit reaches the listeners of both nodes, in the namespace it targets", async () => {
    const got = [0, 1].map((node) => {
      const server = cluster.servers[node];
      if (server === undefined) throw new Error(`no node ${node}`);
      return Promise.all([once<unknown[]>(server, "tick"), once<unknown[]>(server.of("/admin"), "admin-tick")]);
    });
    emitter.serverSideEmit("tick", 1, { at: "now" }, Buffer.from([5, 6]));
    emitter.of("/admin").serverSideEmit("admin-tick");
    for (const [[one, details, bytes], admin] of await Promise.all(got)) {
      expect([one, details]).toEqual([1, { at: "now" }]);
      expect([...(bytes as Uint8Array)]).toEqual([5, 6]);
      expect(admin).toEqual([]);
    }
  });

  it("disconnectSockets(false) disconnects the matching sockets of their namespace only", async () => {
    const manager = new Manager(cluster.urls[1], { forceNew: true, reconnection: false, transports: ["websocket"] });
    const root = manager.socket("/");
    const admin = manager.socket("/admin");
    await Promise.all([once(root, "connect"), once(admin, "connect")]);
    const adminInbox = new Inbox(admin);
    const rootDown = once<[string]>(root, "disconnect");
    emitter.in(root.id ?? "").disconnectSockets();
    expect((await rootDown)[0]).toBe("io server disconnect");
    await fence([adminInbox], emitter.of("/admin"));
    expect(admin.connected).toBe(true);
    await fence();
    for (const client of Object.values(clients)) expect(client.connected).toBe(true);
    admin.disconnect();
  });

  it("disconnectSockets(true) also closes the connection, with every namespace on it", async () => {
    const manager = new Manager(cluster.urls[0], { forceNew: true, reconnection: false, transports: ["websocket"] });
    const root = manager.socket("/");
    const admin = manager.socket("/admin");
    await Promise.all([once(root, "connect"), once(admin, "connect")]);
    await cluster.servers[0]?.of("/").sockets.get(root.id ?? "")?.join("closing");
    await roomListened("closing");
    const downs = Promise.all([once<[string]>(root, "disconnect"), once<[string]>(admin, "disconnect")]);
    emitter.to("closing").disconnectSockets(true);
    const [[rootReason], [adminReason]] = await downs;
    expect(rootReason).toBe("io server disconnect");
    expect(adminReason).toBe("io server disconnect");
    await fence();
  });

  it("is never taken for a node: no node-up, serverCount 2, requests answered without waiting for it", async () => {
    emitter.emit("last", 1);
    await fence();
    expect(nodeUps).toEqual([]);
    for (const node of [0, 1]) {
      expect(cluster.adapter(node).liveNodes()).toEqual([cluster.adapter(1 - node).uid]);
      expect(await cluster.adapter(node).serverCount()).toBe(2);
    }
    const started = Date.now();
    const sockets = await cluster.servers[0]?.fetchSockets();
    // requestsTimeout is 2000 ms: an emitter taken for a node would make it time out
    expect(Date.now() - started).toBeLessThan(1500);
    expect(sockets?.map((socket) => socket.id).sort()).toEqual(Object.values(clients).map((client) => client.id).sort());
  });
});
