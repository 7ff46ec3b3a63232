import { afterEach, describe, expect, it } from "@jest/globals";
import { io as ioc } from "socket.io-client";
import type { ExtendedError, Namespace, Socket } from "../../src";
import { countdown, startServer, TRANSPORT_MODES, waitFor, type TestServer } from "../helpers";

describe.each(TRANSPORT_MODES)("Namespaces ($name)", (mode) => {
  let server: TestServer;
  afterEach(() => server.close());

  it("of(name) creates a namespace once, emits new_namespace, and adds a connection listener", async () => {
    server = await startServer({}, mode);
    const created: string[] = [];
    server.io.on("new_namespace", (namespace) => created.push(namespace.name));
    const connected = countdown(1);
    const admin = server.io.of("/admin", () => connected.tick());
    expect(server.io.of("/admin")).toBe(admin);
    expect(server.io.of("admin")).toBe(admin);
    expect(created).toEqual(["/admin"]);
    expect(server.io.namespaces.get("/admin")).toBe(admin);
    const client = server.client("/admin");
    await waitFor(client, "connect");
    await connected.done;
    expect(admin.sockets.size).toBe(1);
    expect(server.io.sockets.sockets.size).toBe(0);
  });

  it("multiplexes several namespaces on one connection", async () => {
    server = await startServer({}, mode);
    server.io.of("/a").on("connection", (socket) => socket.emit("where", "a"));
    server.io.of("/b").on("connection", (socket) => socket.emit("where", "b"));
    const a = server.client("/a");
    const b = a.io.socket("/b");
    const [whereA, whereB] = await Promise.all([waitFor(a, "where"), waitFor(b, "where")]);
    expect([whereA, whereB]).toEqual([["a"], ["b"]]);
    const [socketA] = [...server.io.of("/a").sockets.values()];
    const [socketB] = [...server.io.of("/b").sockets.values()];
    expect(socketA!.conn).toBe(socketB!.conn);
    b.disconnect();
  });

  it("answers CONNECT to an unknown namespace with connect_error Invalid namespace", async () => {
    server = await startServer({}, mode);
    const client = server.client("/nope");
    const [err] = await waitFor<[Error]>(client, "connect_error");
    expect(err.message).toBe("Invalid namespace");
  });

  it("runs middlewares in order; an error with data becomes connect_error { message, data }", async () => {
    server = await startServer({}, mode);
    const order: string[] = [];
    server.io.use((socket, next) => {
      order.push("first");
      socket.data = { user: "alice" };
      next();
    });
    server.io.use((socket, next) => {
      order.push("second");
      if (socket.handshake.auth["token"] === "good") {
        next();
        return;
      }
      const err: ExtendedError = new Error("not authorized");
      err.data = { content: "Please retry later" };
      next(err);
    });
    const refused = server.client("/", { auth: { token: "bad" } });
    const [err] = await waitFor<[Error & { data?: unknown }]>(refused, "connect_error");
    expect(err.message).toBe("not authorized");
    expect(err.data).toEqual({ content: "Please retry later" });
    expect(server.io.sockets.sockets.size).toBe(0);

    const connection = waitFor<[Socket]>(server.io, "connection");
    const accepted = server.client("/", { auth: { token: "good" } });
    const [socket] = await connection;
    await waitFor(accepted, "connect");
    expect(socket.data).toEqual({ user: "alice" });
    expect(order).toEqual(["first", "second", "first", "second"]);
  });

  it("a middleware that throws refuses the socket", async () => {
    server = await startServer({}, mode);
    server.io.use(() => {
      throw new Error("boom");
    });
    const client = server.client("/");
    const [err] = await waitFor<[Error]>(client, "connect_error");
    expect(err.message).toBe("boom");
  });

  it("of(RegExp) creates child namespaces on demand", async () => {
    server = await startServer({}, mode);
    const created: string[] = [];
    server.io.on("new_namespace", (namespace) => created.push(namespace.name));
    const parent = server.io.of(/^\/dynamic-\d+$/);
    const middlewareSaw: string[] = [];
    parent.use((socket, next) => {
      middlewareSaw.push(socket.nsp.name);
      next();
    });
    const connections: string[] = [];
    parent.on("connection", (socket) => {
      connections.push(socket.nsp.name);
      socket.emit("hello", socket.nsp.name);
    });
    const client = server.client("/dynamic-101");
    await expect(waitFor(client, "hello")).resolves.toEqual(["/dynamic-101"]);
    expect(created).toEqual(["/dynamic-101"]);
    expect(middlewareSaw).toEqual(["/dynamic-101"]);
    expect(connections).toEqual(["/dynamic-101"]);
    expect([...parent.children].map((child) => child.name)).toEqual(["/dynamic-101"]);

    const other = server.client("/dynamic-abc");
    await expect(waitFor<[Error]>(other, "connect_error")).resolves.toEqual([expect.objectContaining({ message: "Invalid namespace" })]);

    // broadcast through the parent reaches every child
    const second = server.client("/dynamic-202");
    await waitFor(second, "hello");
    const both = countdown(2);
    client.on("news", both.tick);
    second.on("news", both.tick);
    parent.emit("news");
    await both.done;
    expect((await parent.fetchSockets()).length).toBe(2);
  });

  it("of(function) asks the function, with the auth payload", async () => {
    server = await startServer({}, mode);
    server.io.of((name, auth, next) => next(null, name === "/fn" && auth["ok"] === true), (socket) => {
      socket.emit("in", socket.nsp.name);
    });
    const refused = server.client("/fn", { auth: { ok: false } });
    await expect(waitFor<[Error]>(refused, "connect_error")).resolves.toEqual([expect.objectContaining({ message: "Invalid namespace" })]);
    const accepted = server.client("/fn", { auth: { ok: true } });
    await expect(waitFor(accepted, "in")).resolves.toEqual(["/fn"]);
  });

  it("cleanupEmptyChildNamespaces removes a child once its last socket left", async () => {
    server = await startServer({ cleanupEmptyChildNamespaces: true }, mode);
    const parent = server.io.of(/^\/tmp-\d+$/);
    const client = server.client("/tmp-1");
    await waitFor(client, "connect");
    const child = server.io.namespaces.get("/tmp-1") as Namespace;
    expect(child).toBeDefined();
    const gone = waitFor([...child.sockets.values()][0]!, "disconnect");
    client.disconnect();
    await gone;
    expect(server.io.namespaces.has("/tmp-1")).toBe(false);
    expect(parent.children.size).toBe(0);
    // a new client gets a new child
    const again = server.client("/tmp-1");
    await waitFor(again, "connect");
    expect(server.io.namespaces.get("/tmp-1")).not.toBe(child);
  });

  it("cleanupEmptyChildNamespaces also removes a child whose only socket was refused", async () => {
    server = await startServer({ cleanupEmptyChildNamespaces: true }, mode);
    const parent = server.io.of(/^\/refused-\d+$/);
    parent.use((_socket, next) => next(new Error("no")));
    const client = server.client("/refused-1");
    await waitFor(client, "connect_error");
    expect(server.io.namespaces.has("/refused-1")).toBe(false);
    expect(parent.children.size).toBe(0);
  });

  it("keeps empty child namespaces by default", async () => {
    server = await startServer({}, mode);
    server.io.of(/^\/keep-\d+$/);
    const client = server.client("/keep-1");
    await waitFor(client, "connect");
    const child = server.io.namespaces.get("/keep-1")!;
    const gone = waitFor([...child.sockets.values()][0]!, "disconnect");
    client.disconnect();
    await gone;
    expect(server.io.namespaces.get("/keep-1")).toBe(child);
  });

  it("a client connected with the published client to a custom path", async () => {
    server = await startServer({ path: "/custom" }, mode);
    const client = ioc(server.url, { path: "/custom", forceNew: true, reconnection: false, transports: [...mode.options.transports] });
    try {
      await waitFor(client, "connect");
      expect(server.io.path()).toBe("/custom");
    } finally {
      client.close();
    }
  });
});
