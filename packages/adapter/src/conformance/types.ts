// The small structural shapes the adapter conformance kit needs of a server, of the
// sockets it hands out and of a client. Declared here so that the kit depends on neither
// @volley/server nor any client package: a Volley `Server` and a `socket.io-client`
// socket fit them as they are.

/** A listener the kit registers; arguments are checked by the kit before use. */
export type ConformanceListener = (...args: unknown[]) => void;

/** The broadcast side of a server (`io`, `io.to(room)`, `io.except(room)`, `io.timeout(ms)`). */
export interface ConformanceBroadcaster {
  /** Sends to the matching clients of every node; a function as last argument collects acks (`(err, responses)`). */
  emit(event: string, ...args: unknown[]): unknown;
  /** Narrows to the sockets in `room` (or in any of `room`). */
  to(room: string | string[]): ConformanceBroadcaster;
  /** Leaves out the sockets in `room` (or in any of `room`). */
  except(room: string | string[]): ConformanceBroadcaster;
  /** Waits at most `timeoutMs` for acknowledgements. */
  timeout(timeoutMs: number): ConformanceBroadcaster;
  /** Only the sockets of this node. */
  readonly local: ConformanceBroadcaster;
  /** Snapshots of the matching sockets of every node. */
  fetchSockets(): Promise<ConformanceRemoteSocket[]>;
  /** Makes the matching sockets of every node join `room`. */
  socketsJoin(room: string | string[]): void;
  /** Makes the matching sockets of every node leave `room`. */
  socketsLeave(room: string | string[]): void;
  /** Disconnects the matching sockets of every node. */
  disconnectSockets(close?: boolean): void;
}

/** A server of the cluster: its main namespace `/` is what the kit exercises. */
export interface ConformanceServer extends ConformanceBroadcaster {
  /** `connection` (with a {@link ConformanceServerSocket}) and server-side events sent by other nodes. */
  on(event: string, listener: ConformanceListener): unknown;
  /**
   * Sends an event to the listeners of the other nodes. With a function as last argument,
   * it is called once with `(null, responses)` (one per other node), or with an error and
   * the responses received so far when not every node answered in time.
   */
  serverSideEmit(event: string, ...args: unknown[]): unknown;
}

/** A socket as the server hands it to `connection` listeners. */
export interface ConformanceServerSocket {
  readonly id: string;
  readonly rooms: ReadonlySet<string>;
  /** Whether this socket's state was recovered (connection state recovery). */
  readonly recovered: boolean;
  data: unknown;
  join(room: string | string[]): unknown;
  /** `disconnect` (with the reason). */
  on(event: string, listener: ConformanceListener): unknown;
  off(event: string, listener: ConformanceListener): unknown;
}

/** A socket snapshot returned by `fetchSockets()`, possibly of another node. */
export interface ConformanceRemoteSocket {
  readonly id: string;
  readonly rooms: ReadonlySet<string>;
  readonly data: unknown;
  emit(event: string, ...args: unknown[]): unknown;
}

/**
 * A Socket.IO client socket (a `socket.io-client` `Socket` fits): connected to the main
 * namespace of one node.
 */
export interface ConformanceClient {
  /** The socket id once connected. */
  readonly id: string | undefined;
  readonly connected: boolean;
  /** Whether the last connection recovered the previous session. */
  readonly recovered: boolean;
  /** `connect`, `disconnect` (with the reason) and events from the server (an ack function last when asked for one). */
  on(event: string, listener: ConformanceListener): unknown;
  off(event: string, listener: ConformanceListener): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  /** Leaves for good: the server forgets its session. */
  disconnect(): unknown;
  /**
   * Connects again after the transport dropped, sending the previous session id and
   * offset so that the server may recover the session (what `socket.connect()` of
   * `socket.io-client` does).
   */
  connect(): unknown;
  /** The connection manager: `io.engine.close()` drops the transport as a network failure would. */
  readonly io: { readonly engine: { close(): unknown } };
}

/** What `createCluster` is asked for. */
export interface CreateClusterOptions {
  /**
   * Turn connection state recovery on in every server, with a `maxDisconnectionDuration`
   * of at least a few seconds.
   */
  connectionStateRecovery: boolean;
}

/** Servers started by the caller's factory, connected to each other through the adapter under test. */
export interface ConformanceCluster {
  /** One server per node, in the order of `urls`. */
  readonly servers: readonly ConformanceServer[];
  /** The URL a client connects to, one per node (`http://127.0.0.1:port`). */
  readonly urls: readonly string[];
  /**
   * Stops node `index` as a shutdown would: its server and adapter close and its clients
   * are cut. Resolves once it is stopped; the other nodes keep running.
   */
  stop(index: number): Promise<void>;
  /** Stops every node still running (nodes already stopped included without error). */
  close(): Promise<void>;
}

/** What `connect` is told. */
export interface ConnectOptions {
  /** The index of the node `url` belongs to. */
  node: number;
}

/** What the caller gives the kit: how to start a cluster and how to connect a client. */
export interface AdapterConformanceHarness {
  /**
   * How many nodes the clusters have. 1 for a single-server adapter (cases that need
   * several nodes are then reported as not applicable), 3 is a good choice for a
   * multi-node adapter.
   */
  nodes: number;
  /**
   * Starts `nodes` servers using the adapter under test, on fresh channels (no message
   * from an earlier cluster may reach them), and resolves once every node knows every
   * other (a broadcast from any node reaches the clients of all). Every case starts its own
   * cluster and closes it.
   */
  createCluster(nodes: number, options: CreateClusterOptions): Promise<ConformanceCluster>;
  /**
   * Starts connecting a client to the main namespace at `url` (not waiting for
   * `connect`). The client must not reconnect by itself (with `socket.io-client`:
   * `reconnection: false`, `forceNew: true`): the kit calls `connect()` when it wants it to.
   */
  connect(url: string, options: ConnectOptions): ConformanceClient;
  /**
   * Points `client` at `url` (another node) for its next `connect()`, keeping its session
   * id and offset, as a client behind a load balancer that lands on another node. With
   * `socket.io-client`: `(client.io as unknown as { uri: string }).uri = url`. Without it,
   * the case that recovers a client on another node is not applicable.
   */
  moveClient?(client: ConformanceClient, url: string): void;
}
