import { EventEmitter } from "node:events";
import type { IncomingMessage, OutgoingHttpHeaders, Server as HttpServer, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { TLSSocket } from "node:tls";
import { serialize } from "cookie";
import createDebug from "debug";
import { WebSocketServer as WsWebSocketServer } from "ws";
import { ConnectionError, ERROR_CODES, ERROR_MESSAGES, type ConnectionErrorContext, type EngineErrorCode } from "./errors";
import type { ServerEventMap } from "./events";
import { connectionChannel, connectionErrorChannel } from "./internal/diagnostics";
import { createHeartbeatQueues } from "./internal/heartbeat";
import type { EngineHost } from "./internal/host";
import { runMiddlewares, UpgradeResponse, type Middleware } from "./internal/middleware";
import { RecentFrames } from "./internal/recent-frames";
import { randomId } from "./internal/random-id";
import { prepareRequest, refuseUpgrade, sendHttpError, type EngineRequest } from "./internal/request";
import { kMaybeUpgrade, kOpen, kOrigin, kSessionId, kTerminate, kUpgradeResponse } from "./internal/symbols";
import { LeanWebSocketServer } from "./internal/websocket/lean-server";
import {
  resolveAttachOptions,
  resolveServerOptions,
  type AttachOptions,
  type ResolvedServerOptions,
  type ServerOptions,
  type TransportName,
  type WebSocketLike,
  type WebSocketServerConstructorOptions,
  type WebSocketServerLike,
} from "./options";
import { OriginPolicy, type OriginDecision } from "./origin-policy";
import { Socket } from "./socket";
import { PollingTransport } from "./transports/polling";
import { WebSocketTransport } from "./transports/websocket";

const debug = createDebug("volley:engine-server:server");

type Refusal = { code: EngineErrorCode; context: ConnectionErrorContext };
/** Called once the policy and the middlewares let a request go on, or with why not. */
type Admitted = (refusal?: Refusal) => void;
/** What a handshake gets once allowed: its session id and protocol revision. */
type Handshake = { id: string; protocol: 3 | 4 };
type HandshakeDone = (refusal: Refusal | undefined, handshake?: Handshake) => void;
type TaggedRequest = EngineRequest & { [kSessionId]?: string; [kUpgradeResponse]?: UpgradeResponse };

// RFC 7230 field-value characters: an Origin with anything else is refused (header injection)
const INVALID_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * The Engine.IO server: handshakes, sessions, polling and WebSocket transports. Attach it
 * to an http(s) server with {@link Server.attach}, or route requests to
 * {@link Server.handleRequest} and {@link Server.handleUpgrade} yourself.
 */
export class Server extends EventEmitter<ServerEventMap> {
  /** The Engine.IO error codes by name (`engine.io`'s `Server.errors`). */
  static readonly errors = ERROR_CODES;
  /** The message of each error code (`engine.io`'s `Server.errorMessages`). */
  static readonly errorMessages = ERROR_MESSAGES;
  /** The options after defaults and validation. */
  readonly opts: ResolvedServerOptions;
  /** Open sessions by id. */
  readonly clients: Record<string, Socket> = Object.create(null) as Record<string, Socket>;
  /** The http server created by {@link listen}, or given to {@link Server.attach}. */
  httpServer: HttpServer | undefined;
  /**
   * Which origins may use this server, from the `cors` option: the one object that writes
   * the CORS headers and decides which requests are refused (with `checkOrigin`).
   */
  readonly originPolicy: OriginPolicy;
  readonly #middlewares: Middleware[] = [];
  readonly #host: EngineHost;
  #clientsCount = 0;
  #wsServer: WebSocketServerLike | undefined;
  /** Whether the transports answer the WebSockets' pings (ws's own server, made with `autoPong: false`). */
  #transportsAnswerPings = false;
  readonly #pendingUpgrades = new Map<Duplex, NodeJS.Timeout>();
  readonly #recentFrames = new RecentFrames();

  constructor(options: ServerOptions = {}) {
    super();
    this.opts = resolveServerOptions(options);
    const cookie = this.opts.cookie;
    // over TLS the cookie is also Secure, unless the options say otherwise
    const tlsCookie = cookie === false || cookie.secure !== undefined ? cookie : Object.freeze({ ...cookie, secure: true });
    this.#host = {
      server: this,
      opts: this.opts,
      heartbeats: createHeartbeatQueues(this.opts),
      emitHeaders: (headers: OutgoingHttpHeaders, req: EngineRequest) => {
        if (req._query["sid"] === undefined) {
          const id = (req as TaggedRequest)[kSessionId];
          const options = isEncrypted(req) ? tlsCookie : cookie;
          if (options !== false && id !== undefined) headers["Set-Cookie"] = [serialize(options.name, id, options)];
          if (this.listenerCount("initial_headers") !== 0) this.emit("initial_headers", headers, req);
        }
        if (this.listenerCount("headers") !== 0) this.emit("headers", headers, req);
      },
      removeSession: (socket: Socket) => {
        if (this.clients[socket.id] === socket) {
          delete this.clients[socket.id];
          this.#clientsCount--;
        }
      },
    };
    this.originPolicy = new OriginPolicy(this.opts.cors);
  }

  /** Number of open sessions. */
  get clientsCount(): number {
    return this.#clientsCount;
  }

  /**
   * Adds a Connect/Express-style middleware, run on every HTTP request and every upgrade
   * before the Engine.IO checks (after the CORS headers and the origin check). For an upgrade, `res` collects headers for the 101
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
  generateId(req: IncomingMessage): string | PromiseLike<string> {
    void req;
    return randomId();
  }

  /**
   * The transports a session on `transport` may upgrade to: `["websocket"]` from polling
   * when `allowUpgrades` is on, none otherwise (`engine.io` also lists its WebTransport).
   */
  upgrades(transport: TransportName): TransportName[] {
    if (!this.opts.allowUpgrades) return [];
    return transport === "polling" ? [...PollingTransport.upgradesTo] : [];
  }

  /** Handles an Engine.IO HTTP request (polling GET/POST). */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const request = prepareRequest(req);
    // (the arguments of a debug call are allocated even when it is off: not on every request)
    if (debug.enabled) debug("%s %s", req.method, req.url);
    if (!this.originPolicy.enabled && this.#middlewares.length === 0) {
      this.#onRequest(request, res);
      return;
    }
    this.#admit(request, res, (refusal) => {
      if (refusal === undefined) this.#onRequest(request, res);
      else this.#refuseRequest(request, res, refusal);
    });
  }

  /** Handles an HTTP upgrade request (WebSocket). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const request = prepareRequest(req) as TaggedRequest;
    if (debug.enabled) debug("upgrade %s", req.url);
    // the first bytes of the WebSocket stream: copied, Node may reuse the buffer
    const firstBytes = head.length > 0 ? Buffer.from(head) : head;
    if (!this.originPolicy.enabled && this.#middlewares.length === 0) {
      this.#onUpgrade(request, socket, firstBytes);
      return;
    }
    const res = new UpgradeResponse(socket);
    request[kUpgradeResponse] = res;
    this.#admit(request, res as unknown as ServerResponse, (refusal) => {
      if (res.writableEnded) return;
      if (refusal === undefined) this.#onUpgrade(request, socket, firstBytes);
      else this.#refuseUpgrade(request, socket, refusal);
    });
  }

  /**
   * The origin policy (CORS headers, then the origin check), then the middlewares. `done()`
   * when the request may go on, `done(refusal)` when it is refused; not called when one of
   * them answered the request itself (a CORS preflight, a middleware's own response).
   */
  #admit(req: EngineRequest, res: ServerResponse, done: Admitted): void {
    let settled = false;
    const settle: Admitted = (refusal) => {
      settled = true;
      done(refusal);
    };
    const middlewares = (): void => {
      if (this.#middlewares.length === 0) settle();
      else runMiddlewares(this.#middlewares, req, res, (err) => settle(err === undefined ? undefined : middlewareFailure(err)));
    };
    if (!this.originPolicy.enabled) {
      middlewares();
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && INVALID_HEADER_CHAR.test(origin)) {
      // checked before the CORS headers, which would copy it into the response
      settle({ code: ERROR_CODES.BAD_REQUEST, context: { name: "INVALID_ORIGIN", origin } });
      return;
    }
    try {
      this.originPolicy.handle(req, res, (err, decision) => {
        if (err !== undefined && err !== null) {
          settle(middlewareFailure(err));
          return;
        }
        const refusal = this.#checkOrigin(req, decision!);
        if (refusal === undefined) middlewares();
        else settle(refusal);
      });
    } catch (error) {
      // a cors delegate or origin function that threw, as the cors middleware's errors were
      if (settled) throw error;
      settle(middlewareFailure(error));
    }
  }

  /**
   * The origin check (`checkOrigin`): when the policy restricts origins, a request with an
   * Origin it does not allow is refused, and so is a request of a session whose Origin is not
   * the one the session's earlier requests had.
   */
  #checkOrigin(req: EngineRequest, decision: OriginDecision): Refusal | undefined {
    const { origin } = decision;
    if (!this.opts.checkOrigin || !decision.restricted || origin === undefined) return undefined;
    if (!decision.allowed) return { code: ERROR_CODES.FORBIDDEN, context: { name: "ORIGIN_NOT_ALLOWED", origin } };
    const sid = req._query["sid"];
    const sessionOrigin = sid === undefined ? undefined : this.clients[sid]?.[kOrigin];
    if (sessionOrigin !== undefined && sessionOrigin !== origin) {
      return { code: ERROR_CODES.FORBIDDEN, context: { name: "ORIGIN_CHANGED", origin, sessionOrigin } };
    }
    return undefined;
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
      const session = this.clients[sid]!;
      session[kOrigin] ??= req.headers.origin;
      (session.transport as PollingTransport).onRequest(req, res);
      return;
    }
    this.#prepareHandshake(req, (failure, handshake) => {
      if (failure !== undefined) {
        this.#refuseRequest(req, res, failure);
        return;
      }
      if (res.destroyed) {
        debug("handshake request gone before its session was made");
        return;
      }
      const { id, protocol } = handshake!;
      const transport = new PollingTransport(this.#host, req, protocol, id);
      const socket = this.#register(id, transport, req, protocol);
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
    const sid = req._query["sid"];
    if (sid !== undefined) {
      const upgrading = this.clients[sid]!;
      upgrading[kOrigin] ??= req.headers.origin;
      const protocol = upgrading.protocol;
      this.#webSocketServer().handleUpgrade(req, socket, head, (websocket) => {
        const session = this.clients[sid];
        if (session === undefined || session.readyState !== "open" || session.upgrading || session.transport.name === "websocket") {
          // As engine.io: a WebSocket for a session that cannot take it (already upgraded,
          // upgrading, closed meanwhile) is accepted, then closed; the session goes on.
          debug("session %s cannot take another WebSocket: closing it", sid);
          closeUnwanted(websocket);
          return;
        }
        session[kMaybeUpgrade](this.#webSocketTransport(req, protocol, sid, websocket, socket));
      });
      return;
    }
    this.#prepareHandshake(req, (failure, handshake) => {
      if (failure !== undefined) {
        this.#refuseUpgrade(req, socket, failure);
        return;
      }
      const { id, protocol } = handshake!;
      req[kSessionId] = id;
      this.#webSocketServer().handleUpgrade(req, socket, head, (websocket: WebSocketLike) => {
        const transport = this.#webSocketTransport(req, protocol, id, websocket, socket);
        const session = this.#register(id, transport, req, protocol);
        this.emit("connection", session);
      });
    });
  }

  #webSocketTransport(req: EngineRequest, protocol: 3 | 4, sid: string, websocket: WebSocketLike, socket: Duplex): WebSocketTransport {
    const { perMessageDeflate } = this.opts;
    return new WebSocketTransport(req, protocol, sid, websocket, socket, this.#recentFrames, perMessageDeflate, this.#transportsAnswerPings);
  }

  #register(id: string, transport: PollingTransport | WebSocketTransport, req: EngineRequest, protocol: 3 | 4): Socket {
    (req as TaggedRequest)[kSessionId] = id;
    const socket = new Socket(id, this.#host, transport, req, protocol);
    this.clients[id] = socket;
    this.#clientsCount++;
    if (debug.enabled) debug("session %s opened over %s (EIO=%d)", id, transport.name, protocol);
    socket[kOpen]();
    if (connectionChannel.hasSubscribers) connectionChannel.publish({ socket });
    return socket;
  }

  /**
   * Checks a request against the protocol; returns why it is refused, if it is. The checks
   * and their order are engine.io's, so that a request it refuses gets the same code here;
   * the few refusals of our own (each marked "stricter") come where engine.io lets the
   * request through. A handshake's protocol revision is checked later, after allowRequest,
   * as engine.io does (see #prepareHandshake).
   */
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
    const sid = query["sid"];
    if (sid === undefined) {
      if (req.method !== "GET") return { code: ERROR_CODES.BAD_HANDSHAKE_METHOD, context: { method: req.method } };
      if (transport === "websocket" && !isUpgrade) {
        return { code: ERROR_CODES.BAD_REQUEST, context: { name: "TRANSPORT_HANDSHAKE_ERROR" } };
      }
      if (isUpgrade && transport !== "websocket") {
        // stricter: engine.io answers 101, then closes the WebSocket
        return { code: ERROR_CODES.BAD_REQUEST, context: { name: "UNEXPECTED_UPGRADE", transport } };
      }
      return undefined;
    }
    const session = this.clients[sid];
    if (session === undefined) return { code: ERROR_CODES.UNKNOWN_SID, context: { sid } };
    const previousTransport = session.transport.name;
    if (!isUpgrade && previousTransport !== transport) {
      return { code: ERROR_CODES.BAD_REQUEST, context: { name: "TRANSPORT_MISMATCH", transport, previousTransport } };
    }
    // engine.io's rule: a request is v4 only with EIO=4, v3 otherwise
    const protocol = query["EIO"] === "4" ? 4 : 3;
    if (session.protocol !== protocol) {
      return { code: ERROR_CODES.BAD_REQUEST, context: { name: "PROTOCOL_MISMATCH", protocol, previousProtocol: session.protocol } };
    }
    if (isUpgrade) {
      // stricter, both: engine.io answers 101, then closes the WebSocket (polling), or
      // upgrades anyway (allowUpgrades only hides the upgrade from the handshake)
      if (transport !== "websocket") return { code: ERROR_CODES.BAD_REQUEST, context: { name: "UNEXPECTED_UPGRADE", transport } };
      if (!this.opts.allowUpgrades) return { code: ERROR_CODES.BAD_REQUEST, context: { name: "UPGRADE_NOT_ALLOWED" } };
      return undefined;
    }
    if (req.method !== "GET" && req.method !== "POST") {
      // stricter: engine.io answers 500
      return { code: ERROR_CODES.BAD_REQUEST, context: { name: "UNSUPPORTED_METHOD", method: req.method } };
    }
    return undefined;
  }

  /**
   * The rest of a handshake, in engine.io's order: allowRequest, the protocol revision,
   * then a session id. `done(refusal)` or `done(undefined, { id, protocol })`.
   */
  #prepareHandshake(req: EngineRequest, done: HandshakeDone): void {
    const withProtocol = (): void => {
      const eio = req._query["EIO"];
      // engine.io's rule: no EIO means v3 (Socket.IO 2 clients); stricter: another value
      // than 3 or 4 is refused (engine.io takes any value but 4 for v3)
      const protocol = eio === "4" ? 4 : eio === "3" || eio === undefined ? 3 : undefined;
      if (protocol === undefined || (protocol === 3 && !this.opts.allowEIO3)) {
        done({ code: ERROR_CODES.UNSUPPORTED_PROTOCOL_VERSION, context: { protocol: protocol ?? 3 } });
        return;
      }
      if (req._query["j"] !== undefined) {
        // stricter: JSONP polling (old v3 browsers) is not implemented; say so rather than answer garbage
        done({ code: ERROR_CODES.BAD_REQUEST, context: { name: "JSONP_UNSUPPORTED" } });
        return;
      }
      this.#generateId(req, protocol, done);
    };
    const allowRequest = this.opts.allowRequest;
    if (allowRequest === undefined) {
      withProtocol();
      return;
    }
    let answered = false;
    const answer = (err: string | null | undefined, success: boolean): void => {
      if (answered) return;
      answered = true;
      if (success) withProtocol();
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

  #generateId(req: EngineRequest, protocol: 3 | 4, done: HandshakeDone): void {
    let id: string | PromiseLike<string>;
    try {
      id = this.generateId(req);
    } catch (error) {
      done({ code: ERROR_CODES.BAD_REQUEST, context: { name: "ID_GENERATION_ERROR", error } });
      return;
    }
    if (typeof id === "string") {
      this.#checkId(id, protocol, done);
      return;
    }
    Promise.resolve(id).then(
      (value) => this.#checkId(value, protocol, done),
      (error: unknown) => done({ code: ERROR_CODES.BAD_REQUEST, context: { name: "ID_GENERATION_ERROR", error } }),
    );
  }

  #checkId(id: unknown, protocol: 3 | 4, done: HandshakeDone): void {
    if (typeof id !== "string" || id === "" || this.clients[id] !== undefined) {
      done({ code: ERROR_CODES.BAD_REQUEST, context: { name: "ID_GENERATION_ERROR", id } });
      return;
    }
    done(undefined, { id, protocol });
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
    const wsEngine = this.opts.wsEngine;
    const options: WebSocketServerConstructorOptions = {
      noServer: true,
      clientTracking: false,
      perMessageDeflate: this.opts.perMessageDeflate,
      maxPayload: this.opts.maxHttpBufferSize,
      closeTimeout: this.opts.wsCloseTimeout,
    };
    // ws answers every ping itself, even to a client that reads nothing while its socket is
    // backed up; its own server lets the transport answer instead. Another engine keeps its ways.
    if ((wsEngine as unknown) === WsWebSocketServer || wsEngine.prototype instanceof WsWebSocketServer) {
      options.autoPong = false;
      this.#transportsAnswerPings = true;
    }
    const wsServer = new wsEngine(options);
    if (wsServer instanceof LeanWebSocketServer) {
      // the built-in engine's refusals are reported as the server's own are
      wsServer.onRefused = (req, refusal) => {
        const code = refusal.status === 405 ? ERROR_CODES.BAD_HANDSHAKE_METHOD : ERROR_CODES.BAD_REQUEST;
        const context: ConnectionErrorContext = { name: refusal.name, status: refusal.status };
        if (refusal.status === 405) context["method"] = req.method;
        debug("refused WebSocket handshake %s: %s", req.url, refusal.name);
        this.#reportRefusal(new ConnectionError(req, code, context));
      };
    }
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
      // (for-in: no array of names for the usual empty object; own names only, as Object.keys)
      for (const name in headers) {
        if (!Object.hasOwn(headers, name)) continue;
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

/** Whether a request came over TLS (an https server, or a TLS socket handed to an http one). */
function isEncrypted(req: IncomingMessage): boolean {
  return (req.socket as Partial<TLSSocket> | null)?.encrypted === true;
}

function middlewareFailure(error: unknown): Refusal {
  return { code: ERROR_CODES.BAD_REQUEST, context: { name: "MIDDLEWARE_FAILURE", error } };
}

/**
 * `engine.io`'s base class of its two servers (Node's http and uWebSockets.js), exported
 * there as a type only. Volley has one server class: this is it.
 */
export type BaseServer = Server;

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

/** Closes a WebSocket that no session takes; its late errors (a reset) are nobody's business. */
function closeUnwanted(websocket: WebSocketLike): void {
  websocket.on("error", ignore);
  websocket.close();
}

function ignore(): void {}
