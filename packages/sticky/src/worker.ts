// The worker side: it takes the connections the primary sends, lets their requests through
// to the Socket.IO server's HTTP server (see WorkerConnection), and reports the Engine.IO
// sessions it opens and closes so that the primary can route their requests here.
import cluster from "node:cluster";
import type { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import createDebug from "debug";
import { ConnectionFacade } from "./connection-facade";
import { InvalidArgumentError, STICKY_ERROR_CODES, WrongProcessError } from "./errors";
import type { ReturnMessage, WorkerToPrimaryMessage } from "./messages";
import { isPrimaryToWorkerMessage } from "./messages";
import type { ResolvedWorkerOptions, WorkerOptions } from "./options";
import { resolveWorkerOptions } from "./options";
import type { WorkerHost } from "./worker-connection";
import { WorkerConnection } from "./worker-connection";

const debug = createDebug("volley:sticky:worker");

/** What sticky routing needs of an Engine.IO session: its id and its end. */
export interface StickyEngineSocket {
  readonly id: string;
  once(event: "close", listener: (...args: never[]) => void): unknown;
}

/** What sticky routing needs of an Engine.IO server: its new sessions. */
export interface StickyEngine {
  on(event: "connection", listener: (socket: StickyEngineSocket) => void): unknown;
  removeListener(event: "connection", listener: (socket: StickyEngineSocket) => void): unknown;
}

/**
 * What {@link setupWorker} needs of a Socket.IO server: the http server it is attached to
 * (which never listens in a worker: the primary sends it the connections) and its Engine.IO
 * server. A `@volley/server` Server and a published `socket.io` Server both fit.
 */
export interface StickyServer {
  readonly httpServer?: EventEmitter | null | undefined;
  readonly engine?: StickyEngine | null | undefined;
}

/** What {@link setupWorker} returns. */
export interface StickyWorker {
  /** The Engine.IO sessions this worker holds, as reported to the primary. */
  readonly sessions: ReadonlySet<string>;
  /** Stops taking connections from the primary (those already taken go on). */
  close(): void;
}

/**
 * Sets up sticky routing in a cluster worker, for a Socket.IO server attached to an http
 * server that does not listen (the primary, set up with {@link setupPrimary}, sends it the
 * connections).
 * @example
 * const httpServer = http.createServer();
 * const io = new Server(httpServer);
 * setupWorker(io);
 * @throws WrongProcessError (`VOLLEY_STICKY_ERR_NOT_WORKER`) outside a cluster worker
 * @throws InvalidArgumentError when the server is not attached to an http server
 * @throws InvalidOptionError for an unknown option or a wrong value
 */
export function setupWorker(io: StickyServer, options?: WorkerOptions): StickyWorker {
  if (!cluster.isWorker || typeof process.send !== "function") {
    throw new WrongProcessError(STICKY_ERROR_CODES.NOT_WORKER, "setupWorker() must be called in a cluster worker");
  }
  const httpServer = io?.httpServer;
  const engine = io?.engine;
  if (httpServer === null || httpServer === undefined || typeof httpServer.emit !== "function") {
    throw new InvalidArgumentError("setupWorker() takes a Socket.IO server attached to an http server (new Server(httpServer))");
  }
  if (engine === null || engine === undefined || typeof engine.on !== "function") {
    throw new InvalidArgumentError("setupWorker() takes a Socket.IO server attached to an http server: its Engine.IO server is missing");
  }
  return new WorkerRouter(httpServer, engine, resolveWorkerOptions(options));
}

class WorkerRouter implements StickyWorker, WorkerHost {
  readonly httpServer: EventEmitter;
  readonly options: ResolvedWorkerOptions;
  readonly #engine: StickyEngine;
  readonly #sessions = new Set<string>();
  #closed = false;

  constructor(httpServer: EventEmitter, engine: StickyEngine, options: ResolvedWorkerOptions) {
    this.httpServer = httpServer;
    this.#engine = engine;
    this.options = options;
    engine.on("connection", this.#onSession);
    httpServer.on("request", this.#onRequest);
    process.on("message", this.#onMessage);
    send({ type: "volley:sticky:ready" });
  }

  get sessions(): ReadonlySet<string> {
    return this.#sessions;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    process.removeListener("message", this.#onMessage);
    this.#engine.removeListener("connection", this.#onSession);
  }

  giveBack(socket: Socket, data: Buffer): void {
    const message: ReturnMessage = { type: "volley:sticky:return", data: data.toString("base64") };
    socket.on("error", destroyOnError);
    if (!process.connected || typeof process.send !== "function") {
      socket.destroy();
      return;
    }
    process.send(message, socket, { keepOpen: false }, (error: Error | null) => {
      if (error) {
        debug("could not give the connection back: %s", error.message);
        socket.destroy();
      }
    });
  }

  readonly #onSession = (socket: StickyEngineSocket): void => {
    const sid = socket.id;
    this.#sessions.add(sid);
    send({ type: "volley:sticky:session-open", sid });
    socket.once("close", () => {
      this.#sessions.delete(sid);
      send({ type: "volley:sticky:session-close", sid });
    });
  };

  readonly #onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.socket instanceof ConnectionFacade) req.socket.trackResponse(res);
  };

  readonly #onMessage = (message: unknown, handle: unknown): void => {
    if (!isPrimaryToWorkerMessage(message)) return;
    if (message.type === "volley:sticky:probe") {
      send({ type: "volley:sticky:ready" });
      return;
    }
    const socket = handle as Socket | undefined;
    // the client may have gone while its socket was on its way
    if (socket === undefined || socket === null) return;
    new WorkerConnection(socket, Buffer.from(message.data, "base64"), this);
  };
}

function send(message: WorkerToPrimaryMessage): void {
  if (process.connected && typeof process.send === "function") process.send(message, undefined, {}, ignoreError);
}

function ignoreError(): void {
  // the primary is going away: nothing to report to
}

function destroyOnError(this: Socket): void {
  this.destroy();
}
