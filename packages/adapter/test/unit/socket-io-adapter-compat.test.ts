// Differential tests: the same adapter subclass, written the way socket.io-adapter documents
// it (doPublish / doPublishResponse implemented; onMessage(message, offset) and onResponse
// called by the transport; publish and onResponse overridden to watch the traffic), runs
// once on the published ClusterAdapterWithHeartbeat and once on ours, over the same
// in-process bus, and must show the same results.
import { afterEach, describe, expect, it } from "@jest/globals";
import { decode, encode } from "@msgpack/msgpack";
import { PacketType } from "@volley/parser";
import {
  ClusterAdapter as PublishedClusterAdapter,
  ClusterAdapterWithHeartbeat as PublishedHeartbeatAdapter,
  MessageType as PublishedMessageType,
} from "socket.io-adapter";
import {
  ClusterAdapter,
  ClusterAdapterWithHeartbeat,
  createBroadcastOptions,
  MessageType,
  type ClusterMessage,
  type ClusterResponse,
  type Offset,
  type ServerId,
} from "../../src/index";
import { createNamespace, type TestNamespace } from "../helpers/fake-namespace";

type Listener = (payload: unknown, offset: string) => void;

/** A bus that numbers what it carries (as a Redis stream does) and delivers it on a later turn. */
class StreamBus {
  readonly #channels = new Map<string, Set<Listener>>();
  #sequence = 0;
  #inFlight = 0;
  #idle: Array<() => void> = [];

  subscribe(channel: string, listener: Listener): void {
    let listeners = this.#channels.get(channel);
    if (listeners === undefined) this.#channels.set(channel, (listeners = new Set()));
    listeners.add(listener);
  }

  unsubscribeAll(listener: Listener): void {
    for (const listeners of this.#channels.values()) listeners.delete(listener);
  }

  publish(channel: string, payload: unknown): Promise<string> {
    const offset = `1-${this.#sequence++}`;
    const bytes = encode(payload, { ignoreUndefined: true });
    const listeners = [...(this.#channels.get(channel) ?? [])];
    this.#inFlight++;
    return new Promise((resolve) => {
      setImmediate(() => {
        for (const listener of listeners) listener(decode(bytes), offset);
        resolve(offset);
        // Settle what the listeners started (their answers are published on later turns).
        setImmediate(() => {
          this.#inFlight--;
          if (this.#inFlight === 0) for (const done of this.#idle.splice(0)) done();
        });
      });
    });
  }

  /** Resolves once no message is in flight (each answer counts as a new one). */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }
}

/** What a scenario sees of one node, whichever implementation runs it. */
interface Node {
  readonly uid: string;
  readonly publishedTypes: number[];
  readonly responseTypes: number[];
  init(): void;
  close(): void;
  /** Stops hearing the bus without saying goodbye (a crash). */
  cut(): void;
  /** Connects a socket in `rooms` that answers every ack with `answer`. */
  connect(id: string, rooms: string[], answer: unknown): void;
  /** What a server-side listener answers to "ping". */
  answerServerSideEmit(answer: unknown): void;
  fetchSocketIds(rooms: string[], timeoutMs?: number): Promise<string[]>;
  serverSideEmitWithAck(event: string): Promise<{ error: string | null; responses: unknown[] }>;
  broadcastWithAck(room: string, timeoutMs: number, expectedAcks: number): Promise<{ counts: number[]; acks: unknown[] }>;
}

interface Flavour {
  readonly name: string;
  createNode(bus: StreamBus, counted?: number): Node;
}

/** The same subclass body for both flavours: socket.io-adapter's documented hooks. */
function watchTraffic(adapter: { publishedTypes: number[]; responseTypes: number[] }, message: { type: number }, kind: "publish" | "response"): void {
  (kind === "publish" ? adapter.publishedTypes : adapter.responseTypes).push(message.type);
}

// ---------------------------------------------------------------- socket.io-adapter
interface PublishedSocket {
  id: string;
  rooms: Set<string>;
  handshake: unknown;
  data: unknown;
  acks: Map<number, (...args: unknown[]) => void>;
  client: { writeToEngine(encoded: string[]): void };
  join(rooms: string[]): void;
  leave(room: string): void;
  disconnect(): void;
}

interface PublishedNamespace {
  name: string;
  sockets: Map<string, PublishedSocket>;
  adapter: { addAll(id: string, rooms: Set<string>): void } | undefined;
  server: { encoder: { encode(packet: unknown): string[] }; opts: { connectionStateRecovery?: unknown } };
  _ids: number;
  serverSideAnswer: unknown;
  _onServerSideEmit(args: unknown[]): void;
}

function publishedNamespace(): PublishedNamespace {
  return {
    name: "/",
    sockets: new Map(),
    adapter: undefined,
    server: { encoder: { encode: (packet) => [JSON.stringify(packet)] }, opts: {} },
    _ids: 0,
    serverSideAnswer: undefined,
    _onServerSideEmit(args) {
      const ack = args[args.length - 1];
      if (typeof ack === "function") ack(this.serverSideAnswer);
    },
  };
}

function publishedNode(bus: StreamBus, counted?: number): Node {
  const nsp = publishedNamespace();
  const channel = "socket.io#/#";
  let listeners: Listener[] = [];
  const hooks = {
    publishedTypes: [] as number[],
    responseTypes: [] as number[],
  };
  const subscribe = (uid: string, onMessage: Listener, onResponse: Listener): void => {
    listeners = [onMessage, onResponse];
    bus.subscribe(channel, onMessage);
    bus.subscribe(`${channel}${uid}#`, onResponse);
  };
  const transport = {
    doPublish: (message: unknown): Promise<Offset> => bus.publish(channel, message),
    doPublishResponse: (uid: string, response: unknown): Promise<void> =>
      bus.publish(`${channel}${uid}#`, response).then(() => undefined),
  };
  let adapter: PublishedHeartbeatAdapter | PublishedClusterAdapter;
  if (counted === undefined) {
    class PublishedBusAdapter extends PublishedHeartbeatAdapter {
      constructor() {
        super(nsp, { heartbeatInterval: 60_000, heartbeatTimeout: 120_000 });
        subscribe(this.uid, (payload, offset) => this.onMessage(payload as never, offset), (payload) => this.onResponse(payload as never));
      }
      protected doPublish(message: unknown): Promise<Offset> {
        return transport.doPublish(message);
      }
      protected doPublishResponse(uid: string, response: unknown): Promise<void> {
        return transport.doPublishResponse(uid, response);
      }
      override publish(message: Parameters<PublishedHeartbeatAdapter["publish"]>[0]): void {
        watchTraffic(hooks, message, "publish");
        super.publish(message);
      }
      override onResponse(response: Parameters<PublishedHeartbeatAdapter["onResponse"]>[0]): void {
        watchTraffic(hooks, response, "response");
        super.onResponse(response);
      }
      get id(): string {
        return this.uid;
      }
    }
    adapter = new PublishedBusAdapter();
  } else {
    class PublishedCountedAdapter extends PublishedClusterAdapter {
      constructor() {
        super(nsp);
        subscribe(this.uid, (payload, offset) => this.onMessage(payload as never, offset), (payload) => this.onResponse(payload as never));
      }
      override serverCount(): Promise<number> {
        return Promise.resolve(counted as number);
      }
      protected doPublish(message: unknown): Promise<Offset> {
        return transport.doPublish(message);
      }
      protected doPublishResponse(uid: string, response: unknown): Promise<void> {
        return transport.doPublishResponse(uid, response);
      }
      get id(): string {
        return this.uid;
      }
    }
    adapter = new PublishedCountedAdapter();
  }
  nsp.adapter = adapter;
  return {
    uid: (adapter as unknown as { id: string }).id,
    ...hooks,
    init: () => void adapter.init(),
    close: () => {
      void adapter.close();
      for (const listener of listeners) bus.unsubscribeAll(listener);
    },
    cut: () => {
      for (const listener of listeners) bus.unsubscribeAll(listener);
    },
    connect(id, rooms, answer) {
      const socket: PublishedSocket = {
        id,
        rooms: new Set([id, ...rooms]),
        handshake: {},
        data: {},
        acks: new Map(),
        client: {
          writeToEngine(encoded) {
            const packet = JSON.parse(encoded[0] as string) as { id?: number };
            if (packet.id !== undefined) {
              const ackId = packet.id;
              setImmediate(() => {
                const ack = socket.acks.get(ackId);
                socket.acks.delete(ackId);
                ack?.(answer);
              });
            }
          },
        },
        join: (list) => adapter.addAll(id, new Set(list)),
        leave: (room) => void adapter.del(id, room),
        disconnect: () => adapter.delAll(id),
      };
      nsp.sockets.set(id, socket);
      void adapter.addAll(id, new Set([id, ...rooms]));
    },
    answerServerSideEmit(answer) {
      nsp.serverSideAnswer = answer;
    },
    async fetchSocketIds(rooms, timeoutMs) {
      const sockets = await adapter.fetchSockets({
        rooms: new Set(rooms),
        except: new Set(),
        flags: timeoutMs === undefined ? {} : { timeout: timeoutMs },
      });
      return sockets.map((socket: { id: string }) => socket.id).sort();
    },
    serverSideEmitWithAck(event) {
      return new Promise((resolve) => {
        void adapter.serverSideEmit([
          event,
          (error: Error | null, responses: unknown[]) => resolve({ error: error?.message ?? null, responses }),
        ]);
      });
    },
    broadcastWithAck(room, timeoutMs, expectedAcks) {
      return new Promise((resolve) => {
        const counts: number[] = [];
        const acks: unknown[] = [];
        adapter.broadcastWithAck(
          { type: PacketType.EVENT, data: ["question"] },
          { rooms: new Set([room]), except: new Set(), flags: { timeout: timeoutMs } },
          (count) => counts.push(count),
          (answer: unknown) => {
            acks.push(answer);
            if (acks.length === expectedAcks) resolve({ counts: counts.sort(), acks });
          },
        );
      });
    },
  };
}

// ---------------------------------------------------------------- Volley
function volleyNode(bus: StreamBus, counted?: number): Node {
  const channel = "socket.io#/#";
  let listeners: Listener[] = [];
  const hooks = { publishedTypes: [] as number[], responseTypes: [] as number[] };
  const subscribe = (uid: ServerId, onMessage: Listener, onResponse: Listener): void => {
    listeners = [onMessage, onResponse];
    bus.subscribe(channel, onMessage);
    bus.subscribe(`${channel}${uid}#`, onResponse);
  };
  let serverSideAnswer: unknown;
  const build = (nsp: TestNamespace): ClusterAdapter => {
    if (counted === undefined) {
      return new (class VolleyBusAdapter extends ClusterAdapterWithHeartbeat {
        constructor() {
          super(nsp, { heartbeatInterval: 60_000, heartbeatTimeout: 120_000 });
          subscribe(this.uid, (payload, offset) => void this.onMessage(payload, offset), (payload) => this.onResponse(payload as ClusterResponse));
        }
        protected doPublish(message: ClusterMessage): Promise<Offset> {
          return bus.publish(channel, message);
        }
        protected doPublishResponse(uid: ServerId, response: ClusterResponse): Promise<void> {
          return bus.publish(`${channel}${uid}#`, response).then(() => undefined);
        }
        override publish(message: Parameters<ClusterAdapterWithHeartbeat["publish"]>[0]): void {
          watchTraffic(hooks, message, "publish");
          super.publish(message);
        }
        override onResponse(response: ClusterResponse): void {
          watchTraffic(hooks, response, "response");
          super.onResponse(response);
        }
      })();
    }
    return new (class VolleyCountedAdapter extends ClusterAdapter {
      constructor() {
        super(nsp);
        subscribe(this.uid, (payload, offset) => void this.onMessage(payload, offset), (payload) => this.onResponse(payload as ClusterResponse));
      }
      override serverCount(): Promise<number> {
        return Promise.resolve(counted);
      }
      protected doPublish(message: ClusterMessage): Promise<Offset> {
        return bus.publish(channel, message);
      }
      protected doPublishResponse(uid: ServerId, response: ClusterResponse): Promise<void> {
        return bus.publish(`${channel}${uid}#`, response).then(() => undefined);
      }
    })();
  };
  const { nsp, adapter } = createNamespace(build);
  nsp.onServerSideEmit = ({ ack }) => ack?.(serverSideAnswer);
  return {
    uid: adapter.uid,
    ...hooks,
    init: () => void adapter.init(),
    close: () => {
      void adapter.close();
      for (const listener of listeners) bus.unsubscribeAll(listener);
    },
    cut: () => {
      for (const listener of listeners) bus.unsubscribeAll(listener);
    },
    connect(id, rooms, answer) {
      const socket = nsp.connect(id, rooms);
      socket.on("write", ({ packet }) => {
        const ackId = packet.id;
        if (ackId !== undefined) setImmediate(() => socket.answer(ackId, answer));
      });
    },
    answerServerSideEmit(answer) {
      serverSideAnswer = answer;
    },
    async fetchSocketIds(rooms, timeoutMs) {
      const sockets = await adapter.fetchSockets(
        createBroadcastOptions({ rooms, flags: timeoutMs === undefined ? {} : { timeout: timeoutMs } }),
      );
      return sockets.map((socket) => socket.id).sort();
    },
    serverSideEmitWithAck(event) {
      return new Promise((resolve) => {
        void adapter.serverSideEmit([
          event,
          (error: Error | null, responses: unknown[]) => resolve({ error: error?.message ?? null, responses }),
        ]);
      });
    },
    broadcastWithAck(room, timeoutMs, expectedAcks) {
      return new Promise((resolve) => {
        const counts: number[] = [];
        const acks: unknown[] = [];
        void adapter.broadcastWithAck(
          { type: PacketType.EVENT, nsp: "/", data: ["question"] },
          createBroadcastOptions({ rooms: [room], flags: { timeout: timeoutMs } }),
          (count) => counts.push(count),
          (answer) => {
            acks.push(answer);
            if (acks.length === expectedAcks) resolve({ counts: counts.sort(), acks });
          },
        );
      });
    },
  };
}

const flavours: Flavour[] = [
  { name: "socket.io-adapter", createNode: publishedNode },
  { name: "@volley/adapter", createNode: volleyNode },
];

let open: Node[] = [];

afterEach(() => {
  for (const node of open) node.close();
  open = [];
});

/** Two nodes that know each other. */
async function pair(flavour: Flavour, counted?: number): Promise<[Node, Node]> {
  const bus = new StreamBus();
  const a = flavour.createNode(bus, counted);
  const b = flavour.createNode(bus, counted);
  open.push(a, b);
  a.init();
  b.init();
  await bus.idle();
  a.publishedTypes.length = 0;
  a.responseTypes.length = 0;
  return [a, b];
}

/** Runs `scenario` on each flavour and returns the results by flavour name. */
async function both<T>(scenario: (flavour: Flavour) => Promise<T>): Promise<Record<string, T>> {
  const results: Record<string, T> = {};
  for (const flavour of flavours) {
    results[flavour.name] = await scenario(flavour);
    for (const node of open) node.close();
    open = [];
  }
  return results;
}

describe("@volley/adapter against socket.io-adapter", () => {
  it("MessageType has the published names and numbers, with the enum's reverse mapping", () => {
    for (const [key, value] of Object.entries(PublishedMessageType)) {
      expect([key, (MessageType as unknown as Record<string, unknown>)[key]]).toEqual([key, value]);
    }
    expect(MessageType[MessageType.BROADCAST]).toBe("BROADCAST");
  });

  it("the publish and onResponse hooks see the same traffic, and the operations give the same results", async () => {
    const results = await both(async (flavour) => {
      const [a, b] = await pair(flavour);
      b.connect("remote", ["r"], "pong");
      b.answerServerSideEmit("hello from b");
      const ids = await a.fetchSocketIds(["r"]);
      const emitted = await a.serverSideEmitWithAck("ping");
      // socket.io-adapter leaves a timer of this length behind (its ack bookkeeping): keep it short.
      const acked = await a.broadcastWithAck("r", 500, 1);
      return {
        ids,
        emitted,
        acked,
        published: a.publishedTypes.filter((type) => type !== MessageType.HEARTBEAT),
        responses: [...a.responseTypes].sort((x, y) => x - y),
      };
    });
    expect(results["@volley/adapter"]).toEqual(results["socket.io-adapter"]);
    expect(results["@volley/adapter"]).toEqual({
      ids: ["remote"],
      emitted: { error: null, responses: ["hello from b"] },
      acked: { counts: [0, 1], acks: ["pong"] },
      published: [MessageType.FETCH_SOCKETS, MessageType.SERVER_SIDE_EMIT, MessageType.BROADCAST],
      responses: [
        MessageType.FETCH_SOCKETS_RESPONSE,
        MessageType.SERVER_SIDE_EMIT_RESPONSE,
        MessageType.BROADCAST_CLIENT_COUNT,
        MessageType.BROADCAST_ACK,
      ],
    });
  });

  it("a request to a node known by its heartbeats times out with 'timeout reached: missing N responses'", async () => {
    const results = await both(async (flavour) => {
      const [a, b] = await pair(flavour);
      b.cut();
      return a.fetchSocketIds([], 100).then(
        () => "resolved",
        (error: Error) => error.message,
      );
    });
    expect(results["@volley/adapter"]).toBe(results["socket.io-adapter"]);
    expect(results["@volley/adapter"]).toBe("timeout reached: missing 1 responses");
  });

  it("a request to nodes known by their number times out with 'timeout reached: only X responses received out of Y'", async () => {
    const results = await both(async (flavour) => {
      const [a, b] = await pair(flavour, 2);
      b.cut();
      return a.fetchSocketIds([], 100).then(
        () => "resolved",
        (error: Error) => error.message,
      );
    });
    expect(results["@volley/adapter"]).toBe(results["socket.io-adapter"]);
    expect(results["@volley/adapter"]).toBe("timeout reached: only 0 responses received out of 1");
  });
});
