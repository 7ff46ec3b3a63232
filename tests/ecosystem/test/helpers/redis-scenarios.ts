// The scenarios every published Redis adapter is put through, registered by the test files
// of each: three nodes of socket.io 4.8 and of @volley/server, the same scenario on both
// servers, the same observable results.
import { describe, expect, it } from "@jest/globals";
import type { Server, Socket as ServerSocket } from "@volley/server";
import type { Socket as ClientSocket } from "socket.io-client";
import { collect, eventually, IMPLEMENTATIONS, waitFor, within, type Implementation } from "./nodes";
import type { RedisAdapterSetup, RedisCluster, RedisFixture } from "./redis";

/** Every server socket joins the rooms its client names in `auth.rooms`, and keeps `auth.user` as data. */
function joinFromAuth(io: Server): void {
  io.on("connection", (socket) => {
    socket.join(socket.handshake.auth["rooms"] as string[]);
    socket.data = { user: socket.handshake.auth["user"] };
  });
}

/** Resolves on the adapter's next `event` ("join-room", "leave-room") for `room`. */
function roomEvent(io: Server, event: string, room: string): Promise<void> {
  const adapter = io.of("/").adapter as unknown as { on(event: string, l: (room: string) => void): void; off(event: string, l: (room: string) => void): void };
  return within(
    new Promise<void>((resolve) => {
      const listener = (name: string): void => {
        if (name !== room) return;
        adapter.off(event, listener);
        resolve();
      };
      adapter.on(event, listener);
    }),
    10_000,
    `${event} ${room}`,
  );
}

/** Sends "end" to all from node `from`: once every client has it, what node `from` broadcast before has arrived. */
async function barrier(cluster: RedisCluster, from: number, clients: readonly ClientSocket[]): Promise<void> {
  const ends = clients.map((client) => waitFor(client, "end"));
  cluster.nodes[from]!.io.emit("end");
  await Promise.all(ends);
}

export interface ScenarioOptions {
  /**
   * Whether to wait out the adapter's requests timeout for a node that does not answer a
   * server-side event (a fixed 5 s in socket.io-adapter's ClusterAdapter): worth once per
   * adapter, not once per client library.
   * @default true
   */
  silentNode?: boolean;
}

/**
 * Registers the scenarios for `setup` on both implementations: node count, broadcasts with
 * rooms and except, acks across nodes, fetchSockets, socketsJoin/Leave, disconnectSockets,
 * server-side events with and without acks.
 */
export function registerRedisScenarios(fixture: RedisFixture, setup: RedisAdapterSetup, options: ScenarioOptions = {}): void {
  const start = (impl: Implementation): Promise<RedisCluster> => fixture.start(impl, setup);
  describe.each(IMPLEMENTATIONS)("on $name", (impl) => {
    it("counts its nodes, and one less once a node stopped", async () => {
      const cluster = await start(impl);
      for (const node of cluster.nodes) expect(await node.io.of("/").adapter.serverCount()).toBe(3);
      await cluster.stop(2);
      await eventually(async () => (await cluster.nodes[0]!.io.of("/").adapter.serverCount()) === 2, 10_000, "two nodes counted");
      expect(await cluster.nodes[1]!.io.of("/").adapter.serverCount()).toBe(2);
    });

    it("broadcasts from one node to rooms, except rooms and to all on every node", async () => {
      const cluster = await start(impl);
      const [n0, n1, n2] = cluster.nodes;
      for (const node of cluster.nodes) joinFromAuth(node.io);
      const a0 = await n0!.connected("/", { auth: { rooms: ["a"] } });
      const b1Socket = within(new Promise<ServerSocket>((resolve) => n1!.io.once("connection", resolve)));
      const b1 = await n1!.connected("/", { auth: { rooms: ["b"] } });
      const a2 = await n2!.connected("/", { auth: { rooms: ["a"] } });
      const c2 = await n2!.connected("/", { auth: { rooms: ["c"] } });
      const got = [a0, b1, a2, c2].map((client) => collect(client, "m"));
      n1!.io.to("a").emit("m", "to a");
      n1!.io.except("a").emit("m", "except a");
      n1!.io.emit("m", "all", { nested: [1, 2] });
      n1!.io.to("a").to("b").emit("m", "a and b", Buffer.from([1, 2, 3]));
      n1!.io.to("a").except(a2.id!).emit("m", "a but not a2");
      n1!.io.to(["b", "c"]).except("c").emit("m", "b not c");
      (await b1Socket).broadcast.except("c").emit("m", "from b1 to the others");
      await barrier(cluster, 1, [a0, b1, a2, c2]);
      const [atA0, atB1, atA2, atC2] = got.map((g) => g.received);
      const all = ["all", { nested: [1, 2] }];
      const ab = ["a and b", Buffer.from([1, 2, 3])];
      const others = ["from b1 to the others"];
      expect(atA0).toEqual([["to a"], all, ab, ["a but not a2"], others]);
      expect(atB1).toEqual([["except a"], all, ab, ["b not c"]]);
      expect(atA2).toEqual([["to a"], all, ab, others]);
      expect(atC2).toEqual([["except a"], all]);
    });

    it("collects the acks of the clients of every node, and times out with those received", async () => {
      const cluster = await start(impl);
      const clients = await Promise.all(cluster.nodes.map((node) => node.connected()));
      clients.forEach((client, index) => client.on("ask", (n: number, ack: (answer: number) => void) => ack(n + index)));
      const answers = await within(cluster.nodes[0]!.io.timeout(5000).emitWithAck("ask", 10));
      expect((answers as number[]).sort()).toEqual([10, 11, 12]);

      clients[2]!.off("ask");
      clients[2]!.on("ask", () => undefined);
      const [err, responses] = await within(
        new Promise<[unknown, unknown]>((resolve) => cluster.nodes[0]!.io.timeout(1500).emit("ask", 20, (e: unknown, r: unknown) => resolve([e, r]))),
      );
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toBe("operation has timed out");
      expect((responses as number[]).sort()).toEqual([20, 21]);
    });

    it("runs an adapter per namespace: broadcasts and fetches stay in their namespace", async () => {
      const cluster = await start(impl);
      const chats = cluster.nodes.map((node) => node.io.of("/chat"));
      await Promise.all(chats.map((chat) => eventually(async () => (await chat.adapter.serverCount()) === 3, 10_000, "every node counting /chat")));
      for (const chat of chats) chat.on("connection", (socket) => void socket.join("room"));
      const inChat = await Promise.all(cluster.nodes.map((node) => node.connected("/chat")));
      const inMain = await cluster.nodes[1]!.connected();
      const got = inChat.map((client) => collect(client, "m"));
      const gotMain = collect(inMain, "m");
      chats[0]!.to("room").emit("m", "chat room");
      const ends = inChat.map((client) => waitFor(client, "end"));
      chats[0]!.emit("end");
      await Promise.all(ends);
      for (const g of got) expect(g.received).toEqual([["chat room"]]);
      expect((await chats[2]!.fetchSockets()).map((socket) => socket.id).sort()).toEqual(inChat.map((client) => client.id).sort());
      expect((await cluster.nodes[2]!.io.fetchSockets()).map((socket) => socket.id)).toEqual([inMain.id]);
      expect(gotMain.received).toEqual([]);
    });

    it("fetches the sockets of other nodes with their rooms, handshake and data, and reaches them", async () => {
      const cluster = await start(impl);
      const [n0, n1, n2] = cluster.nodes;
      for (const node of cluster.nodes) joinFromAuth(node.io);
      const alice = await n0!.connected("/", { auth: { rooms: ["r0"], user: "alice" } });
      const bob = await n1!.connected("/", { auth: { rooms: ["r1", "shared"], user: "bob" }, query: { from: "test" } });
      const carol = await n2!.connected("/", { auth: { rooms: ["shared"], user: "carol" } });

      const fetched = await n0!.io.fetchSockets();
      expect(fetched.map((socket) => socket.id).sort()).toEqual([alice.id, bob.id, carol.id].sort());
      const remote = fetched.find((socket) => socket.id === bob.id)!;
      expect([...remote.rooms].sort()).toEqual([bob.id!, "r1", "shared"].sort());
      expect(remote.data).toEqual({ user: "bob" });
      expect(remote.handshake.auth).toEqual({ rooms: ["r1", "shared"], user: "bob" });
      expect(remote.handshake.query["from"]).toBe("test");
      expect(remote.handshake.address).toMatch(/127\.0\.0\.1/);
      expect(Object.keys(remote.handshake).sort()).toEqual(["address", "auth", "headers", "issued", "query", "secure", "time", "url", "xdomain"]);

      expect((await n0!.io.in("shared").fetchSockets()).map((socket) => socket.id).sort()).toEqual([bob.id, carol.id].sort());
      expect((await n0!.io.except("shared").fetchSockets()).map((socket) => socket.id)).toEqual([alice.id]);
      expect((await n0!.io.local.fetchSockets()).map((socket) => socket.id)).toEqual([alice.id]);

      const direct = waitFor<[string, number]>(bob, "direct");
      remote.emit("direct", "to bob", 42);
      expect(await direct).toEqual(["to bob", 42]);
      bob.on("question", (ack: (answer: string) => void) => ack("bob answers"));
      // (a single socket: its one answer, not a list)
      expect(await within(remote.timeout(5000).emitWithAck("question"))).toBe("bob answers");

      const joined = roomEvent(n1!.io, "join-room", "via-remote");
      remote.join("via-remote");
      await joined;
      expect((await n0!.io.in("via-remote").fetchSockets()).map((socket) => socket.id)).toEqual([bob.id]);
      const gone = waitFor<[string]>(bob, "disconnect");
      remote.disconnect();
      expect((await gone)[0]).toBe("io server disconnect");
    });

    it("makes the sockets of other nodes join, leave and disconnect", async () => {
      const cluster = await start(impl);
      const [n0, n1, n2] = cluster.nodes;
      for (const node of cluster.nodes) joinFromAuth(node.io);
      const a0 = await n0!.connected("/", { auth: { rooms: ["all", "a"] } });
      const b1 = await n1!.connected("/", { auth: { rooms: ["all", "b"] } });
      const a2 = await n2!.connected("/", { auth: { rooms: ["all", "a"] } });

      const joined = roomEvent(n1!.io, "join-room", "extra");
      n0!.io.in("b").socketsJoin("extra");
      await joined;
      expect((await n0!.io.in("extra").fetchSockets()).map((socket) => socket.id)).toEqual([b1.id]);

      // the classic adapter applies it on its own node too when the request comes back from Redis
      const left = cluster.nodes.map((node) => roomEvent(node.io, "leave-room", "all"));
      n0!.io.in("all").socketsLeave("all");
      await Promise.all(left);
      expect(await n0!.io.in("all").fetchSockets()).toEqual([]);

      const reasons = Promise.all([waitFor<[string]>(a0, "disconnect"), waitFor<[string]>(a2, "disconnect")]);
      n1!.io.in("a").disconnectSockets();
      expect((await reasons).map(([reason]) => reason)).toEqual(["io server disconnect", "io server disconnect"]);
      expect(b1.connected).toBe(true);
      expect((await n1!.io.fetchSockets()).map((socket) => socket.id)).toEqual([b1.id]);
    });

    it("sends server-side events to the other nodes, with and without acks", async () => {
      const cluster = await start(impl);
      const heard: unknown[][][] = cluster.nodes.map(() => []);
      let silent = -1;
      cluster.nodes.forEach((node, index) => {
        node.io.on("hello", (...args: unknown[]) => heard[index]!.push(args));
        node.io.on("sum", (a: number, b: number, ack: (answer: unknown) => void) => {
          if (index !== silent) ack({ node: index, sum: a + b });
        });
      });
      cluster.nodes[0]!.io.serverSideEmit("hello", 1, { two: [2] });
      // a round trip through every node: a copy looped back to the sender would be there by now
      const responses = await within(cluster.nodes[0]!.io.serverSideEmitWithAck("sum", 2, 3));
      await eventually(() => heard[1]!.length > 0 && heard[2]!.length > 0, 10_000, "the other nodes hearing hello");
      expect(heard).toEqual([[], [[1, { two: [2] }]], [[1, { two: [2] }]]]);
      expect(responses).toEqual(expect.arrayContaining([{ node: 1, sum: 5 }, { node: 2, sum: 5 }]));
      expect(responses).toHaveLength(2);

      const viaCallback = await within(
        new Promise<[unknown, unknown]>((resolve) => cluster.nodes[1]!.io.serverSideEmit("sum", 4, 5, (e: unknown, r: unknown) => resolve([e, r]))),
      );
      expect(viaCallback[0]).toBeNull();
      expect(viaCallback[1]).toEqual(expect.arrayContaining([{ node: 0, sum: 9 }, { node: 2, sum: 9 }]));

      if (options.silentNode === false) return;
      // a node that does not answer: an error once the adapter's requests timeout is over
      // (2 s as the classic adapter is configured here, a fixed 5 s for those built on
      // socket.io-adapter's ClusterAdapter), with the responses received
      silent = 2;
      const [[err, partial], rejected] = await within(
        Promise.all([
          new Promise<[unknown, unknown]>((resolve) => cluster.nodes[0]!.io.serverSideEmit("sum", 1, 1, (e: unknown, r: unknown) => resolve([e, r]))),
          cluster.nodes[0]!.io.serverSideEmitWithAck("sum", 1, 1).then(() => null, (error: unknown) => error),
        ]),
        15_000,
      );
      expect(err).toBeInstanceOf(Error);
      expect(partial).toEqual([{ node: 1, sum: 2 }]);
      expect(rejected).toBeInstanceOf(Error);
    });
  });
}
