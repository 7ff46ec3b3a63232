// The port: which clients are accepted, and the two wrappers against real clients of each
// library on a real redis-server.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  InvalidClientError,
  ioredisClient,
  nodeRedisClient,
  toRedisClient,
  type AnyRedisClient,
  type RedisClientLike,
} from "../../src/index";
import { CLIENT_LIBRARIES, connectPair, type ClientPair } from "../helpers/clients";
import { startRedisServer, type RedisServer } from "../helpers/redis-server";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});

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

describe.each(CLIENT_LIBRARIES)("%s through the port", (library) => {
  let pair: ClientPair;
  let pub: RedisClientLike;
  let sub: RedisClientLike;
  beforeAll(async () => {
    pair = await connectPair(library, redis.port);
    pub = toRedisClient(pair.pub, "pubClient");
    sub = toRedisClient(pair.sub, "subClient");
  });
  afterAll(async () => {
    await pair.close();
  });

  it("is wrapped by the wrapper of its library", () => {
    const wrapper = library === "ioredis" ? ioredisClient : nodeRedisClient;
    expect(typeof wrapper).toBe("function");
    expect(toRedisClient(pub, "pubClient")).toBe(pub);
  });

  it.each(["subscribe", "ssubscribe"] as const)("%s: delivers binary messages as Buffers, on the channel subscribed", async (mode) => {
    const channel = `port-${library}-${mode}`;
    const payload = Buffer.from([0, 0xff, 0x80, 10]);
    let onMessage: (message: Buffer, from: string) => void = () => undefined;
    const received = new Promise<[Buffer, string]>((resolve) => (onMessage = (message, from) => resolve([message, from])));
    const listener = (message: Buffer, from: string): void => onMessage(message, from);
    // SUBSCRIBE resolves once Redis confirmed it: a message published after it arrives
    await (mode === "subscribe" ? sub.subscribe(channel, listener) : sub.ssubscribe(channel, listener));
    await (mode === "subscribe" ? pub.publish(channel, payload) : pub.spublish(channel, payload));
    const [message, from] = await received;
    expect(from).toBe(channel);
    expect(Buffer.compare(message, payload)).toBe(0);
    await (mode === "subscribe" ? sub.unsubscribe(channel, listener) : sub.sunsubscribe(channel, listener));
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
    await sub.subscribe(channel, one);
    await sub.subscribe(channel, two);
    await new Promise<void>((resolve) => {
      gotSecond = resolve;
      void pub.publish(channel, Buffer.from("a"));
    });
    await sub.unsubscribe(channel, one);
    await new Promise<void>((resolve) => {
      gotSecond = resolve;
      void pub.publish(channel, Buffer.from("b"));
    });
    expect(first.map(String)).toEqual(["a"]);
    expect(second.map(String)).toEqual(["a", "b"]);
    await sub.unsubscribe(channel, two);
  });

  it("fans the client's errors out to each listener once, and stops on demand", () => {
    const seen: string[] = [];
    const stopA = pub.onError((error) => seen.push(`a:${error.message}`));
    const stopB = pub.onError((error) => seen.push(`b:${error.message}`));
    (pair.pub as unknown as { emit(event: string, error: Error): boolean }).emit("error", new Error("boom"));
    stopA();
    stopA();
    (pair.pub as unknown as { emit(event: string, error: Error): boolean }).emit("error", new Error("again"));
    stopB();
    expect(seen).toEqual(["a:boom", "b:boom", "b:again"]);
  });
});
