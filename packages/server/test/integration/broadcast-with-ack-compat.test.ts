// Differential tests of broadcasts with acknowledgements: the same scenario against
// socket.io 4.8 (with socket.io-adapter) and against Volley, real servers on loopback and
// real socket.io-client clients, asserting the same observable result.
import { createServer, type Server as HttpServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "@jest/globals";
import {
  ClusterAdapterWithHeartbeat,
  type AdapterNamespace,
  type ClusterMessage,
  type ClusterResponse,
  type ServerId,
} from "@volley/adapter";
import { Server as SocketIoServer } from "socket.io";
import { io as ioc, type Socket as ClientSocket } from "socket.io-client";
import { AckTimeoutError, SERVER_ERROR_CODES, Server, type Socket } from "../../src";
import { kPendingAcks } from "../../src/internal/symbols";
import { waitFor, within } from "../helpers";

// The socket.io-adapter that socket.io itself depends on (not a dependency of this package).
const socketIoAdapter = createRequire(require.resolve("socket.io"))("socket.io-adapter") as {
  ClusterAdapterWithHeartbeat: new (nsp: unknown, opts: object) => PublishedClusterAdapter;
};

interface PublishedClusterAdapter {
  onMessage(message: unknown): void;
  init(): void;
  close(): void;
}

/** What the bus needs of a node, whichever implementation. */
interface BusNode {
  readonly busId: string;
  readonly busNsp: string;
  receive(message: unknown): void;
}

/** An in-process bus between the nodes of one test: clones each message, delivers it on a later turn. */
class Bus {
  readonly #nodes = new Set<BusNode>();
  #inFlight = 0;
  #idle: Array<() => void> = [];

  join(node: BusNode): void {
    this.#nodes.add(node);
  }

  leave(node: BusNode): void {
    this.#nodes.delete(node);
  }

  send(from: BusNode, message: unknown, to?: string): void {
    const copy = structuredClone(message);
    for (const node of this.#nodes) {
      if (node === from || node.busNsp !== from.busNsp || (to !== undefined && node.busId !== to)) continue;
      this.#inFlight++;
      setImmediate(() => {
        node.receive(structuredClone(copy));
        setImmediate(() => {
          this.#inFlight--;
          if (this.#inFlight === 0) for (const done of this.#idle.splice(0)) done();
        });
      });
    }
  }

  /** Resolves once nothing is in flight (answers count as new messages). */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }
}

function publishedAdapterClass(bus: Bus): new (nsp: { name: string }) => PublishedClusterAdapter {
  return class extends socketIoAdapter.ClusterAdapterWithHeartbeat implements BusNode {
    readonly busNsp: string;

    constructor(nsp: { name: string }) {
      super(nsp, {});
      this.busNsp = nsp.name;
      bus.join(this);
    }

    get busId(): string {
      return (this as unknown as { uid: string }).uid;
    }

    receive(message: unknown): void {
      this.onMessage(message);
    }

    doPublish(message: unknown): Promise<string> {
      bus.send(this, message);
      return Promise.resolve("");
    }

    doPublishResponse(requesterUid: string, response: unknown): Promise<void> {
      bus.send(this, response, requesterUid);
      return Promise.resolve();
    }

    override close(): void {
      super.close();
      bus.leave(this);
    }
  };
}

function volleyAdapterClass(bus: Bus): new (nsp: AdapterNamespace) => ClusterAdapterWithHeartbeat {
  return class extends ClusterAdapterWithHeartbeat implements BusNode {
    readonly busNsp: string;

    constructor(nsp: AdapterNamespace) {
      super(nsp, {});
      this.busNsp = nsp.name;
      bus.join(this);
    }

    get busId(): string {
      return this.uid;
    }

    receive(message: unknown): void {
      void this.onMessage(message);
    }

    protected doPublish(message: ClusterMessage): Promise<string> {
      bus.send(this, message);
      return Promise.resolve("");
    }

    protected doPublishResponse(requesterUid: ServerId, response: ClusterResponse): Promise<void> {
      bus.send(this, response, requesterUid);
      return Promise.resolve();
    }

    override async close(): Promise<void> {
      await super.close();
      bus.leave(this);
    }
  };
}

/** What a scenario needs of either server. */
interface AnyServer {
  timeout(ms: number): {
    emit(event: string, ...args: unknown[]): boolean;
    emitWithAck(event: string, ...args: unknown[]): Promise<unknown>;
  };
  fetchSockets(): Promise<
    Array<{
      id: string;
      emit(event: string, ...args: unknown[]): boolean;
      timeout(ms: number): {
        emit(event: string, ...args: unknown[]): boolean;
        emitWithAck(event: string, ...args: unknown[]): Promise<unknown>;
      };
    }>
  >;
  close(): Promise<void> | void;
}

interface Started {
  io: AnyServer;
  /** The server-side socket objects, by id (as each implementation exposes them). */
  serverSockets: Map<string, unknown>;
  clients: ClientSocket[];
}

type Flavour = {
  name: string;
  start(bus?: Bus): Promise<{ io: AnyServer; http: HttpServer; sockets: Map<string, unknown> }>;
};

const flavours: Flavour[] = [
  {
    name: "socket.io",
    async start(bus) {
      const http = createServer();
      const io = new SocketIoServer(http, bus === undefined ? {} : { adapter: publishedAdapterClass(bus) as never });
      const sockets = new Map<string, unknown>();
      io.on("connection", (socket) => void sockets.set(socket.id, socket));
      await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
      return { io: io as unknown as AnyServer, http, sockets };
    },
  },
  {
    name: "volley",
    async start(bus) {
      const http = createServer();
      const io = new Server(http, bus === undefined ? {} : { adapter: volleyAdapterClass(bus) });
      const sockets = new Map<string, unknown>();
      io.on("connection", (socket) => void sockets.set(socket.id, socket));
      await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
      return { io: io as unknown as AnyServer, http, sockets };
    },
  },
];

let cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
});

/** A server with `answers.length` clients; client i answers "q" with answers[i] (undefined: never). */
async function start(flavour: Flavour, answers: Array<string | undefined>, bus?: Bus): Promise<Started> {
  const { io, http, sockets } = await flavour.start(bus);
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clients: ClientSocket[] = [];
  cleanups.push(async () => {
    for (const client of clients) client.disconnect();
    await within(Promise.resolve(io.close()), 5000, `${flavour.name} close`);
    if (http.listening) await new Promise<void>((resolve) => http.close(() => resolve()));
  });
  for (const answer of answers) {
    const client = ioc(url, { forceNew: true, reconnection: false, transports: ["websocket"] });
    clients.push(client);
    client.on("q", (ack: (value: string) => void) => {
      if (answer !== undefined) ack(answer);
    });
    await waitFor(client, "connect");
  }
  return { io, serverSockets: sockets, clients };
}

/**
 * Two nodes of one cluster: node A has no client, node B has one that answers "q" with
 * `answer`. Returns node A's server and the client's socket as A fetches it (a
 * RemoteSocket in both implementations: socket.io returns its own Socket for a local one).
 */
async function remotePair(flavour: Flavour, answer: string | undefined) {
  const bus = new Bus();
  const a = await start(flavour, [], bus);
  await start(flavour, [answer], bus);
  await bus.idle();
  const fetched = await a.io.fetchSockets();
  expect(fetched).toHaveLength(1);
  return { a, remote: fetched[0]! };
}

/** Runs `scenario` on both servers, one after the other, and returns both results. */
async function both<T>(scenario: (flavour: Flavour) => Promise<T>): Promise<{ published: T; volley: T }> {
  const published = await scenario(flavours[0]!);
  const volley = await scenario(flavours[1]!);
  return { published, volley };
}

function settle(promise: Promise<unknown>): Promise<{ value?: unknown; error?: { isError: boolean; responses: unknown } }> {
  return promise.then(
    (value) => ({ value }),
    (error: Error & { responses?: unknown }) => ({ error: { isError: error instanceof Error, responses: error.responses } }),
  );
}

describe("broadcast with acks: Volley against socket.io", () => {
  it("a timed-out emitWithAck rejects with err.responses holding the acks that did arrive", async () => {
    const results = await both(async (flavour) => {
      const { io } = await start(flavour, ["fast", undefined]);
      return settle(io.timeout(300).emitWithAck("q"));
    });
    expect(results.volley).toEqual(results.published);
    expect(results.volley).toEqual({ error: { isError: true, responses: ["fast"] } });
  });

  it("a timed-out emit with a callback gets an error and the acks that did arrive", async () => {
    const results = await both(async (flavour) => {
      const { io } = await start(flavour, ["fast", undefined]);
      return within(
        new Promise<[boolean, unknown]>((resolve) => {
          io.timeout(300).emit("q", (err: Error | null, responses: unknown) => resolve([err instanceof Error, responses]));
        }),
      );
    });
    expect(results.volley).toEqual(results.published);
    expect(results.volley).toEqual([true, ["fast"]]);
  });

  it("the timeout error has socket.io's message, for emitWithAck and for a callback", async () => {
    const results = await both(async (flavour) => {
      const { io } = await start(flavour, [undefined]);
      const rejected = await io.timeout(100).emitWithAck("q").then(
        () => "resolved",
        (error: Error) => error.message,
      );
      const calledBack = await within(
        new Promise<string | undefined>((resolve) => {
          io.timeout(100).emit("q", (err: Error | null) => resolve(err?.message));
        }),
      );
      return [rejected, calledBack];
    });
    expect(results.volley).toEqual(results.published);
    expect(results.volley).toEqual(["operation has timed out", "operation has timed out"]);
  });

  it("a single socket's timed-out emitWithAck has socket.io's message too", async () => {
    const results = await both(async (flavour) => {
      const { serverSockets } = await start(flavour, [undefined]);
      const socket = [...serverSockets.values()][0] as { timeout(ms: number): { emitWithAck(event: string): Promise<unknown> } };
      return socket.timeout(100).emitWithAck("q").then(
        () => "resolved",
        (error: Error) => [error instanceof Error, error.message],
      );
    });
    expect(results.volley).toEqual(results.published);
    expect(results.volley).toEqual([true, "operation has timed out"]);
  });

  it("Volley's timeout error is an AckTimeoutError with the delay and the responses as typed fields", async () => {
    const { io } = await start(flavours[1]!, ["fast", undefined]);
    const error = await (io as unknown as Server).timeout(150).emitWithAck("q").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AckTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 150, responses: ["fast"], code: SERVER_ERROR_CODES.ACK_TIMEOUT });
  });

  it("remoteSocket.timeout(ms).emitWithAck resolves with the socket's one answer, not an array", async () => {
    const results = await both(async (flavour) => {
      const { remote } = await remotePair(flavour, "pong");
      return settle(remote.timeout(1000).emitWithAck("q"));
    });
    expect(results.volley).toEqual(results.published);
    expect(results.volley).toEqual({ value: "pong" });
  });

  it("remoteSocket.timeout(ms).emit calls back with (null, answer)", async () => {
    const results = await both(async (flavour) => {
      const { remote } = await remotePair(flavour, "pong");
      return within(
        new Promise<unknown[]>((resolve) => {
          remote.timeout(1000).emit("q", (...args: unknown[]) => resolve(args));
        }),
      );
    });
    expect(results.volley).toEqual(results.published);
    expect(results.volley).toEqual([null, "pong"]);
  });

  it("a remote socket that does not answer in time: the rejection's responses is null", async () => {
    const results = await both(async (flavour) => {
      const { remote } = await remotePair(flavour, undefined);
      return settle(remote.timeout(200).emitWithAck("q"));
    });
    expect(results.volley).toEqual(results.published);
    expect(results.volley).toEqual({ error: { isError: true, responses: null } });
  });

  it("a timed-out broadcast removes the ack it registered on each socket that did not answer", async () => {
    // socket.io: its sockets' `acks` map is emptied by the broadcast operator.
    const published = await start(flavours[0]!, [undefined, "fast"]);
    await settle(published.io.timeout(200).emitWithAck("q"));
    const acksLeft = [...published.serverSockets.values()].map((socket) => (socket as { acks: Map<number, unknown> }).acks.size);
    expect(acksLeft).toEqual([0, 0]);

    // Volley: the adapter calls the socket's own `unregisterAck` when its timer elapses
    // (just after the operator's), which deletes the ack from the socket's registry.
    const volley = await start(flavours[1]!, [undefined, "fast"]);
    const silentId = volley.clients[0]!.id!;
    const silent = volley.serverSockets.get(silentId) as Socket;
    const unregisterAck = silent.unregisterAck.bind(silent);
    const unregistered = new Promise<number>((resolve) => {
      silent.unregisterAck = (ackId) => {
        unregisterAck(ackId);
        resolve(silent[kPendingAcks]);
      };
    });
    const pending = settle(volley.io.timeout(200).emitWithAck("q"));
    // registered synchronously by the in-memory adapter, on both sockets
    expect([...volley.serverSockets.values()].map((socket) => (socket as Socket)[kPendingAcks])).toEqual([1, 1]);
    await pending;
    expect(await within(unregistered, 2000, "unregisterAck of the silent socket")).toBe(0);
    expect([...volley.serverSockets.values()].map((socket) => (socket as Socket)[kPendingAcks])).toEqual([0, 0]);
  });

  it("a single socket's timed-out emit leaves no ack behind either", async () => {
    const published = await start(flavours[0]!, [undefined]);
    const publishedSocket = [...published.serverSockets.values()][0] as {
      acks: Map<number, unknown>;
      timeout(ms: number): { emitWithAck(event: string): Promise<unknown> };
    };
    await settle(publishedSocket.timeout(100).emitWithAck("q"));
    expect(publishedSocket.acks.size).toBe(0);

    const volley = await start(flavours[1]!, [undefined]);
    const socket = [...volley.serverSockets.values()][0] as Socket;
    const pending = settle(socket.timeout(100).emitWithAck("q"));
    expect(socket[kPendingAcks]).toBe(1);
    await pending;
    expect(socket[kPendingAcks]).toBe(0);
  });
});
