// Workers come and go: requests wait only for the live workers and name the ones that did
// not answer, a worker that dies is dropped at once (the primary tells the others) and its
// replacement joins, a worker killed mid-broadcast costs the others nothing, bad IPC input
// harms nobody, and close() leaves no request or timer behind.
import { afterEach, describe, expect, it } from "@jest/globals";
import { TestCluster } from "../helpers/cluster";
import { Clients, Recorder } from "../helpers/clients";

interface ReportedError {
  name: string;
  code: string;
  message: string;
  missingWorkers: Array<{ uid: string; workerId: number | null }> | null;
}

interface PingReply {
  error: ReportedError | null;
  responses: Array<{ workerId: number }>;
  elapsedMs: number;
}

/** Polls worker `workerId`'s serverCount() until it is `count` (bounded); resolves with the time it took. */
async function serverCountBecomes(cluster: TestCluster, workerId: number, count: number, ms: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    if ((await cluster.op<number>(workerId, "serverCount")) === count) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`worker ${workerId}'s serverCount() did not become ${count} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let cluster: TestCluster | undefined;
const clients = new Clients();
afterEach(async () => {
  await clients.closeAll();
  await cluster?.stop();
  cluster = undefined;
});

describe("requests across workers", () => {
  it("counts the workers, fetches the sockets of all and collects one serverSideEmit answer per other worker", async () => {
    cluster = await TestCluster.start();
    const ids = cluster.ids;
    const connected = [];
    for (let i = 0; i < 3; i++) connected.push(await clients.connect("socket.io-client", cluster.url, "websocket"));
    for (const id of ids) {
      expect(await cluster.op(id, "serverCount")).toBe(3);
      const fetched = await cluster.op<{ sockets: Array<{ id: string }> }>(id, "fetch");
      expect(fetched.sockets.map((s) => s.id).sort()).toEqual(connected.map((c) => c.hello.id).sort());
      const ping = await cluster.op<PingReply>(id, "pingAll");
      expect(ping.error).toBeNull();
      expect(ping.responses.map((r) => r.workerId).sort()).toEqual(ids.filter((other) => other !== id));
    }
    expect(await cluster.adapters()).toEqual(new Map(ids.map((id) => [id, 1])));
  });

  it("rejects after requestsTimeout naming the worker that did not answer", async () => {
    cluster = await TestCluster.start();
    const [asker, silent, other] = cluster.ids as [number, number, number];
    await cluster.op(silent, "answerDelay", { ms: -1 });
    const ping = await cluster.op<PingReply>(asker, "pingAll");
    expect(ping.error?.code).toBe("VOLLEY_CLUSTER_ADAPTER_ERR_REQUEST_TIMEOUT");
    expect(ping.error?.name).toBe("WorkersTimeoutError");
    expect(ping.error?.missingWorkers?.map((w) => w.workerId)).toEqual([silent]);
    expect(ping.error?.message).toMatch(new RegExp(`^timeout reached: missing 1 responses \\(no answer from worker ${silent} \\(`));
    expect(ping.responses).toEqual([{ workerId: other }]);
    // the fixture's requestsTimeout is 2000 ms
    expect(ping.elapsedMs).toBeGreaterThanOrEqual(1900);
  });
});

describe("a worker that dies", () => {
  it("is dropped at once by the others, long before heartbeatTimeout, and its replacement joins", async () => {
    cluster = await TestCluster.start({ adapterOptions: { heartbeatInterval: 20_000, heartbeatTimeout: 60_000 } });
    const [first, victim, third] = cluster.ids as [number, number, number];
    const replacement = cluster.nextReady();
    await cluster.kill(victim);
    expect(await serverCountBecomes(cluster, first, 2, 1000)).toBeLessThan(1000);
    expect(await serverCountBecomes(cluster, third, 2, 1000)).toBeLessThan(1000);
    const newcomer = await replacement;
    // the others learn of the newcomer from its announcement, without a restart
    await serverCountBecomes(cluster, first, 3, 5000);
    await serverCountBecomes(cluster, third, 3, 5000);
    const ping = await cluster.op<PingReply>(newcomer, "pingAll");
    expect(ping.responses.map((r) => r.workerId).sort()).toEqual([first, third]);
    expect((await cluster.adapters()).has(victim)).toBe(false);
  });

  it("releases a request waiting for it as soon as it dies, with the answers of the live workers", async () => {
    cluster = await TestCluster.start({ replace: false, adapterOptions: { requestsTimeout: 10_000 } });
    const [asker, victim, other] = cluster.ids as [number, number, number];
    await cluster.op(victim, "answerDelay", { ms: -1 });
    const asked = cluster.nextAsked(victim);
    const pending = cluster.op<PingReply>(asker, "pingAll");
    await asked;
    await cluster.kill(victim);
    const ping = await pending;
    expect(ping.error).toBeNull();
    expect(ping.responses).toEqual([{ workerId: other }]);
    expect(ping.elapsedMs).toBeLessThan(5000);
  });

  it("killed mid-broadcast, costs the clients of the other workers no packet, and the primary goes on", async () => {
    cluster = await TestCluster.start();
    const peers = [];
    for (let i = 0; i < 3; i++) peers.push(await clients.connect("socket.io-client", cluster.url, "websocket"));
    const [sender, victim] = cluster.ids as [number, number];
    const survivors = peers.filter((peer) => peer.hello.workerId !== victim);
    expect(survivors).toHaveLength(2);
    const recorders = survivors.map((peer) => new Recorder<number>(peer.socket, "tick"));
    const COUNT = 300;
    const burst = cluster.op(sender, "burst", { event: "tick", count: COUNT, everyMs: 2 });
    await (recorders[0] as Recorder<number>).until(30);
    await cluster.kill(victim);
    await burst;
    for (const recorder of recorders) {
      // every packet, in order, once
      expect(await recorder.until(COUNT)).toEqual(Array.from({ length: COUNT }, (_, i) => i));
    }
    expect(cluster.isRunning).toBe(true);
    expect(await cluster.op(sender, "serverCount")).toBeGreaterThanOrEqual(2);
  });
});

describe("robustness", () => {
  it("drops malformed IPC messages from a worker without harming the primary or the others", async () => {
    cluster = await TestCluster.start();
    const [bad, good, other] = cluster.ids as [number, number, number];
    expect(await cluster.op(bad, "garbage")).toBe(7);
    // no junk counts as a worker
    expect(await cluster.op(good, "serverCount")).toBe(3);
    const ping = await cluster.op<PingReply>(good, "pingAll");
    expect(ping.error).toBeNull();
    expect(ping.responses.map((r) => r.workerId).sort()).toEqual([bad, other].sort());
    // the one well-formed envelope with an undecodable payload reached the others' adapters, which reported it
    expect(await cluster.op(good, "invalidMessages")).toBe(1);
    expect(await cluster.op(other, "invalidMessages")).toBe(1);
    expect(cluster.isRunning).toBe(true);
  });

  it("with recovery on and no setupPrimary(), still delivers a worker's broadcasts to its clients after requestsTimeout", async () => {
    cluster = await TestCluster.start({ workers: 1, relay: false, recoveryMs: 10_000, adapterOptions: { requestsTimeout: 300 } });
    const [only] = cluster.ids as [number];
    const { socket } = await clients.connect("socket.io-client", cluster.url, "websocket");
    const news = new Recorder<string>(socket, "news");
    const sentAt = Date.now();
    await cluster.op(only, "broadcast", { event: "news", args: ["one"] });
    await cluster.op(only, "broadcast", { event: "news", args: ["two"] });
    expect(await news.until(2)).toEqual(["one", "two"]);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(250);
    // the sweep starts again for a later broadcast
    await cluster.op(only, "broadcast", { event: "news", args: ["three"] });
    expect(await news.until(3)).toEqual(["one", "two", "three"]);
  });

  it("close() fails a pending request with AdapterClosedError and leaves no timer behind", async () => {
    cluster = await TestCluster.start({ replace: false });
    const [closing, silent] = cluster.ids as [number, number];
    await cluster.op(silent, "answerDelay", { ms: -1 });
    const result = await cluster.op<{ outcome: ReportedError | null; resources: string[] }>(closing, "closeWithPending");
    expect(result.outcome?.code).toBe("VOLLEY_ADAPTER_ERR_CLOSED");
    expect(result.resources).not.toContain("Timeout");
    // the others drop it at once (it said goodbye)
    await serverCountBecomes(cluster, silent, 2, 1000);
  });
});
