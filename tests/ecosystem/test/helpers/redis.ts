// A real redis-server per test file (a free loopback port, no persistence; never the one on
// 6379), and clusters of server nodes of either implementation joined by a published
// Redis adapter, each node with Redis clients of its own.
import { afterAll, afterEach, beforeAll } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { createAdapter as createRedisAdapter, createShardedAdapter } from "@socket.io/redis-adapter";
import { createAdapter as createStreamsAdapter } from "@socket.io/redis-streams-adapter";
import type { ServerOptions, Socket as ServerSocket } from "@volley/server";
import {
  ackRequestsForgotten,
  eventually,
  startAdapterCluster,
  waitFor,
  within,
  type AdapterCluster,
  type Implementation,
  type Node,
  type NodeLink,
} from "./nodes";
import { startRedisServer, type RedisServer } from "../../../../packages/redis-adapter/test/helpers/redis-server";

/** A redis-server of the test file (started as the redis-adapter package's tests start theirs). */
export interface RedisProcess extends RedisServer {
  /** The names of the connections Redis has now (CLIENT SETNAME / the clients' `name` option). */
  clientNames(): Promise<string[]>;
}

/** Starts redis-server on a free port; resolves once it answers. */
export async function startRedis(): Promise<RedisProcess> {
  const server = await startRedisServer();
  return Object.assign(server, { clientNames: () => clientNames(server.url) });
}

/** CLIENT LIST over a connection of its own, without a name (so it never lists itself by name). */
async function clientNames(url: string): Promise<string[]> {
  const client = createClient({ url });
  await client.connect();
  try {
    const reply = String(await client.sendCommand(["CLIENT", "LIST"]));
    return reply
      .split("\n")
      .map((line) => / name=(\S*)/.exec(line)?.[1] ?? "")
      .filter((name) => name !== "");
  } finally {
    await client.quit();
  }
}

/** A redis-server for the test file, and the clusters of its tests, each closed after its test. */
export interface RedisFixture {
  /**
   * Starts `count` nodes of `impl` with `setup`, closed after the test unless
   * `closeAfterTest` is false (the caller closes it).
   */
  start(impl: Implementation, setup: RedisAdapterSetup, count?: number, options?: ServerOptions, closeAfterTest?: boolean): Promise<RedisCluster>;
}

/** Registers the hooks: a redis-server for the file, the clusters closed after each test. */
export function redisFixture(): RedisFixture {
  let redis: RedisProcess | undefined;
  const clusters: RedisCluster[] = [];
  const adapters: unknown[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(clusters.splice(0).map((cluster) => cluster.close()));
  });
  afterAll(async () => {
    await ackRequestsForgotten(adapters);
    await redis?.stop();
  });
  const running = (): RedisProcess => {
    if (redis === undefined) throw new Error("redis-server is not running");
    return redis;
  };
  return {
    async start(impl, setup, count = 3, options = {}, closeAfterTest = true) {
      const cluster = await startRedisCluster(impl, setup, running(), count, options);
      if (closeAfterTest) clusters.push(cluster);
      adapters.push(...cluster.nodes.map((node) => node.io.of("/").adapter));
      return cluster;
    },
  };
}

/** The Redis clients of one node and the adapter made from them. */
export type NodeRedis = NodeLink;

/** A published adapter over Redis, with the client library it is given. */
export interface RedisAdapterSetup {
  readonly title: string;
  /**
   * Connects the clients of one node. `key` is unique per cluster (channels, streams and
   * session keys under it), `name` per node: every connection of the node, including those
   * the adapter duplicates, carries it, so that Redis shows when all of them are gone.
   */
  connect(url: string, key: string, name: string): Promise<NodeRedis>;
  /**
   * Whether a node only reads broadcasts once it polls its stream (the streams adapter):
   * the cluster warms up until a broadcast reached every node.
   */
  readonly polls?: boolean;
}

/** A client of either library, as far as a pair needs it. */
interface DuplicableClient<C> {
  on(event: "error", listener: () => void): unknown;
  duplicate(): C;
  connect(): Promise<unknown>;
}

export interface ClientPair<C> {
  readonly pub: C;
  readonly sub: C;
  close(): Promise<void>;
}

/** `pub` and its duplicate, connected; `end` closes one. */
async function pairOf<C extends DuplicableClient<C>>(pub: C, end: (client: C) => Promise<unknown>): Promise<ClientPair<C>> {
  // the adapters report errors their own way; Redis stopping at the end of the file is expected
  pub.on("error", () => undefined);
  const sub = pub.duplicate();
  sub.on("error", () => undefined);
  await Promise.all([pub.connect(), sub.connect()]);
  return { pub, sub, close: async () => void (await Promise.all([end(pub), end(sub)])) };
}

/** A node-redis 5 client and its duplicate, connected. */
export function nodeRedisPair(url: string, name: string): Promise<ClientPair<ReturnType<typeof createClient>>> {
  return pairOf(createClient({ url, name }), async (client) => (client.isOpen ? client.close() : undefined));
}

/** An ioredis client and its duplicate, ready. */
export function ioredisPair(url: string, name: string): Promise<ClientPair<Redis>> {
  return pairOf(new Redis(url, { connectionName: name, lazyConnect: true }), (client) => client.quit());
}

/** Nodes of one implementation joined by the adapter under test. */
export type RedisCluster = AdapterCluster;

/**
 * Starts `count` nodes of `impl` over the Redis at `redis`, and resolves once each node
 * counts all of them (`adapter.serverCount()`) and, for a polling adapter, a broadcast
 * reached every node.
 */
export async function startRedisCluster(
  impl: Implementation,
  setup: RedisAdapterSetup,
  redis: RedisProcess,
  count: number,
  serverOptions: ServerOptions = {},
): Promise<RedisCluster> {
  const key = `volley-eco-${randomUUID()}`;
  const cluster = await startAdapterCluster(impl, count, serverOptions, async (index) => {
    const name = `${key}-${index}`;
    const nodeRedis = await setup.connect(redis.url, key, name);
    return {
      adapter: nodeRedis.adapter,
      async close() {
        await nodeRedis.close();
        // the adapter's own connections (the streams adapter duplicates its client) end
        // once its close() has run: leave none behind for the next test
        await eventually(async () => !(await redis.clientNames()).includes(name), 15_000, `the connections of ${name} closing`);
      },
    };
  });
  if (setup.polls === true) {
    try {
      await warmUp(cluster.nodes);
    } catch (error) {
      await cluster.close();
      throw error;
    }
  }
  return cluster;
}

const WARM_UP_ROOM = "volley-eco-warm-up";

/**
 * The streams adapter starts reading its stream at "$" (what is added from then on) and
 * reads again from "$" after each empty poll until a first entry came, so an entry added
 * before or between its first polls is never seen. A probe client per node is sent a
 * broadcast every 100 ms until each got one: from then on every node reads from a real
 * offset. The probes leave before the test starts.
 */
async function warmUp(nodes: readonly Node[]): Promise<void> {
  const serverSockets: Array<Promise<ServerSocket>> = [];
  const probes = [];
  for (const node of nodes) {
    serverSockets.push(
      new Promise((resolve) => {
        const onConnection = (socket: ServerSocket): void => {
          if (socket.handshake.auth["warmUp"] !== true) return;
          node.io.off("connection", onConnection);
          socket.join(WARM_UP_ROOM);
          resolve(socket);
        };
        node.io.on("connection", onConnection);
      }),
    );
    probes.push(await node.connected("/", { auth: { warmUp: true } }));
  }
  const sockets = await within(Promise.all(serverSockets), 10_000, "the warm-up probes joining");
  const reached = Promise.all(probes.map((probe) => waitFor(probe, "warm-up", 15_000)));
  const first = nodes[0];
  if (first === undefined) return;
  const timer = setInterval(() => first.io.to(WARM_UP_ROOM).emit("warm-up" as never), 100);
  try {
    first.io.to(WARM_UP_ROOM).emit("warm-up" as never);
    await reached;
  } finally {
    clearInterval(timer);
  }
  const gone = sockets.map((socket) => new Promise<void>((resolve) => socket.on("disconnect", () => resolve())));
  for (const probe of probes) probe.disconnect();
  await within(Promise.all(gone), 10_000, "the warm-up probes leaving");
}

/** How long the classic adapter waits for other nodes' answers (its `requestsTimeout`). */
export const CLASSIC_REQUESTS_TIMEOUT_MS = 2000;

/** `@socket.io/redis-adapter`'s `createAdapter(pub, sub)` with node-redis 5 clients. */
export const CLASSIC_NODE_REDIS: RedisAdapterSetup = {
  title: "createAdapter (node-redis 5)",
  async connect(url, key, name) {
    const pair = await nodeRedisPair(url, name);
    return { adapter: createRedisAdapter(pair.pub, pair.sub, { key, requestsTimeout: CLASSIC_REQUESTS_TIMEOUT_MS }), close: pair.close };
  },
};

/** `@socket.io/redis-adapter`'s `createAdapter(pub, sub)` with ioredis clients. */
export const CLASSIC_IOREDIS: RedisAdapterSetup = {
  title: "createAdapter (ioredis)",
  async connect(url, key, name) {
    const pair = await ioredisPair(url, name);
    return { adapter: createRedisAdapter(pair.pub, pair.sub, { key, requestsTimeout: CLASSIC_REQUESTS_TIMEOUT_MS }), close: pair.close };
  },
};

/** `@socket.io/redis-adapter`'s `createShardedAdapter(pub, sub)` (SPUBLISH, Redis 7) with node-redis 5 clients. */
export const SHARDED_NODE_REDIS: RedisAdapterSetup = {
  title: "createShardedAdapter (node-redis 5)",
  async connect(url, key, name) {
    const pair = await nodeRedisPair(url, name);
    return { adapter: createShardedAdapter(pair.pub, pair.sub, { channelPrefix: key }), close: pair.close };
  },
};

/** `@socket.io/redis-adapter`'s `createShardedAdapter(pub, sub)` with ioredis clients. */
export const SHARDED_IOREDIS: RedisAdapterSetup = {
  title: "createShardedAdapter (ioredis)",
  async connect(url, key, name) {
    const pair = await ioredisPair(url, name);
    return { adapter: createShardedAdapter(pair.pub, pair.sub, { channelPrefix: key }), close: pair.close };
  },
};

function streamsOptions(key: string): Parameters<typeof createStreamsAdapter>[1] {
  return {
    streamName: key,
    channelPrefix: key,
    sessionKeyPrefix: `${key}:session:`,
    // its readers end only when a blocking XREAD returns: short, so that a node closes quickly
    blockTimeInMs: 200,
  };
}

/** `@socket.io/redis-streams-adapter`'s `createAdapter(client)` with a node-redis 5 client. */
export const STREAMS_NODE_REDIS: RedisAdapterSetup = {
  title: "redis-streams createAdapter (node-redis 5)",
  polls: true,
  async connect(url, key, name) {
    const client = createClient({ url, name });
    client.on("error", () => undefined);
    await client.connect();
    return {
      adapter: createStreamsAdapter(client, streamsOptions(key)),
      close: async () => {
        if (client.isOpen) await client.close();
      },
    };
  },
};

/** `@socket.io/redis-streams-adapter`'s `createAdapter(client)` with an ioredis client. */
export const STREAMS_IOREDIS: RedisAdapterSetup = {
  title: "redis-streams createAdapter (ioredis)",
  polls: true,
  async connect(url, key, name) {
    const client = new Redis(url, { connectionName: name, lazyConnect: true });
    client.on("error", () => undefined);
    await client.connect();
    return {
      adapter: createStreamsAdapter(client, streamsOptions(key)),
      close: async () => void (await client.quit()),
    };
  },
};
