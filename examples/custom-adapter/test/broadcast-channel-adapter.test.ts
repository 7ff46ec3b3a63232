// Three nodes of a cluster in one process, over real BroadcastChannels.
import { afterEach, describe, expect, it } from "@jest/globals";
import { PacketType, type Packet } from "@volley/parser";
import { createBroadcastOptions, type AdapterNamespace, type SocketDetails } from "@volley/adapter";
import { BroadcastChannelAdapter, createAdapter } from "../src/index";
import { TestServerNamespace } from "./helpers/node";
import { waitFor, waitForCount } from "./helpers/wait-for";

const event = (...data: unknown[]): Packet => ({ type: PacketType.EVENT, nsp: "/", data });
const ids = (sockets: SocketDetails[]) => sockets.map((socket) => socket.id).sort();

let nodes: TestServerNamespace[] = [];
let channelCounter = 0;

/** Three nodes on a fresh channel, each aware of the two others. */
async function startCluster(options: { requestsTimeout?: number; heartbeatInterval?: number; heartbeatTimeout?: number } = {}) {
  const channel = `test-${process.pid}-${channelCounter++}`;
  nodes = [0, 1, 2].map(() => new TestServerNamespace({ channel, ...options }));
  const discovered = nodes.map(({ adapter }) => waitForCount(adapter, "node-up", 2));
  await Promise.all(nodes.map(({ adapter }) => adapter.init()));
  await Promise.all(discovered);
  return nodes as [TestServerNamespace, TestServerNamespace, TestServerNamespace];
}

afterEach(async () => {
  await Promise.all(nodes.map(({ adapter }) => adapter.close()));
  nodes = [];
});

describe("BroadcastChannelAdapter across 3 nodes", () => {
  it("broadcasts to all sockets of every node", async () => {
    const [a, b, c] = await startCluster();
    const sockets = [a.connect("a1"), b.connect("b1"), b.connect("b2"), c.connect("c1")];
    const arrivals = sockets.map((socket) => waitFor(socket, "packet"));
    await a.adapter.broadcast(event("hello", 42), createBroadcastOptions());
    await Promise.all(arrivals);
    for (const socket of sockets) expect(socket.received).toEqual([["hello", 42]]);
  });

  it("broadcasts to rooms, except rooms, across nodes", async () => {
    const [a, b, c] = await startCluster();
    const target = [a.connect("t-a", ["news"]), c.connect("t-c", ["news"])];
    const muted = b.connect("m-b", ["news", "muted"]);
    const outside = b.connect("o-b", ["sports"]);
    const arrivals = target.map((socket) => waitFor(socket, "packet"));
    await b.adapter.broadcast(event("headline"), createBroadcastOptions({ rooms: ["news"], except: ["muted"] }));
    await Promise.all(arrivals);
    // A broadcast to all travels after the first on the same channel: once it has
    // arrived everywhere, the first one has too.
    const barrier = [muted, outside].map((socket) => waitFor(socket, "packet"));
    await b.adapter.broadcast(event("barrier"), createBroadcastOptions());
    await Promise.all(barrier);
    for (const socket of target) expect(socket.received[0]).toEqual(["headline"]);
    expect(muted.received).toEqual([["barrier"]]);
    expect(outside.received).toEqual([["barrier"]]);
  });

  it("fetchSockets returns the sockets of every node", async () => {
    const [a, b, c] = await startCluster();
    a.connect("a1", ["room"], { name: "alice" });
    b.connect("b1");
    c.connect("c1", ["room"]);
    expect(ids(await b.adapter.fetchSockets(createBroadcastOptions()))).toEqual(["a1", "b1", "c1"]);
    const inRoom = await b.adapter.fetchSockets(createBroadcastOptions({ rooms: ["room"] }));
    expect(ids(inRoom)).toEqual(["a1", "c1"]);
    expect(inRoom.find((socket) => socket.id === "a1")).toMatchObject({ data: { name: "alice" }, rooms: new Set(["a1", "room"]) });
  });

  it("socketsJoin and socketsLeave change rooms on every node", async () => {
    const [a, b, c] = await startCluster();
    a.connect("a1", ["lobby"]);
    b.connect("b1", ["lobby"]);
    c.connect("c1");
    await a.adapter.addSockets(createBroadcastOptions({ rooms: ["lobby"] }), ["game"]);
    // Asked by the node that published the join: its messages arrive in order everywhere.
    expect(ids(await a.adapter.fetchSockets(createBroadcastOptions({ rooms: ["game"] })))).toEqual(["a1", "b1"]);
    await c.adapter.delSockets(createBroadcastOptions({ rooms: ["game"] }), ["game", "lobby"]);
    // Asked by the node that published the leave: its messages arrive in order.
    expect(ids(await c.adapter.fetchSockets(createBroadcastOptions({ rooms: ["game", "lobby"] })))).toEqual([]);
  });

  it("disconnectSockets disconnects sockets on every node", async () => {
    const [a, b, c] = await startCluster();
    const doomed = [a.connect("a1", ["kick"]), c.connect("c1", ["kick"])];
    const kept = b.connect("b1");
    const disconnections = doomed.map((socket) => waitFor<[boolean]>(socket, "disconnect"));
    await b.adapter.disconnectSockets(createBroadcastOptions({ rooms: ["kick"] }), true);
    expect((await Promise.all(disconnections)).map(([close]) => close)).toEqual([true, true]);
    expect(ids(await b.adapter.fetchSockets(createBroadcastOptions()))).toEqual([kept.id]);
  });

  it("serverSideEmit without ack reaches the other nodes", async () => {
    const [a, b, c] = await startCluster();
    const received = [b, c].map((node) => waitFor<[unknown[]]>(node, "serverSideEmit"));
    let selfReceived = false;
    a.on("serverSideEmit", () => {
      selfReceived = true;
    });
    await a.adapter.serverSideEmit(["config-changed", { version: 2 }]);
    for (const [packet] of await Promise.all(received)) expect(packet).toEqual(["config-changed", { version: 2 }]);
    expect(selfReceived).toBe(false);
  });

  it("serverSideEmit with ack collects one answer per other node", async () => {
    const [a, b, c] = await startCluster();
    b.on("serverSideEmit", (_packet, ack) => ack?.({ node: "b" }));
    c.on("serverSideEmit", (_packet, ack) => ack?.({ node: "c" }));
    const [error, responses] = await new Promise<[Error | null, unknown[]]>((resolve) => {
      void a.adapter.serverSideEmit(["status?", (err: Error | null, res: unknown[]) => resolve([err, res])]);
    });
    expect(error).toBeNull();
    expect(responses).toEqual(expect.arrayContaining([{ node: "b" }, { node: "c" }]));
    expect(responses).toHaveLength(2);
  });

  it("broadcastWithAck counts clients per node and brings the acks back", async () => {
    const [a, b, c] = await startCluster();
    const sockets = [a.connect("a1"), b.connect("b1"), c.connect("c1")];
    for (const socket of sockets) {
      socket.on("packet", () => {
        for (const [id, ack] of socket.acks) ack(`ack from ${socket.id}`, id >= 0);
      });
    }
    const counts: number[] = [];
    const acks: unknown[][] = [];
    await new Promise<void>((resolve) => {
      const check = () => {
        if (counts.length === 3 && acks.length === 3) resolve();
      };
      void a.adapter.broadcastWithAck(
        event("ping"),
        createBroadcastOptions(),
        (count) => {
          counts.push(count);
          check();
        },
        (...args) => {
          acks.push(args);
          check();
        },
      );
    });
    expect(acks.map(([text]) => text).sort()).toEqual(["ack from a1", "ack from b1", "ack from c1"]);
    expect(counts).toHaveLength(3);
    expect(counts).toEqual([1, 1, 1]);
  });

  it("requests time out when a node is gone without saying so", async () => {
    const [a, b, c] = await startCluster({ requestsTimeout: 300, heartbeatInterval: 1000, heartbeatTimeout: 10_000 });
    b.on("serverSideEmit", (_packet, ack) => ack?.("b"));
    c.adapter.crash();
    const started = Date.now();
    await expect(a.adapter.fetchSockets(createBroadcastOptions())).rejects.toMatchObject({
      code: "VOLLEY_ADAPTER_ERR_REQUEST_TIMEOUT",
      received: 1,
      expected: 2,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const [error, responses] = await new Promise<[Error | null, unknown[]]>((resolve) => {
      void a.adapter.serverSideEmit(["hi", (err: Error | null, res: unknown[]) => resolve([err, res])]);
    });
    expect(error).toMatchObject({ code: "VOLLEY_ADAPTER_ERR_REQUEST_TIMEOUT" });
    expect(responses).toEqual(["b"]);
  });

  it("heartbeats: a crashed node is declared down, live nodes stay up", async () => {
    const [a, b, c] = await startCluster({ heartbeatInterval: 100, heartbeatTimeout: 1000 });
    const downs: string[] = [];
    a.adapter.on("node-down", (uid) => downs.push(uid));
    c.adapter.crash();
    const [uid] = await waitFor<[string]>(a.adapter, "node-down", 5000);
    expect(uid).toBe(c.adapter.uid);
    expect(downs).toEqual([c.adapter.uid]);
    expect(await a.adapter.serverCount()).toBe(2);
    expect(a.adapter.liveNodes()).toEqual([b.adapter.uid]);
    // With the dead node forgotten, requests complete without waiting for it.
    b.connect("b1");
    expect(ids(await a.adapter.fetchSockets(createBroadcastOptions()))).toEqual(["b1"]);
  });

  it("a closing node says goodbye: the others drop it at once", async () => {
    const [a, , c] = await startCluster({ heartbeatInterval: 1000, heartbeatTimeout: 60_000 });
    const down = waitFor<[string]>(a.adapter, "node-down");
    await c.adapter.close();
    expect((await down)[0]).toBe(c.adapter.uid);
    expect(await a.adapter.serverCount()).toBe(2);
  });

  it("createAdapter binds the options into a class the server can instantiate", async () => {
    const Adapter = createAdapter({ channel: `factory-${process.pid}`, requestsTimeout: 1234 });
    const nsp = new TestServerNamespace({}) as AdapterNamespace;
    const adapter = new Adapter(nsp);
    expect(adapter).toBeInstanceOf(BroadcastChannelAdapter);
    expect(adapter.options.requestsTimeout).toBe(1234);
    await adapter.close();
    await (nsp as TestServerNamespace).adapter.close();
  });
});
