// Reconnection after the server drops the connection, the offline buffer, server-side
// disconnection, middleware refusal and connection timeouts, against both servers and over
// every transport mode.
import { createServer as createTcpServer, type Socket as NetSocket } from "node:net";
import { describe, expect, it } from "@jest/globals";
import type { Socket as ServerSocket } from "socket.io";
import { ConnectRefusedError, ConnectTimeoutError, Manager, io } from "../../src";
import { SERVER_KINDS, TRANSPORT_MODES, clientDefaults, recordEvents, waitFor, withServer, within } from "../helpers";

describe.each(SERVER_KINDS)("against the %s server", (kind) => {
  describe.each(TRANSPORT_MODES)("over $name", (mode) => {
    it("reconnects after the server drops the connection, with the Manager's events in order", () =>
      withServer(kind, mode, {}, async (server) => {
        const socket = await server.connected("/");
        const firstId = socket.id;
        const log = recordEvents(socket.io, ["open", "close", "reconnect_attempt", "reconnect", "reconnect_error"]);
        const socketLog = recordEvents(socket, ["disconnect", "connect", "connect_error"]);
        const disconnected = waitFor(socket, "disconnect");
        const reconnected = waitFor(socket.io, "reconnect");
        server.dropConnections();
        const [reason] = await disconnected;
        expect(["transport close", "transport error"]).toContain(reason);
        expect(socket.connected).toBe(false);
        expect(socket.active).toBe(true);
        await reconnected;
        await waitFor(socket, "connect");
        expect(socket.connected).toBe(true);
        expect(socket.id).not.toBe(firstId);
        expect(log).toEqual([`close:${reason}`, "reconnect_attempt:1", "open", "reconnect:1"]);
        expect(socketLog).toEqual([`disconnect:${reason}`, "connect"]);
      }));

    it("buffers what is emitted while disconnected and sends it in order on reconnection, except volatile packets", () =>
      withServer(kind, mode, {}, async (server) => {
        const received: unknown[] = [];
        server.io.on("connection", (serverSocket) => {
          serverSocket.onAny((event: string, ...args: unknown[]) => {
            if (event !== "done") received.push([event, ...args]);
          });
          serverSocket.on("done", (ack: () => void) => ack());
        });
        const socket = await server.connected("/");
        let done: Promise<void> | undefined;
        let buffered: unknown[] = [];
        const disconnected = waitFor(socket, "disconnect");
        socket.once("disconnect", () => {
          socket.emit("a", 1);
          socket.volatile.emit("volatile", 0);
          socket.emit("b", 2);
          socket.compress(false).emit("c", 3);
          done = new Promise<void>((resolve) => socket.emit("done", resolve));
          buffered = socket.sendBuffer.map((packet) => packet.data);
        });
        server.dropConnections();
        await disconnected;
        expect(buffered).toEqual([["a", 1], ["b", 2], ["c", 3], ["done"]]);
        await within(done!);
        expect(received).toEqual([["a", 1], ["b", 2], ["c", 3]]);
        expect(socket.sendBuffer).toEqual([]);
      }));

    it("a server-side disconnect is final: no reconnection until connect()", () =>
      withServer(kind, mode, {}, async (server) => {
        const serverSide = waitFor<[ServerSocket]>(server.io, "connection");
        const socket = await server.connected("/");
        const [serverSocket] = await serverSide;
        const closed = waitFor(socket.io, "close");
        const disconnected = waitFor(socket, "disconnect");
        serverSocket.disconnect();
        expect((await disconnected)[0]).toBe("io server disconnect");
        expect(socket.active).toBe(false);
        // The last socket gone, the Manager closes the connection on purpose.
        expect((await closed)[0]).toBe("forced close");
        socket.connect();
        await waitFor(socket, "connect");
        expect(socket.connected).toBe(true);
      }));

    it("calls an auth function on every (re)connection", () =>
      withServer(kind, mode, {}, async (server) => {
        const auths: unknown[] = [];
        server.io.on("connection", (serverSocket) => auths.push(serverSocket.handshake.auth));
        let calls = 0;
        const socket = await server.connected("/", {
          auth: (cb) => {
            calls++;
            cb({ n: calls });
          },
        });
        const reconnected = waitFor(socket.io, "reconnect");
        server.dropConnections();
        await reconnected;
        await waitFor(socket, "connect");
        expect(calls).toBe(2);
        expect(auths).toEqual([{ n: 1 }, { n: 2 }]);
      }));

    it("a middleware refusal reaches connect_error with the server's message and data, and is not retried", () =>
      withServer(kind, mode, {}, async (server) => {
        server.io.use((_socket, next) => {
          const error = new Error("not authorized") as Error & { data: unknown };
          error.data = { code: 42, hint: "log in" };
          next(error);
        });
        const socket = server.client("/");
        const attempts = recordEvents(socket.io, ["reconnect_attempt"]);
        const closed = waitFor(socket.io, "close");
        const [err] = await waitFor<[ConnectRefusedError]>(socket, "connect_error");
        expect(err).toBeInstanceOf(ConnectRefusedError);
        expect(err.message).toBe("not authorized");
        expect(err.data).toEqual({ code: 42, hint: "log in" });
        expect(socket.active).toBe(false);
        expect(socket.connected).toBe(false);
        expect((await closed)[0]).toBe("forced close");
        expect(attempts).toEqual([]);
      }));

    it("a refused namespace does not harm the other namespaces of the connection", () =>
      withServer(kind, mode, {}, async (server) => {
        server.io.of("/private").use((_socket, next) => next(new Error("private")));
        const options = { ...clientDefaults(mode), forceNew: false };
        const main = io(`${server.url}/`, options);
        const refused = io(`${server.url}/private`, options);
        const mainConnected = waitFor(main, "connect");
        const refusal = waitFor<[Error]>(refused, "connect_error");
        try {
          expect(refused.io).toBe(main.io);
          const [err] = await refusal;
          expect(err.message).toBe("private");
          await mainConnected;
          expect(main.connected).toBe(true);
          expect(refused.active).toBe(false);
        } finally {
          main.disconnect();
          refused.disconnect();
        }
      }));
  });
});

describe("when the server cannot be reached", () => {
  /** A port where nothing listens: one that was just freed. */
  async function deadPort(): Promise<number> {
    const probe = createTcpServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
  }

  it.each(TRANSPORT_MODES)("gives up after reconnectionAttempts ($name)", async (mode) => {
    const port = await deadPort();
    const socket = io(`http://127.0.0.1:${port}`, { ...clientDefaults(mode), reconnectionAttempts: 2 });
    const log = recordEvents(socket.io, ["error", "reconnect_attempt", "reconnect_error", "reconnect_failed"]);
    const socketLog = recordEvents(socket, ["connect_error"]);
    try {
      await waitFor(socket.io, "reconnect_failed");
      expect(log).toEqual([
        "error",
        "reconnect_attempt:1",
        "error",
        "reconnect_error",
        "reconnect_attempt:2",
        "error",
        // socket.io-client's order: giving up is decided (and emitted) before the last error is reported.
        "reconnect_failed",
        "reconnect_error",
      ]);
      expect(socketLog).toEqual(["connect_error", "connect_error", "connect_error"]);
    } finally {
      socket.disconnect();
    }
  });

  it("times out a connection that never opens (timeout option), then retries", async () => {
    // A TCP server that accepts and never answers.
    const silent = createTcpServer();
    const held = new Set<NetSocket>();
    silent.on("connection", (conn) => held.add(conn));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    const manager = new Manager(`http://127.0.0.1:${port}`, {
      ...clientDefaults(TRANSPORT_MODES[1]),
      timeout: 100,
      reconnectionAttempts: 1,
    });
    const socket = manager.socket("/");
    const managerError = waitFor<[Error]>(manager, "error");
    const socketError = waitFor<[Error]>(socket, "connect_error");
    const failed = waitFor(manager, "reconnect_failed");
    try {
      const [err] = await managerError;
      expect(err).toBeInstanceOf(ConnectTimeoutError);
      expect(err.message).toBe("timeout");
      const [socketErr] = await socketError;
      expect(socketErr).toBe(err);
      await failed;
    } finally {
      socket.disconnect();
      for (const conn of held) conn.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
