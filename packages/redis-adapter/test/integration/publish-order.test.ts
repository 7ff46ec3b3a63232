// Publishes keep their order across a reconnection of the publishing client, with every
// client library: those made while it is offline (queued by the library), then one made
// as it connects again. ioredis alone would write that last one at once, ahead of its
// queue (connected, ready check pending): the adapter's ioredis wrapper holds it until the
// client is ready. The publisher reaches Redis through a loopback relay that the test cuts
// and restores; the subscriber is connected directly, so that it hears every message.
import type { EventEmitter } from "node:events";
import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "@jest/globals";
import { toRedisClient } from "../../src/index";
import { CLIENT_LIBRARIES, connectPair, type ClientPair } from "../helpers/clients";
import { startRedisServer, type RedisServer } from "../helpers/redis-server";
import { once } from "../helpers/wait";

/** A TCP relay to `port` on a port of its own; cut() closes its connections and stops it. */
async function startRelay(port: number): Promise<{ port: number; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let relayPort = 0;
  const listen = async (): Promise<void> => {
    server = createServer((client) => {
      const upstream = connect(port, "127.0.0.1");
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve) => server?.listen(relayPort, "127.0.0.1", resolve));
    relayPort = (server.address() as AddressInfo).port;
  };
  const cut = async (): Promise<void> => {
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  await listen();
  return { port: relayPort, cut, restore: listen, close: cut };
}

let redis: RedisServer | undefined;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await redis?.stop();
  redis = undefined;
});

describe.each(CLIENT_LIBRARIES)("publishing through %s across a reconnection", (library) => {
  it("keeps the order of publishes made offline and as the client connects again", async () => {
    redis = await startRedisServer();
    const relay = await startRelay(redis.port);
    cleanups.push(() => relay.close());
    const pairs: ClientPair[] = await Promise.all([connectPair(library, relay.port), connectPair(library, redis.port)]);
    cleanups.push(() => Promise.all(pairs.map((pair) => pair.close())));
    const [relayed, direct] = pairs as [ClientPair, ClientPair];
    const raw = relayed.pub as unknown as EventEmitter & { status?: string };
    const pub = toRedisClient(relayed.pub, "pubClient");
    const sub = toRedisClient(direct.sub, "subClient");
    const got: string[] = [];
    let gotAll: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (gotAll = resolve));
    await sub.subscribe("order", (message) => {
      got.push(message.toString());
      if (got.length === 3) gotAll();
    });

    const reconnecting = once(raw, "reconnecting");
    await relay.cut();
    await reconnecting;
    // offline: the library queues these
    const sent = [pub.publish("order", Buffer.from("1")), pub.publish("order", Buffer.from("2"))];
    // connected again, not ready yet (ioredis alone would write this one ahead of its queue)
    const connected = once(raw, "connect").then(() => {
      if (library === "ioredis") expect(raw.status).toBe("connect");
      sent.push(pub.publish("order", Buffer.from("3")));
    });
    await relay.restore();
    await connected;
    await Promise.all(sent);
    await all; // bounded by the test's timeout
    expect(got).toEqual(["1", "2", "3"]);
  }, 15_000);
});
