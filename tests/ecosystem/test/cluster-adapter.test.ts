// The published @socket.io/cluster-adapter 0.3 on Node.js cluster workers: a primary (a child
// process running fixtures/cluster-primary.cjs) with setupPrimary() and two workers, each a
// server with createAdapter() on a port of its own. The same fixture runs socket.io 4.8 and
// @volley/server; clients connect to each worker and drive it through events.
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { io as ioc, type Socket as ClientSocket } from "socket.io-client";
import { collect, eventually, IMPLEMENTATIONS, waitFor, within } from "./helpers/nodes";

const FIXTURE = join(__dirname, "fixtures", "cluster-primary.cjs");

type Reply<T> = { ok: T } | { error: string };
interface Where {
  rooms?: string[];
  except?: string[];
}
interface Described {
  id: string;
  rooms: string[];
  data: unknown;
  auth: unknown;
}

/** Sends a command to the worker `socket` is connected to and returns its answer. */
async function command<T>(socket: ClientSocket, event: string, ...args: unknown[]): Promise<T> {
  const reply = (await within(socket.timeout(15_000).emitWithAck(event, ...args), 20_000, event)) as Reply<T>;
  if ("error" in reply) throw new Error(`${event} failed on the worker: ${reply.error}`);
  return reply.ok;
}

describe.each(IMPLEMENTATIONS)("@socket.io/cluster-adapter on two $name cluster workers", (impl) => {
  let primary: ChildProcess | undefined;
  let ports: number[] = [];
  const clients: ClientSocket[] = [];

  /** A connected client of worker `index`, in `rooms`, named `name` (its socket.data). */
  async function client(index: number, name: string, rooms: string[] = []): Promise<ClientSocket> {
    const socket = ioc(`http://127.0.0.1:${ports[index]}`, {
      forceNew: true,
      reconnection: false,
      transports: ["websocket"],
      auth: { name, rooms },
    });
    clients.push(socket);
    await waitFor(socket, "connect", 15_000);
    return socket;
  }

  beforeAll(async () => {
    const child = fork(FIXTURE, [impl.name], { execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    primary = child;
    const ready = new Promise<number[]>((resolve, reject) => {
      child.on("message", (message: { type?: string; ports?: number[] }) => {
        if (message.type === "ready" && message.ports !== undefined) resolve(message.ports);
      });
      child.once("exit", (code, signal) => reject(new Error(`the cluster primary exited (${code ?? signal})`)));
    });
    ports = await within(ready, 30_000, "cluster start");
    // both workers know each other (the adapter counts the nodes it has heard from)
    const probes = [await client(0, "probe0"), await client(1, "probe1")];
    await eventually(async () => (await Promise.all(probes.map((probe) => command<number>(probe, "count")))).every((count) => count === 2), 20_000, "serverCount 2 on both workers");
  }, 60_000);

  afterAll(async () => {
    for (const socket of clients.splice(0)) socket.disconnect();
    const child = primary;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.disconnect(); // the primary stops its workers and exits
    await within(exited, 10_000, "cluster stop").catch(() => {
      child.kill("SIGKILL");
      return within(exited, 5_000, "cluster kill");
    });
  }, 30_000);

  it("runs the adapter on two workers of their own, each counting two servers", async () => {
    expect(new Set(ports).size).toBe(2);
    const [a, b] = [await client(0, "c0"), await client(1, "c1")];
    expect([await command<string>(a, "adapter"), await command<string>(b, "adapter")]).toEqual(["NodeClusterAdapter", "NodeClusterAdapter"]);
    expect([await command<number>(a, "count"), await command<number>(b, "count")]).toEqual([2, 2]);
  });

  it("broadcasts across workers to rooms, except rooms and to all, binary included", async () => {
    const a0 = await client(0, "a0", ["bc-a"]);
    const b1 = await client(1, "b1", ["bc-b"]);
    const ab1 = await client(1, "ab1", ["bc-a", "bc-b"]);
    const got = [collect(a0, "m"), collect(b1, "m"), collect(ab1, "m")];
    const sends: Array<[from: ClientSocket, where: Where, args: unknown[], to: number[]]> = [
      [a0, { rooms: ["bc-a"] }, ["to a"], [0, 2]],
      [b1, { except: ["bc-a"] }, ["except a"], [1]],
      [a0, { rooms: ["bc-b"], except: ["bc-a"] }, ["b except a"], [1]],
      [b1, {}, ["all", { nested: [1, 2] }], [0, 1, 2]],
      [a0, { rooms: ["bc-b"] }, ["binary", Buffer.from([1, 2, 3])], [1, 2]],
    ];
    const expected: unknown[][][] = [[], [], []];
    for (const [from, where, args, to] of sends) {
      await command(from, "broadcast", where, args);
      for (const target of to) expected[target]!.push(args);
      await Promise.all(to.map((target) => got[target]!.until(expected[target]!.length, 15_000)));
    }
    // a last one to all: whatever was wrongly delivered came before it
    await command(a0, "broadcast", { rooms: ["bc-a", "bc-b"] }, ["fence"]);
    await Promise.all(got.map((collector, target) => collector.until(expected[target]!.length + 1, 15_000)));
    expect(got.map((collector) => collector.received)).toEqual(expected.map((list) => [...list, ["fence"]]));
  });

  it("collects the acks of clients on both workers, and times out on a silent one", async () => {
    const k0 = await client(0, "k0", ["ack"]);
    const k1 = await client(1, "k1", ["ack"]);
    k0.on("ask", (from: number, ack: (answer: string) => void) => ack(`k0 asked by ${from}`));
    k1.on("ask", (from: number, ack: (answer: string) => void) => ack(`k1 asked by ${from}`));
    const answers = await command<string[]>(k1, "ask", { rooms: ["ack"] }, 5000);
    expect(answers.sort()).toEqual(["k0 asked by 1", "k1 asked by 1"]);

    const silent = await client(1, "silent", ["ack-silent"]);
    silent.on("ask", () => undefined);
    await expect(command(k0, "ask", { rooms: ["ack-silent"] }, 500)).rejects.toThrow("operation has timed out");
  });

  it("fetches the sockets of both workers with their rooms, handshake and data", async () => {
    const f0 = await client(0, "f0", ["fetch"]);
    const f1 = await client(1, "f1", ["fetch", "fetch-1"]);
    const fetched = await command<Described[]>(f0, "fetch", { rooms: ["fetch"] });
    const byName = (x: Described, y: Described): number => String((x.data as { name: string }).name).localeCompare((y.data as { name: string }).name);
    expect(fetched.sort(byName)).toEqual([
      { id: f0.id, rooms: [f0.id!, "fetch"].sort(), data: { worker: 0, name: "f0" }, auth: { name: "f0", rooms: ["fetch"] } },
      { id: f1.id, rooms: [f1.id!, "fetch", "fetch-1"].sort(), data: { worker: 1, name: "f1" }, auth: { name: "f1", rooms: ["fetch", "fetch-1"] } },
    ]);
    expect((await command<Described[]>(f1, "fetch", { rooms: ["fetch"], except: ["fetch-1"] })).map((socket) => socket.id)).toEqual([f0.id]);
  });

  it("makes sockets on the other worker join and leave rooms, and disconnects them", async () => {
    const j0 = await client(0, "j0");
    const j1 = await client(1, "j1", ["join"]);
    await command(j0, "sockets-join", { rooms: ["join"] }, ["joined"]);
    const idsIn = async (room: string): Promise<string[]> => (await command<Described[]>(j0, "fetch", { rooms: [room] })).map((socket) => socket.id);
    await eventually(async () => (await idsIn("joined")).length === 1, 15_000, "socketsJoin");
    expect(await idsIn("joined")).toEqual([j1.id]);
    await command(j0, "sockets-leave", { rooms: ["joined"] }, ["join"]);
    await eventually(async () => (await idsIn("join")).length === 0, 15_000, "socketsLeave");
    expect(await idsIn("joined")).toEqual([j1.id]);

    const gone = waitFor<[string]>(j1, "disconnect", 15_000);
    await command(j0, "disconnect-sockets", { rooms: ["joined"] });
    expect(await gone).toEqual(["io server disconnect"]);
    expect(j0.connected).toBe(true);
  });

  it("sends server-side events to the other worker, with and without acks", async () => {
    const s0 = await client(0, "s0");
    const s1 = await client(1, "s1");
    const heard = [collect(s0, "heard"), collect(s1, "heard")];
    await command(s0, "server-emit", ["from 0", { n: 1 }, Buffer.from([9])]);
    await heard[1]!.until(1, 15_000);
    expect(heard[1]!.received).toEqual([[1, "from 0", { n: 1 }, Buffer.from([9])]]);
    // not to the worker that sent it: a reply from worker 1 to worker 0 comes after
    await command(s1, "server-emit", ["from 1"]);
    await heard[0]!.until(1, 15_000);
    expect(heard[0]!.received).toEqual([[0, "from 1"]]);

    expect(await command<string[]>(s0, "server-ask", "worker")).toEqual(["worker1"]);
    expect(await command<string[]>(s1, "server-ask", "worker")).toEqual(["worker0"]);
  });
});
