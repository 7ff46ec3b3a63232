// What the emitter puts on Redis, read back by a real subscriber on a real redis-server:
// the nodes' cluster messages (valid for their parser), stamped with the emitter's own id,
// on the channels the nodes listen to.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { MessageType, parseClusterMessage } from "@volley/adapter";
import { msgpackParser, toRedisClient, type RedisAdapterParser, type RedisClientLike } from "@volley/redis-adapter";
import { Emitter, type EmitterOptions, type ShardedEmitterOptions } from "../../src/index";
import { connectPair, startRedisServer, type RedisServer } from "../helpers/cluster";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});

const SOCKET_ID = "abcdefghij0123456789"; // 20 characters, as the server makes them
const EVENT = 2; // PacketType.EVENT
const OFFSET = expect.stringMatching(/^[\w-]+-\d+$/) as unknown as string;

interface Heard {
  channel: string;
  message: unknown;
}

/** A subscriber of the library and channels given, recording what it hears. */
async function listen(channels: readonly string[], sharded: boolean, parser: RedisAdapterParser = msgpackParser) {
  const pair = await connectPair("redis@5", redis.port);
  cleanups.push(() => pair.close());
  const sub: RedisClientLike = toRedisClient(pair.sub, "sub");
  const heard: Heard[] = [];
  const wakers = new Set<() => void>();
  for (const channel of channels) {
    const listener = (message: Buffer, from: string): void => {
      heard.push({ channel: from, message: parser.decode(message) });
      for (const wake of [...wakers]) wake();
    };
    await (sharded ? sub.ssubscribe(channel, listener) : sub.subscribe(channel, listener));
  }
  return {
    publisher: pair.pub,
    heard,
    /** Resolves once `count` messages were heard. */
    until: (count: number) =>
      new Promise<Heard[]>((resolve, reject) => {
        const wake = (): void => {
          if (heard.length < count) return;
          wakers.delete(wake);
          clearTimeout(timer);
          resolve(heard);
        };
        const timer = setTimeout(() => {
          wakers.delete(wake);
          reject(new Error(`${heard.length} messages of ${count}: ${JSON.stringify(heard)}`));
        }, 5000);
        wakers.add(wake);
        wake();
      }),
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("classic mode", () => {
  it("publishes every method as the nodes' cluster message on <key>#<nsp>#", async () => {
    const wire = await listen(["app#/#", "app#/admin#"], false);
    const emitter = new Emitter(wire.publisher, { key: "app" });
    emitter.emit("news", "hi", Buffer.from([1, 2]));
    emitter.to("r1").to(["r2"]).except("muted").volatile.emit("v");
    emitter.compress(false).emit("c");
    emitter.in("r1").socketsJoin(["a", "b"]);
    emitter.except("r1").socketsLeave("a");
    emitter.to("r1").disconnectSockets(true);
    emitter.disconnectSockets();
    emitter.serverSideEmit("tick", 1);
    emitter.of("admin").emit("alert");
    const heard = await wire.until(9);
    const uid = emitter.uid;
    expect(uid).toMatch(/^emitter-[0-9a-f]{16}$/);
    const all = { rooms: [], except: [], flags: {} };
    expect(heard).toEqual([
      {
        channel: "app#/#",
        message: {
          uid,
          nsp: "/",
          type: MessageType.BROADCAST,
          data: { packet: { type: EVENT, nsp: "/", data: ["news", "hi", new Uint8Array([1, 2])] }, opts: all, offset: OFFSET },
        },
      },
      {
        channel: "app#/#",
        message: {
          uid,
          nsp: "/",
          type: MessageType.BROADCAST,
          data: { packet: { type: EVENT, nsp: "/", data: ["v"] }, opts: { rooms: ["r1", "r2"], except: ["muted"], flags: { volatile: true } } },
        },
      },
      {
        channel: "app#/#",
        message: {
          uid,
          nsp: "/",
          type: MessageType.BROADCAST,
          data: { packet: { type: EVENT, nsp: "/", data: ["c"] }, opts: { ...all, flags: { compress: false } }, offset: OFFSET },
        },
      },
      { channel: "app#/#", message: { uid, nsp: "/", type: MessageType.SOCKETS_JOIN, data: { opts: { ...all, rooms: ["r1"] }, rooms: ["a", "b"] } } },
      { channel: "app#/#", message: { uid, nsp: "/", type: MessageType.SOCKETS_LEAVE, data: { opts: { ...all, except: ["r1"] }, rooms: ["a"] } } },
      { channel: "app#/#", message: { uid, nsp: "/", type: MessageType.DISCONNECT_SOCKETS, data: { opts: { ...all, rooms: ["r1"] }, close: true } } },
      { channel: "app#/#", message: { uid, nsp: "/", type: MessageType.DISCONNECT_SOCKETS, data: { opts: all, close: false } } },
      { channel: "app#/#", message: { uid, nsp: "/", type: MessageType.SERVER_SIDE_EMIT, data: { packet: ["tick", 1] } } },
      {
        channel: "app#/admin#",
        message: {
          uid,
          nsp: "/admin",
          type: MessageType.BROADCAST,
          data: { packet: { type: EVENT, nsp: "/admin", data: ["alert"] }, opts: all, offset: OFFSET },
        },
      },
    ]);
    // What the nodes accept: each message passes their validation unchanged.
    for (const { message } of heard) expect(parseClusterMessage(message)).toEqual(message);
    const offsets = heard.map(({ message }) => (message as { data: { offset?: string } }).data.offset).filter(Boolean);
    expect(new Set(offsets).size).toBe(3);
  });

  it("encodes with the parser option, the default key being socket.io", async () => {
    const json: RedisAdapterParser = { encode: (message) => JSON.stringify(message), decode: (data) => JSON.parse(data.toString()) as unknown };
    const wire = await listen(["socket.io#/#"], false, json);
    const emitter = new Emitter(wire.publisher, { parser: json });
    emitter.serverSideEmit("tick");
    const [heard] = await wire.until(1);
    expect(heard?.message).toEqual({ uid: emitter.uid, nsp: "/", type: MessageType.SERVER_SIDE_EMIT, data: { packet: ["tick"] } });
  });
});

describe("sharded mode", () => {
  async function shardedWire(options: Partial<ShardedEmitterOptions>, rooms: readonly string[]) {
    const channels = ["p#/#", ...rooms.map((room) => `p#/#${room}#`)];
    const wire = await listen(channels, true);
    return { wire, emitter: new Emitter(wire.publisher, { sharded: true, channelPrefix: "p", ...options } as EmitterOptions) };
  }

  const channelsOf = (heard: Heard[]) =>
    heard.map(({ channel, message }) => [channel, (message as { data: { packet: unknown[] | { data: unknown[] } } }).data.packet]);

  it("dynamic (default): a broadcast to one public room on the room's channel, all else on the main one", async () => {
    const { wire, emitter } = await shardedWire({}, ["lobby", "fresh", SOCKET_ID]);
    emitter.to("lobby").emit("one");
    emitter.to(["lobby", "other"]).emit("two");
    emitter.to(SOCKET_ID).emit("three");
    emitter.emit("four");
    emitter.serverSideEmit("five");
    emitter.in(SOCKET_ID).socketsJoin("fresh");
    emitter.to("fresh").emit("six");
    const heard = await wire.until(7);
    expect(channelsOf(heard)).toEqual([
      ["p#/#lobby#", { type: EVENT, nsp: "/", data: ["one"] }],
      ["p#/#", { type: EVENT, nsp: "/", data: ["two"] }],
      ["p#/#", { type: EVENT, nsp: "/", data: ["three"] }],
      ["p#/#", { type: EVENT, nsp: "/", data: ["four"] }],
      ["p#/#", ["five"]],
      ["p#/#", undefined],
      // the room was just joined through this emitter: the nodes may not listen to its channel yet
      ["p#/#", { type: EVENT, nsp: "/", data: ["six"] }],
    ]);
    expect((heard[5]?.message as { type: number }).type).toBe(MessageType.SOCKETS_JOIN);
  });

  it("dynamic-private: a socket's own room has a channel too; static: one channel for all", async () => {
    const dynamicPrivate = await shardedWire({ subscriptionMode: "dynamic-private" }, [SOCKET_ID]);
    dynamicPrivate.emitter.to(SOCKET_ID).emit("private");
    expect(channelsOf(await dynamicPrivate.wire.until(1))).toEqual([[`p#/#${SOCKET_ID}#`, { type: EVENT, nsp: "/", data: ["private"] }]]);
    const fixed = await shardedWire({ subscriptionMode: "static" }, ["lobby"]);
    fixed.emitter.to("lobby").emit("static");
    expect(channelsOf(await fixed.wire.until(1))).toEqual([["p#/#", { type: EVENT, nsp: "/", data: ["static"] }]]);
  });
});
