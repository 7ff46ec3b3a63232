import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import type { IncomingMessage, OutgoingHttpHeaders, Server as HttpServer, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { serialize } from "cookie";
import corsMiddleware from "cors";
import createDebug from "debug";
import { ConnectionError, ERROR_CODES, type ConnectionErrorContext, type EngineErrorCode } from "./errors";
import type { ServerEventMap } from "./events";
import { connectionChannel, connectionErrorChannel } from "./internal/diagnostics";
import { createHeartbeatQueues } from "./internal/heartbeat";
import type { EngineHost } from "./internal/host";
import { runMiddlewares, UpgradeResponse, type Middleware } from "./internal/middleware";
import { RecentFrames } from "./internal/recent-frames";
import { prepareRequest, refuseUpgrade, sendHttpError, type EngineRequest } from "./internal/request";
import { kMaybeUpgrade, kOpen, kSessionId, kTerminate, kUpgradeResponse } from "./internal/symbols";
import {
  resolveAttachOptions,
  resolveServerOptions,
  type AttachOptions,
  type ResolvedServerOptions,
  type ServerOptions,
  type WebSocketLike,
  type WebSocketServerLike,
} from "./options";
import { Socket } from "./socket";
import { PollingTransport } from "./transports/polling";
import { WebSocketTransport } from "./transports/websocket";

const debug = createDebug("volley:engine-server:server");

type Refusal = { code: EngineErrorCode; context: ConnectionErrorContext };
type TaggedRequest = EngineRequest & { [kSessionId]?: string; [kUpgradeResponse]?: UpgradeResponse };

// RFC 7230 field-value characters: an Origin with anything else is refused (header injection)
const INVALID_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * The Engine.IO server: handshakes, sessions, polling and WebSocket transports. Attach it
 * to an http(s) server with {@link Server.attach}, or route requests to
 * {@link Server.handleRequest} and {@link Server.handleUpgrade} yourself.
 */
export class Server extends EventEmitter<ServerEventMap> {
  /** The options after defaults and validation. */
  readonly opts: ResolvedServerOptions;
  /** Open sessions by id. */
  readonly clients: Record<string, Socket> = Object.create(null) as Record<string, Socket>;
  /** The http server created by {@link listen}, or given to {@link Server.attach}. */
  httpServer: HttpServer | undefined;
  readonly #middlewares: Middleware[] = [];
  readonly #host: EngineHost;
  #clientsCount = 0;
  #wsServer: WebSocketServerLike | undefined;
  readonly #pendingUpgrades = new Map<Duplex, NodeJS.Timeout>();
  readonly #recentFrames = new RecentFrames();

  constructor(options: ServerOptions = {}) {
    super();
    this.opts = resolveServerOptions(options);
    const cookie = this.opts.cookie;
    this.#host = {
      server: this,
      opts: this.opts,
      heartbeats: createHeartbeatQueues(this.opts),
      emitHeaders: (headers: OutgoingHttpHeaders, req: EngineRequest) => {
        if (req._query["sid"] === undefined) {
          const id = (req as TaggedRequest)[kSessionId];
          if (cookie !== false && id !== undefined) headers["Set-Cookie"] = [serialize(cookie.name, id, cookie)];
          this.emit("initial_headers", headers, req);
        }
        this.emit("headers", headers, req);
      },
      removeSession: (socket: Socket) => {
        if (this.clients[socket.id] === socket) {
          delete this.clients[socket.id];
          this.#clientsCount--;
        }
      },
    };
    if (this.opts.cors !== false) this.use(corsMiddleware(this.opts.cors) as Middleware);
  }

  /** Number of open sessions. */
  get clientsCount(): number {
    return this.#clientsCount;
  }

  /**
   * Adds a Connect/Express-style middleware, run on every HTTP request and every upgrade
   * before the Engine.IO checks. For an upgrade, `res` collects headers for the 101
   * response; ending it refuses the upgrade with that response.
   */
  use(middleware: Middleware): this {
    this.#middlewares.push(middleware);
    return this;
  }

  /**
   * Makes a session id: 15 random bytes, base64url (20 characters). Override it for your
   * own ids; it may return a Promise. A rejected or duplicate id refuses the handshake.
   */
  generateId(req: IncomingMessage): string | Promise<string> {
    void req;
    return randomBytes(15).toString("base64url");
  }

  /** Handles an Engine.IO HTTP request (polling GET/POST). */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const request = prepareRequest(req);
    debug("%s %s", req.method, req.url);
    if (this.#middlewares.length === 0) {
      this.#onRequest(request, res);
      return;
    }
    runMiddlewares(this.#middlewares, request, res, (err) => {
      if (err === undefined) this.#onRequest(request, res);
      else this.#refuseRequest(request, res, { code: ERROR_CODES.BAD_REQUEST, context: { name: "MIDDLEWARE_FAILURE", error: err } });
    });
  }

  /** Handles an HTTP upgrade request (WebSocket). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const request = prepareRequest(req) as TaggedRequest;
    debug("upgrade %s", req.url);
    // the first bytes of the WebSocket stream: copied, Node may reuse the buffer
    const firstBytes = head.length > 0 ? Buffer.from(head) : head;
    if (this.#middlewares.length === 0) {
      this.#onUpgrade(request, socket, firstBytes);
      return;
    }
    const res = new UpgradeResponse(socket);
    request[kUpgradeResponse] = res;
    runMiddlewares(this.#middlewares, request, res as unknown as ServerResponse, (err) => {
      if (res.writableEnded) return;
      if (err === undefined) this.#onUpgrade(request, socket, firstBytes);
      else this.#refuseUpgrade(request, socket, { code: ERROR_CODES.BAD_REQUEST, context: { name: "MIDDLEWARE_FAILURE", error: err } });
    });
  }

  /**
   * Captures the requests and upgrades of `server` whose path is ours; other requests go to
   * the server's other listeners, other upgrades are destroyed after destroyUpgradeTimeout.
   */
  attach(server: HttpServer, options: AttachOptions = {}): this {
    const resolved = resolveAttachOptions(options, this.opts);
    const matches = pathMatcher(resolved.path, resolved.addTrailingSlash);
    this.httpServer ??= server;
    const others = server.listeners("request").slice() as Array<(req: IncomingMessage, res: ServerResponse) => void>;
    server.removeAllListeners("request");
    server.on("close", () => this.close());
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      if (matches(req.url)) {
        this.handleRequest(req, res);
        return;
      }
      for (const listener of others) listener.call(server, req, res);
    });
    if (this.opts.transports.includes("websocket")) {
      server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        if (matches(req.url)) this.handleUpgrade(req, socket, head);
        else if (resolved.destroyUpgrade) this.#destroyLater(socket, resolved.destroyUpgradeTimeout);
      });
    }
    return this;
  }

  /** Closes every session ("server shutting down") and the WebSocket server. */
  close(): this {
    debug("closing %d sessions", this.#clientsCount);
    for (const id of Object.keys(this.clients)) this.clients[id]![kTerminate]("server shutting down");
    for (const [socket, timer] of this.#pendingUpgrades) {
      clearTimeout(timer);
      socket.destroy();
    }
    this.#pendingUpgrades.clear();
    this.#wsServer?.close();
    this.#wsServer = undefined;
    return this;
  }

  #onRequest(req: EngineRequest, res: ServerResponse): void {
    const refusal = this.#verify(req, false);
    if (refusal !== undefined) {
      this.#refuseRequest(req, res, refusal);
      return;
    }
    const sid = req._query["sid"];
    if (sid !== undefined) {
      (this.clients[sid]!.transport as PollingTransport).onRequest(req, res);
      return;
    }
    this.#prepareHandshake(req, (failure, id) => {
      if (failure !== undefined) {
        this.#refuseRequest(req, res, failure);
        return;
      }
      if (res.destroyed) {
        debug("handshake request gone before its session was made");
        return;
      }
      const protocol = protocolOf(req._query["EIO"])!;
      const transport = new PollingTransport(this.#host, req, protocol);
      const socket = this.#register(id!, transport, req, protocol);
      transport.onRequest(req, res);
      this.emit("connection", socket);
    });
  }

  #onUpgrade(req: TaggedRequest, socket: Duplex, head: Buffer): void {
    const refusal = this.#verify(req, true);
    if (refusal !== undefined) {
      this.#refuseUpgrade(req, socket, refusal);
      return;
    }
    const protocol = protocolOf(req._query["EIO"])!;
    const sid = req._query["sid"];
    if (sid !== undefined) {
      this.#webSocketServer().handleUpgrade(req, socket, head, (websocket) => {
        const session = this.clients[sid];
        if (session === undefined) {
          debug("session %s closed during the WebSocket handshake", sid);
          websocket.close();
          return;
        }
        session[kMaybeUpgrade](new WebSocketTransport(req, protocol, websocket, socket, this.#recentFrames));
      });
      return;
    }
    this.#prepareHandshake(req, (failure, id) => {
      if (failure !== undefined) {
        this.#refuseUpgrade(req, socket, failure);
        return;
      }
      req[kSessionId] = id!;
      this.#webSocketServer().handleUpgrade(req, socket, head, (websocket: WebSocketLike) => {
        const transport = new WebSocketTransport(req, protocol, websocket, socket, this.#recentFrames);
        const session = this.#register(id!, transport, req, protocol);
        this.emit("connection", session);
      });
    });
  }

  #register(id: string, transport: PollingTransport | WebSocketTransport, req: EngineRequest, protocol: 3 | 4): Socket {
    (req as TaggedRequest)[kSessionId] = id;
    const socket = new Socket(id, this.#host, transport, req, protocol);
    this.clients[id] = socket;
    this.#clientsCount++;
    debug("session %s opened over %s (EIO=%d)", id, transport.name, protocol);
    socket[kOpen]();
    if (connectionChannel.hasSubscribers) connectionChannel.publish({ socket });
    return socket;
  }

  /** Checks a request against the protocol; returns why it is refused, if it is. */
  #verify(req: EngineRequest, isUpgrade: boolean): Refusal | undefined {
    const query = req._query;
    const transport = query["transport"];
    if (transport === undefined || !(this.opts.transports as readonly string[]).includes(transport)) {
      return { code: ERROR_CODES.UNKNOWN_TRANSPORT, context: { transport } };
    }
    const origin = req.headers.origin;
    if (origin !== undefined && INVALID_HEADER_CHAR.test(origin)) {
      return { code: ERROR_CODES.BAD_REQUEST, context: { name: "INVALID_ORIGIN", origin } };
    }
    const protocol = protocolOf(query["EIO"]);
    if (protocol === undefined || (protocol === 3 && !this.opts.allowEIO3)) {
      return { code: ERROR_CODES.UNSUPPORTED_PROTOCOL_VERSION, context: { protocol: query["EIO"] } };
    }
    if (query["j"] !== undefined) {
      // JSONP polling (old v3 browsers) is not implemented: say so rather than answer garbage
      return { code: ERROR_CODES.BAD_REQUEST, context: { name: "JSONP_UNSUPPORTED" } };
    }
    if (isUpgrade && transport !== "websocket") {
      return { code: ERROR_CODES.BAD_REQUEST, context: { name: "UNEXPECTED_UPGRADE", transport } };
    }
    const sid = query["sid"];
    if (sid === undefined) {
      if (req.method !== "GET") return { code: ERROR_CODES.BAD_HANDSHAKE_METHOD, context: { method: req.method } };
      if (transport === "websocket" && !isUpgrade) {
        return { code: ERROR_CODES.BAD_REQUEST, context: { name: "TRANSPORT_HANDSHAKE_ERROR" } };
      }
      return undefined;
    }
    const session = this.clients[sid];
    if (session === undefined) return { code: ERROR_CODES.UNKNOWN_SID, context: { sid } };
    if (session.protocol !== protocol) {
      return { code: ERROR_CODES.BAD_REQUEST, context: { name: "PROTOCOL_MISMATCH", protocol, previousProtocol: session.protocol } };
    }
    if (isUpgrade) {
      if (session.transport.name === "websocket") return { code: ERROR_CODES.BAD_REQUEST, context: { name: "ALREADY_UPGRADED" } };
      if (session.upgrading) return { code: ERROR_CODES.BAD_REQUEST, context: { name: "UPGRADE_IN_PROGRESS" } };
      if (!this.opts.allowUpgrades) return { code: ERROR_CODES.BAD_REQUEST, context: { name: "UPGRADE_NOT_ALLOWED" } };
      return undefined;
    }
    if (session.transport.name !== transport) {
      return {
        code: ERROR_CODES.BAD_REQUEST,
        context: { name: "TRANSPORT_MISMATCH", transport, previousTransport: session.transport.name },
      };
    }
    if (req.method !== "GET" && req.method !== "POST") {
      return { code: ERROR_CODES.BAD_REQUEST, context: { name: "UNSUPPORTED_METHOD", method: req.method } };
    }
    return undefined;
  }

  /** allowRequest, then a session id; `done(refusal)` or `done(undefined, id)`. */
  #prepareHandshake(req: EngineRequest, done: (refusal: Refusal | undefined, id?: string) => void): void {
    const withId = (): void => {
      let id: string | Promise<string>;
      try {
        id = this.generateId(req);
      } catch (error) {
        done({ code: ERROR_CODES.BAD_REQUEST, context: { name: "ID_GENERATION_ERROR", error } });
        return;
      }
      if (typeof id === "string") {
        this.#checkId(id, done);
        return;
      }
      Promise.resolve(id).then(
        (value) => this.#checkId(value, done),
        (error: unknown) => done({ code: ERROR_CODES.BAD_REQUEST, context: { name: "ID_GENERATION_ERROR", error } }),
      );
    };
    const allowRequest = this.opts.allowRequest;
    if (allowRequest === undefined) {
      withId();
      return;
    }
    let answered = false;
    const answer = (err: string | null | undefined, success: boolean): void => {
      if (answered) return;
      answered = true;
      if (success) withId();
      else done({ code: ERROR_CODES.FORBIDDEN, context: typeof err === "string" && err !== "" ? { message: err } : {} });
    };
    try {
      allowRequest(req, answer);
    } catch (error) {
      if (!answered) {
        answered = true;
        done({ code: ERROR_CODES.FORBIDDEN, context: { name: "ALLOW_REQUEST_ERROR", error } });
      }
    }
  }

  #checkId(id: unknown, done: (refusal: Refusal | undefined, id?: string) => void): void {
    if (typeof id !== "string" || id === "" || this.clients[id] !== undefined) {
      done({ code: ERROR_CODES.BAD_REQUEST, context: { name: "ID_GENERATION_ERROR", id } });
      return;
    }
    done(undefined, id);
  }

  #refuseRequest(req: EngineRequest, res: ServerResponse, { code, context }: Refusal): void {
    debug("refused %s %s: code %d", req.method, req.url, code);
    this.#reportRefusal(new ConnectionError(req, code, context));
    sendHttpError(res, code, context);
  }

  #refuseUpgrade(req: EngineRequest, socket: Duplex, { code, context }: Refusal): void {
    debug("refused upgrade %s: code %d", req.url, code);
    this.#reportRefusal(new ConnectionError(req, code, context));
    refuseUpgrade(socket, code, context);
  }

  #reportRefusal(error: ConnectionError): void {
    if (connectionErrorChannel.hasSubscribers) connectionErrorChannel.publish({ error });
    this.emit("connection_error", error);
  }

  #webSocketServer(): WebSocketServerLike {
    if (this.#wsServer !== undefined) return this.#wsServer;
    const wsServer = new this.opts.wsEngine({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: this.opts.perMessageDeflate,
      maxPayload: this.opts.maxHttpBufferSize,
    });
    wsServer.on?.("headers", (lines: string[], req: IncomingMessage) => {
      const request = req as TaggedRequest;
      const res = request[kUpgradeResponse];
      if (res !== undefined) {
        lines.push(...res.headerLines());
        res.detach();
        request[kUpgradeResponse] = undefined;
      }
      const headers: OutgoingHttpHeaders = {};
      this.#host.emitHeaders(headers, request);
      for (const name of Object.keys(headers)) {
        const value = headers[name];
        if (Array.isArray(value)) for (const item of value) lines.push(`${name}: ${String(item)}`);
        else if (value !== undefined) lines.push(`${name}: ${String(value)}`);
      }
    });
    this.#wsServer = wsServer;
    return wsServer;
  }

  #destroyLater(socket: Duplex, timeout: number): void {
    socket.on("error", ignore);
    const timer = setTimeout(() => {
      this.#pendingUpgrades.delete(socket);
      // nobody answered this upgrade: end it (a handled one has written its 101)
      const bytesWritten = (socket as Duplex & { bytesWritten?: number }).bytesWritten ?? 0;
      if (socket.writable && bytesWritten <= 0) socket.end();
    }, timeout);
    this.#pendingUpgrades.set(socket, timer);
    socket.once("close", () => {
      clearTimeout(timer);
      this.#pendingUpgrades.delete(socket);
    });
  }
}

function protocolOf(eio: string | undefined): 3 | 4 | undefined {
  return eio === "4" ? 4 : eio === "3" ? 3 : undefined;
}

function pathMatcher(path: string, addTrailingSlash: boolean): (url: string | undefined) => boolean {
  const base = path.endsWith("/") ? path.slice(0, -1) : path;
  if (addTrailingSlash) {
    const prefix = `${base}/`;
    return (url) => url !== undefined && url.startsWith(prefix);
  }
  return (url) => {
    if (url === undefined || !url.startsWith(base)) return false;
    const next = url.charCodeAt(base.length);
    return Number.isNaN(next) || next === 47 /* / */ || next === 63 /* ? */;
  };
}

function ignore(): void {}
