import { afterEach, describe, expect, it } from "@jest/globals";
import { AckTimeoutError, ReservedEventError, type DisconnectReason, type Socket } from "../../src";
import { countdown, startServer, TRANSPORT_MODES, waitFor, within, type TestServer } from "../helpers";

describe.each(TRANSPORT_MODES)("Socket ($name)", (mode) => {
  let server: TestServer;
  afterEach(() => server.close());

  async function connectPair(options = {}): Promise<{ socket: Socket; client: ReturnType<TestServer["client"]> }> {
    server ??= await startServer(options, mode);
    const connection = waitFor<[Socket]>(server.io, "connection");
    const client = server.client("/", { auth: { token: "abc" }, query: { q: "1" } });
    const [socket] = await connection;
    await waitFor(client, "connect");
    return { socket, client };
  }

  it("has an id shared with the client, a handshake and the connection objects", async () => {
    server = await startServer({}, mode);
    const { socket, client } = await connectPair();
    expect(socket.id).toBe(client.id);
    expect(socket.id).toMatch(/^[\w-]{20}$/);
    expect(socket.connected).toBe(true);
    expect(socket.disconnected).toBe(false);
    expect(socket.recovered).toBe(false);
    expect(socket.handshake.auth).toEqual({ token: "abc" });
    expect(socket.handshake.query["q"]).toBe("1");
    expect(socket.handshake.query["EIO"]).toBe("4");
    expect(socket.handshake.address).toMatch(/127\.0\.0\.1/);
    expect(socket.handshake.secure).toBe(false);
    expect(socket.handshake.xdomain).toBe(false);
    expect(typeof socket.handshake.issued).toBe("number");
    expect(socket.handshake.time).toBe(new Date(socket.handshake.issued).toString());
    expect(socket.handshake.url).toContain("/socket.io/");
    expect(socket.handshake.headers.host).toBe(`127.0.0.1:${server.port}`);
    expect(socket.conn.id).toBeDefined();
    expect(socket.client.conn).toBe(socket.conn);
    expect(socket.client.id).toBe(socket.conn.id);
    expect(socket.client.request).toBe(socket.request);
    expect(socket.request.url).toContain("EIO=4");
    expect(socket.nsp).toBe(server.io.sockets);
    expect(socket.data).toEqual({});
  });

  it("receives events with acknowledgements and binary data", async () => {
    server = await startServer({}, mode);
    const { socket, client } = await connectPair();
    socket.on("upload", (name: string, file: Buffer, ack: (size: number, echo: Buffer) => void) => {
      expect(name).toBe("a.bin");
      ack(file.length, Buffer.concat([file, Buffer.from([9])]));
    });
    const [size, echo] = await new Promise<[number, ArrayBuffer]>((resolve) =>
      client.emit("upload", "a.bin", Buffer.from([1, 2, 3]), (s: number, e: ArrayBuffer) => resolve([s, e])),
    );
    expect(size).toBe(3);
    expect([...new Uint8Array(echo)]).toEqual([1, 2, 3, 9]);
  });

  it("emits with an acknowledgement, emitWithAck and send", async () => {
    server = await startServer({}, mode);
    const { socket, client } = await connectPair();
    client.on("double", (n: number, ack: (v: number) => void) => ack(n * 2));
    const viaCallback = await new Promise((resolve) => socket.emit("double", 21, resolve));
    expect(viaCallback).toBe(42);
    await expect(socket.emitWithAck("double", 4)).resolves.toBe(8);
    const message = waitFor(client, "message");
    socket.send("hi", 1);
    await expect(message).resolves.toEqual(["hi", 1]);
  });

  it("write() is send(), whatever its arguments look like", async () => {
    server = await startServer({}, mode);
    const { socket, client } = await connectPair();
    // three arguments shaped like the adapter's encoded writes are still a message event
    const message = waitFor(client, "message");
    socket.write(["2[\"x\"]"], { volatile: false, compress: true, preEncoded: true }, { type: 2, nsp: "/" });
    await expect(message).resolves.toEqual([["2[\"x\"]"], { volatile: false, compress: true, preEncoded: true }, { type: 2, nsp: "/" }]);
  });

  it("timeout(ms).emit gives the callback an error first, emitWithAck rejects", async () => {
    server = await startServer({}, mode);
    const { socket, client } = await connectPair();
    client.on("answer", (ack: (v: string) => void) => ack("yes"));
    client.on("silent", () => undefined);
    const answered = await new Promise<unknown[]>((resolve) =>
      socket.timeout(1000).emit("answer", (...args: unknown[]) => resolve(args)),
    );
    expect(answered).toEqual([null, "yes"]);
    const timedOut = await new Promise<unknown[]>((resolve) =>
      socket.timeout(50).emit("silent", (...args: unknown[]) => resolve(args)),
    );
    expect(timedOut[0]).toBeInstanceOf(AckTimeoutError);
    await expect(socket.timeout(50).emitWithAck("silent")).rejects.toMatchObject({ code: "VOLLEY_SERVER_ERR_ACK_TIMEOUT" });
    await expect(socket.timeout(1000).emitWithAck("answer")).resolves.toBe("yes");
  });

  it("a pending emitWithAck rejects when the socket disconnects", async () => {
    server = await startServer({}, mode);
    const { socket, client } = await connectPair();
    client.on("never", () => client.disconnect());
    await expect(within(socket.emitWithAck("never"), 5000)).rejects.toMatchObject({
      code: "VOLLEY_SERVER_ERR_SOCKET_DISCONNECTED",
    });
    await expect(socket.emitWithAck("x")).rejects.toMatchObject({ code: "VOLLEY_SERVER_ERR_SOCKET_DISCONNECTED" });
  });

  it("refuses reserved event names", async () => {
    server = await startServer({}, mode);
    const { socket } = await connectPair();
    for (const name of ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]) {
      expect(() => socket.emit(name)).toThrow(ReservedEventError);
      expect(() => server.io.emit(name)).toThrow(ReservedEventError);
      expect(() => socket.to("room").emit(name)).toThrow(ReservedEventError);
    }
  });

  it("joins and leaves rooms (one or several)", async () => {
    server = await startServer({}, mode);
    const { socket } = await connectPair();
    expect([...socket.rooms]).toEqual([socket.id]);
    socket.join("a");
    socket.join(["b", "c"]);
    expect([...socket.rooms].sort()).toEqual([socket.id, "a", "b", "c"].sort());
    socket.leave("b");
    expect(socket.rooms.has("b")).toBe(false);
    expect(server.io.sockets.adapter.rooms.get("a")?.has(socket.id)).toBe(true);
    const gone = waitFor(socket, "disconnect");
    socket.disconnect();
    await gone;
    socket.join("late");
    expect(server.io.sockets.adapter.rooms.has("late")).toBe(false);
    expect(server.io.sockets.adapter.sids.has(socket.id)).toBe(false);
  });

  it("can join rooms from a connection middleware", async () => {
    server = await startServer({}, mode);
    server.io.use((socket, next) => {
      socket.join("from-middleware");
      next();
    });
    const { socket, client } = await connectPair();
    expect(socket.rooms.has("from-middleware")).toBe(true);
    const got = waitFor(client, "hi");
    server.io.to("from-middleware").emit("hi");
    await got;
  });

  it("can emit from a connection middleware: the client gets the event once connected", async () => {
    server = await startServer({}, mode);
    server.io.use((socket, next) => {
      socket.emit("session", "s1");
      next();
    });
    const connection = waitFor<[Socket]>(server.io, "connection");
    const client = server.client("/");
    const got = waitFor<[string]>(client, "session");
    await connection;
    await waitFor(client, "connect");
    expect(await got).toEqual(["s1"]);
  });

  it("runs per-packet middlewares, which may refuse a packet (error event)", async () => {
    server = await startServer({}, mode);
    const { socket, client } = await connectPair();
    const seen: unknown[] = [];
    socket.use((packet, next) => {
      if (packet[0] === "forbidden") next(new Error("not allowed"));
      else {
        packet.push("added");
        next();
      }
    });
    socket.on("allowed", (...args: unknown[]) => seen.push(args));
    socket.on("forbidden", () => seen.push("forbidden"));
    const error = waitFor<[Error]>(socket, "error");
    client.emit("forbidden");
    await expect(error).resolves.toEqual([expect.objectContaining({ message: "not allowed" })]);
    const allowed = waitFor(socket, "allowed");
    client.emit("allowed", 1);
    await allowed;
    expect(seen).toEqual([[1, "added"]]);
  });

  it("calls catch-all listeners for incoming and outgoing events", async () => {
    server = await startServer({}, mode);
    const { socket, client } = await connectPair();
    const order: string[] = [];
    const first = (event: string): void => void order.push(`first:${event}`);
    const second = (event: string, ...args: unknown[]): void => void order.push(`second:${event}:${String(args[0])}`);
    socket.onAny(second);
    socket.prependAny(first);
    expect(socket.listenersAny()).toEqual([first, second]);
    const got = waitFor(socket, "ping1");
    client.emit("ping1", "x");
    await got;
    expect(order).toEqual(["first:ping1", "second:ping1:x"]);
    socket.offAny(first);
    expect(socket.listenersAny()).toEqual([second]);
    socket.offAny();
    expect(socket.listenersAny()).toEqual([]);

    const outgoing: unknown[][] = [];
    const out = (...args: unknown[]): void => void outgoing.push(args);
    const outFirst = (): void => void outgoing.push(["first"]);
    socket.onAnyOutgoing(out);
    socket.prependAnyOutgoing(outFirst);
    expect(socket.listenersAnyOutgoing()).toEqual([outFirst, out]);
    const received = countdown(2);
    client.on("direct", received.tick);
    client.on("broadcast", received.tick);
    socket.emit("direct", 1);
    server.io.emit("broadcast", 2);
    await received.done;
    expect(outgoing).toEqual([["first"], ["direct", 1], ["first"], ["broadcast", 2]]);
    socket.offAnyOutgoing(outFirst);
    expect(socket.listenersAnyOutgoing()).toEqual([out]);
    socket.offAnyOutgoing();
    expect(socket.listenersAnyOutgoing()).toEqual([]);
  });

  it("disconnect() leaves the namespace: the client gets io server disconnect", async () => {
    server = await startServer({}, mode);
    const { socket, client } = await connectPair();
    socket.join("room");
    const events: Array<[string, DisconnectReason, boolean]> = [];
    socket.on("disconnecting", (reason) => events.push(["disconnecting", reason, socket.rooms.has("room")]));
    socket.on("disconnect", (reason) => events.push(["disconnect", reason, socket.rooms.has("room")]));
    const clientReason = waitFor<[string]>(client, "disconnect");
    socket.disconnect();
    await expect(clientReason).resolves.toEqual(["io server disconnect", undefined]);
    expect(events).toEqual([
      ["disconnecting", "server namespace disconnect", true],
      ["disconnect", "server namespace disconnect", false],
    ]);
    expect(socket.connected).toBe(false);
    expect(server.io.sockets.sockets.has(socket.id)).toBe(false);
    expect(server.io.sockets.adapter.rooms.has("room")).toBe(false);
    // a second call is harmless
    socket.disconnect();
    expect(events).toHaveLength(2);
  });

  it("disconnect(true) closes the whole connection", async () => {
    server = await startServer({}, mode);
    const { socket, client } = await connectPair();
    const adminConnection = waitFor<[Socket]>(server.io.of("/admin"), "connection");
    const admin = server.client("/admin");
    // the same Manager would multiplex; a second one is another connection
    const [adminSocket] = await adminConnection;
    await waitFor(admin, "connect");
    const serverReason = waitFor<[DisconnectReason]>(socket, "disconnect");
    const clientReason = waitFor<[string]>(client, "disconnect");
    socket.disconnect(true);
    await expect(serverReason).resolves.toEqual(["server namespace disconnect", undefined]);
    await expect(clientReason).resolves.toEqual([expect.stringMatching(/io server disconnect|transport close/), undefined]);
    expect(adminSocket.connected).toBe(true);
  });

  it("reports the client's namespace disconnect and a lost transport", async () => {
    server = await startServer({}, mode);
    const first = await connectPair();
    const reason1 = waitFor<[DisconnectReason]>(first.socket, "disconnect");
    first.client.disconnect();
    await expect(reason1).resolves.toEqual(["client namespace disconnect", undefined]);

    const second = await connectPair();
    const reason2 = waitFor<[DisconnectReason]>(second.socket, "disconnect");
    second.client.io.engine.close();
    await expect(reason2).resolves.toEqual([expect.stringMatching(/^transport close$/), undefined]);
  });

  it("volatile and compress emitters do not change the socket", async () => {
    server = await startServer({}, mode);
    const { socket, client } = await connectPair();
    const got = countdown(2);
    const values: unknown[] = [];
    client.on("v", (x: unknown) => {
      values.push(x);
      got.tick();
    });
    const volatile = socket.volatile;
    expect(volatile).not.toBe(socket);
    socket.compress(false).emit("v", 1);
    socket.emit("v", 2);
    await got.done;
    expect(values).toEqual([1, 2]);
  });
});
