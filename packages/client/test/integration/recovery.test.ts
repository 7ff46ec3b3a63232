// Connection state recovery: on reconnection the client sends {pid, offset} with its CONNECT;
// a server with `connectionStateRecovery` restores the session (same id, rooms) and replays
// what was missed, and the client sets `recovered`.
import { describe, expect, it } from "@jest/globals";
import type { Socket as ServerSocket } from "socket.io";
import { SERVER_KINDS, TRANSPORT_MODES, upgraded, waitFor, withServer } from "../helpers";

const RECOVERY = { connectionStateRecovery: { maxDisconnectionDuration: 10_000, skipMiddlewares: true } };

describe.each(SERVER_KINDS)("against the %s server", (kind) => {
  describe.each(TRANSPORT_MODES)("over $name", (mode) => {
    it("restores the session after the connection drops: same id, missed events replayed, recovered set", () =>
      withServer(kind, mode, RECOVERY, async (server) => {
        const connections: ServerSocket[] = [];
        server.io.on("connection", (serverSocket) => {
          connections.push(serverSocket);
          void serverSocket.join("room");
          // Missed by the client: sent once the server saw the disconnection, before the
          // client comes back (reconnectionDelay below).
          serverSocket.on("disconnect", () => {
            server.io.to("room").emit("news", 2);
            server.io.to("room").emit("news", 3);
          });
        });
        const socket = server.client("/", { reconnectionDelay: 200, reconnectionDelayMax: 200 });
        const received: unknown[] = [];
        socket.on("news", (n: number) => received.push(n));
        await waitFor(socket, "connect");
        expect(socket.recovered).toBe(false);
        const firstId = socket.id;

        server.io.to("room").emit("news", 1);
        await waitFor(socket, "news");
        await upgraded(socket, mode, connections[0]);
        const serverGone = waitFor(connections[0]!, "disconnect");
        const reconnected = waitFor(socket.io, "reconnect");
        // Closing the Engine.IO connection from the server: both ends see it at once, on
        // every transport (a dropped TCP connection is noticed late by a polling server).
        connections[0]!.conn.close();
        await serverGone;
        await reconnected;
        await waitFor(socket, "connect");
        expect(socket.recovered).toBe(true);
        expect(socket.id).toBe(firstId);
        // Replayed before "connect" is emitted.
        expect(received).toEqual([1, 2, 3]);
        // The session (rooms) came back too.
        expect(connections[1]!.recovered).toBe(true);
        expect(connections[1]!.rooms.has("room")).toBe(true);
        await upgraded(socket, mode, connections[1]);
      }));

    it("without recovery on the server, a reconnection is a new session", () =>
      withServer(kind, mode, {}, async (server) => {
        const socket = await server.connected("/");
        const firstId = socket.id;
        const reconnected = waitFor(socket.io, "reconnect");
        server.dropConnections();
        await reconnected;
        await waitFor(socket, "connect");
        expect(socket.recovered).toBe(false);
        expect(socket.id).not.toBe(firstId);
      }));

    it("a session that cannot be restored (expired) gives a new one, with recovered false", () =>
      withServer(kind, mode, { connectionStateRecovery: { maxDisconnectionDuration: 1 } }, async (server) => {
        const socket = await server.connected("/", { reconnectionDelay: 200, reconnectionDelayMax: 200 });
        const firstId = socket.id;
        const reconnected = waitFor(socket.io, "reconnect");
        server.dropConnections();
        await reconnected;
        await waitFor(socket, "connect");
        expect(socket.recovered).toBe(false);
        expect(socket.id).not.toBe(firstId);
      }));
  });
});
