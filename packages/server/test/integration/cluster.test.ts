// Two servers sharing a cluster adapter: what the server does through the adapter contract
// (broadcasts, acks counted per node, fetchSockets, server-side events) across nodes.
import { afterEach, describe, expect, it } from "@jest/globals";
import type { Socket as ClientSocket } from "socket.io-client";
import type { Socket } from "../../src";
import { MemoryBus } from "../helpers/cluster";
import { countdown, startServer, TRANSPORT_MODES, waitFor, within, type TestServer } from "../helpers";

describe.each(TRANSPORT_MODES)("Cluster of two servers ($name)", (mode) => {
  let servers: TestServer[] = [];
  /** The bus of the test's cluster. */
  let bus: MemoryBus;
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    servers = [];
  });

  async function cluster(): Promise<[TestServer, TestServer, ClientSocket, ClientSocket, Socket, Socket]> {
    bus = new MemoryBus();
    const a = await startServer({ adapter: bus.adapter() }, mode);
    const b = await startServer({ adapter: bus.adapter() }, mode);
    servers = [a, b];
    // the nodes know each other once their first heartbeats (and the answers) were handled
    await within(bus.idle(), 5000, "the first heartbeats");
    expect(await a.io.sockets.adapter.serverCount()).toBe(2);
    expect(await b.io.sockets.adapter.serverCount()).toBe(2);
    const onA = waitFor<[Socket]>(a.io, "connection");
    const clientA = a.client("/");
    const onB = waitFor<[Socket]>(b.io, "connection");
    const clientB = b.client("/");
    const [[socketA], [socketB]] = await Promise.all([onA, onB]);
    await Promise.all([waitFor(clientA, "connect"), waitFor(clientB, "connect")]);
    return [a, b, clientA, clientB, socketA!, socketB!];
  }

  it("broadcasts, rooms and socketsJoin reach the sockets of both nodes", async () => {
    const [a, , clientA, clientB, socketA, socketB] = await cluster();
    socketB.join("room");
    const both = countdown(2);
    clientA.on("all", both.tick);
    clientB.on("all", both.tick);
    a.io.emit("all");
    await both.done;
    const onlyB = waitFor(clientB, "room");
    a.io.to("room").emit("room", 1);
    await expect(onlyB).resolves.toEqual([1]);
    a.io.socketsJoin("joined");
    await within(bus.idle(), 5000, "the socketsJoin request to reach node B");
    expect(socketB.rooms.has("joined")).toBe(true);
    expect(socketA.rooms.has("joined")).toBe(true);
  });

  it("acknowledgements of a broadcast are collected from the clients of both nodes", async () => {
    const [a, , clientA, clientB] = await cluster();
    clientA.on("who", (ack: (v: string) => void) => ack("a"));
    clientB.on("who", (ack: (v: string) => void) => ack("b"));
    const responses = await a.io.timeout(2000).emitWithAck("who");
    expect((responses as string[]).sort()).toEqual(["a", "b"]);
  });

  it("fetchSockets returns the sockets of both nodes; a remote one can be told to emit and leave", async () => {
    const [a, , , clientB, socketA, socketB] = await cluster();
    socketB.data = { node: "b" };
    const sockets = await a.io.fetchSockets();
    expect(sockets.map((s) => s.id).sort()).toEqual([socketA.id, socketB.id].sort());
    const remote = sockets.find((s) => s.id === socketB.id)!;
    expect(remote.data).toEqual({ node: "b" });
    expect(remote.handshake.auth).toEqual({});
    const got = waitFor(clientB, "from-a");
    remote.emit("from-a", "hi");
    await expect(got).resolves.toEqual(["hi"]);
    const gone = waitFor(clientB, "disconnect");
    remote.disconnect();
    await expect(gone).resolves.toEqual(["io server disconnect", undefined]);
  });

  it("serverSideEmit reaches the other node's listeners, with acknowledgements", async () => {
    const [a, b] = await cluster();
    const received = new Promise<unknown[]>((resolve) =>
      b.io.on("sync", (value: number, ack: (v: number) => void) => {
        ack(value * 10);
        resolve([value]);
      }),
    );
    await expect(a.io.serverSideEmitWithAck("sync", 4)).resolves.toEqual([40]);
    await expect(received).resolves.toEqual([4]);
  });
});
