// What one conformance case runs in: its own cluster, the clients it connected (each
// paired with its socket on the server), and one close() that ends all of it.
import { check, fail } from "./assert";
import type { ResolvedAdapterConformanceOptions } from "./options";
import type {
  AdapterConformanceHarness,
  ConformanceClient,
  ConformanceCluster,
  ConformanceListener,
  ConformanceServer,
  ConformanceServerSocket,
} from "./types";
import { countdown, nextEvent, within } from "./wait";

/** The event the kit uses to know that everything sent before by a node has arrived. */
const BARRIER_EVENT = "volley:conformance:barrier";

/** A connected client, its server-side socket and the node they are on. */
export interface Peer {
  readonly node: number;
  readonly client: ConformanceClient;
  /** The server-side socket of the latest connection of `client`. */
  socket: ConformanceServerSocket;
  /** Records the first argument of every `event` the client receives, from now on. */
  record(event: string): Recording;
}

/** What a client received of one event, in order. */
export class Recording {
  readonly items: unknown[] = [];
  readonly #waiters = new Set<() => void>();

  add(item: unknown): void {
    this.items.push(item);
    for (const waiter of [...this.#waiters]) waiter();
  }

  /** Resolves once `count` items were received (bounded). */
  async until(count: number, timeoutMs: number, what: string): Promise<void> {
    if (this.items.length >= count) return;
    let waiter!: () => void;
    const reached = new Promise<void>((resolve) => {
      waiter = () => {
        if (this.items.length >= count) resolve();
      };
      this.#waiters.add(waiter);
    });
    await within(reached, timeoutMs, what).finally(() => this.#waiters.delete(waiter));
  }
}

type SocketWatcher = (socket: ConformanceServerSocket) => void;

export class ConformanceScope {
  readonly options: ResolvedAdapterConformanceOptions;
  readonly #harness: AdapterConformanceHarness;
  #cluster: ConformanceCluster | undefined;
  readonly #clients: ConformanceClient[] = [];
  readonly #watchers: Array<Set<SocketWatcher>> = [];
  readonly #stopped = new Set<number>();
  #barriers = 0;

  constructor(harness: AdapterConformanceHarness, options: ResolvedAdapterConformanceOptions) {
    this.#harness = harness;
    this.options = options;
  }

  get nodes(): number {
    return this.#harness.nodes;
  }

  get cluster(): ConformanceCluster {
    return this.#cluster ?? fail("no cluster started");
  }

  server(node: number): ConformanceServer {
    return this.cluster.servers[node] ?? fail(`no server ${node} in a cluster of ${this.cluster.servers.length}`);
  }

  /** The indexes of the nodes still running. */
  liveNodes(): number[] {
    return this.cluster.servers.map((_server, i) => i).filter((i) => !this.#stopped.has(i));
  }

  async start(connectionStateRecovery: boolean): Promise<ConformanceCluster> {
    const n = this.#harness.nodes;
    const cluster = await within(
      Promise.resolve(this.#harness.createCluster(n, { connectionStateRecovery })),
      this.options.timeoutMs,
      `createCluster(${n})`,
    );
    this.#cluster = cluster;
    check(cluster.servers.length === n, `createCluster(${n}) returned ${cluster.servers.length} servers`);
    check(cluster.urls.length === n, `createCluster(${n}) returned ${cluster.urls.length} urls`);
    cluster.servers.forEach((server, node) => {
      const watchers = new Set<SocketWatcher>();
      this.#watchers[node] = watchers;
      server.on("connection", (...args) => {
        const socket = args[0] as ConformanceServerSocket;
        for (const watcher of [...watchers]) watcher(socket);
      });
    });
    return cluster;
  }

  /** The next socket that connects to `node` and that `accept` takes (register before acting). */
  nextConnection(node: number, accept: (socket: ConformanceServerSocket) => boolean, what: string): Promise<ConformanceServerSocket> {
    let unwatch!: () => void;
    const arrived = new Promise<ConformanceServerSocket>((resolve) => {
      unwatch = this.#watch(node, (socket) => {
        if (accept(socket)) resolve(socket);
      });
    });
    return within(arrived, this.options.timeoutMs, what).finally(unwatch);
  }

  /** Points `peer`'s client at `node` for its next `connect()` (harness.moveClient). */
  moveClient(peer: Peer, node: number): void {
    const move = this.#harness.moveClient ?? fail("the harness has no moveClient()");
    move(peer.client, this.cluster.urls[node] ?? fail(`no url for node ${node}`));
  }

  /** Connects a client to `node` and waits until both ends are connected. */
  async connect(node: number): Promise<Peer> {
    const url = this.cluster.urls[node] ?? fail(`no url for node ${node}`);
    // the server socket may arrive before the client knows its id: keep them all, match after
    const arrived: ConformanceServerSocket[] = [];
    let onArrival: (() => void) | undefined;
    const unwatch = this.#watch(node, (socket) => {
      arrived.push(socket);
      onArrival?.();
    });
    let client: ConformanceClient;
    let socket: ConformanceServerSocket;
    try {
      client = this.#harness.connect(url, { node });
      this.#clients.push(client);
      await nextEvent(client, "connect", this.options.timeoutMs, `a client connecting to node ${node}`);
      const id = client.id ?? fail(`a client of node ${node} is connected but has no id`);
      const find = (): ConformanceServerSocket | undefined => arrived.find((s) => s.id === id);
      socket =
        find() ??
        (await within(
          new Promise<ConformanceServerSocket>((resolve) => {
            onArrival = () => {
              const found = find();
              if (found !== undefined) resolve(found);
            };
          }),
          this.options.timeoutMs,
          `the "connection" event of client ${id} on node ${node}`,
        ));
    } finally {
      unwatch();
    }
    const peer: Peer = {
      node,
      client,
      socket,
      record(event) {
        const recording = new Recording();
        client.on(event, (...args) => recording.add(args[0]));
        return recording;
      },
    };
    return peer;
  }

  /** Connects `perNode` clients to every node, node by node. */
  async connectEverywhere(perNode = 1): Promise<Peer[]> {
    const peers: Peer[] = [];
    for (const node of this.liveNodes()) {
      for (let i = 0; i < perNode; i++) peers.push(await this.connect(node));
    }
    return peers;
  }

  /** Waits until each recording holds `count` items (bounded). */
  async received(records: readonly Recording[], count: number, what: string): Promise<void> {
    await Promise.all(records.map((record) => record.until(count, this.options.timeoutMs, what)));
  }

  /**
   * Broadcasts a marker from `node` to every socket and waits until each of `peers` got
   * it: a node's packets reach a client in the order they were sent, so whatever `node`
   * broadcast before has been delivered (or dropped) by then.
   */
  async barrier(node: number, peers: readonly Peer[]): Promise<void> {
    const token = `${++this.#barriers}`;
    const all = countdown(peers.length, this.options.timeoutMs, `a marker broadcast from node ${node} reaching ${peers.length} clients`);
    const listeners: Array<[ConformanceClient, ConformanceListener]> = peers.map((peer) => {
      const listener: ConformanceListener = (...args) => {
        if (args[0] === token) all.tick();
      };
      peer.client.on(BARRIER_EVENT, listener);
      return [peer.client, listener];
    });
    try {
      this.server(node).emit(BARRIER_EVENT, token);
      await all.done;
    } finally {
      for (const [client, listener] of listeners) client.off(BARRIER_EVENT, listener);
    }
  }

  async stop(node: number): Promise<void> {
    this.#stopped.add(node);
    await within(Promise.resolve(this.cluster.stop(node)), this.options.timeoutMs, `stop(${node})`);
  }

  /** Calls `watcher` with every socket connecting to `node` until the returned function is called. */
  #watch(node: number, watcher: SocketWatcher): () => void {
    const watchers = this.#watchers[node] ?? fail(`no node ${node}`);
    watchers.add(watcher);
    return () => watchers.delete(watcher);
  }

  /** Disconnects every client and closes the cluster, whatever state the case left. */
  async close(): Promise<void> {
    for (const client of this.#clients) {
      try {
        client.disconnect();
      } catch {
        // a client that cannot disconnect must not keep the cluster open
      }
    }
    this.#clients.length = 0;
    if (this.#cluster !== undefined) {
      await within(Promise.resolve(this.#cluster.close()), this.options.timeoutMs, "closing the cluster");
      this.#cluster = undefined;
    }
  }
}
