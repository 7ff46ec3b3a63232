// The conformance kit's harness over a real cluster (test/fixtures/conformance-worker.cjs):
// each node is a forked worker, and the kit's server objects are proxies in the test process
// that have their worker run each operation and receive what the kit listens to. A
// server-side socket's `rooms` is kept from the worker's join-room/leave-room events.
import type {
  AdapterConformanceHarness,
  ConformanceBroadcaster,
  ConformanceClient,
  ConformanceCluster,
  ConformanceListener,
  ConformanceRemoteSocket,
  ConformanceServer,
  ConformanceServerSocket,
  CreateClusterOptions,
} from "@volley/adapter/conformance";
import { io as ioc } from "socket.io-client";
import { TestCluster, type ClusterSettings } from "./cluster";

type Chain = ReadonlyArray<readonly [string, unknown]>;

interface ReportedError {
  name: string;
  code?: string;
  message: string;
}

interface Forwarded {
  kind: "connection" | "disconnect" | "rooms" | "server-event";
  id?: string;
  rooms?: string[];
  recovered?: boolean;
  data?: unknown;
  reason?: string;
  event?: string;
  args?: unknown[];
  ackId?: number;
}

function toError(reported: ReportedError): Error {
  return Object.assign(new Error(reported.message), { name: reported.name, code: reported.code });
}

type AckReply = { error: ReportedError | null; responses: unknown[] } | null;

/** Hands the reply of an operation with an ack to the kit's callback (an operation that failed: as its error). */
function settle(reply: Promise<AckReply>, ack: ((...values: unknown[]) => void) | undefined): void {
  reply.then(
    (result) => ack?.(result?.error ? toError(result.error) : null, result?.responses ?? []),
    (error: unknown) => ack?.(error, []),
  );
}

function splitAck(args: unknown[]): { args: unknown[]; ack: ((...values: unknown[]) => void) | undefined } {
  const last = args[args.length - 1];
  return typeof last === "function" ? { args: args.slice(0, -1), ack: last as (...values: unknown[]) => void } : { args, ack: undefined };
}

class Listeners {
  readonly #byEvent = new Map<string, Set<ConformanceListener>>();

  on(event: string, listener: ConformanceListener): boolean {
    let set = this.#byEvent.get(event);
    const isNew = set === undefined;
    if (set === undefined) {
      set = new Set();
      this.#byEvent.set(event, set);
    }
    set.add(listener);
    return isNew;
  }

  off(event: string, listener: ConformanceListener): void {
    this.#byEvent.get(event)?.delete(listener);
  }

  emit(event: string, args: unknown[]): void {
    for (const listener of [...(this.#byEvent.get(event) ?? [])]) listener(...args);
  }
}

class ProxySocket implements ConformanceServerSocket {
  readonly id: string;
  readonly rooms: Set<string>;
  readonly recovered: boolean;
  readonly listeners = new Listeners();
  readonly #node: ProxyNode;
  #data: unknown;

  constructor(node: ProxyNode, message: Forwarded) {
    this.#node = node;
    this.id = message.id as string;
    this.rooms = new Set(message.rooms);
    this.recovered = message.recovered === true;
    this.#data = message.data;
  }

  get data(): unknown {
    return this.#data;
  }

  set data(value: unknown) {
    this.#data = value;
    this.#node.send("setData", { socketId: this.id, data: value });
  }

  join(room: string | string[]): Promise<unknown> {
    return this.#node.op("join", { socketId: this.id, rooms: room });
  }

  on(event: string, listener: ConformanceListener): void {
    this.listeners.on(event, listener);
  }

  off(event: string, listener: ConformanceListener): void {
    this.listeners.off(event, listener);
  }
}

class ProxyBroadcaster implements ConformanceBroadcaster {
  readonly #node: ProxyNode | undefined;
  readonly #chain: Chain;

  /** `node` undefined: this is the node itself. */
  constructor(node: ProxyNode | undefined, chain: Chain) {
    this.#node = node;
    this.#chain = chain;
  }

  protected get node(): ProxyNode {
    return this.#node ?? (this as unknown as ProxyNode);
  }

  #with(kind: string, value: unknown): ProxyBroadcaster {
    return new ProxyBroadcaster(this.node, [...this.#chain, [kind, value]]);
  }

  to(room: string | string[]): ConformanceBroadcaster {
    return this.#with("to", room);
  }

  except(room: string | string[]): ConformanceBroadcaster {
    return this.#with("except", room);
  }

  timeout(timeoutMs: number): ConformanceBroadcaster {
    return this.#with("timeout", timeoutMs);
  }

  get local(): ConformanceBroadcaster {
    return this.#with("local", null);
  }

  emit(event: string, ...rest: unknown[]): boolean {
    const { args, ack } = splitAck(rest);
    settle(this.node.op<AckReply>("emit", { chain: this.#chain, event, args, ack: ack !== undefined }), ack);
    return true;
  }

  async fetchSockets(): Promise<ConformanceRemoteSocket[]> {
    const result = await this.node.op<{ sockets?: Array<{ id: string; rooms: string[]; data: unknown }>; error?: ReportedError }>("fetchSockets", { chain: this.#chain });
    if (result.error !== undefined) throw toError(result.error);
    return (result.sockets ?? []).map((socket) => ({
      id: socket.id,
      rooms: new Set(socket.rooms),
      data: socket.data,
      emit: (event: string, ...args: unknown[]) => this.node.send("remoteEmit", { socketId: socket.id, event, args }),
    }));
  }

  socketsJoin(room: string | string[]): void {
    this.node.send("socketsJoin", { chain: this.#chain, rooms: room });
  }

  socketsLeave(room: string | string[]): void {
    this.node.send("socketsLeave", { chain: this.#chain, rooms: room });
  }

  disconnectSockets(close?: boolean): void {
    this.node.send("disconnectSockets", { chain: this.#chain, close: close === true });
  }
}

/** One node of the kit: a worker of the cluster, seen through its proxy. */
class ProxyNode extends ProxyBroadcaster implements ConformanceServer {
  readonly #cluster: TestCluster;
  readonly workerId: number;
  readonly #listeners = new Listeners();
  /** The latest socket of each id, for its disconnect and rooms events. */
  readonly #sockets = new Map<string, ProxySocket>();

  constructor(cluster: TestCluster, workerId: number) {
    super(undefined, []);
    this.#cluster = cluster;
    this.workerId = workerId;
  }

  op<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    return this.#cluster.op<T>(this.workerId, op, args, 30_000);
  }

  /** An operation whose reply nobody waits for (a failure shows in what the kit then checks). */
  send(op: string, args: Record<string, unknown> = {}): void {
    this.op(op, args).catch(() => undefined);
  }

  receive(message: Forwarded): void {
    switch (message.kind) {
      case "connection": {
        const socket = new ProxySocket(this, message);
        this.#sockets.set(socket.id, socket);
        this.#listeners.emit("connection", [socket]);
        return;
      }
      case "disconnect":
        this.#sockets.get(message.id as string)?.listeners.emit("disconnect", [message.reason]);
        return;
      case "rooms": {
        const socket = this.#sockets.get(message.id as string);
        if (socket === undefined) return;
        socket.rooms.clear();
        for (const room of message.rooms ?? []) socket.rooms.add(room);
        return;
      }
      case "server-event": {
        const args: unknown[] = [...(message.args ?? [])];
        const ackId = message.ackId;
        if (ackId !== undefined) args.push((...values: unknown[]) => this.send("ack", { ackId, args: values }));
        this.#listeners.emit(message.event as string, args);
        return;
      }
    }
  }

  on(event: string, listener: ConformanceListener): this {
    const isNew = this.#listeners.on(event, listener);
    // the worker forwards connections always, server-side events once asked to
    if (isNew && event !== "connection") this.send("listen", { event });
    return this;
  }

  serverSideEmit(event: string, ...rest: unknown[]): boolean {
    const { args, ack } = splitAck(rest);
    settle(this.op<AckReply>("serverSideEmit", { event, args, ack: ack !== undefined }), ack);
    return true;
  }
}

/** Starts a conformance cluster of `nodes` workers. */
export async function startConformanceCluster(nodes: number, options: CreateClusterOptions, settings: ClusterSettings = {}): Promise<ConformanceCluster> {
  const cluster = await TestCluster.start({
    ...settings,
    workers: nodes,
    mode: "conformance",
    replace: false,
    ...(options.connectionStateRecovery ? { recoveryMs: 10_000 } : {}),
  });
  const ids = cluster.ids;
  const servers = ids.map((id) => new ProxyNode(cluster, id));
  cluster.on("forward", ({ workerId, message }: { workerId: number; message: Forwarded }) => {
    servers.find((server) => server.workerId === workerId)?.receive(message);
  });
  const stopped = new Map<number, Promise<void>>();
  const stop = (index: number): Promise<void> => {
    const server = servers[index];
    if (server === undefined) return Promise.reject(new Error(`no node ${index}`));
    let stopping = stopped.get(index);
    if (stopping === undefined) {
      const exited = cluster.nextExit(server.workerId);
      stopping = server.op("shutdown").then(() => exited).then(() => undefined);
      stopped.set(index, stopping);
    }
    return stopping;
  };
  return {
    servers,
    urls: ids.map((id) => `http://127.0.0.1:${cluster.ports.get(id)}`),
    stop,
    // within the kit's timeoutMs (10 s) even on a busy machine: SIGKILL after 5 s
    close: () => cluster.stop(5000),
  };
}

/** The kit's harness: `nodes` forked workers, socket.io-client clients over WebSocket. */
export function clusterHarness(nodes: number, settings: ClusterSettings = {}): AdapterConformanceHarness {
  return {
    nodes,
    createCluster: (n, options) => startConformanceCluster(n, options, settings),
    connect: (url) => ioc(url, { forceNew: true, reconnection: false, transports: ["websocket"] }) as unknown as ConformanceClient,
    moveClient: (client, url) => void ((client.io as unknown as { uri: string }).uri = url),
  };
}
