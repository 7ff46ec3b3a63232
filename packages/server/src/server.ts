// The Socket.IO server: attaches an Engine.IO server to an http server, creates a Client
// for each Engine.IO connection, and holds the namespaces. Broadcast methods act on the
// main namespace ("/").
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { Server as HttpsServer } from "node:https";
import type { Adapter, AdapterConstructor } from "@volley/adapter";
import { Server as EngineServer, type Socket as EngineSocket } from "@volley/engine-server";
import type { ParserDecoder, ParserEncoder } from "@volley/parser";
import createDebug from "debug";
import { BroadcastMethods } from "./broadcast-methods";
import { settle, type BroadcastOperator } from "./broadcast-operator";
import { Client } from "./client";
import { InvalidArgumentError } from "./errors";
import type { ConnectableNamespace, ConnectionHost } from "./internal/contracts";
import { DecoderPool } from "./internal/decoder-pool";
import { EngineListeners } from "./internal/engine-listeners";
import { kAddChild, kBroadcastOperator, kInitAdapter, kMatch, kMatchesName, kResolveNamespace } from "./internal/symbols";
import { Namespace, type NamespaceHost, type NamespaceMiddleware, type NamespaceReservedEvents } from "./namespace";
import {
  bool,
  duration,
  resolveAdapter,
  resolvePath,
  resolveServerOptions,
  type ResolvedServerOptions,
  type ServerAdapterOption,
  type ServerOptions,
} from "./options";
import { ParentNamespace, type NamespaceAuthorizer } from "./parent-namespace";
import { ClientFileStore, clientFileName } from "./serve-client";
import type { Socket } from "./socket";
import type { TypedListeners } from "./typed-emitter";
import type {
  AllButLast,
  DecorateBroadcastAcknowledgements,
  DefaultEventsMap,
  EventNames,
  EventNamesWithAck,
  EventParams,
  EventsMap,
} from "./typed-events";

const debug = createDebug("volley:server");

/** The events the server emits itself (plus those of its main namespace). */
export interface ServerReservedEvents<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  ServerSideEvents extends EventsMap,
  SocketData,
> extends NamespaceReservedEvents<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
  /** A namespace was created (by `of(name)`, or as the child of a parent namespace). */
  new_namespace: (namespace: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void;
}

/** An http or https server to attach to. */
export type AttachableServer = HttpServer | HttpsServer;

/**
 * A Socket.IO 4 compatible server. `emit` and the other broadcast methods target every
 * socket of the main namespace ("/").
 * @example
 * const io = new Server(httpServer, { cors: { origin: "*" } });
 * io.on("connection", (socket) => socket.emit("hello", "world"));
 */
export class Server<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = unknown,
> extends BroadcastMethods<ServerReservedEvents<ListenEvents, EmitEvents, ServerSideEvents, SocketData>, ServerSideEvents, EmitEvents, SocketData> {
  /** The main namespace ("/"). */
  readonly sockets: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  /** The encoder of the configured parser, shared by every namespace. */
  readonly encoder: ParserEncoder;
  /** The http server attached to, if any. */
  httpServer: AttachableServer | undefined;
  #options: ResolvedServerOptions;
  #engine: EngineServer | undefined;
  readonly #namespaces = new Map<string, Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();
  readonly #parents: Array<ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> = [];
  readonly #namespaceHost: NamespaceHost;
  readonly #connectionHost: ConnectionHost;
  #closed = false;
  /** {@link opts}, built once per options object. */
  #givenOptions: [ResolvedServerOptions, Readonly<ServerOptions>] | undefined;
  readonly #clientFiles = new ClientFileStore();

  /**
   * `new Server()`, `new Server(options)`, `new Server(httpServer, options)` or
   * `new Server(port, options)` (an http server is created and listens on the port).
   * @throws InvalidOptionError for an invalid option
   */
  constructor(options?: ServerOptions);
  constructor(server: AttachableServer | number | undefined, options?: ServerOptions);
  constructor(serverOrOptions?: AttachableServer | number | ServerOptions, maybeOptions: ServerOptions = {}) {
    super();
    const isOptions = typeof serverOrOptions === "object" && serverOrOptions !== null && !isAttachable(serverOrOptions);
    const options = isOptions ? (serverOrOptions as ServerOptions) : maybeOptions;
    this.#options = resolveServerOptions(options);
    const parser = this.#options.parser;
    this.encoder = new parser.Encoder();
    const self = this;
    this.#namespaceHost = {
      server: this,
      encoder: this.encoder,
      get adapterConstructor() {
        return self.#options.adapter;
      },
      connectionStateRecovery: this.#options.connectionStateRecovery,
      cleanupEmptyChildNamespaces: this.#options.cleanupEmptyChildNamespaces,
    };
    this.#connectionHost = {
      encoder: this.encoder,
      decoders: new DecoderPool((): ParserDecoder => new parser.Decoder()),
      engineListeners: new EngineListeners(),
      get connectTimeoutMs() {
        return self.#options.connectTimeout;
      },
      get maxNamespacesPerConnection() {
        return self.#options.maxNamespacesPerConnection;
      },
      [kResolveNamespace]: (name, auth) => this.#resolveNamespace(name, auth),
    };
    this.sockets = new Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>("/", this.#namespaceHost, undefined, this as TypedListeners<EventsMap, EventsMap>);
    this.#namespaces.set("/", this.sockets);
    if (!isOptions && serverOrOptions !== undefined) this.attach(serverOrOptions as AttachableServer | number);
  }

  /** The Engine.IO server, once attached or bound. */
  get engine(): EngineServer | undefined {
    return this.#engine;
  }

  /** Alias of {@link engine}, the name socket.io uses inside its server. */
  get eio(): EngineServer | undefined {
    return this.#engine;
  }

  /**
   * The namespaces by name, as socket.io's `io._nsps`: the same map as {@link namespaces},
   * mutable as socket.io's is (`io._nsps.delete(name)` forgets a namespace).
   */
  get _nsps(): Map<string, Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> {
    return this.#namespaces;
  }

  /**
   * The options given (the constructor's, with those of later `attach()` calls merged over
   * them), `connectionStateRecovery` with its defaults filled in when it is on, as
   * socket.io's `io.opts`: adapters written for socket.io-adapter read
   * `nsp.server.opts.connectionStateRecovery`.
   */
  get opts(): Readonly<ServerOptions> {
    const options = this.#options;
    if (this.#givenOptions?.[0] !== options) this.#givenOptions = [options, givenOptions(options)];
    return this.#givenOptions[1];
  }

  /** Alias of {@link opts}, socket.io's name for it. */
  get _opts(): Readonly<ServerOptions> {
    return this.opts;
  }

  /** The path the server captures. */
  path(): string;
  /** Sets the path for the next `attach()`. */
  path(value: string): this;
  path(value?: string): string | this {
    if (value === undefined) return this.#options.path;
    this.#options = Object.freeze({ ...this.#options, path: resolvePath(value) });
    return this;
  }

  /** Whether client bundle URLs are answered (with a 404 pointing to @volley/client). */
  serveClient(): boolean;
  serveClient(value: boolean): this;
  serveClient(value?: boolean): boolean | this {
    if (value === undefined) return this.#options.serveClient;
    this.#options = Object.freeze({ ...this.#options, serveClient: bool("serveClient", value) });
    return this;
  }

  /** Milliseconds a client may take to connect to a namespace. */
  connectTimeout(): number;
  connectTimeout(value: number): this;
  connectTimeout(value?: number): number | this {
    if (value === undefined) return this.#options.connectTimeout;
    this.#options = Object.freeze({ ...this.#options, connectTimeout: duration("connectTimeout", value) });
    return this;
  }

  /** The adapter class. */
  adapter(): ServerAdapterOption;
  /** Sets the adapter class; every existing namespace gets a new adapter of that class. */
  adapter(value: ServerAdapterOption): this;
  adapter(value?: ServerAdapterOption): ServerAdapterOption | this {
    if (value === undefined) return this.#options.adapter;
    this.#options = Object.freeze({
      ...this.#options,
      adapter: resolveAdapter(value, this.#options.connectionStateRecovery !== false),
    });
    for (const namespace of this.#namespaces.values()) namespace[kInitAdapter]();
    return this;
  }

  /**
   * Attaches to an http(s) server, or creates one listening on `port`. Options given here
   * are merged over the constructor's.
   */
  attach(server: AttachableServer | number, options: ServerOptions = {}): this {
    if (typeof server === "function") throw new InvalidArgumentError("attach() takes an http server or a port, not a function");
    this.#options = resolveServerOptions({ ...this.#options.engine, ...options, ...this.#ownOptions(options) });
    let httpServer: AttachableServer;
    if (typeof server === "number" || (typeof server === "string" && Number(server) === Number(server))) {
      httpServer = createServer((_req, res) => {
        res.writeHead(404);
        res.end();
      });
      httpServer.listen(Number(server));
    } else if (isAttachable(server)) {
      httpServer = server;
    } else {
      throw new InvalidArgumentError("attach() takes an http server or a port");
    }
    debug("attaching to an http server at %s", this.#options.path);
    const engine = new EngineServer(this.#options.engine);
    engine.attach(httpServer as HttpServer, this.#options.engine);
    this.#captureClientBundle(httpServer);
    this.httpServer = httpServer;
    this.bind(engine);
    return this;
  }

  /** Alias of {@link attach}. */
  listen(server: AttachableServer | number, options: ServerOptions = {}): this {
    return this.attach(server, options);
  }

  /** Uses an Engine.IO server created elsewhere (its `connection` events). */
  bind(engine: EngineServer): this {
    // a server closed and then attached again serves again
    this.#closed = false;
    this.#engine = engine;
    engine.on("connection", (conn: EngineSocket) => {
      if (this.#closed || this.#engine !== engine) {
        conn.close();
        return;
      }
      new Client(this.#connectionHost, conn);
    });
    return this;
  }

  /**
   * The namespace `name` (created on first use), or a parent namespace that creates child
   * namespaces for the names a RegExp or a function accepts. `listener` is added to its
   * `connection` event.
   */
  of(
    name: string,
    listener?: (socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void,
  ): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  of(
    name: RegExp | NamespaceAuthorizer,
    listener?: (socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void,
  ): ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  of(
    name: string | RegExp | NamespaceAuthorizer,
    listener?: (socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void,
  ):
    | Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
    | ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    if (typeof name === "function" || name instanceof RegExp) {
      const parent = new ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>(
        `/_${this.#parents.length}`,
        name,
        {
          server: this,
          removeNamespace: (childName) => this.#removeNamespace(childName),
          createChild: (childParent, childName) => this.#createChild(childParent, childName),
        },
      );
      this.#parents.push(parent);
      if (listener !== undefined) parent.on("connection", listener);
      return parent;
    }
    if (typeof name !== "string") throw new InvalidArgumentError("a namespace name must be a string, a RegExp or a function");
    const normalized = name.startsWith("/") ? name : `/${name}`;
    let namespace = this.#namespaces.get(normalized);
    if (namespace === undefined) {
      // as socket.io: a name that a RegExp parent matches becomes its child (a function
      // parent, which needs the client's auth, is asked only when a client connects)
      const parent = this.#parents.find((candidate) => candidate[kMatchesName](normalized));
      if (parent !== undefined) namespace = this.#createChild(parent, normalized);
    }
    if (namespace === undefined) {
      namespace = new Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>(normalized, this.#namespaceHost);
      this.#namespaces.set(normalized, namespace);
      debug("namespace %s created", normalized);
      this.emitReserved("new_namespace", namespace);
    }
    if (listener !== undefined) namespace.on("connection", listener);
    return namespace;
  }

  /** The namespaces, by name (the children of parent namespaces included). */
  get namespaces(): ReadonlyMap<string, Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> {
    return this.#namespaces;
  }

  /**
   * Closes every connection ("server shutting down"), the adapters, the Engine.IO server and
   * the http server. Resolves (and calls `callback`) once the http server closed; `callback`
   * gets the http server's error, such as `ERR_SERVER_NOT_RUNNING` when it was not
   * listening. `attach()` or `listen()` afterwards serves again.
   */
  close(callback?: (err?: Error) => void): Promise<void> {
    this.#closed = true;
    this.#engine?.close();
    const adapterCloses: Promise<void>[] = [];
    for (const namespace of this.#namespaces.values()) {
      // sockets of connections this server's engine does not own
      for (const socket of [...namespace.sockets.values()]) socket.disconnect(true);
      const closing = namespace.adapter.close();
      if (closing instanceof Promise) adapterCloses.push(closing.catch((error: unknown) => debug("adapter close failed: %O", error)));
    }
    const httpServer = this.httpServer;
    // As socket.io: resolves once every adapter has closed (a multi-node adapter says goodbye
    // to the others and unsubscribes), so its clients may be closed right after.
    return Promise.all(adapterCloses).then(() => this.#closeHttpServer(httpServer, callback));
  }

  #closeHttpServer(httpServer: HttpServer | undefined, callback: ((err?: Error) => void) | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (err?: Error): void => {
        callback?.(err);
        resolve();
      };
      if (httpServer === undefined) {
        done();
        return;
      }
      const wasListening = httpServer.listening;
      // not listening: node answers ERR_SERVER_NOT_RUNNING, which socket.io hands over too
      httpServer.close((err) => done(err));
      if (!wasListening) return;
      // the engine has answered every pending request; what is still open after the
      // writes are flushed (a client's abandoned request) would keep the server open
      setImmediate(() => (httpServer as HttpServer).closeAllConnections());
    });
  }

  /** Adds a connection middleware to the main namespace. */
  use(middleware: NamespaceMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): this {
    this.sockets.use(middleware);
    return this;
  }

  /** Sends an event to the other nodes of the cluster (main namespace). */
  serverSideEmit<Ev extends EventNames<ServerSideEvents>>(
    event: Ev,
    ...args: EventParams<DecorateBroadcastAcknowledgements<ServerSideEvents>, Ev & EventNames<DecorateBroadcastAcknowledgements<ServerSideEvents>>>
  ): boolean {
    return this.sockets.serverSideEmit(event, ...args);
  }

  /** Sends an event to the other nodes and resolves with their responses. */
  serverSideEmitWithAck<Ev extends EventNamesWithAck<ServerSideEvents>>(
    event: Ev,
    ...args: AllButLast<EventParams<ServerSideEvents, Ev>>
  ): Promise<unknown[]> {
    return this.sockets.serverSideEmitWithAck(event, ...args);
  }

  /** @internal BroadcastMethods: every socket of the main namespace */
  [kBroadcastOperator](): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets[kBroadcastOperator]();
  }

  async #resolveNamespace(name: string, auth: unknown): Promise<ConnectableNamespace | undefined> {
    const existing = this.#namespaces.get(name);
    if (existing !== undefined) return existing;
    for (const parent of this.#parents) {
      if (!(await parent[kMatch](name, auth))) continue;
      // another client may have created it while the authorizer ran
      return this.#namespaces.get(name) ?? this.#createChild(parent, name);
    }
    return undefined;
  }

  #createChild(
    parent: ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    name: string,
  ): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    const child = new Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>(name, this.#namespaceHost, parent);
    parent[kAddChild](child);
    this.#namespaces.set(name, child);
    debug("child namespace %s created by %s", name, parent.name);
    this.emitReserved("new_namespace", child);
    return child;
  }

  #removeNamespace(name: string): void {
    const namespace = this.#namespaces.get(name);
    if (namespace === undefined || name === "/") return;
    this.#namespaces.delete(name);
    settle(namespace.adapter.close());
  }

  /** The Volley options given to attach() that override the resolved ones. */
  #ownOptions(options: ServerOptions): ServerOptions {
    const o = this.#options;
    return {
      path: options.path ?? o.path,
      serveClient: options.serveClient ?? o.serveClient,
      adapter: options.adapter ?? o.adapter,
      parser: o.parser,
      connectTimeout: options.connectTimeout ?? o.connectTimeout,
      connectionStateRecovery: o.connectionStateRecovery,
      cleanupEmptyChildNamespaces: o.cleanupEmptyChildNamespaces,
      maxNamespacesPerConnection: options.maxNamespacesPerConnection ?? o.maxNamespacesPerConnection,
    };
  }

  /** Answers client bundle URLs before the engine sees them (see serve-client.ts). */
  #captureClientBundle(httpServer: AttachableServer): void {
    const listeners = httpServer.listeners("request").slice() as Array<(...args: unknown[]) => void>;
    httpServer.removeAllListeners("request");
    httpServer.on("request", (req, res) => {
      const name = this.#options.serveClient ? clientFileName(this.#options.path, req.url) : undefined;
      if (name === undefined) {
        for (const listener of listeners) listener.call(httpServer, req, res);
        return;
      }
      // The CORS headers of the engine's origin policy: the files are public (a script tag
      // sends no Origin), so a refused origin gets them without headers granting it anything.
      const policy = this.#engine?.originPolicy;
      if (policy === undefined || !policy.enabled) this.#clientFiles.serve(name, req, res);
      else policy.handle(req as IncomingMessage, res as ServerResponse, () => this.#clientFiles.serve(name, req, res));
    });
  }
}

function isAttachable(value: unknown): value is AttachableServer {
  return typeof value === "object" && value !== null && typeof (value as { listen?: unknown }).listen === "function";
}

/** What `io.opts` shows of the resolved options: those given, recovery with its defaults. */
function givenOptions(options: ResolvedServerOptions): Readonly<ServerOptions> {
  const recovery = options.connectionStateRecovery;
  const given = { ...(options.engine as ServerOptions) };
  if (recovery !== false) given.connectionStateRecovery = recovery;
  return Object.freeze(given);
}
