// Connected pub/sub client pairs of each library the adapter accepts, standalone and
// Redis Cluster.
import { Cluster, Redis } from "ioredis";
import { createClient, createCluster } from "redis";
import { createClient as createClientV4, createCluster as createClusterV4 } from "redis-v4";
import type { AnyRedisClient } from "../../src/index";

/**
 * A client library, for a standalone Redis. "ioredis without autoResubscribe" does not
 * subscribe again by itself after a reconnection: the adapter has to.
 */
export type StandaloneLibrary = "redis@5" | "redis@4" | "ioredis" | "ioredis without autoResubscribe";
/** A client library's cluster client, for a Redis Cluster. */
export type ClusterLibrary = "redis@5 cluster" | "redis@4 cluster" | "ioredis Cluster";
export type ClientLibrary = StandaloneLibrary | ClusterLibrary;

export const CLIENT_LIBRARIES: readonly StandaloneLibrary[] = ["redis@5", "redis@4", "ioredis"];
export const CLUSTER_LIBRARIES: readonly ClusterLibrary[] = ["redis@5 cluster", "redis@4 cluster", "ioredis Cluster"];

export interface ClientPair {
  readonly pub: AnyRedisClient;
  readonly sub: AnyRedisClient;
  /** Closes both connections. */
  close(): Promise<void>;
}

/** Quiet error listeners: the clients log reconnection errors otherwise; the adapter reports its own. */
const ignoreError = (): void => undefined;

/**
 * Connects a pair to the Redis on `port` (for a cluster library: one node of the cluster,
 * the clients discover the others); its close() may be called more than once.
 */
export async function connectPair(library: ClientLibrary, port: number, quiet = true): Promise<ClientPair> {
  const pair = await connectOnce(library, port, quiet);
  let closing: Promise<void> | undefined;
  return { pub: pair.pub, sub: pair.sub, close: () => (closing ??= pair.close()) };
}

async function connectOnce(library: ClientLibrary, port: number, quiet: boolean): Promise<ClientPair> {
  // Without quiet, the clients have no error listener of their own: only the adapter's.
  const ignore = quiet ? ignoreError : undefined;
  const url = `redis://127.0.0.1:${port}`;
  switch (library) {
    case "redis@5": {
      const pub = createClient({ url });
      if (ignore !== undefined) pub.on("error", ignore);
      const sub = pub.duplicate();
      if (ignore !== undefined) sub.on("error", ignore);
      await Promise.all([pub.connect(), sub.connect()]);
      return { pub, sub, close: async () => void (await Promise.all([pub.close(), sub.close()])) };
    }
    case "redis@4": {
      const pub = createClientV4({ url });
      if (ignore !== undefined) pub.on("error", ignore);
      const sub = pub.duplicate();
      if (ignore !== undefined) sub.on("error", ignore);
      await Promise.all([pub.connect(), sub.connect()]);
      return { pub, sub, close: async () => void (await Promise.all([pub.quit(), sub.quit()])) };
    }
    case "ioredis":
    case "ioredis without autoResubscribe": {
      const autoResubscribe = library === "ioredis";
      const pub = new Redis({ port, host: "127.0.0.1", lazyConnect: true, autoResubscribe });
      if (ignore !== undefined) pub.on("error", ignore);
      const sub = pub.duplicate();
      if (ignore !== undefined) sub.on("error", ignore);
      await Promise.all([pub.connect(), sub.connect()]);
      return { pub, sub, close: async () => void (await Promise.all([pub.quit(), sub.quit()])) };
    }
    case "redis@5 cluster": {
      const pub = createCluster({ rootNodes: [{ url }] });
      if (ignore !== undefined) pub.on("error", ignore).on("node-error", ignore);
      const sub = pub.duplicate();
      if (ignore !== undefined) sub.on("error", ignore).on("node-error", ignore);
      await Promise.all([pub.connect(), sub.connect()]);
      return { pub, sub, close: async () => void (await Promise.all([pub.close(), sub.close()])) };
    }
    case "redis@4 cluster": {
      const pub = createClusterV4({ rootNodes: [{ url }] });
      if (ignore !== undefined) pub.on("error", ignore);
      const sub = pub.duplicate();
      if (ignore !== undefined) sub.on("error", ignore);
      await Promise.all([pub.connect(), sub.connect()]);
      return { pub, sub, close: async () => void (await Promise.all([pub.quit(), sub.quit()])) };
    }
    case "ioredis Cluster": {
      // shardedSubscribers: SSUBSCRIBE goes to each channel's shard (one connection per master)
      const pub = new Cluster([{ port, host: "127.0.0.1" }], { lazyConnect: true });
      if (ignore !== undefined) pub.on("error", ignore);
      const sub = pub.duplicate([], { shardedSubscribers: true });
      if (ignore !== undefined) sub.on("error", ignore);
      await Promise.all([pub.connect(), sub.connect()]);
      return { pub, sub, close: async () => void (await Promise.all([pub.quit(), sub.quit()])) };
    }
  }
}
