// A harness for the adapter conformance kit: N Volley servers on 127.0.0.1 (port 0) sharing
// one adapter class, and socket.io-client clients over WebSocket.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ClusterAdapterWithHeartbeat, type Adapter, type AdapterConstructor } from "@volley/adapter";
import type {
  AdapterConformanceHarness,
  ConformanceClient,
  ConformanceCluster,
  CreateClusterOptions,
} from "@volley/adapter/conformance";
import { Server } from "@volley/server";
import { io as ioc } from "socket.io-client";

/** Gives the adapter class of one cluster; called once per cluster, so a cluster can get fresh channels. */
export type AdapterFactory = () => AdapterConstructor<Adapter> | undefined;

/** Starts `nodes` Volley servers with the adapter of `adapterFor()`; resolves once they know each other. */
export async function startVolleyCluster(
  nodes: number,
  options: CreateClusterOptions,
  adapterFor: AdapterFactory,
): Promise<ConformanceCluster> {
  const adapter = adapterFor();
  const servers: Server[] = [];
  const urls: string[] = [];
  const closed = new Map<number, Promise<void>>();
  const stop = (index: number): Promise<void> => {
    const server = servers[index];
    if (server === undefined) return Promise.reject(new Error(`no node ${index}`));
    let closing = closed.get(index);
    if (closing === undefined) {
      closing = server.close();
      closed.set(index, closing);
    }
    return closing;
  };
  const close = async (): Promise<void> => {
    await Promise.all(servers.map((_server, index) => stop(index)));
  };
  try {
    for (let i = 0; i < nodes; i++) {
      const http = createServer();
      const server = new Server(http, {
        ...(adapter === undefined ? {} : { adapter }),
        connectionStateRecovery: options.connectionStateRecovery ? { maxDisconnectionDuration: 10_000 } : false,
      });
      servers.push(server);
      await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
      urls.push(`http://127.0.0.1:${(http.address() as AddressInfo).port}`);
    }
    await Promise.all(servers.map((server) => nodesKnown(server, nodes - 1)));
  } catch (error) {
    await close();
    throw error;
  }
  return { servers, urls, stop, close };
}

/** Resolves once the adapter of the main namespace knows `others` other nodes (at once for a one-node adapter). */
function nodesKnown(server: Server, others: number): Promise<void> {
  const adapter = server.of("/").adapter;
  if (!(adapter instanceof ClusterAdapterWithHeartbeat) || adapter.liveNodes().length >= others) return Promise.resolve();
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
    }, 5000);
    adapter.on("node-up", onUp);
  });
}

/** A socket.io-client socket to the main namespace, over WebSocket, that never reconnects by itself. */
export function connectClient(url: string): ConformanceClient {
  return ioc(url, { forceNew: true, reconnection: false, transports: ["websocket"] });
}

/**
 * Sends a socket.io-client socket to another node on its next connect(): its Manager opens
 * each new Engine.IO connection to its `uri` (private in the types, read at every open).
 */
export function moveClient(client: ConformanceClient, url: string): void {
  (client.io as unknown as { uri: string }).uri = url;
}

/** The harness for the kit: `nodes` servers with the adapter of `adapterFor()`. */
export function volleyHarness(nodes: number, adapterFor: AdapterFactory): AdapterConformanceHarness {
  return {
    nodes,
    createCluster: (n, options) => startVolleyCluster(n, options, adapterFor),
    connect: (url) => connectClient(url),
    moveClient,
  };
}

/** A channel prefix no other cluster uses, so that clusters of consecutive cases never hear each other. */
export function uniqueChannel(): string {
  return `volley-conformance-${randomUUID()}`;
}
