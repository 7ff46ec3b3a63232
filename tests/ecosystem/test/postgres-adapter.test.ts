// The published @socket.io/postgres-adapter 0.5 on a real PostgreSQL (started by this file
// on a free port), across three server nodes of each implementation: socket.io 4.8 and
// @volley/server run the same scenarios and must show the same results.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createAdapter } from "@socket.io/postgres-adapter";
import pg from "pg";
import type { Socket as ClientSocket } from "socket.io-client";
import type { Server } from "@volley/server";
import { ackRequestsForgotten, collect, eventually, IMPLEMENTATIONS, startNode, waitFor, within, type Node } from "./helpers/nodes";
import { postgresFixture } from "./helpers/postgres-adapter";

const fixture = postgresFixture();
const newPool = (): pg.Pool => fixture.newPool();

/** The label (first argument) of each event received, sorted: NOTIFY order across nodes is not ours to assert. */
const labels = (received: unknown[][]): string[] => received.map((args) => String(args[0])).sort();

const serverCount = (io: Server): Promise<number> => (io.of("/").adapter as unknown as { serverCount(): Promise<number> }).serverCount();

describe.each(IMPLEMENTATIONS)("@socket.io/postgres-adapter on three $name nodes", (impl) => {
  const nodes: Node[] = [];
  const pools: pg.Pool[] = [];

  /** A client of node `index` that joins `rooms` and carries `name` as socket.data. */
  async function client(index: number, name: string, rooms: string[]): Promise<ClientSocket> {
    return nodes[index]!.connected("/", { auth: { name, rooms } });
  }

  beforeAll(async () => {
    for (let index = 0; index < 3; index++) {
      const pool = newPool();
      pools.push(pool);
      // a channel of its own per implementation: the two clusters share one PostgreSQL
      const adapter = createAdapter(pool, { channelPrefix: `ecosystem-${impl.name}` });
      const node = await startNode(impl, { adapter: adapter as never });
      node.io.on("connection", (socket) => {
        const auth = socket.handshake.auth as { name: string; rooms: string[] };
        socket.data = { name: auth.name };
        socket.join(auth.rooms);
      });
      nodes.push(node);
    }
    // every node has heard from the two others (so each one listens on the channel)
    await eventually(async () => (await Promise.all(nodes.map((node) => serverCount(node.io)))).every((count) => count === 3), 20_000, "serverCount 3 everywhere");
  }, 60_000);

  afterAll(async () => {
    await ackRequestsForgotten(nodes.map((node) => node.io.of("/").adapter));
    await Promise.all(nodes.splice(0).map((node) => node.close()));
    await Promise.all(pools.splice(0).map((pool) => pool.end()));
  }, 30_000);

  it("counts the three servers on every node", async () => {
    expect(await Promise.all(nodes.map((node) => serverCount(node.io)))).toEqual([3, 3, 3]);
  });

  it("collects the acks of clients on every node, and times out on a silent one", async () => {
    const clients = [await client(0, "k0", ["ack"]), await client(1, "k1", ["ack"]), await client(2, "k2", ["ack"])];
    clients.forEach((socket, index) => socket.on("ask", (n: number, ack: (answer: string) => void) => ack(`${n}@${index}`)));
    const answers = await within(nodes[0]!.io.to("ack").timeout(5000).emitWithAck("ask", 7), 15_000, "acks");
    expect((answers as string[]).sort()).toEqual(["7@0", "7@1", "7@2"]);
    const [remote] = await within(nodes[0]!.io.in(clients[2]!.id!).fetchSockets(), 15_000, "fetchSockets");
    expect(await within(remote!.timeout(5000).emitWithAck("ask", 9), 15_000, "remote socket ack")).toBe("9@2");

    const silent = await client(2, "silent", ["ack-silent"]);
    silent.on("ask", () => undefined);
    const error = await within(nodes[1]!.io.to("ack-silent").timeout(500).emitWithAck("ask", 1).then(() => null, (err: unknown) => err), 15_000, "ack timeout");
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe("operation has timed out");
  });

  it("broadcasts across nodes to rooms, except rooms and to all, with binary and large payloads", async () => {
    const a0 = await client(0, "a0", ["bc-a"]);
    const b1 = await client(1, "b1", ["bc-b"]);
    const ab2 = await client(2, "ab2", ["bc-a", "bc-b"]);
    const got = [collect(a0, "m"), collect(b1, "m"), collect(ab2, "m")];
    const large = "x".repeat(20_000); // over the 8000 bytes NOTIFY carries: goes through the table
    const sends: Array<[label: string, send: (io: Server) => void, to: number[]]> = [
      ["to a", (io) => io.to("bc-a").emit("m", "to a"), [0, 2]],
      ["except a", (io) => io.except("bc-a").emit("m", "except a"), [1]],
      ["b except a", (io) => io.to("bc-b").except("bc-a").emit("m", "b except a"), [1]],
      ["all", (io) => io.emit("m", "all", { nested: [1, 2] }), [0, 1, 2]],
      ["binary", (io) => io.to("bc-b").emit("m", "binary", Buffer.from([1, 2, 3])), [1, 2]],
      ["large", (io) => io.to("bc-a").emit("m", "large", large), [0, 2]],
    ];
    const expected: string[][] = [[], [], []];
    for (const [index, [label, send, to]] of sends.entries()) {
      // each message from a different node; wait until its recipients have it
      send(nodes[index % 3]!.io);
      for (const target of to) expected[target]!.push(label);
      await Promise.all(to.map((target) => got[target]!.until(expected[target]!.length, 15_000)));
    }
    // a last one to all: whatever a node wrongly delivered earlier came before it
    nodes[1]!.io.emit("m", "~fence");
    await Promise.all(got.map((collector, target) => collector.until(expected[target]!.length + 1, 15_000)));
    expect(got.map((collector) => labels(collector.received))).toEqual(expected.map((list) => [...list, "~fence"].sort()));
    const argsOf = (target: number, label: string): unknown[] | undefined => got[target]!.received.find((args) => args[0] === label);
    expect(argsOf(2, "all")).toEqual(["all", { nested: [1, 2] }]);
    expect(argsOf(1, "binary")).toEqual(["binary", Buffer.from([1, 2, 3])]);
    expect(argsOf(2, "large")).toEqual(["large", large]);
  });

  it("fetches remote sockets with their rooms, handshake and data, and emits to them", async () => {
    const f1 = await client(1, "f1", ["fetch", "fetch-1"]);
    const f2 = await client(2, "f2", ["fetch"]);
    const fetched = await within(nodes[0]!.io.in("fetch").fetchSockets(), 15_000, "fetchSockets");
    const byId = new Map(fetched.map((socket) => [socket.id, socket]));
    expect([...byId.keys()].sort()).toEqual([f1.id, f2.id].sort());
    const remote1 = byId.get(f1.id!)!;
    expect([...remote1.rooms].sort()).toEqual([f1.id!, "fetch", "fetch-1"].sort());
    expect(remote1.data).toEqual({ name: "f1" });
    expect(remote1.handshake.auth).toEqual({ name: "f1", rooms: ["fetch", "fetch-1"] });
    expect(byId.get(f2.id!)!.data).toEqual({ name: "f2" });

    const direct = waitFor<[string]>(f1, "direct", 15_000);
    remote1.emit("direct", "to f1 only");
    expect(await direct).toEqual(["to f1 only"]);
    expect((await nodes[2]!.io.in("fetch").except("fetch-1").fetchSockets()).map((socket) => socket.id)).toEqual([f2.id]);
  });

  it("makes sockets on other nodes join and leave rooms", async () => {
    const j1 = await client(1, "j1", ["join"]);
    const j2 = await client(2, "j2", ["join"]);
    const idsIn = async (room: string): Promise<string[]> => (await nodes[0]!.io.in(room).fetchSockets()).map((socket) => socket.id).sort();
    nodes[0]!.io.in("join").socketsJoin(["joined", "joined-too"]);
    await eventually(async () => (await idsIn("joined-too")).length === 2, 15_000, "socketsJoin");
    expect(await idsIn("joined")).toEqual([j1.id, j2.id].sort());
    const notice = waitFor<[string]>(j2, "m", 15_000);
    nodes[1]!.io.to("joined").except(j1.id!).emit("m", "joined");
    expect(await notice).toEqual(["joined"]);

    nodes[0]!.io.in(j2.id!).socketsLeave("joined");
    await eventually(async () => (await idsIn("joined")).length === 1, 15_000, "socketsLeave");
    expect(await idsIn("joined")).toEqual([j1.id]);
    expect(await idsIn("joined-too")).toEqual([j1.id, j2.id].sort());
  });

  it("disconnects sockets on other nodes", async () => {
    const d1 = await client(1, "d1", ["doomed"]);
    const d2 = await client(2, "d2", ["doomed"]);
    const keep = await client(2, "keep", ["kept"]);
    const gone = [waitFor<[string]>(d1, "disconnect", 15_000), waitFor<[string]>(d2, "disconnect", 15_000)];
    nodes[0]!.io.in("doomed").disconnectSockets();
    expect(await Promise.all(gone)).toEqual([["io server disconnect"], ["io server disconnect"]]);
    expect(await nodes[0]!.io.in("doomed").fetchSockets()).toEqual([]);
    expect(keep.connected).toBe(true);

    // with close: the whole connection of the remote client goes
    const closed = waitFor<[string]>(keep, "disconnect", 15_000);
    nodes[1]!.io.in("kept").disconnectSockets(true);
    expect(await closed).toEqual(["io server disconnect"]);
  });

  it("makes remote sockets join, leave and disconnect, and broadcasts from a socket to the others", async () => {
    const r0 = await client(0, "r0", ["remote"]);
    const r2 = await client(2, "r2", ["remote"]);
    const [remote] = await within(nodes[1]!.io.in(r2.id!).fetchSockets(), 15_000, "fetchSockets");
    remote!.join("remote-joined");
    const idsIn = async (room: string): Promise<string[]> => (await nodes[1]!.io.in(room).fetchSockets()).map((socket) => socket.id);
    await eventually(async () => (await idsIn("remote-joined")).length === 1, 15_000, "remote join");
    expect(await idsIn("remote-joined")).toEqual([r2.id]);
    remote!.leave("remote-joined");
    await eventually(async () => (await idsIn("remote-joined")).length === 0, 15_000, "remote leave");

    // socket.broadcast / socket.to(): every other socket in the room, on every node, not the sender
    const atR2 = collect(r2, "m");
    const atR0 = collect(r0, "m");
    nodes[0]!.io.of("/").sockets.get(r0.id!)!.to("remote").emit("m", "from r0");
    await atR2.until(1, 15_000);
    nodes[2]!.io.to("remote").emit("m", "~fence");
    await atR0.until(1, 15_000);
    await atR2.until(2, 15_000);
    expect(atR0.received).toEqual([["~fence"]]);
    expect(atR2.received).toEqual([["from r0"], ["~fence"]]);

    const gone = waitFor<[string]>(r2, "disconnect", 15_000);
    remote!.disconnect();
    expect(await gone).toEqual(["io server disconnect"]);
  });

  it("keeps io.local broadcasts on the node, and broadcasts in other namespaces", async () => {
    const l0 = await client(0, "l0", ["local"]);
    const l1 = await client(1, "l1", ["local"]);
    const atL0 = collect(l0, "m");
    const atL1 = collect(l1, "m");
    nodes[1]!.io.local.to("local").emit("m", "local");
    nodes[0]!.io.to("local").emit("m", "~fence");
    await atL0.until(1, 15_000);
    await atL1.until(2, 15_000);
    expect(atL0.received).toEqual([["~fence"]]);
    expect(atL1.received).toEqual([["local"], ["~fence"]]);

    for (const node of nodes) node.io.of("/chat").on("connection", (socket) => void socket.join("chatters"));
    const chat = await Promise.all(nodes.map((node) => node.connected("/chat")));
    const heard = chat.map((socket) => collect(socket, "said"));
    await eventually(async () => (await nodes[2]!.io.of("/chat").in("chatters").fetchSockets()).length === 3, 15_000, "chatters everywhere");
    nodes[2]!.io.of("/chat").to("chatters").emit("said", "hi");
    for (const collector of heard) expect(await collector.until(1, 15_000)).toEqual([["hi"]]);
  });

  it("tells the other nodes when a node closes", async () => {
    const pool = newPool();
    pools.push(pool);
    const extra = await startNode(impl, { adapter: createAdapter(pool, { channelPrefix: `ecosystem-${impl.name}` }) as never });
    try {
      await eventually(async () => (await serverCount(nodes[0]!.io)) === 4, 20_000, "serverCount 4");
    } finally {
      await extra.close();
    }
    await eventually(async () => (await serverCount(nodes[0]!.io)) === 3, 15_000, "serverCount back to 3");
  });

  it("with connection state recovery on, broadcasts across nodes but recovers no session (the adapter keeps none)", async () => {
    const recovering: Node[] = [];
    try {
      for (let index = 0; index < 2; index++) {
        const pool = newPool();
        pools.push(pool);
        const adapter = createAdapter(pool, { channelPrefix: `ecosystem-${impl.name}-recovery` });
        recovering.push(await startNode(impl, { adapter: adapter as never, connectionStateRecovery: {} }));
      }
      await eventually(async () => (await Promise.all(recovering.map((node) => serverCount(node.io)))).every((count) => count === 2), 20_000, "serverCount 2");
      const serverSide = new Promise<boolean>((resolve) => {
        let connections = 0;
        recovering[1]!.io.on("connection", (socket) => {
          if (++connections === 2) resolve(socket.recovered);
        });
      });
      const socket = await recovering[1]!.connected("/", { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100 });
      const got = collect(socket, "m");
      recovering[0]!.io.emit("m", "before");
      // the adapter appends the offset a broadcast came with, and its messages carry none:
      // socket.io's clients get a trailing null (not a string, so not taken as an offset)
      expect(await got.until(1, 15_000)).toEqual([["before", null]]);

      socket.io.engine.close(); // a dropped connection: the client reconnects and asks for its session
      await waitFor(socket, "connect", 15_000);
      expect(socket.recovered).toBe(false);
      expect(await within(serverSide, 15_000, "second connection")).toBe(false);
      recovering[0]!.io.emit("m", "after");
      expect(await got.until(2, 15_000)).toEqual([["before", null], ["after", null]]);
    } finally {
      await Promise.all(recovering.map((node) => node.close()));
    }
  });

  it("sends server-side events to the other nodes, with and without acks", async () => {
    const heard: string[] = [];
    const arrived = Promise.all(nodes.slice(1).map((node, index) => new Promise<void>((resolve) => {
      node.io.on("hello", (from: string, payload: unknown) => {
        heard.push(`${index + 1}:${from}:${JSON.stringify(payload)}`);
        resolve();
      });
    })));
    nodes[0]!.io.on("hello", () => heard.push("0:self"));
    nodes[0]!.io.serverSideEmit("hello", "node0", { n: 1 });
    await within(arrived, 15_000, "serverSideEmit");
    expect(heard.sort()).toEqual(['1:node0:{"n":1}', '2:node0:{"n":1}']);

    nodes.forEach((node, index) => node.io.on("whoami", (prefix: string, ack: (answer: string) => void) => ack(`${prefix}${index}`)));
    const answers = await within(nodes[1]!.io.serverSideEmitWithAck("whoami", "node"), 15_000, "serverSideEmitWithAck");
    expect((answers as string[]).sort()).toEqual(["node0", "node2"]);
    const viaCallback = await within(new Promise<unknown[]>((resolve, reject) => {
      nodes[2]!.io.serverSideEmit("whoami", "n", (err: Error | null, responses: unknown[]) => (err ? reject(err) : resolve(responses)));
    }), 15_000, "serverSideEmit with a callback");
    expect((viaCallback as string[]).sort()).toEqual(["n0", "n1"]);
  });
});
