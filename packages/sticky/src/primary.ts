// The primary side: it owns the listening socket, reads each new connection only up to its
// request line, and sends the socket to the worker holding the session named by the `sid`
// query parameter, or to the worker the load balancing method picks for a new session.
// Workers report the sessions they open and close, and give a keep-alive connection back
// when its next request belongs elsewhere; the primary then routes it again.
import cluster from "node:cluster";
import type { Worker } from "node:cluster";
import { Server as HttpServer } from "node:http";
import { Server as NetServer } from "node:net";
import type { Socket } from "node:net";
import { Server as TlsServer } from "node:tls";
import createDebug from "debug";
import { Balancer, SessionRegistry } from "./balancer";
import { InvalidArgumentError, STICKY_ERROR_CODES, WrongProcessError } from "./errors";
import { releasePendingHandle } from "./internal/release-pending-handle";
import { stopReading } from "./internal/stop-reading";
import type { ConnectionMessage, WorkerToPrimaryMessage } from "./messages";
import { isWorkerToPrimaryMessage } from "./messages";
import type { LoadBalancingMethod, PrimaryOptions, ResolvedPrimaryOptions } from "./options";
import { resolvePrimaryOptions } from "./options";
import { readRequestLine, sidOf } from "./request-head";

const debug = createDebug("volley:sticky:primary");

const SERVICE_UNAVAILABLE = "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";

/** What {@link setupPrimary} returns: a view of the routing, and a way to stop it. */
export interface StickyPrimary {
  /** The method placing new sessions. */
  readonly loadBalancingMethod: LoadBalancingMethod;
  /** Open Engine.IO sessions by worker id, for every worker ready to be given connections. */
  sessionCounts(): Map<number, number>;
  /** Stops routing: new connections are no longer taken, the http server's own handling is restored. */
  close(): void;
}

/**
 * Sets up sticky routing in the cluster's primary process. Call it before forking the
 * workers, with the (plain http or net) server the primary listens on; each worker calls
 * {@link setupWorker}.
 * @example
 * const httpServer = http.createServer();
 * setupPrimary(httpServer, { loadBalancingMethod: "least-connection" });
 * httpServer.listen(3000);
 * for (let i = 0; i < os.availableParallelism(); i++) cluster.fork();
 * @throws WrongProcessError (`VOLLEY_STICKY_ERR_NOT_PRIMARY`) outside the primary
 * @throws InvalidArgumentError when `httpServer` is not a net/http server, or is a TLS one
 * @throws InvalidOptionError for an unknown option or a wrong value
 */
export function setupPrimary(httpServer: NetServer, options?: PrimaryOptions): StickyPrimary {
  if (!cluster.isPrimary) {
    throw new WrongProcessError(STICKY_ERROR_CODES.NOT_PRIMARY, "setupPrimary() must be called in the cluster's primary process");
  }
  if (!(httpServer instanceof NetServer)) {
    throw new InvalidArgumentError("setupPrimary() takes the http (or net) server the primary listens on");
  }
  if (httpServer instanceof TlsServer) {
    // the primary routes by the request line, which TLS hides: terminate TLS in front of the cluster
    throw new InvalidArgumentError("setupPrimary() cannot route TLS connections: terminate TLS in front of the cluster and give it a plain http server");
  }
  return new PrimaryRouter(httpServer, resolvePrimaryOptions(options));
}

/** Alias of {@link setupPrimary}, the name @socket.io/sticky uses. */
export const setupMaster: typeof setupPrimary = setupPrimary;

class PrimaryRouter implements StickyPrimary {
  readonly #server: NetServer;
  readonly #options: ResolvedPrimaryOptions;
  readonly #registry = new SessionRegistry();
  readonly #balancer: Balancer;
  readonly #removedListeners: Array<(...args: unknown[]) => void> = [];
  /** Sockets given to `send()` whose write has not completed, by worker id. */
  readonly #inFlight = new Map<number, Set<Socket>>();
  /** Connections whose request names a session not reported yet, by sid. */
  readonly #awaiting = new Map<string, Array<{ socket: Socket; data: Buffer; timer: NodeJS.Timeout }>>();
  #closed = false;

  constructor(server: NetServer, options: ResolvedPrimaryOptions) {
    this.#server = server;
    this.#options = options;
    this.#balancer = new Balancer(options.loadBalancingMethod, this.#registry);
    if (server instanceof HttpServer) {
      // The http server's own connection handler would parse (and pause, and time out) the
      // connections the workers are to answer: take it off, by identity with the handler
      // every http.Server installs.
      const httpHandler = new HttpServer().listeners("connection")[0];
      for (const listener of server.listeners("connection")) {
        if (listener === httpHandler) {
          server.removeListener("connection", listener as (...args: unknown[]) => void);
          this.#removedListeners.push(listener as (...args: unknown[]) => void);
        }
      }
    }
    server.on("connection", this.#onConnection);
    cluster.on("message", this.#onMessage);
    cluster.on("exit", this.#onWorkerGone);
    cluster.on("disconnect", this.#onWorkerGone);
    // workers forked before this call announce themselves when asked
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker?.isConnected()) worker.send({ type: "volley:sticky:probe" }, ignoreError);
    }
  }

  get loadBalancingMethod(): LoadBalancingMethod {
    return this.#options.loadBalancingMethod;
  }

  sessionCounts(): Map<number, number> {
    return this.#registry.counts();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#server.removeListener("connection", this.#onConnection);
    for (const listener of this.#removedListeners) this.#server.on("connection", listener);
    cluster.removeListener("message", this.#onMessage);
    cluster.removeListener("exit", this.#onWorkerGone);
    cluster.removeListener("disconnect", this.#onWorkerGone);
    for (const [sid, held] of this.#awaiting) {
      this.#awaiting.delete(sid);
      for (const { socket, data, timer } of held) {
        clearTimeout(timer);
        this.#dispatch(socket, data, undefined);
      }
    }
  }

  readonly #onConnection = (socket: Socket): void => {
    let received: Buffer = Buffer.alloc(0);
    const onTimeout = (): void => {
      debug("no request line within %d ms", this.#options.headersTimeout);
      socket.destroy();
    };
    const onError = (error: Error): void => {
      debug("connection error before routing: %s", error.message);
      socket.destroy();
    };
    const onData = (chunk: Buffer): void => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      const line = readRequestLine(received);
      if (line === undefined && received.length <= this.#options.maxHeaderSize) return;
      const rest = stopReading(socket);
      socket.removeListener("data", onData);
      socket.removeListener("timeout", onTimeout);
      socket.removeListener("error", onError);
      this.#route(socket, rest.length === 0 ? received : Buffer.concat([received, rest]), line === undefined ? undefined : sidOf(line.target));
    };
    socket.setTimeout(this.#options.headersTimeout);
    socket.on("timeout", onTimeout);
    socket.on("error", onError);
    socket.on("data", onData);
  };

  readonly #onMessage = (worker: Worker, message: unknown, handle?: unknown): void => {
    if (!isWorkerToPrimaryMessage(message)) return;
    this.#handle(worker, message, handle);
  };

  #handle(worker: Worker, message: WorkerToPrimaryMessage, handle: unknown): void {
    switch (message.type) {
      case "volley:sticky:ready":
        debug("worker %d is ready", worker.id);
        this.#registry.addWorker(worker.id);
        break;
      case "volley:sticky:session-open": {
        this.#registry.open(worker.id, message.sid);
        const held = this.#awaiting.get(message.sid);
        if (held !== undefined) {
          this.#awaiting.delete(message.sid);
          for (const { socket, data, timer } of held) {
            clearTimeout(timer);
            this.#dispatch(socket, data, message.sid);
          }
        }
        break;
      }
      case "volley:sticky:session-close":
        this.#registry.close(worker.id, message.sid);
        break;
      case "volley:sticky:return": {
        // a keep-alive connection whose next request is not the worker's: route it again
        const socket = handle as Socket | undefined;
        if (socket === undefined || socket === null) return;
        socket.on("error", destroyOnError);
        const data = Buffer.from(message.data, "base64");
        const line = readRequestLine(data);
        socket.removeListener("error", destroyOnError);
        this.#route(socket, data, line === undefined ? undefined : sidOf(line.target));
        break;
      }
    }
  }

  readonly #onWorkerGone = (worker: Worker): void => {
    // sockets still queued for the dead channel would never be written nor closed
    const inFlight = this.#inFlight.get(worker.id);
    if (inFlight !== undefined) {
      this.#inFlight.delete(worker.id);
      for (const socket of inFlight) socket.destroy();
    }
    if (!worker.isConnected()) releasePendingHandle(worker.process);
    if (!this.#registry.hasWorker(worker.id)) return;
    debug("worker %d is gone, its sessions with it", worker.id);
    this.#registry.removeWorker(worker.id);
  };

  #route(socket: Socket, data: Buffer, sid: string | undefined): void {
    if (sid !== undefined && this.#registry.workerOf(sid) === undefined && !this.#closed) {
      // maybe a session whose opening the worker has not reported yet: wait for it a while
      const held = this.#awaiting.get(sid) ?? [];
      const entry = {
        socket,
        data,
        timer: setTimeout(() => {
          const list = this.#awaiting.get(sid);
          const index = list?.indexOf(entry) ?? -1;
          if (list === undefined || index < 0) return;
          list.splice(index, 1);
          if (list.length === 0) this.#awaiting.delete(sid);
          debug("session %s still unknown after %d ms", sid, this.#options.sessionLookupTimeout);
          this.#dispatch(socket, data, sid);
        }, this.#options.sessionLookupTimeout),
      };
      socket.on("error", destroyOnError);
      held.push(entry);
      this.#awaiting.set(sid, held);
      return;
    }
    this.#dispatch(socket, data, sid);
  }

  #dispatch(socket: Socket, data: Buffer, sid: string | undefined): void {
    const owner = sid === undefined ? undefined : this.#registry.workerOf(sid);
    const workerId = owner ?? this.#balancer.pick();
    const worker = workerId === undefined ? undefined : cluster.workers?.[workerId];
    if (worker === undefined || !worker.isConnected()) {
      debug("no worker ready: 503");
      socket.on("error", destroyOnError);
      socket.end(SERVICE_UNAVAILABLE);
      return;
    }
    debug("connection to worker %d (sid %s)", worker.id, sid ?? "none");
    const message: ConnectionMessage = { type: "volley:sticky:connection", data: data.toString("base64") };
    let inFlight = this.#inFlight.get(worker.id);
    if (inFlight === undefined) this.#inFlight.set(worker.id, (inFlight = new Set()));
    inFlight.add(socket);
    worker.send(message, socket, { keepOpen: false }, (error: Error | null) => {
      inFlight.delete(socket);
      if (error) {
        debug("could not hand the connection to worker %d: %s", worker.id, error.message);
        socket.destroy();
      }
    });
  }
}

function destroyOnError(this: Socket): void {
  this.destroy();
}

function ignoreError(): void {
  // the worker is going away; its exit is handled on its own
}
