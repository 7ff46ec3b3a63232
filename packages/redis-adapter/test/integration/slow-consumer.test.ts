// A slow consumer: a client of node 0 stops reading while node 1 keeps broadcasting to
// every client through Redis. Node 0 closes that one connection once more than its
// maxWriteBufferSize waits for it ("transport buffer full"); the other clients of both
// nodes get every broadcast, in order.
import { afterEach, describe, expect, it } from "@jest/globals";
import type { Socket as ServerSocket } from "@volley/server";
import { createAdapter, createShardedAdapter } from "../../src/index";
import { connectClient, startRedisCluster, type NodeAdapterFactory, type RedisCluster } from "../helpers/cluster";
import { redisServerForFile } from "../helpers/hooks";
import { connectStalledClient, type StalledClient } from "../helpers/stalled-client";
import { once, until } from "../helpers/wait";

const MAX_WRITE_BUFFER_SIZE = 1_000_000;
const PAYLOAD_BYTES = 64 * 1024;
const BATCH = 8;
/** Far more than the slow client's kernel buffers and the limit together can hold. */
const MAX_BROADCASTS = 800;

const servers = redisServerForFile();

let cluster: RedisCluster | undefined;
const clients: ReturnType<typeof connectClient>[] = [];
let slow: StalledClient | undefined;
afterEach(async () => {
  slow?.close();
  slow = undefined;
  for (const client of clients.splice(0)) client.disconnect();
  await cluster?.close();
  cluster = undefined;
});

const OPTIONS = { requestsTimeout: 2000, heartbeatInterval: 1000, heartbeatTimeout: 5000 };
const RUNS: readonly [string, NodeAdapterFactory][] = [
  ["createAdapter", (pub, sub, key) => createAdapter(pub, sub, { key, ...OPTIONS })],
  ["createShardedAdapter", (pub, sub, key) => createShardedAdapter(pub, sub, { channelPrefix: key, ...OPTIONS })],
];

describe.each(RUNS)("%s", (_name, factory) => {
  it("closes the client that stopped reading once maxWriteBufferSize waits for it; the others get every broadcast", async () => {
    cluster = await startRedisCluster(2, "redis@5", servers.redis.port, factory, { connectionStateRecovery: false }, true, (index) =>
      index === 0 ? { maxWriteBufferSize: MAX_WRITE_BUFFER_SIZE } : {},
    );
    const [node0, node1] = cluster.servers;
    if (node0 === undefined || node1 === undefined) throw new Error("two nodes expected");
    const [good0, good1] = [connectClient(cluster.urls[0] ?? ""), connectClient(cluster.urls[1] ?? "")];
    clients.push(good0, good1);
    await Promise.all([once(good0, "connect"), once(good1, "connect")]);
    const received = [good0, good1].map((client) => {
      const numbers: number[] = [];
      client.on("big", (n: number, payload: Buffer) => {
        if (payload.length === PAYLOAD_BYTES) numbers.push(n);
      });
      return numbers;
    });

    let sent = 0;
    const slowConnected = new Promise<ServerSocket>((resolve) => {
      node0.on("connection", (socket: ServerSocket) => {
        if (socket.handshake.query["slow"] === "1") resolve(socket);
      });
    });
    slow = await connectStalledClient(cluster.urls[0] ?? "", "slow=1");
    const slowSocket = await slowConnected;
    let reason: string | undefined;
    let sentWhenClosed = 0;
    slowSocket.on("disconnect", (why: string) => {
      reason = why;
      sentWhenClosed = sent;
    });
    slow.stall();

    // node 1 broadcasts, a batch at a time, each batch once both good clients have the last
    // one, until a few batches after the slow client was closed
    const payload = Buffer.alloc(PAYLOAD_BYTES, 7);
    while (sent < MAX_BROADCASTS && (reason === undefined || sent % (4 * BATCH) !== 0)) {
      for (let i = 0; i < BATCH; i++) node1.emit("big", sent++, payload);
      await Promise.all([good0, good1].map((client, index) => until(client, "big", () => received[index]?.length === sent, 10_000)));
    }

    expect(reason).toBe("transport buffer full");
    // not before more than the limit was sent its way
    expect(sentWhenClosed * PAYLOAD_BYTES).toBeGreaterThan(MAX_WRITE_BUFFER_SIZE);
    expect(node0.of("/").sockets.has(slowSocket.id)).toBe(false);
    // past the limit and a few batches more, the others got everything, in order
    const all = Array.from({ length: sent }, (_unused, i) => i);
    expect(received).toEqual([all, all]);
    expect(good0.connected && good1.connected).toBe(true);
  }, 60_000);
});
