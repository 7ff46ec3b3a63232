// least-connection places a new session on the worker holding the fewest open sessions, as
// the workers report them opened and closed.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { Cluster, waitUntil } from "../helpers/cluster";
import { Clients } from "../helpers/clients";

describe("@volley/sticky least-connection (3 workers)", () => {
  let cluster: Cluster;
  const clients = new Clients();

  beforeAll(async () => {
    cluster = await Cluster.start("volley", "least-connection");
  });
  afterEach(() => clients.closeAll());
  afterAll(async () => {
    await cluster?.stop();
    await clients.allClosed();
  });

  const countsOf = async (): Promise<Record<number, number>> => Object.fromEntries(await cluster.counts());

  it("counts the sessions each worker holds, and fills the emptied worker first", async () => {
    const workerIds = [...cluster.workers.keys()].sort((a, b) => a - b);
    expect(await countsOf()).toEqual(Object.fromEntries(workerIds.map((id) => [id, 0])));

    // six sessions, opened one after the other: two on each worker
    const connected = [];
    for (let i = 0; i < 6; i++) connected.push(await clients.connect(cluster.url, ["polling", "websocket"]));
    await waitUntil(5000, "six sessions counted", async () => Object.values(await countsOf()).reduce((a, b) => a + b, 0) === 6);
    expect(await countsOf()).toEqual(Object.fromEntries(workerIds.map((id) => [id, 2])));

    // close both sessions of one worker: the primary sees them closed
    const emptied = connected[0]!.hello.workerId;
    for (const { socket, hello } of connected) if (hello.workerId === emptied) socket.disconnect();
    await waitUntil(5000, "closed sessions counted", async () => (await countsOf())[emptied] === 0);
    expect(await countsOf()).toEqual(Object.fromEntries(workerIds.map((id) => [id, id === emptied ? 0 : 2])));

    // the next two sessions go to that worker, one more to each then
    const next = [];
    for (let i = 0; i < 2; i++) next.push(await clients.connect(cluster.url, ["polling"]));
    expect(next.map((c) => c.hello.workerId)).toEqual([emptied, emptied]);
    await waitUntil(5000, "new sessions counted", async () => (await countsOf())[emptied] === 2);
  });
});
