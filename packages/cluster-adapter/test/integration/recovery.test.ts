// Connection state recovery across workers behind @volley/sticky, the sessions and packets
// kept by the primary: a client whose connection drops and that reconnects lands on another
// worker (round-robin) and gets every packet it missed, broadcast from any worker, in order
// and exactly once, even when the worker it left died; past the primary's limits (count and
// age) it is told it was not recovered and gets none of them.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { TestCluster } from "../helpers/cluster";
import { CLIENT_LIBRARIES, Clients, nextEvent, Recorder, type ClientSocket, type Hello } from "../helpers/clients";

/** Cuts `socket`'s transport as a network failure would and waits until both ends noticed. */
async function cut(cluster: TestCluster, socket: ClientSocket, hello: Hello): Promise<void> {
  const clientSaw = nextEvent(socket, "disconnect");
  socket.io.engine.close();
  await clientSaw;
  await cluster.op(hello.workerId, "awaitDisconnect", { socketId: hello.id });
}

/** Broadcasts from every worker, in turn, to the room, to another room and to all; returns what a member must get. */
async function broadcastEverywhere(cluster: TestCluster, tag: string): Promise<string[]> {
  const expected: string[] = [];
  for (const workerId of cluster.ids) {
    await cluster.op(workerId, "broadcast", { event: "news", args: [`${tag} room from ${workerId}`], room: "room" });
    await cluster.op(workerId, "broadcast", { event: "news", args: [`${tag} elsewhere from ${workerId}`], room: "elsewhere" });
    await cluster.op(workerId, "broadcast", { event: "news", args: [`${tag} all from ${workerId}`] });
    expected.push(`${tag} room from ${workerId}`, `${tag} all from ${workerId}`);
  }
  return expected;
}

describe.each(CLIENT_LIBRARIES)("connection state recovery across workers (%s)", (library) => {
  let cluster: TestCluster;
  const clients = new Clients();

  beforeAll(async () => {
    cluster = await TestCluster.start({ method: "round-robin", recoveryMs: 10_000 });
  });
  afterEach(() => clients.closeAll());
  afterAll(() => cluster.stop());

  it("gives a client that reconnects to another worker every missed packet, in order, exactly once", async () => {
    const { socket, hello } = await clients.connect(library, cluster.url, "websocket");
    expect(await socket.timeout(5000).emitWithAck("join", "room")).toBe(hello.workerId);
    const news = new Recorder<string>(socket, "news");
    await cluster.op(hello.workerId, "broadcast", { event: "news", args: ["before"] });
    await news.until(1);

    await cut(cluster, socket, hello);
    const missed = await broadcastEverywhere(cluster, "missed");

    const back = nextEvent<Hello>(socket, "hello");
    socket.connect();
    const again = await back;
    expect(again.workerId).not.toBe(hello.workerId);
    expect(again.recovered).toBe(true);
    expect(again.id).toBe(hello.id);
    expect(socket.recovered).toBe(true);
    const after = await broadcastEverywhere(cluster, "after");
    const all = ["before", ...missed, ...after];
    expect(await news.until(all.length)).toEqual(all);
    // the room came back with the session: the worker it is on now sends it room broadcasts
    await cluster.op(again.workerId, "broadcast", { event: "news", args: ["last"], room: "room" });
    expect(await news.until(all.length + 1)).toEqual([...all, "last"]);
  });

  it("recovers a client whose last packet was a local broadcast of its worker", async () => {
    const { socket, hello } = await clients.connect(library, cluster.url, "websocket");
    const news = new Recorder<string>(socket, "news");
    await cluster.op(hello.workerId, "broadcast", { event: "news", args: ["local"], local: true });
    await news.until(1);
    await cut(cluster, socket, hello);
    const missed = await broadcastEverywhere(cluster, "missed");
    const back = nextEvent<Hello>(socket, "hello");
    socket.connect();
    expect((await back).recovered).toBe(true);
    // not in "room": only the broadcasts to all
    expect(await news.until(1 + missed.length / 2)).toEqual(["local", ...missed.filter((text) => text.includes(" all "))]);
  });

  it("recovers a client whose worker died: the session is the primary's", async () => {
    const { socket, hello } = await clients.connect(library, cluster.url, "websocket");
    expect(await socket.timeout(5000).emitWithAck("join", "room")).toBe(hello.workerId);
    const news = new Recorder<string>(socket, "news");
    await cluster.op(hello.workerId, "broadcast", { event: "news", args: ["before"] });
    await news.until(1);

    await cut(cluster, socket, hello);
    const replacement = cluster.nextReady();
    await cluster.kill(hello.workerId);
    await replacement;
    const missed = await broadcastEverywhere(cluster, "missed");

    const back = nextEvent<Hello>(socket, "hello");
    socket.connect();
    const again = await back;
    expect(again.recovered).toBe(true);
    expect(again.id).toBe(hello.id);
    expect(await news.until(1 + missed.length)).toEqual(["before", ...missed]);
  });

  it("replays exactly what a client missed of concurrent bursts from every worker, its own included", async () => {
    const { socket, hello } = await clients.connect(library, cluster.url, "websocket");
    const ticks = new Recorder<string>(socket, "tick");
    const COUNT = 100;
    const bursts = cluster.ids.map((workerId) => cluster.op(workerId, "burst", { event: "tick", count: COUNT, everyMs: 1, labelled: true }));
    await ticks.until(30);
    await cut(cluster, socket, hello);
    await Promise.all(bursts);
    const back = nextEvent<Hello>(socket, "hello");
    socket.connect();
    expect((await back).recovered).toBe(true);
    const all = await ticks.until(COUNT * cluster.ids.length);
    // once each, and in each worker's order
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(COUNT * cluster.ids.length);
    for (const workerId of cluster.ids) {
      const own = all.filter((tick) => tick.startsWith(`${workerId}:`));
      expect(own).toEqual(Array.from({ length: COUNT }, (_, n) => `${workerId}:${n}`));
    }
  });
});

describe("the primary's limits (maxBufferedPackets: 5, maxDisconnectionDuration: 1000)", () => {
  let cluster: TestCluster;
  const clients = new Clients();

  beforeAll(async () => {
    cluster = await TestCluster.start({
      method: "round-robin",
      recoveryMs: 10_000,
      primaryOptions: { maxBufferedPackets: 5, maxDisconnectionDuration: 1000 },
    });
  });
  afterEach(() => clients.closeAll());
  afterAll(() => cluster.stop());

  /** A client that got one packet, was cut, missed `count` broadcasts from another worker, waited `awayMs`, and reconnected. */
  async function missAndReconnect(count: number, awayMs = 0): Promise<{ again: Hello; hello: Hello; news: Recorder<string> }> {
    const { socket, hello } = await clients.connect("socket.io-client", cluster.url, "websocket");
    const news = new Recorder<string>(socket, "news");
    await cluster.op(hello.workerId, "broadcast", { event: "news", args: ["before"] });
    await news.until(1);
    await cut(cluster, socket, hello);
    const sender = cluster.ids.find((id) => id !== hello.workerId) as number;
    for (let i = 0; i < count; i++) await cluster.op(sender, "broadcast", { event: "news", args: [`missed ${i}`] });
    // the age limit is about time passing: nothing else to wait for
    if (awayMs > 0) await new Promise((resolve) => setTimeout(resolve, awayMs));
    const back = nextEvent<Hello>(socket, "hello");
    socket.connect();
    return { again: await back, hello, news };
  }

  it("recovers a client whose last packet is the oldest of a full buffer", async () => {
    const { again, hello, news } = await missAndReconnect(4);
    expect(again.recovered).toBe(true);
    expect(again.id).toBe(hello.id);
    expect(await news.until(5)).toEqual(["before", "missed 0", "missed 1", "missed 2", "missed 3"]);
    expect((await cluster.recoverySizes()).packets).toBe(5);
  });

  it("does not recover a client whose last packet was dropped from the buffer, rather than with a gap", async () => {
    const { again, hello, news } = await missAndReconnect(5);
    expect(again.recovered).toBe(false);
    expect(again.id).not.toBe(hello.id);
    await cluster.op(again.workerId, "broadcast", { event: "news", args: ["after"] });
    expect(await news.until(2)).toEqual(["before", "after"]);
  });

  it("recovers a client away for less than maxDisconnectionDuration, not one away for longer", async () => {
    const { again: soon } = await missAndReconnect(1, 200);
    expect(soon.recovered).toBe(true);
    const { again: late, news } = await missAndReconnect(1, 1200);
    expect(late.recovered).toBe(false);
    expect(news.items).toEqual(["before"]);
    // what expired is gone from the primary too
    expect((await cluster.recoverySizes()).sessions).toBe(0);
  });
});
