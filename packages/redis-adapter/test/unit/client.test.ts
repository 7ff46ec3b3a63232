// The port: which clients are accepted, and the two wrappers against real clients of each
// library on a real redis-server, and of each cluster client on a real Redis Cluster.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  InvalidClientError,
  ioredisClient,
  nodeRedisClient,
  toRedisClient,
  type AnyRedisClient,
  type RedisClientLike,
} from "../../src/index";
import { CLIENT_LIBRARIES, CLUSTER_LIBRARIES, connectPair, type ClientLibrary, type ClientPair } from "../helpers/clients";
import { redisServersForFile } from "../helpers/hooks";
import { redisCli } from "../helpers/redis-cluster-server";

const servers = redisServersForFile();

/** The port of the standalone Redis, or of one node of the Redis Cluster for a cluster client. */
function portFor(library: ClientLibrary): number {
  const port = (CLUSTER_LIBRARIES as readonly ClientLibrary[]).includes(library) ? servers.redisCluster.ports[0] : servers.redis.port;
  if (port === undefined) throw new Error("no Redis port");
  return port;
}

describe("toRedisClient", () => {
  it("rejects what is not a client", () => {
    expect(() => toRedisClient({} as AnyRedisClient, "pubClient")).toThrow(InvalidClientError);
    expect(() => toRedisClient(null as unknown as AnyRedisClient, "subClient")).toThrow(
      "subClient must be a node-redis client, an ioredis client or a RedisClientLike, got null",
    );
  });

  it("takes a RedisClientLike as it is", () => {
    const port: RedisClientLike = {
      publish: () => Promise.resolve(0),
      subscribe: () => Promise.resolve(),
      unsubscribe: () => Promise.resolve(),
      spublish: () => Promise.resolve(0),
      ssubscribe: () => Promise.resolve(),
      sunsubscribe: () => Promise.resolve(),
      onError: () => () => undefined,
    };
    expect(toRedisClient(port, "pubClient")).toBe(port);
  });
});

/** A pair of `library`'s clients, connected for the tests of the enclosing describe block, and its ports. */
function connectedPorts(library: ClientLibrary): { pair: ClientPair; pub: RedisClientLike; sub: RedisClientLike } {
  const ports = {} as { pair: ClientPair; pub: RedisClientLike; sub: RedisClientLike };
  beforeAll(async () => {
    ports.pair = await connectPair(library, portFor(library));
    ports.pub = toRedisClient(ports.pair.pub, "pubClient");
    ports.sub = toRedisClient(ports.pair.sub, "subClient");
  });
  afterAll(async () => {
    await ports.pair.close();
  });
  return ports;
}

describe.each([...CLIENT_LIBRARIES, ...CLUSTER_LIBRARIES])("%s through the port", (library) => {
  const ports = connectedPorts(library);

  it("is wrapped by the wrapper of its library", () => {
    const wrapper = library.startsWith("ioredis") ? ioredisClient : nodeRedisClient;
    expect(typeof wrapper).toBe("function");
    expect(toRedisClient(ports.pub, "pubClient")).toBe(ports.pub);
  });

  it.each(["subscribe", "ssubscribe"] as const)("%s: delivers binary messages as Buffers, on the channel subscribed", async (mode) => {
    const channel = `port-${library}-${mode}`;
    const payload = Buffer.from([0, 0xff, 0x80, 10]);
    let onMessage: (message: Buffer, from: string) => void = () => undefined;
    const received = new Promise<[Buffer, string]>((resolve) => (onMessage = (message, from) => resolve([message, from])));
    const listener = (message: Buffer, from: string): void => onMessage(message, from);
    // SUBSCRIBE resolves once Redis confirmed it: a message published after it arrives
    await (mode === "subscribe" ? ports.sub.subscribe(channel, listener) : ports.sub.ssubscribe(channel, listener));
    await (mode === "subscribe" ? ports.pub.publish(channel, payload) : ports.pub.spublish(channel, payload));
    const [message, from] = await received;
    expect(from).toBe(channel);
    expect(Buffer.compare(message, payload)).toBe(0);
    await (mode === "subscribe" ? ports.sub.unsubscribe(channel, listener) : ports.sub.sunsubscribe(channel, listener));
  });

  it("two listeners of one channel each get the message; after one leaves, the other still does", async () => {
    const channel = `port-${library}-two`;
    const first: Buffer[] = [];
    const second: Buffer[] = [];
    const one = (message: Buffer): void => void first.push(message);
    let gotSecond: () => void = () => undefined;
    const two = (message: Buffer): void => {
      second.push(message);
      gotSecond();
    };
    await ports.sub.subscribe(channel, one);
    await ports.sub.subscribe(channel, two);
    await new Promise<void>((resolve) => {
      gotSecond = resolve;
      void ports.pub.publish(channel, Buffer.from("a"));
    });
    await ports.sub.unsubscribe(channel, one);
    await new Promise<void>((resolve) => {
      gotSecond = resolve;
      void ports.pub.publish(channel, Buffer.from("b"));
    });
    expect(first.map(String)).toEqual(["a"]);
    expect(second.map(String)).toEqual(["a", "b"]);
    await ports.sub.unsubscribe(channel, two);
  });

  it("fans the client's errors out to each listener once, and stops on demand", () => {
    const seen: string[] = [];
    const stopA = ports.pub.onError((error) => seen.push(`a:${error.message}`));
    const stopB = ports.pub.onError((error) => seen.push(`b:${error.message}`));
    (ports.pair.pub as unknown as { emit(event: string, error: Error): boolean }).emit("error", new Error("boom"));
    stopA();
    stopA();
    (ports.pair.pub as unknown as { emit(event: string, error: Error): boolean }).emit("error", new Error("again"));
    stopB();
    expect(seen).toEqual(["a:boom", "b:boom", "b:again"]);
  });
});

/** Calls of `command` each node of the Redis Cluster served since its last CONFIG RESETSTAT. */
async function callsPerNode(command: string): Promise<number[]> {
  return Promise.all(
    servers.redisCluster.ports.map(async (port) => {
      const stats = await redisCli(port, "info", "commandstats");
      return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    }),
  );
}

/** One channel name per master of the Redis Cluster, owned by that master (in port order). */
async function channelPerMaster(prefix: string): Promise<string[]> {
  const byPort = new Map<number, string>();
  for (let i = 0; byPort.size < servers.redisCluster.ports.length && i < 1000; i++) {
    const channel = `${prefix}-${i}`;
    const port = await servers.redisCluster.masterOf(channel);
    if (!byPort.has(port)) byPort.set(port, channel);
  }
  return servers.redisCluster.ports.map((port) => {
    const channel = byPort.get(port);
    if (channel === undefined) throw new Error(`no channel found for the master on ${port}`);
    return channel;
  });
}

describe.each(CLUSTER_LIBRARIES)("%s on a Redis Cluster", (library) => {
  const ports = connectedPorts(library);

  it("publishes each channel's messages through the master that owns the channel's slot", async () => {
    const channels = await channelPerMaster(`route-${library}`);
    await Promise.all(servers.redisCluster.ports.map((port) => redisCli(port, "config", "resetstat")));
    for (const [index, channel] of channels.entries()) {
      for (let i = 0; i <= index; i++) await ports.pub.publish(channel, Buffer.from(String(i)));
    }
    // the master of channels[i] served its i + 1 PUBLISHes, and no other
    expect(await callsPerNode("publish")).toEqual([1, 2, 3]);
  });

  it("delivers one channel's messages in the order they were published", async () => {
    const channel = `order-${library}`;
    const count = 300;
    const received: number[] = [];
    let done: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (done = resolve));
    const listener = (message: Buffer): void => {
      received.push(Number(message.toString()));
      if (received.length === count) done();
    };
    await ports.sub.subscribe(channel, listener);
    await Promise.all(Array.from({ length: count }, (_unused, i) => ports.pub.publish(channel, Buffer.from(String(i)))));
    await all;
    expect(received).toEqual(Array.from({ length: count }, (_unused, i) => i));
    await ports.sub.unsubscribe(channel, listener);
  });

  it("ssubscribes to channels of every shard and gets each one's messages", async () => {
    const channels = await channelPerMaster(`shard-${library}`);
    const received = new Map<string, string>();
    let done: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (done = resolve));
    const listener = (message: Buffer, channel: string): void => {
      received.set(channel, message.toString());
      if (received.size === channels.length) done();
    };
    for (const channel of channels) await ports.sub.ssubscribe(channel, listener);
    for (const channel of channels) await ports.pub.spublish(channel, Buffer.from(`to ${channel}`));
    await all;
    expect(Object.fromEntries(received)).toEqual(Object.fromEntries(channels.map((channel) => [channel, `to ${channel}`])));
    for (const channel of channels) await ports.sub.sunsubscribe(channel, listener);
  });
});
