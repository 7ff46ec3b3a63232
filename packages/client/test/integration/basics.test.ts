// Connection, events both ways, acks, namespaces and multiplexing, against Volley's server
// and the published socket.io, over polling, websocket and the upgrade.
import { describe, expect, it } from "@jest/globals";
import type { Socket as ServerSocket } from "socket.io";
import { Fetch, io, Manager, ReservedEventError } from "../../src";
import { SERVER_KINDS, TRANSPORT_MODES, clientDefaults, waitFor, withServer, within } from "../helpers";

describe.each(SERVER_KINDS)("against the %s server", (kind) => {
  describe.each(TRANSPORT_MODES)("over $name", (mode) => {
    it("connects, gets an id, exchanges events both ways and disconnects", () =>
      withServer(kind, mode, {}, async (server) => {
        const serverSide = waitFor<[ServerSocket]>(server.io, "connection");
        const socket = server.client("/");
        expect(socket.connected).toBe(false);
        expect(socket.active).toBe(true);
        await waitFor(socket, "connect");
        const [serverSocket] = await serverSide;
        expect(socket.connected).toBe(true);
        expect(socket.disconnected).toBe(false);
        expect(socket.id).toBe(serverSocket.id);
        expect(socket.recovered).toBe(false);

        const received = waitFor(serverSocket, "hello");
        socket.emit("hello", "world", 1, { nested: [true, null] });
        expect(await received).toEqual(["world", 1, { nested: [true, null] }]);

        const news = waitFor(socket, "news");
        serverSocket.emit("news", "headline", 2);
        expect(await news).toEqual(["headline", 2]);

        const gone = waitFor(serverSocket, "disconnect");
        socket.disconnect();
        expect(socket.connected).toBe(false);
        expect(socket.active).toBe(false);
        expect(socket.id).toBeUndefined();
        expect((await gone)[0]).toBe("client namespace disconnect");
      }));

    it("sends the URL's query string and the auth payload with the connection", () =>
      withServer(kind, mode, {}, async (server) => {
        const serverSide = waitFor<[ServerSocket]>(server.io, "connection");
        server.client("/?room=42&name=a%20b", { auth: { token: "abc" } });
        const [serverSocket] = await serverSide;
        expect(serverSocket.handshake.query["room"]).toBe("42");
        expect(serverSocket.handshake.query["name"]).toBe("a b");
        expect(serverSocket.handshake.auth).toEqual({ token: "abc" });
      }));

    it("acknowledgements both ways, binary included", () =>
      withServer(kind, mode, {}, async (server) => {
        server.io.on("connection", (serverSocket) => {
          serverSocket.on("sum", (a: number, b: number, ack: (n: number) => void) => ack(a + b));
          serverSocket.on("echo", (data: unknown, ack: (d: unknown) => void) => ack(data));
          serverSocket.emit("question", "ready?", (answer: string) => serverSocket.emit("answer-was", answer));
        });
        const socket = server.client("/");
        socket.on("question", (_text: string, ack: (answer: string) => void) => {
          ack("yes");
          ack("twice"); // ignored: an ack answers once
        });
        const answered = waitFor(socket, "answer-was");
        await waitFor(socket, "connect");
        const sum = await within(new Promise<number>((resolve) => socket.emit("sum", 1, 2, resolve)));
        expect(sum).toBe(3);
        expect(await socket.emitWithAck("sum", 40, 2)).toBe(42);
        const echoed = (await socket.emitWithAck("echo", { file: Buffer.from([1, 2, 3]), list: [new Uint8Array([4])] })) as {
          file: Buffer;
          list: Buffer[];
        };
        expect(Buffer.from(echoed.file)).toEqual(Buffer.from([1, 2, 3]));
        expect(Buffer.from(echoed.list[0]!)).toEqual(Buffer.from([4]));
        expect(await answered).toEqual(["yes"]);
      }));

    it("receives binary events from the server", () =>
      withServer(kind, mode, {}, async (server) => {
        server.io.on("connection", (serverSocket) => {
          serverSocket.emit("file", Buffer.from([9, 8, 7]), "name");
        });
        const socket = server.client("/");
        const [file, name] = await waitFor<[Buffer, string]>(socket, "file");
        expect(Buffer.from(file)).toEqual(Buffer.from([9, 8, 7]));
        expect(name).toBe("name");
      }));

    it("namespaces of one server share one connection; forceNew and multiplex: false do not", () =>
      withServer(kind, mode, {}, async (server) => {
        server.io.of("/admin");
        server.io.of("/chat");
        const base = { ...clientDefaults(mode), forceNew: false };
        const a = io(`${server.url}/`, base);
        const b = io(`${server.url}/admin`, base);
        const c = io(`${server.url}/admin`, base); // same namespace again: a new Manager
        const d = io(`${server.url}/chat`, { ...base, multiplex: false });
        const e = io(`${server.url}/chat`, { ...base, forceNew: true });
        try {
          expect(b.io).toBe(a.io);
          expect(c.io).not.toBe(a.io);
          expect(d.io).not.toBe(a.io);
          expect(e.io).not.toBe(d.io);
          await Promise.all([a, b, c, d, e].map((socket) => waitFor(socket, "connect")));
          expect(a.io.engine.id).toBe(b.io.engine.id);
          expect(c.io.engine.id).not.toBe(a.io.engine.id);
          // Disconnecting one namespace keeps the shared connection; the last one closes it.
          const closed = waitFor(a.io, "close");
          a.disconnect();
          expect(b.connected).toBe(true);
          b.disconnect();
          expect((await closed)[0]).toBe("forced close");
        } finally {
          for (const socket of [a, b, c, d, e]) socket.disconnect();
        }
      }));

    it("refuses reserved event names", () =>
      withServer(kind, mode, {}, async (server) => {
        const socket = await server.connected("/");
        for (const name of ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]) {
          expect(() => socket.emit(name)).toThrow(ReservedEventError);
        }
      }));

    it("with autoConnect: false, connects on connect()", () =>
      withServer(kind, mode, {}, async (server) => {
        const manager = new Manager(server.url, { ...clientDefaults(mode), autoConnect: false });
        const socket = manager.socket("/");
        expect(socket.active).toBe(false);
        expect(manager.engine).toBeUndefined();
        socket.connect();
        await waitFor(socket, "connect");
        expect(socket.connected).toBe(true);
        socket.disconnect();
      }));
  });
});

describe.each(SERVER_KINDS)("fetch-only runtimes, against the %s server", (kind) => {
  it("connects and exchanges events with the Fetch polling transport", () =>
    withServer(kind, TRANSPORT_MODES[0], {}, async (server) => {
      server.io.on("connection", (serverSocket) => {
        serverSocket.on("echo", (value: unknown, ack: (v: unknown) => void) => ack(value));
      });
      const socket = server.client("/", { transports: [Fetch] });
      await waitFor(socket, "connect");
      expect(socket.io.engine.transport.name).toBe("polling");
      expect(await socket.emitWithAck("echo", { ok: true })).toEqual({ ok: true });
    }));
});
