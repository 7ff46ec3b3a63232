// In the sharded adapter's `dynamic-private` mode a socket's own room has a channel, which
// its node subscribes to when the socket connects. A node that names the socket in an
// answer (fetchSockets) must listen to that channel by then, or an event sent at once to
// the fetched socket is published before anyone listens and is lost. Node 1's SSUBSCRIBE
// of the room channel is held here until node 1 has received the request, so that the
// order of its subscription and its answer is the adapter's doing, not the machine's.
import { afterEach, describe, expect, it } from "@jest/globals";
import { decode } from "@msgpack/msgpack";
import { MessageType } from "@volley/adapter";
import { createShardedAdapter, toRedisClient, type AnyRedisClient, type RedisClientLike, type RedisMessageListener } from "../../src/index";
import { connectClient, startRedisCluster, type RedisCluster } from "../helpers/cluster";
import { redisServersForFile } from "../helpers/hooks";
import { once } from "../helpers/wait";

const servers = redisServersForFile();

let cluster: RedisCluster | undefined;
const clients: ReturnType<typeof connectClient>[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await cluster?.close();
  cluster = undefined;
});

/** What node 1 did, in order. */
type Step = "room channel subscribed" | "answer published";

/** Whether `message` is a fetchSockets() request (not, say, a late heartbeat answer). */
function isFetchSocketsRequest(message: Buffer): boolean {
  const decoded = decode(message) as { type?: unknown } | null;
  return decoded?.type === MessageType.FETCH_SOCKETS;
}

/**
 * Node 1's clients: once `hold()` was called, a new SSUBSCRIBE waits until a fetchSockets()
 * request has reached node 1, and then one more turn of the event loop; SPUBLISHes to
 * anything but the main channel (answers) are recorded.
 */
function observedNode(pub: AnyRedisClient, sub: AnyRedisClient, mainChannel: () => string, steps: Step[]) {
  const realPub = toRedisClient(pub, "pubClient");
  const realSub = toRedisClient(sub, "subClient");
  let holding = false;
  let release: () => void = () => undefined;
  let released = Promise.resolve();
  const listeners = new Map<RedisMessageListener, RedisMessageListener>();
  const observing = (listener: RedisMessageListener): RedisMessageListener => {
    let observed = listeners.get(listener);
    if (observed === undefined) {
      observed = (message, channel) => {
        if (holding && isFetchSocketsRequest(message)) setImmediate(release);
        listener(message, channel);
      };
      listeners.set(listener, observed);
    }
    return observed;
  };
  const pubClient: RedisClientLike = {
    publish: (channel, message) => realPub.publish(channel, message),
    spublish: (channel, message) => {
      if (channel !== mainChannel()) steps.push("answer published");
      return realPub.spublish(channel, message);
    },
    subscribe: (channel, listener) => realPub.subscribe(channel, listener),
    unsubscribe: (channel, listener) => realPub.unsubscribe(channel, listener),
    ssubscribe: (channel, listener) => realPub.ssubscribe(channel, listener),
    sunsubscribe: (channel, listener) => realPub.sunsubscribe(channel, listener),
    onError: (listener) => realPub.onError(listener),
  };
  const subClient: RedisClientLike = {
    publish: (channel, message) => realSub.publish(channel, message),
    spublish: (channel, message) => realSub.spublish(channel, message),
    subscribe: (channel, listener) => realSub.subscribe(channel, listener),
    unsubscribe: (channel, listener) => realSub.unsubscribe(channel, listener),
    ssubscribe: async (channel, listener) => {
      if (!holding) return realSub.ssubscribe(channel, observing(listener));
      await released;
      await realSub.ssubscribe(channel, observing(listener));
      steps.push("room channel subscribed");
    },
    sunsubscribe: (channel, listener) => realSub.sunsubscribe(channel, listeners.get(listener) ?? listener),
    onError: (listener) => realSub.onError(listener),
  };
  const hold = (): void => {
    holding = true;
    released = new Promise<void>((resolve) => {
      release = () => {
        holding = false;
        resolve();
      };
    });
  };
  return { pubClient, subClient, hold };
}

describe("sharded adapter, dynamic-private mode", () => {
  it("answers fetchSockets() once subscribed to the rooms of the sockets it names, so an event sent at once to one arrives", async () => {
    const steps: Step[] = [];
    let node1: ReturnType<typeof observedNode> | undefined;
    let mainChannel = "";
    let created = 0;
    cluster = await startRedisCluster(2, "redis@5", servers.redis.port, (pub, sub, key) => {
      mainChannel = `${key}#/#`;
      const options = { channelPrefix: key, subscriptionMode: "dynamic-private" as const, heartbeatInterval: 60_000, heartbeatTimeout: 120_000 };
            if (created++ === 0) return createShardedAdapter(pub, sub, options);
      node1 = observedNode(pub, sub, () => mainChannel, steps);
      return createShardedAdapter(node1.pubClient, node1.subClient, options);
    });
    const [server0] = cluster.servers;
    if (server0 === undefined || node1 === undefined || cluster.urls[1] === undefined) throw new Error("two nodes expected");

    // a client of node 1: its room's SSUBSCRIBE is held until node 1 hears the request
    node1.hold();
    const client = connectClient(cluster.urls[1]);
    clients.push(client);
    await once(client, "connect");

    const sockets = await server0.fetchSockets();
    expect(sockets.map((socket) => socket.id)).toEqual([client.id]);
    expect(steps).toEqual(["room channel subscribed", "answer published"]);

    const news = once<[string]>(client, "news");
    sockets[0]?.emit("news", "just for you");
    expect(await news).toEqual(["just for you"]);
  });
});
