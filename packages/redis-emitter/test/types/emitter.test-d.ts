// Type test (checked by `pnpm typecheck`): the clients of node-redis 4 and 5 and ioredis 5
// are accepted as they are, and typed event maps check every emit and serverSideEmit.
import { Cluster, Redis } from "ioredis";
import { createClient } from "redis";
import { createClient as createClientV4 } from "redis-v4";
import { Emitter, type BroadcastOperator, type EmitterOptions } from "../../src/index";

interface ServerToClientEvents {
  news: (headline: string, priority: number) => void;
  file: (data: Buffer) => void;
  ping: () => void;
}

interface ServerSideEvents {
  refresh: (cacheKey: string) => void;
}

export const untyped = [
  new Emitter(createClient()),
  new Emitter(createClientV4(), { key: "app" }),
  new Emitter(new Redis({ lazyConnect: true }), { sharded: true, channelPrefix: "app", subscriptionMode: "static" }),
  new Emitter(new Cluster([]), { sharded: true }, "/admin"),
];
untyped[0]?.emit("anything", 1, { any: "thing" });
untyped[0]?.serverSideEmit("anything", 2);

const emitter = new Emitter<ServerToClientEvents, ServerSideEvents>(createClient());
emitter.emit("news", "hello", 1);
emitter.to("room").except(["a", "b"]).volatile.compress(false).emit("file", Buffer.alloc(1));
emitter.of("/admin").in("room").emit("ping");
emitter.serverSideEmit("refresh", "users");
export const operator: BroadcastOperator<ServerToClientEvents> = emitter.to("room");
export const returned: true = emitter.emit("ping");
emitter.socketsJoin(["a", "b"]);
emitter.in("a").socketsLeave("b");
emitter.except("a").disconnectSockets(true);

// @ts-expect-error: unknown event
emitter.emit("unknown");
// @ts-expect-error: wrong argument type
emitter.emit("news", 1, 1);
// @ts-expect-error: missing argument
emitter.to("room").emit("news", "hello");
// @ts-expect-error: unknown server-side event
emitter.serverSideEmit("news", "hello", 1);
// @ts-expect-error: not a Redis client
new Emitter({});
// @ts-expect-error: subscriptionMode belongs to the sharded mode
export const wrongMode: EmitterOptions = { subscriptionMode: "static" };
// @ts-expect-error: unknown subscription mode
export const unknownMode: EmitterOptions = { sharded: true, subscriptionMode: "sometimes" };
