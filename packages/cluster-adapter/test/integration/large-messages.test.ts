// A message of several MB occupies the IPC channel for its own transfer only: while worker A
// broadcasts one, the small broadcasts worker B streams keep reaching a client of worker C,
// and the longest silence that client sees is bounded by the large message's own transfer
// time, measured alone in the same test (relative figures only: a slow machine slows both).
import { afterEach, describe, expect, it } from "@jest/globals";
import { TestCluster, within } from "../helpers/cluster";
import { Clients, nextEvent, type ClientSocket, type Hello } from "../helpers/clients";

const LARGE_BYTES = 8 * 1024 * 1024;
const SMALL_EVERY_MS = 5;
/** How many times the large message is timed alone; the median is the reference. */
const ALONE_RUNS = 3;
/** The longest silence allowed, as a multiple of the large message's transfer time alone. */
const GAP_FACTOR = 1.5;

let cluster: TestCluster | undefined;
const clients = new Clients();
afterEach(async () => {
  await clients.closeAll();
  await cluster?.stop();
  cluster = undefined;
});

/** Two clients on the same worker (sticky spreads them by connection count). */
async function twoOnOneWorker(url: string): Promise<{ workerId: number; first: ClientSocket; second: ClientSocket }> {
  const seen = new Map<number, ClientSocket>();
  for (let i = 0; i < 8; i++) {
    const { socket, hello } = await clients.connect("socket.io-client", url, "websocket");
    const mate = seen.get(hello.workerId);
    if (mate !== undefined) return { workerId: hello.workerId, first: mate, second: socket };
    seen.set(hello.workerId, socket);
  }
  throw new Error("no two of 8 clients landed on the same worker");
}

async function join(socket: ClientSocket, room: string): Promise<void> {
  await socket.timeout(5000).emitWithAck("join", room);
}

/** Has worker `sender` broadcast the large message and resolves with its arrival time at `receiver`, after checking it. */
async function sendLarge(target: TestCluster, sender: number, receiver: ClientSocket): Promise<{ startedAt: number; arrivedAt: number }> {
  const arrival = nextEvent<Buffer>(receiver, "large", 30_000).then((payload) => ({ payload, at: Date.now() }));
  const startedAt = Date.now();
  await target.op(sender, "large", { event: "large", room: "large", bytes: LARGE_BYTES });
  const { payload, at } = await arrival;
  expect(payload.length).toBe(LARGE_BYTES);
  expect([payload[0], payload[250], payload[251], payload[LARGE_BYTES - 1]]).toEqual([0, 250, 0, (LARGE_BYTES - 1) % 251]);
  return { startedAt, arrivedAt: at };
}

describe.each(["json", "advanced"] as const)("a message of several MB (%s serialization)", (serialization) => {
  it("does not hold up the small broadcasts of another worker longer than its own transfer", async () => {
    cluster = await TestCluster.start({ serialization });
    const { workerId: observerWorker, first: largeReceiver, second: smallReceiver } = await twoOnOneWorker(cluster.url);
    const [largeSender, smallSender] = cluster.ids.filter((id) => id !== observerWorker) as [number, number];
    await join(largeReceiver, "large");
    await join(smallReceiver, "small");

    // the large message alone, end to end: worker A -> primary -> worker C -> client
    const alone: number[] = [];
    for (let i = 0; i < ALONE_RUNS; i++) {
      const { startedAt, arrivedAt } = await sendLarge(cluster, largeSender, largeReceiver);
      alone.push(arrivedAt - startedAt);
    }
    const aloneMs = [...alone].sort((a, b) => a - b)[Math.floor(ALONE_RUNS / 2)] as number;

    // the small stream lasts well past the large message's transfer
    const count = Math.ceil((4 * aloneMs) / SMALL_EVERY_MS) + 100;
    const arrivals: Array<{ label: string; at: number }> = [];
    let enough: () => void = () => undefined;
    const warmedUp = new Promise<void>((resolve) => (enough = resolve));
    smallReceiver.on("small", (label: string) => {
      arrivals.push({ label, at: Date.now() });
      if (arrivals.length === 20) enough();
    });
    const stream = cluster.op(smallSender, "burst", { event: "small", count, everyMs: SMALL_EVERY_MS, labelled: true, room: "small" }, 60_000);
    await within(10_000, "the small stream to start", warmedUp);
    const { startedAt, arrivedAt } = await sendLarge(cluster, largeSender, largeReceiver);
    await stream;
    await within(20_000, `all ${count} small broadcasts`, new Promise<void>((resolve) => {
      const check = (): void => {
        if (arrivals.length >= count) resolve();
        else setTimeout(check, 10);
      };
      check();
    }));

    // every small broadcast, in order, once
    expect(arrivals.map((a) => a.label)).toEqual(Array.from({ length: count }, (_, i) => `${smallSender}:${i}`));
    const during = arrivals.filter((a) => a.at > startedAt && a.at < arrivedAt);
    // they keep arriving while the large one travels
    expect(during.length).toBeGreaterThan(0);
    // the longest silence around and during the transfer: from the last arrival before it
    // starts to the first after it ends, through every arrival in between
    const window = arrivals.filter((a, i) => {
      const next = arrivals[i + 1];
      return a.at <= arrivedAt && (next === undefined || next.at >= startedAt);
    });
    const after = arrivals.find((a) => a.at >= arrivedAt);
    const times = [...window.map((a) => a.at), ...(after === undefined ? [] : [after.at])];
    let longestGap = 0;
    for (let i = 1; i < times.length; i++) longestGap = Math.max(longestGap, (times[i] as number) - (times[i - 1] as number));
    const bound = GAP_FACTOR * aloneMs;
    expect(longestGap <= bound ? "bounded" : `longest silence ${longestGap} ms > ${GAP_FACTOR} × ${aloneMs} ms alone`).toBe("bounded");
  });
});
