// The published @socket.io/redis-streams-adapter 0.3.1, createAdapter(client) with node-redis
// 5 and with ioredis, on three nodes of socket.io 4.8 and of @volley/server over a
// redis-server of this file: the scenarios of every Redis adapter, and connection state
// recovery across nodes (the session and the missed packets are in Redis: a client cut
// from one node comes back on another with all it missed). Same results on both servers.
import { describe, expect, it } from "@jest/globals";
import type { Socket as ServerSocket } from "@volley/server";
import type { Socket as ClientSocket } from "socket.io-client";
import { collect, IMPLEMENTATIONS, waitFor, within, type Node } from "./helpers/nodes";
import { redisFixture, STREAMS_IOREDIS, STREAMS_NODE_REDIS } from "./helpers/redis";
import { registerRedisScenarios } from "./helpers/redis-scenarios";

const fixture = redisFixture();
const RECOVERY = { connectionStateRecovery: { maxDisconnectionDuration: 10_000 } };

/** The next server-side connection on `node`. */
function nextConnection(node: Node): Promise<ServerSocket> {
  return within(new Promise<ServerSocket>((resolve) => node.io.once("connection", resolve)), 10_000, "a connection");
}

/**
 * Connects `client` again, to `node`, keeping its session id and offset: a client behind a
 * load balancer that lands on another node (socket.io-client's Manager opens every engine
 * on `io.uri`). Resolves with the server-side socket once both sides are connected.
 */
async function reconnectTo(client: ClientSocket, node: Node): Promise<ServerSocket> {
  (client.io as unknown as { uri: string }).uri = node.url;
  const serverSide = nextConnection(node);
  const clientSide = waitFor(client, "connect");
  client.connect();
  const [socket] = await Promise.all([serverSide, clientSide]);
  return socket;
}

for (const setup of [STREAMS_NODE_REDIS, STREAMS_IOREDIS]) {
  describe(`@socket.io/redis-streams-adapter ${setup.title}`, () => {
    // the ClusterAdapter's 5 s wait for a silent node once, with the first client library
    registerRedisScenarios(fixture, setup, { silentNode: setup === STREAMS_NODE_REDIS });

    describe.each(IMPLEMENTATIONS)("recovery on $name", (impl) => {
      it("recovers a client cut from one node on another, with the packets broadcast meanwhile from every node", async () => {
        const cluster = await fixture.start(impl, setup, 2, RECOVERY);
        const [a, b] = cluster.nodes;
        for (const node of cluster.nodes) {
          node.io.on("connection", (socket) => {
            if (socket.recovered) return;
            socket.join(socket.handshake.auth["room"] as string);
            socket.data = { user: socket.handshake.auth["user"] };
          });
        }
        const firstSocket = nextConnection(a!);
        const client = await a!.connected("/", { auth: { room: "r", user: "alice" } });
        const onA = await firstSocket;
        // witnesses in the room on both nodes: once each has every broadcast, every one of
        // them is in the stream (each node gets the other's through it)
        const witnesses = [await a!.connected("/", { auth: { room: "r" } }), await b!.connected("/", { auth: { room: "r" } })];
        const seen = witnesses.map((witness) => collect(witness, "m"));
        const received = collect(client, "m");
        b!.io.to("r").emit("m", "before");
        await received.until(1);

        const serverSaw = waitFor<[string]>(onA, "disconnect");
        const clientSaw = waitFor<[string]>(client, "disconnect");
        client.io.engine.close();
        expect((await serverSaw)[0]).toBe("transport close");
        await clientSaw;
        a!.io.to("r").emit("m", "from a");
        b!.io.to("other").emit("m", "not for r");
        b!.io.emit("m", "from b to all");
        await Promise.all(seen.map((s) => s.until(3)));

        const socket = await reconnectTo(client, b!);
        expect(client.recovered).toBe(true);
        expect(socket.recovered).toBe(true);
        expect(socket.id).toBe(onA.id);
        expect(client.id).toBe(onA.id);
        expect([...socket.rooms].sort()).toEqual([onA.id, "r"].sort());
        expect(socket.data).toEqual({ user: "alice" });

        a!.io.to("r").emit("m", "after");
        await received.until(4);
        // (socket.io-client hands the stream offset on as a last argument; the two nodes'
        // packets are replayed in the stream's order, which is theirs to choose)
        const events = received.received.map((args) => args[0]);
        expect(events[0]).toBe("before");
        expect(events.slice(1, 3).sort()).toEqual(["from a", "from b to all"]);
        expect(events.slice(3)).toEqual(["after"]);
      });

      it("does not recover a client that disconnected deliberately, on any node", async () => {
        const cluster = await fixture.start(impl, setup, 2, RECOVERY);
        const [a, b] = cluster.nodes;
        for (const node of cluster.nodes) node.io.on("connection", (socket) => void socket.join("r"));
        const firstSocket = nextConnection(a!);
        const client = await a!.connected();
        const onA = await firstSocket;
        const received = collect(client, "m");
        a!.io.to("r").emit("m", "before");
        await received.until(1);

        const serverSaw = waitFor<[string]>(onA, "disconnect");
        client.disconnect();
        expect((await serverSaw)[0]).toBe("client namespace disconnect");
        const socket = await reconnectTo(client, b!);
        expect(client.recovered).toBe(false);
        expect(socket.recovered).toBe(false);
        expect(socket.id).not.toBe(onA.id);
      });
    });
  });
}
