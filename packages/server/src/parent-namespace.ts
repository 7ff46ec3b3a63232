// A parent namespace (`io.of(/^\/room-\d+$/)` or `io.of((name, auth, next) => …)`) creates a
// child namespace for each name it accepts. Its middlewares run for the sockets of every
// child, its `connection` listeners hear them, and its broadcasts reach every child.
import type { BroadcastOptions, Room, SocketDetails, SocketId } from "@volley/adapter";
import type { Packet } from "@volley/parser";
import createDebug from "debug";
import { BroadcastMethods } from "./broadcast-methods";
import { BroadcastOperator, settle, type BroadcastTarget } from "./broadcast-operator";
import { InvalidArgumentError } from "./errors";
import { kAddChild, kBroadcastOperator, kChildRemoved, kForwardConnection, kMatch, kMatchesName, kMiddlewares } from "./internal/symbols";
import type { Namespace, NamespaceMiddleware, NamespaceParent, NamespaceReservedEvents } from "./namespace";
import type { Server } from "./server";
import type { DefaultEventsMap, EventsMap } from "./typed-events";

const debug = createDebug("volley:server:parent-namespace");

/** Decides whether a child namespace `name` may be created: `next(err, allow)`. */
export type NamespaceAuthorizer = (
  name: string,
  auth: Record<string, unknown>,
  next: (err: Error | null, allow: boolean) => void,
) => void;

/** What a parent namespace needs of its server. */
export interface ParentNamespaceHost {
  /** The server, for `parent.server`. */
  readonly server: unknown;
  /** Forgets an empty child namespace (cleanupEmptyChildNamespaces). */
  removeNamespace(name: string): void;
  /** Creates and registers the child `name` of `parent`. */
  createChild(parent: never, name: string): unknown;
}

/**
 * The namespaces created on demand for the names a regular expression or a function
 * accepts. `children` holds the ones created so far. `emit` and the other broadcast
 * methods target every socket of every child.
 */
export class ParentNamespace<
    ListenEvents extends EventsMap = DefaultEventsMap,
    EmitEvents extends EventsMap = ListenEvents,
    ServerSideEvents extends EventsMap = DefaultEventsMap,
    SocketData = unknown,
  >
  extends BroadcastMethods<NamespaceReservedEvents<ListenEvents, EmitEvents, ServerSideEvents, SocketData>, ServerSideEvents, EmitEvents, SocketData>
  implements NamespaceParent
{
  /** A name of its own, for logs (`/_0`, `/_1`…); clients never connect to it. */
  readonly name: string;
  /** The child namespaces created so far. */
  readonly children = new Set<Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();
  readonly #authorize: NamespaceAuthorizer;
  /** The RegExp given to `server.of()`, if it was one. */
  readonly #pattern: RegExp | undefined;
  readonly #host: ParentNamespaceHost;
  readonly #middlewares: Array<NamespaceMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> = [];
  readonly #target: BroadcastTarget;

  /** @internal created by `server.of(regex | function)` */
  constructor(name: string, matcher: RegExp | NamespaceAuthorizer, host: ParentNamespaceHost) {
    super();
    this.name = name;
    this.#host = host;
    this.#pattern = matcher instanceof RegExp ? matcher : undefined;
    this.#authorize =
      typeof matcher === "function"
        ? matcher
        : (childName, _auth, next) => {
            // a global or sticky RegExp keeps state between calls: test from the start
            matcher.lastIndex = 0;
            next(null, matcher.test(childName));
          };
    this.#target = new ChildrenTarget(this.children);
  }

  /** The server the parent namespace belongs to. */
  get server(): Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    return this.#host.server as Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  }

  /**
   * Creates the child namespace `name` now (the server normally does it when a client
   * connects to a name this parent accepts, or on `server.of(name)` for a RegExp parent),
   * or returns the namespace of that name if it exists.
   */
  createChild(name: string): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    if (typeof name !== "string") throw new InvalidArgumentError("a namespace name must be a string");
    const normalized = name.startsWith("/") ? name : `/${name}`;
    const existing = this.server.namespaces.get(normalized);
    if (existing !== undefined) return existing;
    return this.#host.createChild(this as never, normalized) as Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  }

  /** Adds a connection middleware run for the sockets of every child namespace. */
  use(middleware: NamespaceMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): this {
    if (typeof middleware !== "function") throw new InvalidArgumentError("a middleware must be a function");
    this.#middlewares.push(middleware);
    return this;
  }

  /** @internal BroadcastMethods: every socket of every child namespace */
  [kBroadcastOperator](): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator<EmitEvents, SocketData>(this.#target, this.name);
  }

  /** @internal whether this is a RegExp parent whose RegExp matches `name` (for `server.of(name)`) */
  [kMatchesName](name: string): boolean {
    const pattern = this.#pattern;
    if (pattern === undefined) return false;
    pattern.lastIndex = 0;
    return pattern.test(name);
  }

  /** @internal whether a child `name` may be created */
  [kMatch](name: string, auth: unknown): Promise<boolean> {
    const authRecord = typeof auth === "object" && auth !== null ? (auth as Record<string, unknown>) : {};
    return new Promise((resolve) => {
      let answered = false;
      try {
        this.#authorize(name, authRecord, (err, allow) => {
          if (answered) return;
          answered = true;
          resolve(err === null && allow === true);
        });
      } catch (error) {
        debug("the authorizer of %s threw: %O", this.name, error);
        if (!answered) resolve(false);
      }
    });
  }

  /** @internal */
  [kAddChild](child: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    this.children.add(child);
  }

  /** @internal */
  get [kMiddlewares](): ReadonlyArray<NamespaceMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> {
    return this.#middlewares;
  }

  /** @internal a child's socket connected */
  [kForwardConnection](socket: unknown): void {
    const typed = socket as Parameters<NamespaceReservedEvents<ListenEvents, EmitEvents, ServerSideEvents, SocketData>["connection"]>[0];
    this.emitReserved("connect", typed);
    this.emitReserved("connection", typed);
  }

  /** @internal a child became empty */
  [kChildRemoved](child: { readonly name: string }): void {
    for (const namespace of this.children) {
      if (namespace.name === child.name) this.children.delete(namespace);
    }
    this.#host.removeNamespace(child.name);
  }
}

/** Runs every operation on the adapter of each child namespace. */
class ChildrenTarget implements BroadcastTarget {
  readonly #children: ReadonlySet<{ readonly adapter: BroadcastTarget }>;

  constructor(children: ReadonlySet<{ readonly adapter: BroadcastTarget }>) {
    this.#children = children;
  }

  broadcast(packet: Packet, opts: BroadcastOptions): void {
    for (const child of this.#children) settle(child.adapter.broadcast(packet, opts));
  }

  broadcastWithAck(
    packet: Packet,
    opts: BroadcastOptions,
    clientCountCallback: (clientCount: number) => void,
    ack: (...args: unknown[]) => void,
  ): void {
    for (const child of this.#children) settle(child.adapter.broadcastWithAck(packet, opts, clientCountCallback, ack));
  }

  async serverCount(): Promise<number> {
    // each child's adapter reports its client count once per node
    const counts = await Promise.all([...this.#children].map((child) => child.adapter.serverCount()));
    return counts.reduce((sum, count) => sum + count, 0);
  }

  async sockets(rooms: ReadonlySet<Room>): Promise<Set<SocketId>> {
    const all = await Promise.all([...this.#children].map((child) => child.adapter.sockets(rooms)));
    return new Set(all.flatMap((ids) => [...ids]));
  }

  async fetchSockets(opts: BroadcastOptions): Promise<SocketDetails[]> {
    const all = await Promise.all([...this.#children].map((child) => child.adapter.fetchSockets(opts)));
    return all.flat();
  }

  addSockets(opts: BroadcastOptions, rooms: Iterable<Room>): void {
    const list = [...rooms];
    for (const child of this.#children) settle(child.adapter.addSockets(opts, list));
  }

  delSockets(opts: BroadcastOptions, rooms: Iterable<Room>): void {
    const list = [...rooms];
    for (const child of this.#children) settle(child.adapter.delSockets(opts, list));
  }

  disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    for (const child of this.#children) settle(child.adapter.disconnectSockets(opts, close));
  }
}
