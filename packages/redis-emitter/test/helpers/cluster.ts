// A cluster of real Volley servers on 127.0.0.1 (port 0) sharing a real redis-server through
// @volley/redis-adapter (its built package, as users get it), real clients, and an emitter
// client of the chosen library. The Redis helpers are @volley/redis-adapter's own test
// helpers, imported from where they live (one copy).
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { AdapterConstructor } from "@volley/adapter";
import { io, type Socket as ClientSocket } from "@volley/client";
import { createAdapter, createShardedAdapter, RedisAdapterBase, type AnyRedisClient, type SubscriptionMode } from "@volley/redis-adapter";
import { Server } from "@volley/server";
import { connectPair, type ClientLibrary, type ClientPair } from "../../../redis-adapter/test/helpers/clients";
import { once, until } from "../../../redis-adapter/test/helpers/wait";
import { Emitter, type EmitterOptions } from "../../src/index";

export { startRedisServer, type RedisServer } from "../../../redis-adapter/test/helpers/redis-server";
export { CLIENT_LIBRARIES, connectPair, type ClientLibrary } from "../../../redis-adapter/test/helpers/clients";
export { once, until } from "../../../redis-adapter/test/helpers/wait";

/** How the nodes talk: Redis pub/sub, or sharded pub/sub in one subscription mode. */
export type Flavour = "classic" | `sharded ${SubscriptionMode}`;

export interface ClusterOptions {
  readonly nodes: number;
  readonly library: ClientLibrary;
  readonly port: number;
  readonly flavour: Flavour;
  readonly recovery?: boolean;
  /** Namespaces to create on every node besides "/". */
  readonly namespaces?: readonly string[];
}

export interface TestCluster {
  readonly servers: Server[];
  readonly urls: string[];
  /** The channel prefix (`key` / `channelPrefix`) of this cluster: unique per cluster. */
  readonly prefix: string;
  /** The Redis client the emitter publishes with (connected, of the cluster's library). */
  readonly emitterClient: AnyRedisClient;
  /** An emitter on the cluster's channels (for the sharded flavours, with the nodes' mode). */
  emitter(options?: Partial<EmitterOptions>): Emitter;
  /** The adapter of node `index` for namespace `nsp`. */
  adapter(index: number, nsp?: string): RedisAdapterBase;
  /** A client of node `index` (@volley/client over WebSocket, no reconnection), connected. */
  connect(index: number, nsp?: string): Promise<ClientSocket>;
  close(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<TestCluster> {
  const prefix = `volley-emitter-test-${randomUUID()}`;
  const servers: Server[] = [];
  const pairs: ClientPair[] = [];
  const urls: string[] = [];
  const clients: ClientSocket[] = [];
  const emitterPair = await connectPair(options.library, options.port);
  pairs.push(emitterPair);
  const adapterOf = (index: number, nsp = "/"): RedisAdapterBase => {
    const adapter = servers[index]?.of(nsp).adapter;
    if (!(adapter instanceof RedisAdapterBase)) throw new Error(`node ${index} has no Redis adapter for ${nsp}`);
    return adapter;
  };
  const close = async (): Promise<void> => {
    for (const client of clients.splice(0)) client.disconnect();
    await Promise.all(servers.map((server) => server.close()));
    await Promise.all(pairs.map((pair) => pair.close()));
  };
  try {
    for (let i = 0; i < options.nodes; i++) {
      const pair = await connectPair(options.library, options.port);
      pairs.push(pair);
      const http = createServer();
      const server = new Server(http, {
        adapter: adapterFor(options.flavour, pair, prefix),
        connectionStateRecovery: options.recovery === true ? { maxDisconnectionDuration: 10_000 } : false,
      });
      for (const nsp of options.namespaces ?? []) server.of(nsp);
      servers.push(server);
      await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
      urls.push(`http://127.0.0.1:${(http.address() as AddressInfo).port}`);
    }
    for (const nsp of ["/", ...(options.namespaces ?? [])]) {
      await Promise.all(servers.map((_server, index) => nodesKnown(adapterOf(index, nsp), options.nodes - 1)));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    servers,
    urls,
    prefix,
    emitterClient: emitterPair.pub,
    emitter: (overrides = {}) => new Emitter(emitterPair.pub, { ...emitterOptions(options.flavour, prefix), ...overrides } as EmitterOptions),
    adapter: adapterOf,
    async connect(index, nsp = "/") {
      const url = urls[index];
      if (url === undefined) throw new Error(`no node ${index}`);
      const client = io(`${url}${nsp}`, { forceNew: true, reconnection: false, transports: ["websocket"] });
      clients.push(client);
      await once(client, "connect");
      return client;
    },
    close,
  };
}

/** The options of an emitter that publishes where the nodes of `flavour` listen. */
export function emitterOptions(flavour: Flavour, prefix: string): EmitterOptions {
  if (flavour === "classic") return { key: prefix };
  return { sharded: true, channelPrefix: prefix, subscriptionMode: flavour.slice("sharded ".length) as SubscriptionMode };
}

function adapterFor(flavour: Flavour, pair: ClientPair, prefix: string): AdapterConstructor<RedisAdapterBase> {
  const timing = { requestsTimeout: 2000, heartbeatInterval: 500, heartbeatTimeout: 2000 };
  if (flavour === "classic") return createAdapter(pair.pub, pair.sub, { key: prefix, ...timing });
  const subscriptionMode = flavour.slice("sharded ".length) as SubscriptionMode;
  return createShardedAdapter(pair.pub, pair.sub, { channelPrefix: prefix, subscriptionMode, ...timing });
}

/** Resolves once `adapter` knows `others` other nodes. */
function nodesKnown(adapter: RedisAdapterBase, others: number, timeoutMs = 5000): Promise<void> {
  return until(adapter, "node-up", () => adapter.liveNodes().length >= others, timeoutMs);
}
