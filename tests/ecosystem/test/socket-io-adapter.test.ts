// socket.io-adapter 2.5's in-memory Adapter and SessionAwareAdapter, the base classes of
// every published adapter, driven by @volley/server exactly as by socket.io 4.8: the same
// scenario on both servers, the same observable results.
import { afterEach, describe, expect, it } from "@jest/globals";
import { Adapter, SessionAwareAdapter } from "socket.io-adapter";
import type { Socket as ServerSocket } from "@volley/server";
import { collect, IMPLEMENTATIONS, startNode, waitFor, within, type Node } from "./helpers/nodes";

const opened: Node[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((node) => node.close()));
});

async function start(impl: (typeof IMPLEMENTATIONS)[number], options: Parameters<typeof startNode>[1]): Promise<Node> {
  const node = await startNode(impl, options);
  opened.push(node);
  return node;
}

describe.each(IMPLEMENTATIONS)("socket.io-adapter's Adapter on $name", (impl) => {
  const options = { adapter: Adapter };

  it("is the namespace's adapter, with the rooms in its own maps", async () => {
    const node = await start(impl, options);
    const joined = new Promise<ServerSocket>((resolve) => node.io.on("connection", (socket) => {
      socket.join("room1");
      resolve(socket);
    }));
    await node.connected();
    const socket = await within(joined);
    const adapter = node.io.of("/").adapter as unknown as Adapter;
    expect(adapter).toBeInstanceOf(Adapter);
    expect([...(adapter.rooms.get("room1") ?? [])]).toEqual([socket.id]);
    expect([...(adapter.sids.get(socket.id) ?? [])].sort()).toEqual([socket.id, "room1"].sort());
    expect([...socket.rooms].sort()).toEqual([socket.id, "room1"].sort());
  });

  it("broadcasts to rooms, except rooms, and to all, and outgoing listeners see it", async () => {
    const node = await start(impl, options);
    const outgoing: string[] = [];
    node.io.on("connection", (socket) => {
      socket.join(socket.handshake.auth["room"] as string);
      socket.onAnyOutgoing((event) => outgoing.push(`${socket.handshake.auth["room"] as string}:${event}`));
    });
    const a = await node.connected("/", { auth: { room: "a" } });
    const b = await node.connected("/", { auth: { room: "b" } });
    const atA = collect(a, "m");
    const atB = collect(b, "m");
    node.io.to("a").emit("m", "to a");
    node.io.except("a").emit("m", "except a");
    node.io.emit("m", "all", { nested: [1, 2] });
    node.io.to("a").to("b").emit("m", "a and b", Buffer.from([1, 2, 3]));
    await atA.until(3);
    await atB.until(3);
    expect(atA.received).toEqual([["to a"], ["all", { nested: [1, 2] }], ["a and b", Buffer.from([1, 2, 3])]]);
    expect(atB.received).toEqual([["except a"], ["all", { nested: [1, 2] }], ["a and b", Buffer.from([1, 2, 3])]]);
    expect(outgoing.sort()).toEqual(["a:m", "a:m", "a:m", "b:m", "b:m", "b:m"]);
  });

  it("collects every client's ack of a broadcast, and times out on a silent one", async () => {
    const node = await start(impl, options);
    const a = await node.connected();
    const b = await node.connected();
    a.on("ask", (n: number, ack: (answer: number) => void) => ack(n + 1));
    b.on("ask", (n: number, ack: (answer: number) => void) => ack(n + 2));
    const answers = await within(node.io.timeout(5000).emitWithAck("ask", 1));
    expect((answers as number[]).sort()).toEqual([2, 3]);
    b.off("ask");
    b.on("ask", () => undefined);
    const error = await within(node.io.timeout(300).emitWithAck("ask", 1).then(() => null, (err: unknown) => err));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe("operation has timed out");
  });

  it("fetches, joins, leaves and disconnects the sockets it matches", async () => {
    const node = await start(impl, options);
    node.io.on("connection", (socket) => {
      socket.join(["all", socket.handshake.auth["room"] as string]);
    });
    const a = await node.connected("/", { auth: { room: "a" } });
    const b = await node.connected("/", { auth: { room: "b" } });
    const fetched = await node.io.in("a").fetchSockets();
    expect(fetched.map((socket) => socket.id)).toEqual([a.id]);
    expect([...fetched[0]!.rooms].sort()).toEqual([a.id!, "a", "all"].sort());
    expect(fetched[0]!.handshake.auth).toEqual({ room: "a" });

    node.io.in("b").socketsJoin("extra");
    expect((await node.io.in("extra").fetchSockets()).map((socket) => socket.id)).toEqual([b.id]);
    node.io.in("all").socketsLeave("all");
    expect(await node.io.in("all").fetchSockets()).toEqual([]);

    const disconnected = waitFor<[string]>(a, "disconnect");
    node.io.in("a").disconnectSockets();
    expect((await disconnected)[0]).toBe("io server disconnect");
    expect((await node.io.fetchSockets()).map((socket) => socket.id)).toEqual([b.id]);
  });

  it("emits the room events", async () => {
    const node = await start(impl, options);
    const events: string[] = [];
    const adapter = node.io.of("/").adapter as unknown as Adapter;
    for (const name of ["create-room", "join-room", "leave-room", "delete-room"]) {
      adapter.on(name, (room: string) => events.push(`${name} ${room.length > 10 ? "<id>" : room}`));
    }
    const joined = new Promise<ServerSocket>((resolve) => node.io.on("connection", (socket) => {
      socket.join("r");
      socket.leave("r");
      resolve(socket);
    }));
    await node.connected();
    await within(joined);
    expect(events).toEqual([
      "create-room <id>",
      "join-room <id>",
      "create-room r",
      "join-room r",
      "leave-room r",
      "delete-room r",
    ]);
  });
});

describe.each(IMPLEMENTATIONS)("socket.io-adapter's SessionAwareAdapter on $name", (impl) => {
  it("restores a cut client's session with every packet it missed, in order", async () => {
    const node = await start(impl, { adapter: SessionAwareAdapter, connectionStateRecovery: {} });
    const recoveredOnServer: boolean[] = [];
    node.io.on("connection", (socket) => {
      recoveredOnServer.push(socket.recovered);
      if (!socket.recovered) socket.join("r");
    });
    const client = await node.connected("/", { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 50 });
    const received = collect(client, "m");
    node.io.to("r").emit("m", 0);
    await received.until(1);
    const cut = waitFor(client, "disconnect");
    (client.io.engine.transport as unknown as { ws: { close(): void } }).ws.close();
    await cut;
    node.io.to("r").emit("m", 1);
    node.io.to("r").emit("m", 2);
    await waitFor(client, "connect");
    expect(client.recovered).toBe(true);
    node.io.to("r").emit("m", 3);
    await received.until(4);
    // (socket.io-client hands the offset on as a last argument)
    expect(received.received.map((args) => args[0])).toEqual([0, 1, 2, 3]);
    expect(recoveredOnServer).toEqual([false, true]);
  });
});
