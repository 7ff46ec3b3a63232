// Acknowledgements with timeouts, emitWithAck, what a disconnection does to pending acks,
// the retry queue (ackTimeout + retries) and the immutable emit modifiers.
import { describe, expect, it } from "@jest/globals";
import type { Socket as ServerSocket } from "socket.io";
import { AckTimeoutError, SocketDisconnectedError } from "../../src";
import { SERVER_KINDS, TRANSPORT_MODES, waitFor, withServer, within } from "../helpers";

type Ack = (...args: unknown[]) => void;

/** Calls `emit` with a callback and resolves with the arguments the callback got. */
function ackOf(emit: (ack: Ack) => void): Promise<unknown[]> {
  return within(new Promise<unknown[]>((resolve) => emit((...args) => resolve(args))), 5000, "ack");
}

describe.each(SERVER_KINDS)("against the %s server", (kind) => {
  describe.each(TRANSPORT_MODES)("over $name", (mode) => {
    it("timeout(ms).emit: the ack gets null then the answer, or an AckTimeoutError", () =>
      withServer(kind, mode, {}, async (server) => {
        server.io.on("connection", (serverSocket) => {
          serverSocket.on("answer", (value: number, ack: Ack) => ack(value * 2));
          serverSocket.on("ignore", () => undefined);
        });
        const socket = await server.connected("/");
        expect(await ackOf((ack) => socket.timeout(2000).emit("answer", 21, ack))).toEqual([null, 42]);
        const [err] = await ackOf((ack) => socket.timeout(30).emit("ignore", ack));
        expect(err).toBeInstanceOf(AckTimeoutError);
        expect((err as Error).message).toBe("operation has timed out");
        await expect(socket.timeout(30).emitWithAck("ignore")).rejects.toThrow(AckTimeoutError);
        expect(await socket.timeout(2000).emitWithAck("answer", 2)).toBe(4);
      }));

    it("ackTimeout applies to every emit with an ack", () =>
      withServer(kind, mode, {}, async (server) => {
        server.io.on("connection", (serverSocket) => {
          serverSocket.on("answer", (ack: Ack) => ack("ok"));
        });
        const socket = await server.connected("/", { ackTimeout: 30 });
        expect(await ackOf((ack) => socket.emit("answer", ack))).toEqual([null, "ok"]);
        const [err] = await ackOf((ack) => socket.emit("nobody-answers", ack));
        expect(err).toBeInstanceOf(AckTimeoutError);
      }));

    it("on disconnection, acks with a timeout and emitWithAck fail at once; buffered packets keep theirs", () =>
      withServer(kind, mode, {}, async (server) => {
        const serverSide = waitFor<[ServerSocket]>(server.io, "connection");
        const socket = await server.connected("/", { reconnection: false });
        const [serverSocket] = await serverSide;
        const arrived = waitFor(serverSocket, "pending-2");
        const timed = ackOf((ack) => socket.timeout(60_000).emit("pending-1", ack));
        const promised = socket.emitWithAck("pending-2");
        promised.catch(() => undefined);
        await arrived; // both packets are out: their answers can only come over this connection
        const started = Date.now();
        serverSocket.disconnect();
        const [err] = await timed;
        expect(err).toBeInstanceOf(SocketDisconnectedError);
        expect((err as Error).message).toBe("socket has been disconnected");
        await expect(promised).rejects.toThrow(SocketDisconnectedError);
        expect(Date.now() - started).toBeLessThan(2000);
        // Emitted while disconnected: buffered, its ack waits for the reconnection.
        let settled = false;
        socket.timeout(60_000).emit("later", () => (settled = true));
        expect(socket.sendBuffer).toHaveLength(1);
        expect(settled).toBe(false);
      }));

    it("an ack timeout drops the packet from the offline buffer", () =>
      withServer(kind, mode, {}, async (server) => {
        const socket = await server.connected("/", { reconnection: false });
        socket.disconnect();
        const [err] = await ackOf((ack) => socket.timeout(20).emit("never-sent", ack));
        expect(err).toBeInstanceOf(AckTimeoutError);
        expect(socket.sendBuffer).toEqual([]);
      }));

    it("retries: an unanswered emit is sent again until acknowledged, one packet in flight", () =>
      withServer(kind, mode, {}, async (server) => {
        const seen: string[] = [];
        server.io.on("connection", (serverSocket) => {
          const tries = new Map<string, number>();
          serverSocket.on("job", (name: string, ack: Ack) => {
            seen.push(name);
            const count = (tries.get(name) ?? 0) + 1;
            tries.set(name, count);
            // Answer "a" from its third try on, the others at once.
            if (name !== "a" || count >= 3) ack(`${name} done`);
          });
        });
        const socket = await server.connected("/", { ackTimeout: 200, retries: 5 });
        const results = Promise.all([
          ackOf((ack) => socket.emit("job", "a", ack)),
          ackOf((ack) => socket.emit("job", "b", ack)),
          socket.emitWithAck("job", "c"),
        ]);
        const [a, b, c] = await results;
        expect(a).toEqual([null, "a done"]);
        expect(b).toEqual([null, "b done"]);
        expect(c).toBe("c done");
        // In order, and "b" only after "a" was acknowledged (a slow answer may cost one more try of "a").
        expect(seen.slice(0, 3)).toEqual(["a", "a", "a"]);
        expect(seen.slice(-2)).toEqual(["b", "c"]);
        expect(seen.filter((name) => name === "a").length).toBe(seen.length - 2);
      }));

    it("retries: gives up with the error after retries + 1 tries", () =>
      withServer(kind, mode, {}, async (server) => {
        const socket = await server.connected("/", { ackTimeout: 20, retries: 2 });
        let tries = 0;
        socket.onAnyOutgoing(() => tries++);
        const [err] = await ackOf((ack) => socket.emit("job", ack));
        expect(err).toBeInstanceOf(AckTimeoutError);
        expect(tries).toBe(3);
      }));

    it("modifiers are immutable: a timeout or volatile emitter does not change later emits", () =>
      withServer(kind, mode, {}, async (server) => {
        server.io.on("connection", (serverSocket) => {
          serverSocket.on("answer", (ack: Ack) => ack("ok"));
        });
        const socket = await server.connected("/");
        const timed = socket.timeout(1000);
        const volatile = socket.volatile;
        expect(volatile).not.toBe(socket.volatile);
        // A plain emit after creating modifiers: its ack gets the answer only.
        expect(await ackOf((ack) => socket.emit("answer", ack))).toEqual(["ok"]);
        expect(await ackOf((ack) => timed.emit("answer", ack))).toEqual([null, "ok"]);
        // The same timed emitter can be reused.
        expect(await ackOf((ack) => timed.compress(false).emit("answer", ack))).toEqual([null, "ok"]);
        socket.disconnect();
        socket.volatile.emit("dropped");
        socket.emit("kept");
        expect(socket.sendBuffer.map((packet) => packet.data)).toEqual([["kept"]]);
      }));

    it("onAny, prependAny, offAny and the outgoing catch-all listeners", () =>
      withServer(kind, mode, {}, async (server) => {
        server.io.on("connection", (serverSocket) => {
          serverSocket.on("ping-me", (n: number) => serverSocket.emit("pong", n));
        });
        const socket = await server.connected("/");
        const log: string[] = [];
        const first = (event: string, n: number): void => void log.push(`first:${event}:${n}`);
        const second = (event: string, n: number): void => void log.push(`second:${event}:${n}`);
        socket.onAny(second);
        socket.prependAny(first);
        socket.onAnyOutgoing((event: string, n: number) => log.push(`out:${event}:${n}`));
        socket.on("pong", (n: number) => log.push(`pong:${n}`));
        expect(socket.listenersAny()).toEqual([first, second]);
        socket.emit("ping-me", 1);
        await waitFor(socket, "pong");
        socket.offAny(first);
        socket.emit("ping-me", 2);
        await waitFor(socket, "pong");
        socket.offAny();
        socket.offAnyOutgoing();
        expect(socket.listenersAny()).toEqual([]);
        expect(socket.listenersAnyOutgoing()).toEqual([]);
        expect(log).toEqual(["out:ping-me:1", "first:pong:1", "second:pong:1", "pong:1", "out:ping-me:2", "second:pong:2", "pong:2"]);
      }));
  });
});
