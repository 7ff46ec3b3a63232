import { afterEach, describe, expect, it, jest } from "@jest/globals";
import type { Socket as ClientSocket } from "socket.io-client";
import { AckTimeoutError, BroadcastOperator, RemoteSocket, type Socket } from "../../src";
import { countdown, startServer, TRANSPORT_MODES, waitFor, within, type TestServer } from "../helpers";

describe.each(TRANSPORT_MODES)("Broadcasting ($name)", (mode) => {
  let server: TestServer;
  afterEach(() => server.close());

  /** Connects `count` clients; returns them with their server sockets, in order. */
  async function connectMany(count: number, nsp = "/"): Promise<Array<{ client: ClientSocket; socket: Socket }>> {
    const pairs: Array<{ client: ClientSocket; socket: Socket }> = [];
    for (let i = 0; i < count; i++) {
      const connection = waitFor<[Socket]>(server.io.of(nsp), "connection");
      const client = server.client(nsp);
      const [socket] = await connection;
      await waitFor(client, "connect");
      pairs.push({ client, socket });
    }
    return pairs;
  }

  /** Records the `event` payloads each client receives. */
  function record(pairs: Array<{ client: ClientSocket }>, event: string): unknown[][] {
    const received = pairs.map(() => [] as unknown[]);
    pairs.forEach(({ client }, i) => client.on(event, (...args: unknown[]) => received[i]!.push(args)));
    return received;
  }

  /** A marker event sent to everyone after the broadcast under test, to know it is over. */
  async function flush(pairs: Array<{ client: ClientSocket }>): Promise<void> {
    const all = countdown(pairs.length);
    for (const { client } of pairs) client.once("__flush", all.tick);
    server.io.emit("__flush");
    await all.done;
  }

  it("operators are immutable: to/in/except/flags return new operators", async () => {
    server = await startServer({}, mode);
    const a = server.io.to("a");
    const ab = a.to("b");
    expect(a).toBeInstanceOf(BroadcastOperator);
    expect([...a.rooms]).toEqual(["a"]);
    expect([...ab.rooms]).toEqual(["a", "b"]);
    expect([...server.io.in(["x", "y"]).rooms]).toEqual(["x", "y"]);
    const except = ab.except("c");
    expect([...ab.exceptRooms]).toEqual([]);
    expect([...except.exceptRooms]).toEqual(["c"]);
    const volatile = ab.volatile;
    expect(ab.flags).toEqual({});
    expect(volatile.flags).toEqual({ volatile: true });
    expect(volatile.local.compress(false).timeout(10).flags).toEqual({ volatile: true, local: true, compress: false, timeout: 10 });
    expect(volatile.flags).toEqual({ volatile: true });
    expect(() => ab.timeout(-1)).toThrow(/timeout/);
  });

  it("io.emit reaches every socket, io.to(room) the room, except leaves out", async () => {
    server = await startServer({}, mode);
    const pairs = await connectMany(3);
    const received = record(pairs, "news");
    pairs[0]!.socket.join("r1");
    pairs[1]!.socket.join(["r1", "r2"]);
    server.io.emit("news", "all");
    server.io.to("r1").emit("news", "r1");
    server.io.to("r1").to("r2").emit("news", "r1|r2");
    server.io.in("r2").emit("news", "r2");
    server.io.except("r2").emit("news", "not r2");
    server.io.to("r1").except(pairs[0]!.socket.id).emit("news", "r1 but 0");
    server.io.to(pairs[2]!.socket.id).emit("news", "to id");
    await flush(pairs);
    expect(received).toEqual([
      [["all"], ["r1"], ["r1|r2"], ["not r2"]],
      [["all"], ["r1"], ["r1|r2"], ["r2"], ["r1 but 0"]],
      [["all"], ["not r2"], ["to id"]],
    ]);
  });

  it("socket.broadcast and socket.to leave out the sender", async () => {
    server = await startServer({}, mode);
    const pairs = await connectMany(3);
    const received = record(pairs, "msg");
    pairs[1]!.socket.join("room");
    pairs[0]!.socket.join("room");
    pairs[0]!.socket.broadcast.emit("msg", "broadcast");
    pairs[0]!.socket.to("room").emit("msg", "room");
    pairs[0]!.socket.except("room").emit("msg", "except room");
    pairs[0]!.socket.local.emit("msg", "local");
    await flush(pairs);
    expect(received).toEqual([[], [["broadcast"], ["room"], ["local"]], [["broadcast"], ["except room"], ["local"]]]);
  });

  it("send/write broadcast a message event; compress(false) still delivers", async () => {
    server = await startServer({}, mode);
    const pairs = await connectMany(2);
    const received = record(pairs, "message");
    server.io.send("one");
    server.io.write("two");
    server.io.compress(false).emit("message", "three");
    server.io.sockets.send("four");
    await flush(pairs);
    expect(received).toEqual([
      [["one"], ["two"], ["three"], ["four"]],
      [["one"], ["two"], ["three"], ["four"]],
    ]);
  });

  it("a binary broadcast is encoded once", async () => {
    server = await startServer({}, mode);
    const pairs = await connectMany(3);
    const received = record(pairs, "bin");
    const encode = jest.spyOn(server.io.encoder, "encode");
    server.io.emit("bin", Buffer.from([1, 2, 3]));
    expect(encode).toHaveBeenCalledTimes(1);
    encode.mockRestore();
    await flush(pairs);
    for (const got of received) expect([...new Uint8Array((got[0] as unknown[])[0] as ArrayBuffer)]).toEqual([1, 2, 3]);
  });

  it("timeout(ms).emit collects one acknowledgement per client", async () => {
    server = await startServer({}, mode);
    const pairs = await connectMany(3);
    pairs.forEach(({ client }, i) => client.on("count", (ack: (n: number) => void) => ack(i)));
    const [err, responses] = await new Promise<[Error | null, number[]]>((resolve) =>
      server.io.timeout(2000).emit("count", (e: Error | null, r: number[]) => resolve([e, r])),
    );
    expect(err).toBeNull();
    expect(responses.sort()).toEqual([0, 1, 2]);
    await expect(server.io.timeout(2000).emitWithAck("count")).resolves.toHaveLength(3);
    // no socket in the room: done at once with no responses
    await expect(server.io.to("empty").timeout(2000).emitWithAck("count")).resolves.toEqual([]);
  });

  it("a broadcast ack timeout reports the responses received so far", async () => {
    server = await startServer({}, mode);
    const pairs = await connectMany(2);
    pairs[0]!.client.on("q", (ack: (v: string) => void) => ack("fast"));
    pairs[1]!.client.on("q", () => undefined);
    const [err, responses] = await new Promise<[Error | null, string[]]>((resolve) =>
      server.io.timeout(100).emit("q", (e: Error | null, r: string[]) => resolve([e, r])),
    );
    expect(err).toBeInstanceOf(AckTimeoutError);
    expect(responses).toEqual(["fast"]);
    await expect(server.io.timeout(100).emitWithAck("q")).rejects.toBeInstanceOf(AckTimeoutError);
  });

  it("fetchSockets returns RemoteSockets that can emit, join, leave and disconnect", async () => {
    server = await startServer({}, mode);
    const pairs = await connectMany(2);
    pairs[0]!.socket.join("room");
    pairs[0]!.socket.data = { name: "zero" };
    const fetched = await server.io.fetchSockets();
    expect(fetched).toHaveLength(2);
    expect(fetched[0]).toBeInstanceOf(RemoteSocket);
    const zero = fetched.find((s) => s.id === pairs[0]!.socket.id)!;
    expect([...zero.rooms].sort()).toEqual([pairs[0]!.socket.id, "room"].sort());
    expect(zero.data).toEqual({ name: "zero" });
    expect(zero.handshake.auth).toEqual({});
    expect(await server.io.in("room").fetchSockets()).toHaveLength(1);
    expect(await server.io.except("room").fetchSockets()).toHaveLength(1);

    const got = waitFor(pairs[0]!.client, "remote");
    zero.emit("remote", 42);
    await expect(got).resolves.toEqual([42]);
    pairs[0]!.client.on("remote-ack", (ack: (v: string) => void) => ack("ok"));
    const ack = await new Promise<unknown[]>((resolve) =>
      zero.timeout(1000).emit("remote-ack", (...args: unknown[]) => resolve(args)),
    );
    expect(ack).toEqual([null, "ok"]); // one answer, as socket.io's RemoteSocket gives
    zero.join("other");
    expect(pairs[0]!.socket.rooms.has("other")).toBe(true);
    zero.leave("other");
    expect(pairs[0]!.socket.rooms.has("other")).toBe(false);
    const reason = waitFor(pairs[0]!.client, "disconnect");
    zero.disconnect();
    await expect(reason).resolves.toEqual(["io server disconnect", undefined]);
  });

  it("socketsJoin, socketsLeave, disconnectSockets and allSockets act on the targets", async () => {
    server = await startServer({}, mode);
    const pairs = await connectMany(3);
    pairs[0]!.socket.join("a");
    server.io.in("a").socketsJoin(["b", "c"]);
    expect([...pairs[0]!.socket.rooms].sort()).toEqual([pairs[0]!.socket.id, "a", "b", "c"].sort());
    server.io.socketsJoin("everyone");
    expect(pairs.every(({ socket }) => socket.rooms.has("everyone"))).toBe(true);
    server.io.in("a").socketsLeave("b");
    expect(pairs[0]!.socket.rooms.has("b")).toBe(false);
    await expect(server.io.in("everyone").allSockets()).resolves.toEqual(new Set(pairs.map(({ socket }) => socket.id)));
    await expect(server.io.allSockets()).resolves.toEqual(new Set(pairs.map(({ socket }) => socket.id)));
    const reasons = pairs.map(({ client }) => waitFor(client, "disconnect"));
    server.io.except("a").disconnectSockets();
    await Promise.all(reasons.slice(1));
    expect(pairs[0]!.socket.connected).toBe(true);
    expect(pairs[1]!.socket.connected).toBe(false);
    const closeReason = waitFor(pairs[0]!.socket, "disconnect");
    server.io.disconnectSockets(true);
    await expect(closeReason).resolves.toEqual(["server namespace disconnect", undefined]);
  });

  it("serverSideEmit with no other node: listeners here are not called, acks get no responses", async () => {
    server = await startServer({}, mode);
    const local = jest.fn();
    server.io.on("hello", local);
    expect(server.io.serverSideEmit("hello", "world")).toBe(true);
    const [err, responses] = await new Promise<[Error | null, unknown[]]>((resolve) =>
      server.io.serverSideEmit("hello", (e: Error | null, r: unknown[]) => resolve([e, r])),
    );
    expect(err).toBeNull();
    expect(responses).toEqual([]);
    await expect(server.io.serverSideEmitWithAck("hello")).resolves.toEqual([]);
    expect(local).not.toHaveBeenCalled();
    expect(() => server.io.serverSideEmit("connection")).toThrow(/reserved/);
    await expect(server.io.serverSideEmitWithAck("new_namespace")).rejects.toThrow(/reserved/);
  });

  it("receiveServerSideEmit delivers another node's event to the namespace listeners, with the ack", async () => {
    server = await startServer({}, mode);
    const got = new Promise<unknown[]>((resolve) =>
      server.io.on("sync", (value: number, ack: (v: number) => void) => {
        ack(value + 1);
        resolve([value]);
      }),
    );
    const answer = new Promise((resolve) => server.io.sockets.receiveServerSideEmit(["sync", 1], resolve));
    await expect(got).resolves.toEqual([1]);
    await expect(answer).resolves.toBe(2);
  });

  it("io.sockets is the main namespace; volatile broadcasts reach ready clients", async () => {
    server = await startServer({}, mode);
    const pairs = await connectMany(1);
    expect(server.io.sockets.name).toBe("/");
    expect(server.io.sockets.sockets.get(pairs[0]!.socket.id)).toBe(pairs[0]!.socket);
    const got = waitFor(pairs[0]!.client, "tick", 5000);
    // a volatile packet may be dropped while a poll is not pending: retry until one lands
    const timer = setInterval(() => server.io.volatile.emit("tick"), 20);
    try {
      await within(got, 5000);
    } finally {
      clearInterval(timer);
    }
  });
});
