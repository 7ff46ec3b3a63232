// Differential tests: each scenario runs once with the published socket.io-client and once
// with ours, against the same kind of server, and what the application can observe (events
// and their order, disconnect reasons, error messages, what is buffered and delivered) must
// be the same.
import { createServer as createTcpServer } from "node:net";
import { describe, expect, it } from "@jest/globals";
import type { Socket as ServerSocket } from "socket.io";
import { io as referenceIo } from "socket.io-client";
import { io as volleyIo, type IoOptions, type Socket } from "../../src";
import {
  CLIENT_KINDS,
  TRANSPORT_MODES,
  clientDefaults,
  recordEvents,
  waitFor,
  withServer,
  within,
  type ClientKind,
  type TestServer,
  type TransportMode,
} from "../helpers";

const MANAGER_EVENTS = ["open", "error", "close", "reconnect_attempt", "reconnect", "reconnect_error", "reconnect_failed"];
const SOCKET_EVENTS = ["connect", "connect_error", "disconnect"];

/** Socket and Manager events in one log, in the order they happened. */
function lifecycleLog(socket: Socket): string[] {
  const log: string[] = [];
  const record = (prefix: string, target: object, events: string[]): void => {
    for (const event of events) {
      (target as { on(e: string, l: (...args: any[]) => void): void }).on(event, (...args: unknown[]) => {
        const first = args[0];
        const detail = first instanceof Error ? first.message : typeof first === "string" || typeof first === "number" ? first : "";
        log.push(`${prefix}:${event}${detail === "" ? "" : `:${detail}`}`);
      });
    }
  };
  record("manager", socket.io, MANAGER_EVENTS);
  record("socket", socket, SOCKET_EVENTS);
  return log;
}

type Scenario = (server: TestServer, client: ClientKind) => Promise<unknown>;

/** Runs `scenario` with both clients, each against a fresh server, and returns both observations. */
async function compare(mode: TransportMode, serverOptions: object, scenario: Scenario): Promise<void> {
  const observed: Record<string, unknown> = {};
  for (const client of CLIENT_KINDS) {
    await withServer("volley", mode, serverOptions, async (server) => {
      observed[client] = await scenario(server, client);
    });
  }
  expect(observed["volley"]).toEqual(observed["socket.io-client"]);
}

describe.each([TRANSPORT_MODES[0], TRANSPORT_MODES[1]])("ours vs socket.io-client over $name", (mode) => {
  it("lifecycle: connect, connection lost, reconnection, server-side disconnect", () =>
    compare(mode, {}, async (server, client) => {
      const connections: ServerSocket[] = [];
      server.io.on("connection", (serverSocket) => connections.push(serverSocket));
      const socket = server.client("/", {}, client);
      const log = lifecycleLog(socket);
      await waitFor(socket, "connect");
      const states = [[socket.connected, socket.active]];
      const reconnected = waitFor(socket, "connect");
      connections[0]!.conn.close();
      await reconnected;
      states.push([socket.connected, socket.active]);
      const closed = waitFor(socket.io, "close");
      connections[1]!.disconnect();
      await closed;
      states.push([socket.connected, socket.active]);
      return { log, states };
    }));

  it("client-side disconnect and connect again", () =>
    compare(mode, {}, async (server, client) => {
      const socket = await server.connected("/", {}, client);
      const log = lifecycleLog(socket);
      socket.disconnect();
      const states = [[socket.connected, socket.active, socket.id === undefined]];
      socket.connect();
      await waitFor(socket, "connect");
      states.push([socket.connected, socket.active, socket.id === undefined]);
      return { log, states };
    }));

  it("middleware refusal: connect_error message and data, no retry", () =>
    compare(mode, {}, async (server, client) => {
      server.io.use((_socket, next) => {
        const error = new Error("refused") as Error & { data: unknown };
        error.data = { reason: "no token" };
        next(error);
      });
      const socket = server.client("/", {}, client);
      const log = lifecycleLog(socket);
      const closed = waitFor(socket.io, "close");
      const [err] = await waitFor<[Error & { data?: unknown }]>(socket, "connect_error");
      await closed;
      return { log, message: err.message, data: err.data, active: socket.active };
    }));

  // (Volatile packets differ on purpose: socket.io-client may buffer one emitted while
  // disconnected; ours never does. See reconnection.test.ts and the README.)
  it("offline buffer: what is buffered, and what the server receives after reconnection", () =>
    compare(mode, {}, async (server, client) => {
      const received: unknown[] = [];
      const connections: ServerSocket[] = [];
      server.io.on("connection", (serverSocket) => {
        connections.push(serverSocket);
        serverSocket.onAny((event: string, ...args: unknown[]) => received.push([event, ...args.filter((a) => typeof a !== "function")]));
        serverSocket.on("flush", (ack: () => void) => ack());
      });
      const socket = await server.connected("/", {}, client);
      let buffered: unknown[] = [];
      socket.once("disconnect", () => {
        socket.emit("one", 1);
        socket.emit("two", { x: [2] }, () => undefined);
        socket.send("message text");
        buffered = socket.sendBuffer.map(({ type, data, id }) => ({ type, data, id }));
      });
      const flushed = new Promise<void>((resolve) => socket.once("connect", () => socket.emit("flush", resolve)));
      // (Not a dropped TCP connection: socket.io-client's Node.js XHR does not notice one under polling.)
      connections[0]!.conn.close();
      await within(flushed);
      return { buffered, received };
    }));

  it("acknowledgement errors: timeout and disconnection", () =>
    compare(mode, {}, async (server, client) => {
      const serverSide = waitFor<[ServerSocket]>(server.io, "connection");
      const socket = await server.connected("/", { reconnection: false }, client);
      const [serverSocket] = await serverSide;
      const timedOut = await within(new Promise<unknown[]>((resolve) => socket.timeout(20).emit("nobody", (...args: unknown[]) => resolve(args))));
      const pending = socket.timeout(60_000).emitWithAck("nobody");
      const failure = pending.then(
        () => "resolved",
        (err: Error) => err.message,
      );
      await waitFor(serverSocket, "nobody");
      serverSocket.disconnect();
      return { timedOut: (timedOut[0] as Error).message, onDisconnect: await within(failure) };
    }));

  it("retries: what the server receives", () =>
    compare(mode, {}, async (server, client) => {
      const seen: string[] = [];
      server.io.on("connection", (serverSocket) => {
        let count = 0;
        serverSocket.on("job", (name: string, ack: (r: string) => void) => {
          seen.push(name);
          if (name !== "a" || ++count >= 2) ack(`${name}!`);
        });
      });
      const socket = await server.connected("/", { ackTimeout: 300, retries: 2 }, client);
      const answers = await within(
        Promise.all(
          ["a", "b"].map((name) => new Promise<unknown[]>((resolve) => socket.emit("job", name, (...args: unknown[]) => resolve(args)))),
        ),
      );
      return { seen, answers };
    }));

  it("connection state recovery: recovered, same id, replayed events", () =>
    compare(mode, { connectionStateRecovery: { maxDisconnectionDuration: 10_000 } }, async (server, client) => {
      const connections: ServerSocket[] = [];
      server.io.on("connection", (serverSocket) => {
        connections.push(serverSocket);
        serverSocket.on("disconnect", () => server.io.emit("missed", "x"));
      });
      const socket = server.client("/", { reconnectionDelay: 200, reconnectionDelayMax: 200 }, client);
      const events = recordEvents(socket, ["connect", "missed"]);
      await waitFor(socket, "connect");
      const firstId = socket.id;
      const recovered = [socket.recovered];
      const reconnected = waitFor(socket.io, "reconnect");
      connections[0]!.conn.close();
      await reconnected;
      if (!socket.connected) await waitFor(socket, "connect");
      recovered.push(socket.recovered);
      return { events, recovered, sameId: socket.id === firstId };
    }));
});

describe("ours vs socket.io-client without a server", () => {
  it("reconnection gives up after reconnectionAttempts, with the same events", async () => {
    const probe = createTcpServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const observed: Record<string, unknown> = {};
    for (const client of CLIENT_KINDS) {
      const lookup = client === "volley" ? volleyIo : (referenceIo as unknown as typeof volleyIo);
      const options: IoOptions = { ...clientDefaults(TRANSPORT_MODES[1]), reconnectionAttempts: 2 };
      const socket = lookup(`http://127.0.0.1:${port}`, options);
      const log = lifecycleLog(socket);
      try {
        await waitFor(socket.io, "reconnect_failed");
        // reconnect_error of the last attempt comes right after reconnect_failed (same tick).
        await new Promise((resolve) => setImmediate(resolve));
        observed[client] = log.map((entry) => entry.replace(/:(xhr poll error|websocket error)$/, ":<transport error>"));
      } finally {
        socket.disconnect();
      }
    }
    expect(observed["volley"]).toEqual(observed["socket.io-client"]);
  });
});
