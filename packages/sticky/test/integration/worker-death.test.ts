// A worker that dies: the primary forgets it and its sessions, its clients reconnect to a
// living worker, and the replacement the application forks is given new sessions.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { Cluster, waitUntil, within } from "../helpers/cluster";
import { Clients, nextHello, upgraded, whoami } from "../helpers/clients";

describe("@volley/sticky when a worker dies (3 workers)", () => {
  let cluster: Cluster;
  const clients = new Clients();

  beforeAll(async () => {
    cluster = await Cluster.start("volley", "round-robin");
  });
  afterEach(() => clients.closeAll());
  afterAll(async () => {
    await cluster?.stop();
    await clients.allClosed();
  });

  it.each([
    ["polling only", ["polling"]],
    ["websocket", ["polling", "websocket"]],
  ])("%s: its clients reconnect to a living worker, the replacement takes new sessions", async (_name, transports) => {
    const connected = await Promise.all([0, 1, 2].map(() => clients.connect(cluster.url, transports)));
    expect(new Set(connected.map((c) => c.hello.workerId)).size).toBe(3);
    // killed mid-upgrade, socket.io-client may wait for its heartbeat to notice: the
    // WebSocket case kills a worker whose clients have upgraded
    if (transports.includes("websocket")) await Promise.all(connected.map(({ socket }) => upgraded(socket)));
    await waitUntil(5000, "three sessions counted", async () => [...(await cluster.counts()).values()].reduce((a, b) => a + b, 0) === 3);

    const victim = connected[0]!;
    const dead = victim.hello.workerId;
    // (rarely seen to time out once, with WebSocket: the message says where the client was)
    const engine = victim.socket.io.engine;
    const engineEvents: string[] = [];
    for (const event of ["upgrading", "upgrade", "upgradeError", "close"] as const) engine.on(event, () => engineEvents.push(event));
    const state = (): string => `the victim's disconnect (engine ${engine.readyState} on ${engine.transport?.name}, then: ${engineEvents.join(", ") || "nothing"})`;
    const disconnected = within(10_000, state, new Promise((resolve) => victim.socket.once("disconnect", resolve)));
    const rehello = disconnected.then(() => nextHello(victim.socket, 15_000));
    const replacement = cluster.nextReady();
    await cluster.kill(dead);

    // the client notices, reconnects, and lands on a living worker
    const hello = await rehello;
    expect(hello.workerId).not.toBe(dead);
    expect(await whoami(victim.socket)).toBe(hello.workerId);

    // the other clients were not disturbed
    for (const other of connected.slice(1)) expect(await whoami(other.socket)).toBe(other.hello.workerId);

    // the primary forgot the dead worker and its session
    const fresh = await replacement;
    await waitUntil(5000, "dead worker forgotten", async () => {
      const counts = await cluster.counts();
      return !counts.has(dead) && counts.has(fresh.workerId);
    });

    // new sessions reach the replacement too
    const seen = new Set<number>();
    for (let i = 0; i < 4 && !seen.has(fresh.workerId); i++) seen.add((await clients.connect(cluster.url, transports)).hello.workerId);
    expect(seen.has(fresh.workerId)).toBe(true);
    expect(seen.has(dead)).toBe(false);
  });
});
