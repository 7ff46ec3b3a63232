// Differential tests of numeric event names: socket.io-parser accepts a number as the name
// of an EVENT (`42[1,"a"]`), and socket.io hands such events to its listeners. Same
// scenario against socket.io 4.8 and against Volley, with a socket.io-client client and
// with a raw WebSocket client, asserting the same observable result.
import { afterEach, describe, expect, it } from "@jest/globals";
import type { Socket } from "../../src";
import { within } from "../helpers";
import { IMPLEMENTATIONS, startDiffServer, type DiffServer, type Implementation } from "../helpers/differential";
import { RawWebSocket } from "../helpers/raw-websocket";

/** What one implementation's server saw: middleware, onAny and listener calls, in order. */
interface Observed {
  log: string[];
  /** Resolves when the server got the "done" event (sent last by the client). */
  done: Promise<void>;
}

let servers: DiffServer[] = [];
let raws: RawWebSocket[] = [];

afterEach(async () => {
  for (const raw of raws.splice(0)) raw.close();
  for (const server of servers.splice(0)) await server.close();
});

/** How a value shows in the log: its type and value; a function as "fn". */
function show(value: unknown): string {
  return typeof value === "function" ? "fn" : `${typeof value}:${String(value)}`;
}

/** A server whose sockets log what reaches the middleware, onAny and listeners of "1", 1, "2.5". */
async function start(impl: Implementation): Promise<{ server: DiffServer; observed: Observed }> {
  const server = await startDiffServer(impl);
  servers.push(server);
  const log: string[] = [];
  let onDone!: () => void;
  const done = new Promise<void>((resolve) => (onDone = resolve));
  server.io.on("connection", (socket: Socket) => {
    socket.use((event, next) => {
      log.push(`use ${event.map(show).join(" ")}`);
      next();
    });
    socket.onAny((event, ...args) => log.push(`any ${show(event)} ${args.map(show).join(" ")}`));
    socket.on("1", (...args: unknown[]) => {
      log.push(`on("1") ${args.map(show).join(" ")}`);
      const ack = args[args.length - 1];
      if (typeof ack === "function") (ack as (answer: string) => void)("ok");
    });
    // JavaScript code may register with a number: the same event as "1" for EventEmitter
    const untyped = socket as unknown as { on(event: unknown, listener: (...args: unknown[]) => void): void };
    untyped.on(1, (...args) => log.push(`on(1) ${args.map(show).join(" ")}`));
    socket.on("2.5", (...args: unknown[]) => log.push(`on("2.5") ${args.map(show).join(" ")}`));
    socket.on("done", () => onDone());
  });
  return { server, observed: { log, done } };
}

/**
 * The log split by kind, each in order. socket.io runs the listeners on a later tick than
 * onAny and the middlewares, so the interleaving of events that arrive in one read differs;
 * the order within each kind is what both guarantee.
 */
function byKind(log: readonly string[]): Record<"any" | "use" | "on", string[]> {
  const lines = log.filter((line) => !line.includes("string:done"));
  return {
    any: lines.filter((line) => line.startsWith("any ")),
    use: lines.filter((line) => line.startsWith("use ")),
    on: lines.filter((line) => line.startsWith("on")),
  };
}

/** Runs the scenario against both servers; returns each one's result. */
async function both<T>(scenario: (impl: Implementation) => Promise<T>): Promise<{ published: T; volley: T }> {
  const published = await scenario(IMPLEMENTATIONS[0]);
  const volley = await scenario(IMPLEMENTATIONS[1]);
  return { published, volley };
}

describe("incoming events: Volley against socket.io", () => {
  it("a socket.io-client emitting numeric names: onAny and middlewares get the number, on(\"1\") and on(1) the event, acks work", async () => {
    const results = await both(async (impl) => {
      const { server, observed } = await start(impl);
      const client = await server.connected();
      const emit = client.emit.bind(client) as (event: unknown, ...args: unknown[]) => void;
      emit(1, "a");
      emit(2.5, "b");
      const answer = await within(new Promise((resolve) => emit(1, "c", resolve)), 5000, "ack of a numeric event");
      client.emit("done");
      await within(observed.done, 5000, "the done event");
      return { answer, log: byKind(observed.log) };
    });
    expect(results.volley).toEqual(results.published);
    expect(results.volley.answer).toBe("ok");
    expect(results.volley.log).toEqual({
      any: ["any number:1 string:a", "any number:2.5 string:b", "any number:1 string:c fn"],
      use: ["use number:1 string:a", "use number:2.5 string:b", "use number:1 string:c fn"],
      on: ['on("1") string:a', "on(1) string:a", 'on("2.5") string:b', 'on("1") string:c fn', "on(1) string:c fn"],
    });
  });

  it("a raw client sending 42[1,\"a\"] and 421[1,\"b\"]: the event is dispatched and the ACK comes back", async () => {
    const results = await both(async (impl) => {
      const { server, observed } = await start(impl);
      const raw = await RawWebSocket.open(server.port);
      raws.push(raw);
      raw.send("40");
      const connect = await raw.next();
      raw.send('42[1,"a"]', '421[1,"b"]');
      const ack = await raw.next();
      raw.send('42["done"]');
      await within(observed.done, 5000, "the done event");
      return { connect: connect.slice(0, 2), ack, log: byKind(observed.log) };
    });
    expect(results.volley).toEqual(results.published);
    expect(results.volley.ack).toBe('431["ok"]');
    expect(results.volley.log).toEqual({
      any: ["any number:1 string:a", "any number:1 string:b fn"],
      use: ["use number:1 string:a", "use number:1 string:b fn"],
      on: ['on("1") string:a', "on(1) string:a", 'on("1") string:b fn', "on(1) string:b fn"],
    });
  });

  it("onAny sees an event before the middlewares, also one they refuse", async () => {
    const results = await both(async (impl) => {
      const server = await startDiffServer(impl);
      servers.push(server);
      const log: string[] = [];
      let onDone!: () => void;
      const done = new Promise<void>((resolve) => (onDone = resolve));
      server.io.on("connection", (socket: Socket) => {
        socket.use((event, next) => {
          log.push(`use ${String(event[0])}`);
          event[1] = "changed";
          next(event[0] === "refused" ? new Error("no") : undefined);
        });
        socket.on("error", () => log.push("error"));
        socket.onAny((event, ...args) => log.push(`any ${event} ${args.map(show).join(" ")}`));
        socket.on("allowed", (arg: unknown) => log.push(`on ${show(arg)}`));
        socket.on("done", () => onDone());
      });
      const client = await server.connected();
      client.emit("refused", "a");
      client.emit("allowed", "b");
      client.emit("done");
      await within(done, 5000, "the done event");
      // onAny and the middleware run in the order the events came; the error and the
      // listener on a later tick in socket.io, so only their own order is compared
      return { seen: log.filter((line) => /^(any|use) /.test(line)), outcome: log.filter((line) => !/^(any|use) /.test(line)) };
    });
    expect(results.volley).toEqual(results.published);
    expect(results.volley).toEqual({
      seen: ["any refused string:a", "use refused", "any allowed string:b", "use allowed", "any done ", "use done"],
      outcome: ["error", "on string:changed"],
    });
  });
});
