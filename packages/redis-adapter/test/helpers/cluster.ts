// N real Volley servers on 127.0.0.1 (port 0), each with its own pair of Redis clients and
// a Redis adapter, for the conformance kit and the integration tests.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Adapter, AdapterConstructor } from "@volley/adapter";
import type {
  AdapterConformanceHarness,
  ConformanceClient,
  ConformanceCluster,
  CreateClusterOptions,
} from "@volley/adapter/conformance";
import { Server, type ServerOptions } from "@volley/server";
import { io as ioc, type Socket as ClientSocket } from "socket.io-client";
import { RedisAdapterBase, type AnyRedisClient } from "../../src/index";
import { connectPair, type ClientLibrary, type ClientPair } from "./clients";

/** Makes the adapter class of one node from its clients and the cluster's unique key. */
export type NodeAdapterFactory = (pub: AnyRedisClient, sub: AnyRedisClient, key: string) => AdapterConstructor<Adapter>;

export interface RedisCluster extends ConformanceCluster {
  readonly servers: Server[];
  readonly pairs: ClientPair[];
}

/**
 * Starts `nodes` Volley servers over the Redis on `port` with `library`'s clients. With
 * `connectionStateRecovery`, the servers recover sessions for 10 s; `serverOptions(index)`
 * adds to (or overrides) the options of server `index`.
 */
export async function startRedisCluster(
  nodes: number,
  library: ClientLibrary,
  port: number,
  factory: NodeAdapterFactory,
  options: CreateClusterOptions = { connectionStateRecovery: false },
  quietClients = true,
  serverOptions: (index: number) => ServerOptions = () => ({}),
): Promise<RedisCluster> {
  const key = `volley-test-${randomUUID()}`;
  const servers: Server[] = [];
  const pairs: ClientPair[] = [];
  const urls: string[] = [];
  const stopped = new Map<number, Promise<void>>();
  const stop = (index: number): Promise<void> => {
    const server = servers[index];
    if (server === undefined) return Promise.reject(new Error(`no node ${index}`));
    let stopping = stopped.get(index);
    if (stopping === undefined) {
      // The server does not wait for its adapter's close(): the clients must outlive it.
      stopping = server
        .close()
        .then(() => server.of("/").adapter.close())
        .then(() => pairs[index]?.close());
      stopped.set(index, stopping);
    }
    return stopping;
  };
  const close = async (): Promise<void> => {
    await Promise.all(servers.map((_server, index) => stop(index)));
    // pairs connected for a node whose server never started
    await Promise.all(pairs.slice(servers.length).map((pair) => pair.close()));
  };
  try {
    for (let i = 0; i < nodes; i++) {
      const pair = await connectPair(library, port, quietClients);
      pairs.push(pair);
      const http = createServer();
      const server = new Server(http, {
        adapter: factory(pair.pub, pair.sub, key),
        connectionStateRecovery: options.connectionStateRecovery ? { maxDisconnectionDuration: 10_000 } : false,
        ...serverOptions(i),
      });
      servers.push(server);
      await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
      urls.push(`http://127.0.0.1:${(http.address() as AddressInfo).port}`);
    }
    await Promise.all(servers.map((server) => nodesKnown(server.of("/").adapter, nodes - 1)));
  } catch (error) {
    await close();
    throw error;
  }
  return { servers, pairs, urls, stop, close };
}

/** Resolves once `adapter` knows `others` other nodes. */
export function nodesKnown(adapter: Adapter, others: number, timeoutMs = 5000): Promise<void> {
  if (!(adapter instanceof RedisAdapterBase)) return Promise.reject(new Error("not a Redis adapter"));
  if (adapter.liveNodes().length >= others) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onUp = (): void => {
      if (adapter.liveNodes().length < others) return;
      clearTimeout(timer);
      adapter.off("node-up", onUp);
      resolve();
    };
    const timer = setTimeout(() => {
      adapter.off("node-up", onUp);
      reject(new Error(`the nodes did not see each other: ${adapter.liveNodes().length} of ${others}`));
    }, timeoutMs);
    adapter.on("node-up", onUp);
  });
}

/** A socket.io-client socket to the main namespace over WebSocket that never reconnects by itself. */
export function connectClient(url: string): ClientSocket {
  return ioc(url, { forceNew: true, reconnection: false, transports: ["websocket"] });
}

/** The conformance kit's harness: `nodes` servers over Redis with `library`'s clients. */
export function redisHarness(
  nodes: number,
  library: ClientLibrary,
  port: () => number,
  factory: NodeAdapterFactory,
): AdapterConformanceHarness {
  return {
    nodes,
    createCluster: (n, options) => startRedisCluster(n, library, port(), factory, options),
    connect: (url) => connectClient(url) as unknown as ConformanceClient,
    moveClient: (client, url) => void ((client.io as unknown as { uri: string }).uri = url),
  };
}
