// Connection state recovery of what the emitter sent: nodes with recovery on keep the
// emitter's broadcasts (numbered by the emitter) like their own, so a client whose
// transport dropped gets them when it comes back, on the node it left or on the other one.
// The published socket.io-client plays the client: it can be moved to another node.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { io as ioc, type Socket } from "socket.io-client";
import { once, startCluster, startRedisServer, type Flavour, type RedisServer, type TestCluster } from "../helpers/cluster";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});

/** Events of one name a socket.io-client socket got, without the recovery offset the nodes append. */
function record(client: Socket, event: string): { items: unknown[]; next(count: number): Promise<void> } {
  const items: unknown[] = [];
  const wakers = new Set<() => void>();
  client.on(event, (value: unknown) => {
    items.push(value);
    for (const wake of [...wakers]) wake();
  });
  return {
    items,
    next: (count) =>
      new Promise<void>((resolve, reject) => {
        const wake = (): void => {
          if (items.length < count) return;
          wakers.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          wakers.delete(wake);
          reject(new Error(`${items.length} "${event}" events of ${count} within 5000 ms: ${JSON.stringify(items)}`));
        }, 5000);
        wakers.add(wake);
        wake();
      }),
  };
}

// With recovery on, sharded nodes subscribe as in static mode: the emitter is told so.
const FLAVOURS: readonly Flavour[] = ["classic", "sharded static"];

describe.each(FLAVOURS)("%s nodes with connection state recovery", (flavour) => {
  let cluster: TestCluster;
  const clients: Socket[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect();
    await cluster?.close();
  });

  function connect(node: number): Socket {
    const client = ioc(cluster.urls[node] ?? "", { forceNew: true, reconnection: false, transports: ["websocket"] });
    clients.push(client);
    return client;
  }

  it.each([
    ["the node it left", 0],
    ["the other node", 1],
  ])("a client back on %s gets the emitter's broadcasts it missed, in order, once", async (_where, backOn) => {
    cluster = await startCluster({ nodes: 2, library: "redis@5", port: redis.port, flavour, recovery: true });
    const emitter = cluster.emitter();
    const client = connect(0);
    await once(client, "connect");
    await cluster.servers[0]?.of("/").sockets.get(client.id ?? "")?.join("room");
    const witnesses = [connect(0), connect(1)];
    await Promise.all(witnesses.map((witness) => once(witness, "connect")));
    const seen = witnesses.map((witness) => record(witness, "news"));
    const news = record(client, "news");
    emitter.emit("news", "before");
    await news.next(1);

    const id = client.id;
    const dropped = once(client, "disconnect");
    client.io.engine.close();
    await dropped;
    emitter.to("room").emit("news", "to the room");
    emitter.to("elsewhere").emit("news", "to another room");
    emitter.volatile.emit("news", "volatile");
    emitter.emit("news", "to all");
    // once the witness of each node got the last one, both nodes have recorded them all
    await Promise.all(seen.map((witness) => witness.next(3)));

    (client.io as unknown as { uri: string }).uri = cluster.urls[backOn] ?? "";
    client.connect();
    await once(client, "connect");
    expect(client.recovered).toBe(true);
    expect(client.id).toBe(id);
    emitter.emit("news", "after");
    await news.next(4);
    expect(news.items).toEqual(["before", "to the room", "to all", "after"]);
  });
});
