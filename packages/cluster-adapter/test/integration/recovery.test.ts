// Connection state recovery across workers behind @volley/sticky: a client whose connection
// drops and that reconnects lands on another worker (round-robin) and gets every packet it
// missed, broadcast from any worker, in order and exactly once; or, when the worker that
// kept its session died, it is told it was not recovered and gets none of them.
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

  it("tells a client whose session died with its worker that it was not recovered, and replays nothing", async () => {
    const { socket, hello } = await clients.connect(library, cluster.url, "websocket");
    expect(await socket.timeout(5000).emitWithAck("join", "room")).toBe(hello.workerId);
    const news = new Recorder<string>(socket, "news");
    await cluster.op(hello.workerId, "broadcast", { event: "news", args: ["before"] });
    await news.until(1);

    await cut(cluster, socket, hello);
    const replacement = cluster.nextReady();
    await cluster.kill(hello.workerId);
    await replacement;
    await broadcastEverywhere(cluster, "missed");

    const back = nextEvent<Hello>(socket, "hello");
    socket.connect();
    const again = await back;
    expect(again.recovered).toBe(false);
    expect(socket.recovered).toBe(false);
    expect(again.id).not.toBe(hello.id);
    await cluster.op(again.workerId, "broadcast", { event: "news", args: ["after"] });
    expect(await news.until(2)).toEqual(["before", "after"]);
  });
});

describe("the recovery buffer (maxBufferedPackets: 5)", () => {
  let cluster: TestCluster;
  const clients = new Clients();

  beforeAll(async () => {
    cluster = await TestCluster.start({ method: "round-robin", recoveryMs: 10_000, adapterOptions: { maxBufferedPackets: 5 } });
  });
  afterEach(() => clients.closeAll());
  afterAll(() => cluster.stop());

  /** A client that got one packet, was cut, missed `count` broadcasts from another worker, and reconnected. */
  async function missAndReconnect(count: number): Promise<{ again: Hello; hello: Hello; news: Recorder<string> }> {
    const { socket, hello } = await clients.connect("socket.io-client", cluster.url, "websocket");
    const news = new Recorder<string>(socket, "news");
    await cluster.op(hello.workerId, "broadcast", { event: "news", args: ["before"] });
    await news.until(1);
    await cut(cluster, socket, hello);
    const sender = cluster.ids.find((id) => id !== hello.workerId) as number;
    for (let i = 0; i < count; i++) await cluster.op(sender, "broadcast", { event: "news", args: [`missed ${i}`] });
    const back = nextEvent<Hello>(socket, "hello");
    socket.connect();
    return { again: await back, hello, news };
  }

  it("recovers a client whose last packet is the oldest of a full buffer", async () => {
    const { again, hello, news } = await missAndReconnect(4);
    expect(again.recovered).toBe(true);
    expect(again.id).toBe(hello.id);
    expect(await news.until(5)).toEqual(["before", "missed 0", "missed 1", "missed 2", "missed 3"]);
  });

  it("does not recover a client whose last packet was dropped from the buffer, rather than with a gap", async () => {
    const { again, hello, news } = await missAndReconnect(5);
    expect(again.recovered).toBe(false);
    expect(again.id).not.toBe(hello.id);
    await cluster.op(again.workerId, "broadcast", { event: "news", args: ["after"] });
    expect(await news.until(2)).toEqual(["before", "after"]);
  });
});
