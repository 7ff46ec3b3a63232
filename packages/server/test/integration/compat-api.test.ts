// Drop-in compatibility (issue 7), API side: each scenario runs against the published
// socket.io 4.8 and against @volley/server, and must observe the same thing.
import { EventEmitter } from "node:events";
import { createServer } from "node:http";
import { afterEach, describe, expect, it } from "@jest/globals";
import type { Socket as ClientSocket } from "socket.io-client";
import type { Namespace, Socket } from "../../src";
import { countdown, waitFor, within } from "../helpers";
import { IMPLEMENTATIONS, listen, startDiffServer, type DiffServer } from "../helpers/differential";

/** Resolves with the names of the events `client` receives until it receives `end`. */
function eventsUntilEnd(client: ClientSocket): Promise<string[]> {
  const names: string[] = [];
  return within(
    new Promise<string[]>((resolve) => {
      client.onAny((name: string) => {
        if (name === "end") resolve(names);
        else names.push(name);
      });
    }),
    5000,
    "the end marker",
  );
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe.each(IMPLEMENTATIONS)("socket.io compatibility ($name)", (impl) => {
  let server: DiffServer;
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await server?.close();
  });

  describe("EventEmitter methods of Server, Namespace and Socket", () => {
    it("setMaxListeners / getMaxListeners, shared by the server and its main namespace", async () => {
      server = await startDiffServer(impl);
      const { io } = server;
      expect(io.getMaxListeners()).toBe(10);
      // (socket.io's server hands the call to its main namespace and returns that)
      io.setMaxListeners(0);
      expect(io.getMaxListeners()).toBe(0);
      expect(io.sockets.getMaxListeners()).toBe(0);
      const admin = io.of("/admin");
      expect(admin.setMaxListeners(Infinity).getMaxListeners()).toBe(Infinity);
      // (node's errors come from outside jest's realm: compared by name, code and message)
      for (const [value, name, code] of [
        [-1, "RangeError", "ERR_OUT_OF_RANGE"],
        [Number.NaN, "RangeError", "ERR_OUT_OF_RANGE"],
        ["3", "TypeError", "ERR_INVALID_ARG_TYPE"],
        [{}, "TypeError", "ERR_INVALID_ARG_TYPE"],
      ] as const) {
        const error = thrown(() => io.setMaxListeners(value as number));
        expect(error).toMatchObject({ name, code });
        expect((error as Error).message).toBe((thrown(() => new EventEmitter().setMaxListeners(value as number)) as Error).message);
      }
      const connection = waitFor<[Socket]>(io, "connection");
      await server.connected();
      const [socket] = await connection;
      expect(socket.getMaxListeners()).toBe(10);
      expect(socket.setMaxListeners(3)).toBe(socket);
      expect(socket.getMaxListeners()).toBe(3);
    });

    it("prependOnceListener, rawListeners and listenerCount(event, listener)", async () => {
      server = await startDiffServer(impl);
      const admin: Namespace = server.io.of("/admin");
      const calls: string[] = [];
      const plain = (): number => calls.push("plain");
      const once = (): number => calls.push("once");
      admin.on("connection", plain);
      admin.on("connection", plain);
      expect(admin.prependOnceListener("connection", once)).toBe(admin);
      expect(admin.listenerCount("connection")).toBe(3);
      expect(admin.listenerCount("connection", plain)).toBe(2);
      expect(admin.listenerCount("connection", once)).toBe(1);
      const raw = admin.rawListeners("connection");
      expect(raw).toHaveLength(3);
      expect(raw[0]).not.toBe(once);
      expect((raw[0] as { listener?: unknown }).listener).toBe(once);
      expect(raw.slice(1)).toEqual([plain, plain]);
      expect(admin.listeners("connection")).toEqual([once, plain, plain]);
      await server.connected("/admin");
      await server.connected("/admin");
      expect(calls).toEqual(["once", "plain", "plain", "plain", "plain"]);
      expect(admin.listenerCount("connection", once)).toBe(0);
      // a raw once wrapper removes itself when called
      const again = (): number => calls.push("again");
      admin.once("connection", again);
      const wrapper = admin.rawListeners("connection").at(-1) as () => void;
      wrapper();
      expect(calls.at(-1)).toBe("again");
      expect(admin.listenerCount("connection", again)).toBe(0);
    });

    it("on a socket: prependOnceListener, rawListeners, listenerCount(event, listener)", async () => {
      server = await startDiffServer(impl);
      const connection = waitFor<[Socket]>(server.io, "connection");
      const client = await server.connected();
      const [socket] = await connection;
      const got: string[] = [];
      const first = (): number => got.push("first");
      socket.on("hello", () => got.push("on"));
      socket.prependOnceListener("hello", first);
      expect(socket.listenerCount("hello", first)).toBe(1);
      expect(socket.rawListeners("hello")).toHaveLength(2);
      const done = countdown(2);
      socket.on("hello", done.tick);
      client.emit("hello");
      client.emit("hello");
      await done.done;
      expect(got).toEqual(["first", "on", "on"]);
    });
  });

  describe("members of socket.io's typings", () => {
    it("io._nsps, io.eio, io._opts, namespace.server", async () => {
      server = await startDiffServer(impl, { connectTimeout: 1234 });
      const { io } = server;
      expect(io._nsps).toBeInstanceOf(Map);
      expect(io._nsps.get("/")).toBe(io.sockets);
      const admin = io.of("/admin");
      expect(io._nsps.get("/admin")).toBe(admin);
      expect(admin.server).toBe(io);
      expect(io.sockets.server).toBe(io);
      expect(io.eio).toBe(io.engine);
      expect(io.eio).toBeDefined();
      expect(io._opts).toMatchObject({ connectTimeout: 1234 });
    });

    it("io._nsps.delete(name) forgets a namespace: the next client is refused", async () => {
      server = await startDiffServer(impl);
      server.io.of("/gone");
      await server.connected("/gone");
      server.io._nsps.delete("/gone");
      const refused = server.client("/gone");
      const [err] = await waitFor<[Error]>(refused, "connect_error");
      expect(err.message).toBe("Invalid namespace");
    });

    it("socket.leaveAll() leaves every room, its own included, and stays connected", async () => {
      server = await startDiffServer(impl);
      const connection = waitFor<[Socket]>(server.io, "connection");
      const client = await server.connected();
      const [socket] = await connection;
      await socket.join(["a", "b"]);
      expect([...socket.rooms].sort()).toEqual([socket.id, "a", "b"].sort());
      socket.leaveAll();
      expect(socket.rooms.size).toBe(0);
      expect(socket.connected).toBe(true);
      const received = eventsUntilEnd(client);
      server.io.to("a").emit("to-room");
      server.io.to(socket.id).emit("to-id");
      socket.emit("direct");
      socket.emit("end");
      expect(await received).toEqual(["direct"]);
    });
  });

  describe("volatile packets", () => {
    it("are dropped right after a regular packet of the same turn, and after another volatile one", async () => {
      server = await startDiffServer(impl);
      server.io.on("connection", (socket: Socket) => {
        socket.on("go", () => {
          socket.volatile.emit("v1");
          socket.volatile.emit("v2");
          socket.emit("r1");
          socket.volatile.emit("v3");
        });
        // sent once the client got r1: a later turn, with the transport writable again
        socket.on("got-r1", () => socket.emit("end"));
        // the CONNECT packet was just written
        socket.volatile.emit("v0");
        socket.emit("r0");
        socket.volatile.emit("v00");
      });
      const client = server.client();
      const received = eventsUntilEnd(client);
      client.on("r1", () => client.emit("got-r1"));
      await waitFor(client, "connect");
      client.emit("go");
      expect(await received).toEqual(["r0", "v1", "r1"]);
    });

    it("over polling too: nothing volatile goes out behind a packet of the same turn", async () => {
      server = await startDiffServer(impl);
      server.io.on("connection", (socket: Socket) => {
        socket.on("go", () => {
          socket.emit("r1");
          socket.volatile.emit("v1");
          socket.volatile.emit("v2");
        });
        socket.on("got-r1", () => socket.emit("end"));
      });
      const client = server.client("/", { transports: ["polling"] });
      const received = eventsUntilEnd(client);
      client.on("r1", () => client.emit("got-r1"));
      await waitFor(client, "connect");
      client.emit("go");
      expect(await received).toEqual(["r1"]);
    });

    it("broadcasts: each client gets the first volatile broadcast of a turn only", async () => {
      server = await startDiffServer(impl);
      const clients = [await server.connected(), await server.connected()];
      const received = clients.map(eventsUntilEnd);
      const gotB1 = Promise.all(clients.map((client) => waitFor(client, "b1")));
      server.io.volatile.emit("b1");
      server.io.volatile.emit("b2");
      server.io.to("nobody").emit("x");
      // once every client got b1: a later turn, with the transports writable again
      await gotB1;
      server.io.emit("end");
      expect(await Promise.all(received)).toEqual([["b1"], ["b1"]]);
    });
  });

  describe("close and listen", () => {
    it("io.close(cb) hands the http server's ERR_SERVER_NOT_RUNNING to cb when it was not listening", async () => {
      server = await startDiffServer(impl);
      const idle = createServer();
      const io = impl.create(idle, {});
      const err = await within(new Promise<Error | undefined>((resolve) => void io.close(resolve)));
      // (created by node outside jest's realm: compared by its code, not instanceof)
      expect(err).toMatchObject({ code: "ERR_SERVER_NOT_RUNNING", message: expect.any(String) });
    });

    it("io.close() then io.listen(httpServer) serves again", async () => {
      server = await startDiffServer(impl);
      const first = await server.connected();
      const gone = waitFor(first, "disconnect");
      await within(server.io.close());
      await gone;
      const again = createServer();
      const port = await listen(again);
      cleanups.push(() => new Promise((resolve) => (again.listening ? again.close(resolve) : resolve(undefined))));
      server.io.listen(again);
      server.io.on("connection", (socket: Socket) => socket.emit("welcome", "back"));
      const { io: ioc } = await import("socket.io-client");
      const client = ioc(`http://127.0.0.1:${port}`, { forceNew: true, reconnection: false, transports: ["websocket"] });
      cleanups.push(() => client.disconnect());
      await expect(waitFor(client, "welcome")).resolves.toEqual(["back"]);
      cleanups.push(() => server.io.close());
    });
  });

  describe("io.of(name) for a name a parent namespace matches", () => {
    it("a RegExp parent: the namespace is its child, with its middlewares and connection listeners", async () => {
      server = await startDiffServer(impl);
      const parent = server.io.of(/^\/dyn-\d+$/);
      parent.use((socket, next) => {
        socket.data = { viaParent: true };
        next();
      });
      const parentConnections: string[] = [];
      parent.on("connection", (socket: Socket) => parentConnections.push(socket.nsp.name));
      const created: string[] = [];
      server.io.on("new_namespace", (namespace: Namespace) => created.push(namespace.name));
      const child = server.io.of("/dyn-1");
      expect(created).toEqual(["/dyn-1"]);
      expect(server.io._nsps.get("/dyn-1")).toBe(child);
      expect(server.io.of("/dyn-1")).toBe(child);
      const connection = waitFor<[Socket]>(child, "connection");
      await server.connected("/dyn-1");
      const [socket] = await connection;
      expect(socket.data).toEqual({ viaParent: true });
      expect(parentConnections).toEqual(["/dyn-1"]);
      const listener = await server.connected("/dyn-1");
      const broadcast = waitFor(listener, "from-parent");
      parent.emit("from-parent", 1);
      await expect(broadcast).resolves.toEqual([1]);
    });

    it("a function parent is asked only when a client connects: io.of(name) makes a plain namespace", async () => {
      server = await startDiffServer(impl);
      const asked: string[] = [];
      const parent = server.io.of((name, _auth, next) => {
        asked.push(name);
        next(null, true);
      });
      const parentMiddleware: string[] = [];
      parent.use((socket, next) => {
        parentMiddleware.push(socket.nsp.name);
        next();
      });
      server.io.of("/fn-1");
      await server.connected("/fn-1");
      await server.connected("/fn-2");
      expect(asked).toEqual(["/fn-2"]);
      expect(parentMiddleware).toEqual(["/fn-2"]);
    });
  });
});
