import { protocol, type BinaryType, type Packet, type RawData, type WirePacketType } from "@volley/engine-parser";
import { CHECK_OPTIONS, FULL_MESSAGES, mergeObjects, resolveOptions } from "@volley/shared";
import createDebug from "debug";
import type { CookieJar } from "./cookie-jar";
import { Emitter } from "./emitter";
import { ENGINE_CLIENT_ERROR_CODES, InvalidMessageError, InvalidOptionError, ParseError, TransportError } from "./errors";
import type { CloseDetails, CloseReason, HandshakeData, SocketEvents, SocketState, WriteOptions } from "./events";
import { HeartbeatMonitor } from "./heartbeat";
import {
  normalizePath,
  resolveSocketOptions,
  TRANSPORT_OPTION_CHECKS,
  type RememberUpgradeStore,
  type ResolvedSocketOptions,
  type SocketOptions,
  type TransportOptionChecks,
  type TransportOverrides,
} from "./options";
import { measurePayload } from "./payload-size";
import { UpgradeProbe } from "./probe";
import { sharedUpgradeStore } from "./remember-upgrade";
import { timerFunctions, type TimerFunctions } from "./timers";
import type { Transport, TransportContext, TransportCtor, TransportOptions } from "./transport";

const debug = createDebug("volley:engine-client:socket");

/** What differs between the Node.js and the browser builds. */
export interface SocketPlatform {
  /** The transport classes behind the names "polling" and "websocket". */
  readonly transports: Readonly<Record<string, TransportCtor>>;
  /** How binary messages are handed over by default. */
  readonly defaultBinaryType: BinaryType;
  /**
   * The jar a socket keeps its cookies in with `withCredentials` (Node.js); absent where
   * the runtime keeps them (browsers), so that the browser builds leave the jar out.
   */
  readonly createCookieJar?: () => CookieJar;
  /** False for `SocketWithoutUpgrade`: the first transport that connects is kept. */
  readonly allowsUpgrade?: boolean;
  /**
   * Resolves the constructor's options (the Node.js build adds those only its transports
   * read: TLS, `agent`, `perMessageDeflate`).
   * @default resolveSocketOptions, which leaves those out
   */
  readonly resolveOptions?: (uri: string | undefined, opts: SocketOptions | undefined) => ResolvedSocketOptions;
  /**
   * The checks of the options the transports read, which the socket picks (with the
   * overrides of `transportOptions`) for each transport it creates.
   * @default the options every platform's transports read
   */
  readonly transportOptionChecks?: TransportOptionChecks;
}

/**
 * An Engine.IO v4 connection to a server, over HTTP long-polling and/or WebSocket, with the
 * upgrade from the first to the second. API-compatible with engine.io-client 6's `Socket`.
 * Use the `Socket` of the package entry, which picks the transports of the platform.
 */
export class BaseSocket extends Emitter<SocketEvents> {
  /** The Engine.IO protocol revision. */
  static readonly protocol: number = protocol;

  /**
   * Whether the last WebSocket tried by a socket without its own `rememberUpgradeStore`
   * worked (engine.io-client's static of the same name). Assigning `false` forgets every
   * server, so the next socket with `rememberUpgrade` starts with polling again; assigning
   * `true` makes such sockets start with WebSocket until one records otherwise.
   */
  static get priorWebsocketSuccess(): boolean {
    return sharedUpgradeStore.last;
  }

  static set priorWebsocketSuccess(value: boolean) {
    sharedUpgradeStore.reset(value);
  }

  /** The Engine.IO protocol revision. */
  readonly protocol: number = protocol;
  /** How received binary data is handed over: "nodebuffer" (Node.js) or "arraybuffer" (browsers). */
  binaryType: BinaryType;

  readonly #options: ResolvedSocketOptions;
  readonly #allowsUpgrade: boolean;
  readonly #transportClasses: Readonly<Record<string, TransportCtor>>;
  /** Names still to try, in order (tryAllTransports drops failed ones). */
  readonly #transportNames: string[];
  readonly #context: TransportContext;
  readonly #transportOptionChecks: TransportOptionChecks;
  readonly #upgradeStore: RememberUpgradeStore;
  readonly #heartbeat: HeartbeatMonitor;
  readonly #timers: TimerFunctions;
  /** Upgrade probes in flight (made by the first probe). */
  #probes: Set<UpgradeProbe> | undefined;
  #readyState: SocketState = "opening";
  #id: string | null = null;
  #transport!: Transport;
  #writeBuffer: Packet[] = [];
  #prevBufferLength = 0;
  #isUpgrading = false;
  #upgrades: string[] = [];
  #pingInterval = -1;
  #pingTimeout = -1;
  #maxPayload = -1;
  #beforeunloadListener: (() => void) | undefined;

  /**
   * Connects at once. `uri` gives hostname, port, secure and query, e.g.
   * "http://localhost:3000"; options may come alone: `new Socket({ port: 3000 })`.
   * @throws {InvalidOptionError} when an option is invalid
   */
  constructor(uri: string | SocketOptions | undefined, opts: SocketOptions | undefined, platform: SocketPlatform) {
    super();
    // `null` is accepted as "no URI" (engine.io-client does).
    const resolve = platform.resolveOptions ?? resolveSocketOptions;
    const options = typeof uri === "object" && uri !== null ? resolve(undefined, uri) : resolve(uri ?? undefined, opts);
    this.#options = options;
    this.#transportOptionChecks = platform.transportOptionChecks ?? TRANSPORT_OPTION_CHECKS;
    this.#allowsUpgrade = platform.allowsUpgrade !== false && options.upgrade;
    this.binaryType = platform.defaultBinaryType;
    // The platform's table, copied only when a transport class is given (kept per socket).
    let classes: Readonly<Record<string, TransportCtor>> = platform.transports;
    this.#transportNames = options.transports
      // WebTransport is not supported (see the README): a "webtransport" entry is skipped, as a browser without WebTransport skips it.
      .filter((transport) => transport !== "webtransport")
      .map((transport) => {
        if (typeof transport === "string") {
          if (CHECK_OPTIONS && classes[transport] === undefined) {
            throw new InvalidOptionError("transports", FULL_MESSAGES ? `one of ${Object.keys(classes).join(", ")}` : "", transport);
          }
          return transport;
        }
        // (unchecked, the name is taken as it is)
        const name = (transport.prototype as Partial<Transport>).name as string;
        if (CHECK_OPTIONS && typeof name !== "string") throw new InvalidOptionError("transports", FULL_MESSAGES ? "transport classes with a name" : "", transport);
        classes = { ...classes, [name]: transport };
        return name;
      });
    this.#transportClasses = classes;
    const cookieJar = options.withCredentials ? platform.createCookieJar?.() : undefined;
    this.#context = new SocketContext(this, cookieJar);
    this.#upgradeStore = options.rememberUpgradeStore ?? sharedUpgradeStore;
    this.#timers = timerFunctions(options.useNativeTimers);
    this.#heartbeat = new HeartbeatMonitor(() => this.#onClose("ping timeout"), options.autoUnref, this.#timers);
    if (options.closeOnBeforeunload && typeof addEventListener === "function") {
      // Closes the transport silently, so the application sees no "transport close" while the
      // page goes away (browsers differ in what they do to open connections at that moment).
      this.#beforeunloadListener = () => {
        if (this.#transport === undefined) return;
        this.#transport.removeAllListeners();
        this.#transport.close();
      };
      addEventListener("beforeunload", this.#beforeunloadListener, false);
    }
    if (this.#transportNames.length === 0) {
      // Emitted later, so that code which listens after `new Socket()` (and wraps it in no
      // try/catch, as engine.io-client allows) hears it.
      this.#timers.setTimeoutFn(() => {
        if (this.#isClosed()) return;
        const error = new TransportError(ENGINE_CLIENT_ERROR_CODES.NO_TRANSPORTS, "No transports available");
        this.emit("error", error);
        this.#onClose("transport error", error);
      }, 0);
      return;
    }
    this.#open();
  }

  /** The host name the socket connects to (an IPv6 address without brackets). */
  get hostname(): string {
    return this.#options.hostname;
  }

  /** The port the socket connects to, e.g. "3000" ("80" or "443" when none was given). */
  get port(): string {
    return this.#options.port;
  }

  /** Whether the socket uses https / wss. */
  get secure(): boolean {
    return this.#options.secure;
  }

  /** The session id, once the handshake is done; null before and after. */
  get id(): string | null {
    return this.#id;
  }

  /** The transport in use (undefined only when `transports` left none to use). */
  get transport(): Transport {
    return this.#transport;
  }

  get readyState(): SocketState {
    return this.#readyState;
  }

  /** Whether a transport switch is in progress (packets are held until it ends). */
  get upgrading(): boolean {
    return this.#isUpgrading;
  }

  /** Packets waiting to be sent (or in flight). */
  get writeBuffer(): readonly Packet[] {
    return this.#writeBuffer;
  }

  /** The options in use (defaults applied). */
  get opts(): Readonly<ResolvedSocketOptions> {
    return this.#options;
  }

  /**
   * Sends a message: a string or binary data. `callback` runs once the message is handed to
   * the transport (the next `flush`).
   * @throws {InvalidMessageError} when `data` is neither a string nor binary
   */
  send(data: RawData, options?: WriteOptions | (() => void), callback?: () => void): this {
    if (typeof data !== "string" && !isBinary(data)) throw new InvalidMessageError(data);
    this.#sendPacket("message", data, options, callback);
    return this;
  }

  /** Alias of {@link send}. */
  write(data: RawData, options?: WriteOptions | (() => void), callback?: () => void): this {
    return this.send(data, options, callback);
  }

  /**
   * Closes the connection after what is buffered has been sent (and after an upgrade in
   * progress has ended). Emits `close` with "forced close".
   */
  close(): this {
    if (this.#readyState !== "opening" && this.#readyState !== "open") return this;
    this.#setReadyState("closing");
    const close = () => {
      this.off("upgrade", close).off("upgradeError", close);
      this.#onClose("forced close");
    };
    const closeWhenUpgraded = () => {
      if (!this.#isUpgrading) return close();
      // A paused transport cannot carry the close packet: wait for the switch to end.
      this.once("upgrade", close).once("upgradeError", close);
    };
    // Without a transport (none was left to use), nothing buffered will ever drain.
    if (this.#writeBuffer.length > 0 && this.#transport !== undefined) this.once("drain", closeWhenUpgraded);
    else closeWhenUpgraded();
    return this;
  }

  /**
   * Whether the heartbeat deadline has passed without the timer noticing (a frozen tab, a
   * suspended laptop). When true, the socket closes with "ping timeout" on the next tick.
   */
  hasPingExpired(): boolean {
    if (this.#readyState !== "open" && this.#readyState !== "closing") return false;
    if (!this.#heartbeat.hasExpired()) return false;
    this.#heartbeat.stop();
    this.#timers.setTimeoutFn(() => this.#onClose("ping timeout"), 0);
    return true;
  }

  /** engine.io-client's name of {@link hasPingExpired}, which socket.io-client calls. */
  _hasPingExpired(): boolean {
    return this.hasPingExpired();
  }

  /** The key of this server in the rememberUpgrade store (made when needed, not kept). */
  get #upgradeKey(): string {
    const options = this.#options;
    return `${options.secure ? "https" : "http"}://${options.hostname}:${options.port}${options.path}`;
  }

  /** A method, not a property read, so TypeScript does not keep a narrowing across callbacks. */
  #isClosed(): boolean {
    return this.#readyState === "closed";
  }

  #setReadyState(state: SocketState): void {
    debug("readyState %s -> %s", this.#readyState, state);
    this.#readyState = state;
  }

  #open(): void {
    const wantsWebSocket =
      this.#options.rememberUpgrade &&
      this.#upgradeStore.get(this.#upgradeKey) === true &&
      this.#transportNames.includes("websocket");
    const name = wantsWebSocket ? "websocket" : this.#transportNames[0]!;
    debug("opening with %s", name);
    const transport = this.#createTransport(name);
    this.#setTransport(transport);
    transport.open();
  }

  #createTransport(name: string): Transport {
    const base = this.#options;
    // The socket's options, with this transport's overrides checked by the same rules.
    const overridden = resolveOptions(
      base.transportOptions[name] ?? {},
      this.#transportOptionChecks,
      base as object,
      `transportOptions.${name}.`,
    ) as TransportOverrides & TransportOptions;
    const options = mergeObjects<TransportOverrides & TransportOptions>(overridden, {
      hostname: base.hostname,
      port: base.port,
      secure: base.secure,
      path: normalizePath(overridden.path, base.addTrailingSlash),
      query: { ...base.query, ...overridden.query, EIO: String(protocol), transport: name },
      extraHeaders: { ...base.extraHeaders, ...overridden.extraHeaders },
      autoUnref: base.autoUnref,
      context: this.#context,
    });
    if (this.#id !== null) options.query["sid"] = this.#id;
    return new this.#transportClasses[name]!(options);
  }

  #setTransport(transport: Transport): void {
    if (this.#transport !== undefined) this.#transport.removeAllListeners();
    debug("using transport %s", transport.name);
    this.#transport = transport;
    // Methods called with the socket as `this`: no closures per socket.
    transport
      .on("drain", this.#onDrain, this)
      .on("packet", this.#onPacket, this)
      .on("error", this.#onError, this)
      .on("close", this.#onTransportClose, this);
  }

  #onTransportClose(details?: CloseDetails): void {
    this.#onClose("transport close", details);
  }

  #onPacket(packet: Packet): void {
    if (this.#isClosed()) return;
    this.emit("packet", packet);
    this.emit("heartbeat");
    switch (packet.type) {
      case "open":
        this.#onHandshake(packet.data);
        break;
      case "ping":
        this.#sendPacket("pong");
        this.emit("ping");
        this.emit("pong");
        this.#resetHeartbeat();
        break;
      case "message":
        this.emit("data", packet.data!);
        this.emit("message", packet.data!);
        break;
      case "error":
        this.#onParseError(new ParseError(FULL_MESSAGES ? "the server sent an invalid packet" : ENGINE_CLIENT_ERROR_CODES.PARSE_ERROR, packet.data));
        break;
      case "close":
        // Polling handles it itself; on other transports the server may send one before closing.
        this.#onClose("transport close", { description: "transport closed by the server" });
        break;
      default:
        // pong, noop and upgrade carry nothing for the socket
        break;
    }
  }

  #onHandshake(data: RawData | undefined): void {
    if (this.#readyState !== "opening" || this.#id !== null) return;
    const handshake = parseHandshake(data);
    if (handshake === undefined) {
      this.#onParseError(new ParseError(FULL_MESSAGES ? "the server sent an invalid handshake" : ENGINE_CLIENT_ERROR_CODES.PARSE_ERROR, data));
      return;
    }
    debug("handshake %o", handshake);
    this.emit("handshake", handshake);
    this.#id = handshake.sid;
    this.#transport.query["sid"] = handshake.sid;
    this.#upgrades = handshake.upgrades.filter((name) => this.#transportNames.includes(name));
    this.#pingInterval = handshake.pingInterval;
    this.#pingTimeout = handshake.pingTimeout;
    this.#maxPayload = handshake.maxPayload;
    this.#onOpen();
    // An "open" listener may have closed the socket.
    if (this.#isClosed()) return;
    this.#resetHeartbeat();
  }

  #onOpen(): void {
    this.#setReadyState("open");
    if (this.#options.autoUnref) this.#transport.unref();
    this.#upgradeStore.set(this.#upgradeKey, this.#transport.name === "websocket");
    this.emit("open");
    this.#flush();
    if (this.#readyState !== "open" || !this.#allowsUpgrade) return;
    for (const name of this.#upgrades) {
      if (name !== this.#transport.name) this.#probe(name);
    }
  }

  #probe(name: string): void {
    debug("probing %s", name);
    // Until the probe succeeds, assume WebSocket may not work here.
    this.#upgradeStore.set(this.#upgradeKey, false);
    const probe: UpgradeProbe = new UpgradeProbe(this.#createTransport(name), {
      onAnswered: (transport) => {
        this.#isUpgrading = true;
        this.emit("upgrading", transport);
        this.#upgradeStore.set(this.#upgradeKey, transport.name === "websocket");
        // Pausing waits for the pending GET and POST, so nothing in flight is lost.
        this.#transport.pause(() => {
          if (this.#isClosed()) return;
          if (this.#probes?.has(probe) !== true) {
            // The probed transport failed while we were pausing: carry on where we were.
            this.#transport.resume();
            this.#isUpgrading = false;
            this.#flush();
            return;
          }
          this.#probes.delete(probe);
          probe.detach();
          for (const other of this.#probes) other.abort(`upgraded to ${transport.name}`);
          this.#setTransport(transport);
          if (this.#options.autoUnref) transport.unref();
          transport.send([{ type: "upgrade" }]);
          this.emit("upgrade", transport);
          this.#isUpgrading = false;
          this.#flush();
        });
      },
      onFailed: (error) => {
        this.#probes?.delete(probe);
        this.#upgradeStore.set(this.#upgradeKey, false);
        this.emit("upgradeError", error);
      },
    });
    (this.#probes ??= new Set()).add(probe);
    probe.start();
  }

  #resetHeartbeat(): void {
    this.#heartbeat.reset(this.#pingInterval + this.#pingTimeout);
  }

  #onDrain(): void {
    this.#writeBuffer.splice(0, this.#prevBufferLength);
    // Reset before anything else: the upgrade packet goes out without going through the buffer.
    this.#prevBufferLength = 0;
    if (this.#writeBuffer.length === 0) this.emit("drain");
    else this.#flush();
  }

  #flush(): void {
    if (
      this.#isClosed() ||
      this.#transport === undefined ||
      !this.#transport.writable ||
      this.#isUpgrading ||
      this.#writeBuffer.length === 0
    ) {
      return;
    }
    const packets = this.#writablePackets();
    debug("flushing %d packet(s)", packets.length);
    this.#transport.send(packets);
    this.#prevBufferLength = packets.length;
    this.emit("flush");
  }

  /** With polling, as many buffered packets as fit in the server's maxPayload (at least one). */
  #writablePackets(): Packet[] {
    if (this.#transport.name !== "polling" || this.#maxPayload <= 0 || this.#writeBuffer.length <= 1) {
      return this.#writeBuffer.slice();
    }
    const count = measurePayload(this.#writeBuffer, this.#maxPayload);
    return this.#writeBuffer.slice(0, count);
  }

  #sendPacket(
    type: WirePacketType,
    data?: RawData,
    options?: WriteOptions | (() => void),
    callback?: () => void,
  ): void {
    if (typeof options === "function") {
      callback = options;
      options = undefined;
    }
    if (this.#readyState === "closing" || this.#readyState === "closed") return;
    const packet: Packet = { type, options: { compress: options?.compress !== false } };
    if (data !== undefined) packet.data = data;
    this.emit("packetCreate", packet);
    this.#writeBuffer.push(packet);
    if (callback !== undefined) this.once("flush", callback);
    this.#flush();
  }

  #onError(error: Error): void {
    debug("transport error: %s", error.message);
    this.#upgradeStore.set(this.#upgradeKey, false);
    if (this.#options.tryAllTransports && this.#transportNames.length > 1 && this.#readyState === "opening") {
      const failed = this.#transport;
      this.#transportNames.splice(this.#transportNames.indexOf(failed.name), 1);
      failed.removeAllListeners();
      failed.close();
      debug("%s failed, trying %s", failed.name, this.#transportNames[0]);
      this.#open();
      return;
    }
    this.emit("error", error);
    this.#onClose("transport error", error);
  }

  #onParseError(error: ParseError): void {
    this.emit("error", error);
    this.#onClose("parse error", error);
  }

  /** The one way into "closed": runs once, whatever the reason. */
  #onClose(reason: CloseReason, details?: CloseDetails | Error): void {
    if (this.#isClosed()) return;
    debug("closing: %s", reason);
    this.#heartbeat.stop();
    const probes = this.#probes;
    this.#probes = undefined;
    if (probes !== undefined) for (const probe of probes) probe.abort("socket closed");
    const transport = this.#transport as Transport | undefined;
    if (transport !== undefined) {
      transport.removeAllListeners("close");
      transport.close();
      transport.removeAllListeners();
    }
    if (this.#beforeunloadListener !== undefined && typeof removeEventListener === "function") {
      removeEventListener("beforeunload", this.#beforeunloadListener, false);
    }
    this.#setReadyState("closed");
    this.#id = null;
    this.emit("close", reason, details);
    // Cleared after the event, so that listeners can still see what was not sent.
    this.#writeBuffer = [];
    this.#prevBufferLength = 0;
  }
}

/** What the transports of a socket read from it (a class: a getter in a literal costs a hash table). */
class SocketContext implements TransportContext {
  readonly #socket: BaseSocket;
  readonly cookieJar: CookieJar | undefined;

  constructor(socket: BaseSocket, cookieJar: CookieJar | undefined) {
    this.#socket = socket;
    this.cookieJar = cookieJar;
  }

  get binaryType(): BinaryType {
    return this.#socket.binaryType;
  }
}

function isBinary(data: unknown): boolean {
  return (
    data instanceof ArrayBuffer ||
    ArrayBuffer.isView(data) ||
    (typeof Blob === "function" && data instanceof Blob)
  );
}

function parseHandshake(data: RawData | undefined): HandshakeData | undefined {
  if (typeof data !== "string") return undefined;
  try {
    // JSON null throws here too (it cannot be destructured)
    const { sid, upgrades, pingInterval, pingTimeout, maxPayload } = JSON.parse(data) as Record<string, unknown>;
    if (
      typeof sid === "string" &&
      sid.length > 0 &&
      Array.isArray(upgrades) &&
      upgrades.every((name) => typeof name === "string") &&
      isDuration(pingInterval) &&
      isDuration(pingTimeout)
    ) {
      return { sid, upgrades, pingInterval, pingTimeout, maxPayload: typeof maxPayload === "number" && maxPayload > 0 ? maxPayload : 0 };
    }
  } catch {
    // not JSON: not a handshake
  }
  return undefined;
}

function isDuration(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}
