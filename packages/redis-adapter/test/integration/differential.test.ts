// Differential test: the same scenario on two socket.io 4.8 nodes with the published
// @socket.io/redis-adapter 8.3, and on two Volley nodes with this adapter, each cluster on
// its own keys of a real redis-server, with node-redis 5 clients and socket.io-client.
// What the clients and the servers observe must be the same.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createAdapter as createPublishedAdapter } from "@socket.io/redis-adapter";
import { Server as VolleyServer } from "@volley/server";
import { createClient } from "redis";
import { Server as SocketIoServer } from "socket.io";
import { io as ioc, type Socket as ClientSocket } from "socket.io-client";
import { createAdapter } from "../../src/index";
import { nodesKnown } from "../helpers/cluster";
import { startRedisServer, type RedisServer } from "../helpers/redis-server";
import { once } from "../helpers/wait";

/** What the scenario uses of a server, which both servers have. */
interface Operator {
  emit(event: string, ...args: unknown[]): boolean;
  fetchSockets(): Promise<{ id: string; rooms: Set<string>; data: unknown }[]>;
  socketsJoin(rooms: string | string[]): void;
  disconnectSockets(close?: boolean): void;
}
interface DiffServer extends Operator {
  to(room: string): Operator;
  in(room: string): Operator;
  except(room: string): Operator;
  use(middleware: (socket: { handshake: { auth: Record<string, unknown> }; data: unknown }, next: () => void) => void): unknown;
  on(event: "ping", listener: (callback: (answer: string) => void) => void): unknown;
  serverSideEmitWithAck(event: string): Promise<unknown[]>;
  of(name: "/"): { adapter: { serverCount(): Promise<number>; allRooms?(): Promise<Set<string>> } };
  close(): Promise<void> | void;
}

type Stack = "socket.io + @socket.io/redis-adapter" | "Volley + @volley/redis-adapter";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});

async function startNodes(stack: Stack, key: string) {
  const servers: DiffServer[] = [];
  const urls: string[] = [];
  const redisClients: { close(): Promise<void> }[] = [];
  for (let i = 0; i < 2; i++) {
    const pub = createClient({ url: redis.url });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    redisClients.push({ close: async () => void (await Promise.all([pub.close(), sub.close()])) });
    const http = createServer();
    const server =
      stack === "Volley + @volley/redis-adapter"
        ? (new VolleyServer(http, { adapter: createAdapter(pub, sub, { key, requestsTimeout: 2000 }) }) as unknown as DiffServer)
        : (new SocketIoServer(http, { adapter: createPublishedAdapter(pub, sub, { key, requestsTimeout: 2000 }) }) as unknown as DiffServer);
    server.use((socket, next) => {
      socket.data = { label: socket.handshake.auth["label"] };
      next();
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    urls.push(`http://127.0.0.1:${(http.address() as AddressInfo).port}`);
    servers.push(server);
  }
  if (stack === "Volley + @volley/redis-adapter") {
    await Promise.all(servers.map((server) => nodesKnown(server.of("/").adapter as never, 1)));
  }
  const close = async (): Promise<void> => {
    for (const server of servers) {
      await server.close();
      await (server.of("/").adapter as unknown as { close(): Promise<void> | void }).close();
    }
    await Promise.all(redisClients.map((client) => client.close()));
  };
  return { servers, urls, close };
}

async function runScenario(stack: Stack): Promise<Record<string, unknown>> {
  const { servers, urls, close } = await startNodes(stack, `diff-${randomUUID()}`);
  const [node0, node1] = servers as [DiffServer, DiffServer];
  const clients = new Map<string, ClientSocket>();
  const received = new Map<string, unknown[][]>();
  const observed: Record<string, unknown> = {};
  try {
    for (const [label, node] of [["a", 0], ["b", 1], ["c", 1]] as const) {
      const client = ioc(urls[node] ?? "", { forceNew: true, reconnection: false, transports: ["websocket"], auth: { label } });
      received.set(label, []);
      client.onAny((event: string, ...args: unknown[]) => received.get(label)?.push([event, ...args]));
      clients.set(label, client);
      await once(client, "connect");
    }
    const labelOf = new Map([...clients].map(([label, client]) => [client.id ?? "", label]));
    const normalize = (rooms: Iterable<string>): string[] => [...rooms].map((room) => labelOf.get(room) ?? room).sort();
    // every client got everything node 0 sent before the marker: a node's packets arrive in order
    const flush = async (tag: string): Promise<void> => {
      const markers = [...clients.values()].map((client) => once(client, `marker-${tag}`));
      node0.emit(`marker-${tag}`);
      await Promise.all(markers);
    };

    node0.in(clients.get("a")?.id ?? "").socketsJoin("room1");
    node1.in(clients.get("b")?.id ?? "").socketsJoin(["room1", "room2"]);
    // requests from the node that published the join travel after it
    await node0.fetchSockets();
    await node1.fetchSockets();

    observed["serverCount"] = await node0.of("/").adapter.serverCount();
    node0.to("room1").emit("to-room1", 1);
    node0.except("room2").emit("except-room2", 2);
    node0.to("room2").emit("binary", Buffer.from([1, 2, 255]));
    await flush("1");
    observed["received"] = Object.fromEntries(
      [...received].map(([label, events]) => [
        label,
        events
          .filter(([event]) => !String(event).startsWith("marker"))
          .map(([event, ...args]) => [event, ...args.map((arg) => (Buffer.isBuffer(arg) || arg instanceof ArrayBuffer ? [...new Uint8Array(arg as ArrayBuffer)] : arg))]),
      ]),
    );
    const sockets = await node0.fetchSockets();
    observed["fetchSockets"] = sockets
      .map((socket) => ({ id: labelOf.get(socket.id), rooms: normalize(socket.rooms), data: socket.data }))
      .sort((x, y) => String(x.id).localeCompare(String(y.id)));
    observed["room1"] = (await node0.in("room1").fetchSockets()).map((socket) => labelOf.get(socket.id)).sort();
    observed["allRooms"] = normalize((await node0.of("/").adapter.allRooms?.()) ?? []);

    node1.on("ping", (callback) => callback("pong"));
    observed["serverSideEmitWithAck"] = await node0.serverSideEmitWithAck("ping");

    const cGone = once(clients.get("c") as ClientSocket, "disconnect");
    node0.in(clients.get("c")?.id ?? "").disconnectSockets();
    observed["disconnectReason"] = (await cGone)[0];
    observed["afterDisconnect"] = (await node0.fetchSockets()).map((socket) => labelOf.get(socket.id)).sort();
    return observed;
  } finally {
    for (const client of clients.values()) client.disconnect();
    await close();
  }
}

describe("differential: @socket.io/redis-adapter on socket.io vs @volley/redis-adapter on Volley", () => {
  it("observes the same across two nodes", async () => {
    const published = await runScenario("socket.io + @socket.io/redis-adapter");
    const volley = await runScenario("Volley + @volley/redis-adapter");
    expect(volley).toEqual(published);
    // and the scenario observed something
    expect(published["serverCount"]).toBe(2);
    expect(published["serverSideEmitWithAck"]).toEqual(["pong"]);
  });
});
