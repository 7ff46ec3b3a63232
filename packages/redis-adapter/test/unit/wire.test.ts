// The one home of the channel names, the sharded routing rules and the message bytes,
// shared by the adapters and @volley/redis-emitter.
import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { decode } from "@msgpack/msgpack";
import { MessageType, type ClusterMessage, type SerializedPacket } from "@volley/adapter";
import {
  classicChannels,
  encodeMessage,
  msgpackParser,
  roomHasChannel,
  shardedChannels,
  ShardedRouter,
  type SubscriptionMode,
} from "../../src/index";

const SOCKET_ID = "abcdefghij0123456789"; // 20 characters, as the server makes them
const EVENT = 2 as SerializedPacket["type"]; // PacketType.EVENT of @volley/parser

function broadcast(rooms: string[], requestId?: string): ClusterMessage {
  return {
    uid: "node",
    nsp: "/chat",
    type: MessageType.BROADCAST,
    data: {
      packet: { type: EVENT, nsp: "/chat", data: ["hi"] },
      opts: { rooms, except: [], flags: {} },
      ...(requestId === undefined ? {} : { requestId }),
    },
  };
}

describe("channel names", () => {
  it("classic: one channel to all nodes, a shared response channel or one per node", () => {
    const shared = classicChannels("app", "/chat");
    expect(shared.main).toBe("app#/chat#");
    expect(shared.response("n1")).toBe("app-response#/chat#");
    const specific = classicChannels("app", "/chat", true);
    expect(specific.main).toBe("app#/chat#");
    expect(specific.response("n1")).toBe("app-response#/chat#n1#");
    expect(Object.isFrozen(shared)).toBe(true);
  });

  it("sharded: the main channel, one per node for responses, one per room", () => {
    const channels = shardedChannels("app", "/");
    expect(channels.main).toBe("app#/#");
    expect(channels.response("n1")).toBe("app#/#n1#");
    expect(channels.room("lobby")).toBe("app#/#lobby#");
  });

  it("gives a room a channel by its name only, as each mode says", () => {
    expect(roomHasChannel("static", "lobby")).toBe(false);
    expect(roomHasChannel("dynamic", "lobby")).toBe(true);
    expect(roomHasChannel("dynamic", SOCKET_ID)).toBe(false);
    expect(roomHasChannel("dynamic", `${SOCKET_ID}x`)).toBe(true);
    expect(roomHasChannel("dynamic-private", SOCKET_ID)).toBe(true);
  });
});

describe("ShardedRouter", () => {
  afterEach(() => {
    jest.useRealTimers();
  });
  const router = (mode: SubscriptionMode, settleMs = 1000) => new ShardedRouter(shardedChannels("p", "/chat"), mode, settleMs);

  it("sends a broadcast to one room with a channel to that channel, everything else to the main one", () => {
    const dynamic = router("dynamic");
    expect(dynamic.channelOf(broadcast(["lobby"]))).toBe("p#/chat#lobby#");
    expect(dynamic.channelOf(broadcast([]))).toBe("p#/chat#");
    expect(dynamic.channelOf(broadcast(["a", "b"]))).toBe("p#/chat#");
    expect(dynamic.channelOf(broadcast([SOCKET_ID]))).toBe("p#/chat#");
    expect(dynamic.channelOf(broadcast(["lobby"], "request-1"))).toBe("p#/chat#");
    expect(dynamic.channelOf({ uid: "node", nsp: "/chat", type: MessageType.SERVER_SIDE_EMIT, data: { packet: ["x"] } })).toBe("p#/chat#");
    expect(router("dynamic-private").channelOf(broadcast([SOCKET_ID]))).toBe(`p#/chat#${SOCKET_ID}#`);
    expect(router("static").channelOf(broadcast(["lobby"]))).toBe("p#/chat#");
  });

  it("keeps the broadcasts to rooms it just joined on the main channel for settleMs, not one ms more", () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const dynamic = router("dynamic", 500);
    dynamic.joined(["lobby"]);
    expect(dynamic.channelOf(broadcast(["lobby"]))).toBe("p#/chat#");
    expect(dynamic.channelOf(broadcast(["other"]))).toBe("p#/chat#other#");
    jest.advanceTimersByTime(499);
    expect(dynamic.channelOf(broadcast(["lobby"]))).toBe("p#/chat#");
    jest.advanceTimersByTime(1);
    expect(dynamic.channelOf(broadcast(["lobby"]))).toBe("p#/chat#lobby#");
  });
});

describe("encodeMessage", () => {
  it("gives the parser's bytes as a Buffer over the same memory, and a string as UTF-8", () => {
    const message = broadcast(["lobby"]);
    const bytes = encodeMessage(msgpackParser, message);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(decode(bytes)).toEqual(message);
    const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
    const view = encodeMessage({ encode: () => backing.subarray(2, 5), decode: () => null }, message);
    expect([...view]).toEqual([1, 2, 3]);
    expect(view.buffer).toBe(backing.buffer);
    expect(encodeMessage({ encode: () => "héllo", decode: () => null }, message).toString("utf8")).toBe("héllo");
  });
});
