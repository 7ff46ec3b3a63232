import { Socket as EngineSocket, type BaseSocket } from "@volley/engine-client";
import { Decoder, Encoder, toParser, type Packet, type ParserDecoder, type ParserEncoder } from "@volley/parser";
import { mergeObjects } from "@volley/shared";
import createDebug from "debug";
import { backoffDelay } from "./backoff";
import { ConnectTimeoutError } from "./errors";
import type { DisconnectDescription, ManagerEvents } from "./events";
import { kHasNamespace, kOnManager, kRelease, kState, kWrite, type ManagerState } from "./internal";
import { TypedListeners } from "./listeners";
import {
  DEFAULT_MANAGER_OPTIONS,
  MANAGER_OPTION_CHECKS,
  resolveManagerOptions,
  type ResolvedManagerOptions,
  type ManagerOptions,
  type SocketOptions,
} from "./options";
import { Socket } from "./socket";
import type { DefaultEventsMap, EventsMap } from "./typed-events";

const debug = createDebug("volley:client:manager");

type ReadyState = ManagerState["readyState"];

/**
 * One Engine.IO connection to a server, shared by the sockets of its namespaces, with
 * reconnection (exponential backoff with jitter). API-compatible with socket.io-client 4's
 * `Manager`. `io()` creates and caches Managers; create one yourself to control sharing.
 *
 * @example
 * const manager = new Manager("http://localhost:3000", { reconnectionDelayMax: 10_000 });
 * const chat = manager.socket("/chat");
 * const admin = manager.socket("/admin", { auth: { token } });
 * manager.on("reconnect_attempt", (attempt) => console.log("attempt", attempt));
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a Manager receives no user events
export class Manager<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>
  extends TypedListeners<ManagerEvents, {}> {
  /**
   * The Engine.IO connection (`@volley/engine-client` Socket). Set by the first `open()`
   * (at construction unless `autoConnect` is false), replaced by each reconnection.
   */
  engine!: BaseSocket;
  /** The options given to the constructor (`path` defaulted), passed to the Engine.IO client. */
  readonly opts: Readonly<ManagerOptions>;

  readonly #uri: string | undefined;
  readonly #nsps = new Map<string, Socket<ListenEvents, EmitEvents>>();
  readonly #encoder: ParserEncoder;
  readonly #decoder: ParserDecoder;
  /** The "decoded" listener of a decoder of another library (made on first use). */
  #onCustomDecoded: ((packet: Packet) => void) | undefined;
  readonly #autoConnect: boolean;
  /** Undo functions of the current engine listeners and timers. */
  #subscriptions: Array<() => void> = [];
  #readyState: ReadyState = "closed";
  #isReconnecting = false;
  /** Set when the connection is closed on purpose: no reconnection. */
  #skipReconnect = false;
  /** The reconnection attempts made since the last success (or since the Manager was created). */
  #attempts = 0;
  /** The options that the getter-setters below read and change. */
  readonly #settings: { -readonly [K in keyof ResolvedManagerOptions]: ResolvedManagerOptions[K] };

  /**
   * @param uri the server, e.g. "http://localhost:3000" (its path is ignored: see `path`)
   * @throws {InvalidOptionError} when an option is invalid
   */
  constructor(opts: ManagerOptions);
  constructor(uri?: string, opts?: ManagerOptions);
  constructor(uri?: string | ManagerOptions, opts?: ManagerOptions) {
    super();
    if (typeof uri === "object" && uri !== null) {
      opts = uri;
      uri = undefined;
    }
    const given = opts ?? {};
    const resolved = resolveManagerOptions(given);
    this.opts = mergeObjects(given, { path: given.path ?? DEFAULT_MANAGER_OPTIONS.path });
    this.#uri = uri ?? undefined;
    this.#settings = resolved;
    // parsers typed by their own packages may return one chunk from encode(): see toParser
    const parser = toParser(resolved.parser ?? { Encoder, Decoder });
    // The default Encoder keeps nothing per connection: one for every Manager.
    this.#encoder = parser.Encoder === Encoder ? (defaultEncoder ??= new Encoder()) : new parser.Encoder();
    this.#decoder = new parser.Decoder();
    this.#autoConnect = resolved.autoConnect;
    if (this.#autoConnect) this.open();
  }

  /** Whether to reconnect by itself (getter), or sets it (setter, chainable). */
  reconnection(): boolean;
  reconnection(value: boolean): this;
  reconnection(value?: boolean): this | boolean {
    const result = this.#setting("reconnection", value);
    if (value === false) this.#skipReconnect = true;
    return result;
  }

  /** How many reconnection attempts before `reconnect_failed` (getter / chainable setter). */
  reconnectionAttempts(): number;
  reconnectionAttempts(value: number): this;
  reconnectionAttempts(value?: number): this | number {
    return this.#setting("reconnectionAttempts", value);
  }

  /** The first reconnection delay, in milliseconds (getter / chainable setter). */
  reconnectionDelay(): number;
  reconnectionDelay(value: number): this;
  reconnectionDelay(value?: number): this | number {
    return this.#setting("reconnectionDelay", value);
  }

  /** The longest reconnection delay, in milliseconds (getter / chainable setter). */
  reconnectionDelayMax(): number;
  reconnectionDelayMax(value: number): this;
  reconnectionDelayMax(value?: number): this | number {
    return this.#setting("reconnectionDelayMax", value);
  }

  /** The jitter of reconnection delays, from 0 to 1 (getter / chainable setter). */
  randomizationFactor(): number;
  randomizationFactor(value: number): this;
  randomizationFactor(value?: number): this | number {
    return this.#setting("randomizationFactor", value);
  }

  /** The connection timeout in milliseconds, `false` for none (getter / chainable setter). */
  timeout(): number | false;
  timeout(value: number | false): this;
  timeout(value?: number | false): this | number | false {
    return this.#setting("timeout", value);
  }

  /**
   * Opens the Engine.IO connection, unless it is open or opening. `callback` gets nothing
   * on success and the error on failure; without a callback, a failure starts reconnecting.
   */
  open(callback?: (err?: Error) => void): this {
    if (this.#readyState !== "closed") return this;
    debug("opening %s", this.#uri ?? "(page location)");
    // Every Engine.IO option passes through; the Manager's own ones are ignored there.
    const engine = new EngineSocket(this.#uri, this.opts);
    this.engine = engine;
    this.#readyState = "opening";
    this.#skipReconnect = false;

    const onOpen = (): void => {
      this.#onOpen();
      callback?.();
    };
    const onError = (err: Error): void => {
      debug("connection failed: %s", err.message);
      this.#cleanup();
      this.#readyState = "closed";
      this.#tell("error", err);
      if (callback !== undefined) callback(err);
      else this.#maybeReconnectOnOpen();
    };
    engine.once("open", onOpen);
    engine.on("error", onError);
    this.#subscriptions.push(
      () => engine.off("open", onOpen),
      () => engine.off("error", onError),
    );
    if (this.#settings.timeout !== false) {
      const timer = setTimeout(() => {
        debug("connection timed out after %d ms", this.#settings.timeout);
        engine.off("open", onOpen);
        onError(new ConnectTimeoutError());
        engine.close();
      }, this.#settings.timeout);
      if (this.opts.autoUnref === true) unref(timer);
      this.#subscriptions.push(() => clearTimeout(timer));
    }
    return this;
  }

  /** Alias of {@link open}. */
  connect(callback?: (err?: Error) => void): this {
    return this.open(callback);
  }

  /** The socket of namespace `nsp`, created on first use (and reconnected if it was inactive). */
  socket(nsp: string, opts?: SocketOptions): Socket<ListenEvents, EmitEvents> {
    let socket = this.#nsps.get(nsp);
    if (socket === undefined) {
      socket = new Socket<ListenEvents, EmitEvents>(this, nsp, opts);
      this.#nsps.set(nsp, socket);
    } else if (this.#autoConnect && !socket.active) {
      socket.connect();
    }
    return socket;
  }

  /** @internal */
  [kState](): ManagerState {
    return { readyState: this.#readyState, reconnecting: this.#isReconnecting, autoConnect: this.#autoConnect };
  }

  /** @internal */
  [kHasNamespace](nsp: string): boolean {
    return this.#nsps.has(nsp);
  }

  /** @internal */
  [kWrite](packet: Packet, compress: boolean): void {
    const chunks = this.#encoder.encode(packet);
    const options = { compress };
    for (const chunk of chunks) this.engine.write(chunk as string, options);
  }

  /** @internal */
  [kRelease](): void {
    for (const socket of this.#nsps.values()) if (socket.active) return;
    debug("no active socket left: closing");
    this.#skipReconnect = true;
    this.#isReconnecting = false;
    this.#onClose("forced close");
  }

  /** Reads the option `key` (no value), or checks and sets it (chainable). */
  #setting<K extends keyof ResolvedManagerOptions>(key: K, value: ResolvedManagerOptions[K] | undefined): this | ResolvedManagerOptions[K] {
    if (value === undefined) return this.#settings[key];
    this.#settings[key] = MANAGER_OPTION_CHECKS[key](key, value);
    return this;
  }

  #maybeReconnectOnOpen(): void {
    // Only the first failure starts the cycle: later ones are handled by #reconnect itself.
    if (!this.#isReconnecting && this.#settings.reconnection && this.#attempts === 0) this.#reconnect();
  }

  #onOpen(): void {
    debug("open");
    this.#cleanup();
    this.#readyState = "open";
    this.#tell("open");
    this.#listen(this.engine, "on");
  }

  /**
   * Adds or removes the Manager's listeners: shared functions called with the Manager as
   * `this` (the Engine.IO socket and the default decoder take a context), not closures per
   * Manager. Another library's decoder gets a closure.
   */
  #listen(engine: BaseSocket, method: "on" | "off"): void {
    engine[method]("ping", this.#onPing, this)
      [method]("data", this.#onData, this)
      [method]("error", this.#onError, this)
      [method]("close", this.#onClose, this);
    const decoder = this.#decoder;
    if (decoder instanceof Decoder) decoder[method]("decoded", this.#onDecoded, this);
    else decoder[method]("decoded", (this.#onCustomDecoded ??= (packet) => this.#onDecoded(packet)));
  }

  #onDecoded(packet: Packet): void {
    const socket = this.#nsps.get(packet.nsp);
    if (socket?.active === true) socket[kOnManager]("packet", packet);
    this.emitReserved("packet", packet);
  }

  #onPing(): void {
    this.emitReserved("ping");
  }

  #onData(data: unknown): void {
    try {
      this.#decoder.add(data);
    } catch (err) {
      debug("parse error: %s", (err as Error).message);
      this.#onClose("parse error", err as Error);
    }
  }

  #onError(err: Error): void {
    this.#tell("error", err);
  }

  /** Tells the active sockets first (those made by `socket()`), then the Manager's listeners. */
  #tell(...event: ["open"] | ["error", Error] | ["close", string, DisconnectDescription?]): void {
    // A copy: a socket's listener may create or release sockets.
    for (const socket of [...this.#nsps.values()]) if (socket.active) socket[kOnManager](...event);
    this.emitReserved(...(event as ["open"]));
  }

  #cleanup(): void {
    // The engine is only replaced once closed, after this: its listeners, if any, are removed
    // here (removing ones never added does nothing).
    if (this.engine !== undefined) this.#listen(this.engine, "off");
    const subscriptions = this.#subscriptions;
    this.#subscriptions = [];
    for (const undo of subscriptions) undo();
    this.#decoder.destroy();
  }

  #onClose(reason: string, description?: DisconnectDescription): void {
    debug("closed: %s", reason);
    this.#cleanup();
    this.engine?.close();
    this.#attempts = 0;
    this.#readyState = "closed";
    this.#tell("close", reason, description);
    if (this.#settings.reconnection && !this.#skipReconnect) this.#reconnect();
  }

  #reconnect(): void {
    if (this.#isReconnecting || this.#skipReconnect) return;
    if (this.#attempts >= this.#settings.reconnectionAttempts) {
      debug("reconnection failed");
      this.#attempts = 0;
      this.#isReconnecting = false;
      this.emitReserved("reconnect_failed");
      return;
    }
    const delay = backoffDelay(this.#attempts++, this.#settings);
    debug("reconnecting in %d ms", delay);
    this.#isReconnecting = true;
    const timer = setTimeout(() => {
      if (this.#skipReconnect) return;
      this.emitReserved("reconnect_attempt", this.#attempts);
      // A listener may have closed the Manager.
      if (this.#skipReconnect) return;
      this.open((err) => {
        if (err !== undefined) {
          this.#isReconnecting = false;
          this.#reconnect();
          this.emitReserved("reconnect_error", err);
        } else {
          const attempts = this.#attempts;
          this.#isReconnecting = false;
          this.#attempts = 0;
          this.emitReserved("reconnect", attempts);
        }
      });
    }, delay);
    if (this.opts.autoUnref === true) unref(timer);
    this.#subscriptions.push(() => clearTimeout(timer));
  }
}

let defaultEncoder: Encoder | undefined;

function unref(timer: ReturnType<typeof setTimeout>): void {
  // Node.js timers have unref(); browsers return a number.
  if (typeof timer === "object" && timer !== null && "unref" in timer) timer.unref();
}
