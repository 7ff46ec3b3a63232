import { afterEach, describe, expect, it } from "@jest/globals";
import type { Socket as ClientSocket } from "socket.io-client";
import { SessionAwareAdapter, type Socket } from "../../src";
import { startServer, TRANSPORT_MODES, waitFor, type TestServer, within } from "../helpers";

describe.each(TRANSPORT_MODES)("Connection state recovery ($name)", (mode) => {
  let server: TestServer;
  afterEach(() => server.close());

  const reconnecting = { reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 100, randomizationFactor: 0 };

  async function connect(): Promise<{ client: ClientSocket; socket: Socket; received: unknown[] }> {
    const connection = waitFor<[Socket]>(server.io, "connection");
    const client = server.client("/", reconnecting);
    const [socket] = await connection;
    await waitFor(client, "connect");
    const received: unknown[] = [];
    client.on("news", (value: unknown) => received.push(value));
    return { client, socket, received };
  }

  it("replays every missed event once, in order, with the same id, rooms and data", async () => {
    server = await startServer({ connectionStateRecovery: { maxDisconnectionDuration: 5000 } }, mode);
    expect(server.io.sockets.adapter).toBeInstanceOf(SessionAwareAdapter);
    const { client, socket, received } = await connect();
    socket.join("room");
    socket.data = { user: "alice" };
    server.io.to("room").emit("news", "before");
    socket.emit("news", "direct before");
    await waitFor(client, "news");
    const gone = waitFor(socket, "disconnect");
    client.io.engine.close();
    await gone;
    server.io.to("room").emit("news", 1);
    server.io.emit("news", 2);
    server.io.to("other-room").emit("news", "not for me");
    server.io.to("room").emit("news", 3);
    const reconnection = waitFor<[Socket]>(server.io, "connection");
    await waitFor(client, "connect", 5000);
    const [restored] = await reconnection;
    expect(client.recovered).toBe(true);
    expect(restored.recovered).toBe(true);
    expect(restored.id).toBe(socket.id);
    expect(restored.rooms.has("room")).toBe(true);
    expect(restored.data).toEqual({ user: "alice" });
    server.io.to("room").emit("news", "after");
    await new Promise<void>((resolve) => client.on("news", (v) => v === "after" && resolve()));
    expect(received).toEqual(["before", "direct before", 1, 2, 3, "after"]);
  });

  it("runs the middlewares when skipMiddlewares is false, holding what is broadcast meanwhile", async () => {
    server = await startServer({ connectionStateRecovery: { maxDisconnectionDuration: 5000, skipMiddlewares: false } }, mode);
    const recoveredInMiddleware: boolean[] = [];
    // the middleware of the recovered socket waits for the test: what the test broadcasts
    // meanwhile must be held until the CONNECT, then sent after the missed packets
    let onHeld!: (next: () => void) => void;
    const held = new Promise<() => void>((resolve) => (onHeld = resolve));
    server.io.use((socket, next) => {
      recoveredInMiddleware.push(socket.recovered);
      if (!socket.recovered) {
        next();
        return;
      }
      server.io.to("room").emit("news", "during middleware");
      onHeld(() => next());
    });
    const { client, socket, received } = await connect();
    socket.join("room");
    // a client recovers from the offset of the last event it got: it needs one
    server.io.emit("news", "before");
    await waitFor(client, "news");
    const gone = waitFor(socket, "disconnect");
    client.io.engine.close();
    await gone;
    server.io.to("room").emit("news", "missed");
    const reconnected = waitFor(client, "connect", 5000);
    const release = await within(held, 5000, "the middleware of the recovered socket");
    server.io.to("room").emit("news", "while the middleware runs");
    release();
    await reconnected;
    expect(client.recovered).toBe(true);
    server.io.emit("news", "after");
    await new Promise<void>((resolve) => client.on("news", (v) => v === "after" && resolve()));
    expect(recoveredInMiddleware).toEqual([false, true]);
    expect(received).toEqual(["before", "missed", "during middleware", "while the middleware runs", "after"]);
  });

  it("does not recover after maxDisconnectionDuration, nor after a deliberate disconnection", async () => {
    server = await startServer({ connectionStateRecovery: { maxDisconnectionDuration: 30 } }, mode);
    const { client, socket } = await connect();
    const gone = waitFor(socket, "disconnect");
    client.io.reconnectionDelay(300);
    client.io.reconnectionDelayMax(300);
    client.io.engine.close();
    await gone;
    const reconnection = waitFor<[Socket]>(server.io, "connection");
    await waitFor(client, "connect", 5000);
    const [fresh] = await reconnection;
    expect(client.recovered).toBe(false);
    expect(fresh.recovered).toBe(false);
    expect(fresh.id).not.toBe(socket.id);

    // the server disconnected it on purpose: nothing is kept
    const again = waitFor(client, "disconnect");
    fresh.disconnect();
    await again;
    const third = waitFor<[Socket]>(server.io, "connection");
    client.connect();
    await waitFor(client, "connect", 5000);
    const [thirdSocket] = await third;
    expect(thirdSocket.recovered).toBe(false);
  });
});
