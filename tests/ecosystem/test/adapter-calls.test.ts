// The calls an adapter written for socket.io-adapter receives from the server, recorded on
// socket.io 4.8 and on @volley/server for the same scenario: the same methods, in the same
// order, with the same arguments (socket ids and packets normalised).
import { afterEach, describe, expect, it } from "@jest/globals";
import { SessionAwareAdapter } from "socket.io-adapter";
import type { Socket as ServerSocket } from "@volley/server";
import { IMPLEMENTATIONS, startNode, waitFor, within, type Node } from "./helpers/nodes";

type Call = [method: string, ...args: unknown[]];

/** Records every call the server makes, then does what socket.io-adapter does. */
function recordingAdapter(calls: Call[]): typeof SessionAwareAdapter {
  const record = (method: string, args: unknown[]): void => {
    // a socket joins its own room before the connection event: name it there
    if (method === "addAll" && !ids.has(args[0] as string)) ids.set(args[0] as string, `<socket ${ids.size}>`);
    calls.push([method, ...args.map((arg) => snapshot(arg))]);
  };
  return class RecordingAdapter extends SessionAwareAdapter {
    override init(): void {
      record("init", []);
      super.init();
    }
    override close(): void {
      record("close", []);
      super.close();
    }
    override addAll(...args: Parameters<SessionAwareAdapter["addAll"]>): ReturnType<SessionAwareAdapter["addAll"]> {
      record("addAll", args);
      return super.addAll(...args);
    }
    override del(...args: Parameters<SessionAwareAdapter["del"]>): ReturnType<SessionAwareAdapter["del"]> {
      record("del", args);
      return super.del(...args);
    }
    override delAll(...args: Parameters<SessionAwareAdapter["delAll"]>): void {
      record("delAll", args);
      super.delAll(...args);
    }
    override broadcast(...args: Parameters<SessionAwareAdapter["broadcast"]>): void {
      record("broadcast", args);
      const before = Array.isArray(args[0].data) ? args[0].data.length : 0;
      super.broadcast(...args);
      // the offset socket.io-adapter appended for recovery: name it
      const data = args[0].data as unknown[] | undefined;
      if (data !== undefined && data.length > before) ids.set(String(data[data.length - 1]), `<offset ${ids.size}>`);
    }
    override broadcastWithAck(...args: Parameters<SessionAwareAdapter["broadcastWithAck"]>): void {
      record("broadcastWithAck", args.slice(0, 2));
      super.broadcastWithAck(...args);
    }
    override fetchSockets(...args: Parameters<SessionAwareAdapter["fetchSockets"]>): ReturnType<SessionAwareAdapter["fetchSockets"]> {
      record("fetchSockets", args);
      return super.fetchSockets(...args);
    }
    override addSockets(...args: Parameters<SessionAwareAdapter["addSockets"]>): void {
      record("addSockets", args);
      super.addSockets(...args);
    }
    override delSockets(...args: Parameters<SessionAwareAdapter["delSockets"]>): void {
      record("delSockets", args);
      super.delSockets(...args);
    }
    override disconnectSockets(...args: Parameters<SessionAwareAdapter["disconnectSockets"]>): void {
      record("disconnectSockets", args);
      super.disconnectSockets(...args);
    }
    override serverSideEmit(packet: unknown[]): void {
      record("serverSideEmit", [packet.map((item) => (typeof item === "function" ? "<callback>" : item))]);
    }
    override serverCount(): Promise<number> {
      record("serverCount", []);
      return super.serverCount();
    }
    override persistSession(...args: Parameters<SessionAwareAdapter["persistSession"]>): void {
      ids.set(args[0].pid, `<pid ${ids.size}>`);
      record("persistSession", args);
      super.persistSession(...args);
    }
    override restoreSession(...args: Parameters<SessionAwareAdapter["restoreSession"]>): ReturnType<SessionAwareAdapter["restoreSession"]> {
      record("restoreSession", args);
      return super.restoreSession(...args);
    }
  };
}

/** Plain data for comparison: Sets as sorted arrays, socket ids and session ids as placeholders. */
let ids = new Map<string, string>();
function snapshot(value: unknown): unknown {
  if (value instanceof Set) return { set: [...value].map(snapshot).sort() };
  if (Array.isArray(value)) return value.map(snapshot);
  if (typeof value === "string") return ids.get(value) ?? value;
  if (typeof value === "function") return "<function>";
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        // Volley names the namespace in a packet before the adapter sees it; socket.io-adapter
        // sets it itself either way
        .filter(([name, item]) => item !== undefined && !(name === "nsp" && "type" in value))
        .map(([name, item]) => [name, snapshot(item)]),
    );
  }
  return value;
}

const opened: Node[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((node) => node.close()));
});

async function scenario(impl: (typeof IMPLEMENTATIONS)[number]): Promise<Call[]> {
  const calls: Call[] = [];
  ids = new Map();
  const node = await startNode(impl, { adapter: recordingAdapter(calls), connectionStateRecovery: {} });
  opened.push(node);
  const serverSockets: ServerSocket[] = [];
  node.io.on("connection", (socket) => {
    serverSockets.push(socket);
    socket.join(["room1", "room2"]);
    socket.leave("room2");
    socket.on("ready", (ack: () => void) => ack());
  });
  const a = await node.connected("/", { reconnection: false });
  await within(a.emitWithAck("ready"));
  const b = await node.connected("/", { reconnection: false });
  await within(b.emitWithAck("ready"));
  calls.push(["-- emits"]);
  node.io.to("room1").except("nobody").emit("hello", 1, { two: 2 });
  node.io.volatile.compress(false).emit("volatile");
  b.on("ask", (ack: (answer: string) => void) => ack("yes"));
  a.on("ask", (ack: (answer: string) => void) => ack("yes"));
  await within(node.io.timeout(5000).emitWithAck("ask"));
  calls.push(["-- operations"]);
  await node.io.in("room1").fetchSockets();
  node.io.in("room1").socketsJoin("room3");
  node.io.except("room3").socketsLeave("room1");
  node.io.serverSideEmit("ping", 1);
  node.io.serverSideEmit("ping", 2, () => undefined);
  calls.push(["-- recovery"]);
  const c = await node.connected("/", { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 50 });
  await within(c.emitWithAck("ready"));
  const offsetReceived = waitFor(c, "news");
  node.io.to("room1").emit("news", "before the cut");
  await offsetReceived;
  const cut = waitFor(c, "disconnect");
  (c.io.engine.transport as unknown as { ws: { close(): void } }).ws.close();
  await cut;
  await waitFor(c, "connect");
  expect(c.recovered).toBe(true);
  c.io.reconnection(false);
  const cLeft = waitFor(serverSockets[serverSockets.length - 1]!, "disconnect");
  c.disconnect();
  await cLeft;
  calls.push(["-- disconnect"]);
  const gone = waitFor(b, "disconnect");
  node.io.in(b.id!).disconnectSockets(true);
  await gone;
  const left = waitFor(serverSockets[0]!, "disconnect");
  a.disconnect();
  await left;
  return calls;
}

describe("the calls an adapter receives", () => {
  it("are the same on socket.io 4.8 and @volley/server", async () => {
    // one after the other: the id placeholders are numbered per run
    const socketIo = await scenario(IMPLEMENTATIONS[0]);
    const volley = await scenario(IMPLEMENTATIONS[1]);
    expect(volley).toEqual(socketIo);
    // the scenario reaches every method the server calls
    const methods = new Set(socketIo.map(([method]) => method).filter((method) => !method.startsWith("--")));
    expect([...methods].sort()).toEqual(
      ["addAll", "addSockets", "broadcast", "broadcastWithAck", "del", "delAll", "delSockets", "disconnectSockets",
        "fetchSockets", "init", "persistSession", "restoreSession", "serverCount", "serverSideEmit"].sort(),
    );
  });
});
