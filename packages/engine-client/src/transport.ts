import { decodePacket, type BinaryType, type Packet, type RawData } from "@volley/engine-parser";
import { FULL_MESSAGES } from "@volley/shared";
import type { CookieJar } from "./cookie-jar";
import { Emitter } from "./emitter";
import { ENGINE_CLIENT_ERROR_CODES, TransportError, type TransportErrorCode } from "./errors";
import type { CloseDetails, TransportEvents } from "./events";
import type { TlsOptions } from "./options";
import { cacheBuster, encodeQuery, formatAuthority } from "./url";

/** The states of a transport. `pausing`/`paused` only happen to polling during an upgrade. */
export type TransportState = "idle" | "opening" | "open" | "pausing" | "paused" | "closed";

/** What a transport reads from the socket that owns it. */
export interface TransportContext {
  /** How received binary data is handed over. Read on every packet (the socket may change it). */
  readonly binaryType: BinaryType;
  /** The cookie jar of a Node.js socket with `withCredentials`. */
  readonly cookieJar: CookieJar | undefined;
}

/** Everything a transport is created with (the socket's options, plus per-transport overrides). */
export interface TransportOptions extends TlsOptions {
  hostname: string;
  port: string;
  secure: boolean;
  /** Already normalized: leading slash, trailing slash per `addTrailingSlash`. */
  path: string;
  /** Includes `EIO`, `transport` and, once known, `sid`. */
  query: Record<string, string>;
  extraHeaders: Readonly<Record<string, string>>;
  withCredentials: boolean;
  forceBase64: boolean;
  timestampRequests: boolean | undefined;
  timestampParam: string;
  requestTimeout: number;
  protocols: readonly string[];
  perMessageDeflate: false | { threshold: number };
  agent: false | object;
  autoUnref: boolean;
  context: TransportContext;
}

/** A transport class, as accepted by the `transports` option. */
export type TransportCtor = new (options: TransportOptions) => Transport;

/**
 * The base of every transport: a bidirectional channel of Engine.IO packets. The socket
 * drives it (open, send, pause, close) and listens to its events.
 */
export abstract class Transport extends Emitter<TransportEvents> {
  /** The transport name sent in the `transport` query parameter. */
  abstract get name(): string;

  /** Query parameters of every request of this transport; the socket adds `sid`. */
  readonly query: Record<string, string>;
  /** Whether binary can travel as binary (false with `forceBase64`). */
  readonly supportsBinary: boolean;
  protected readonly opts: TransportOptions;
  #readyState: TransportState = "idle";
  #writable = false;

  constructor(opts: TransportOptions) {
    super();
    this.opts = opts;
    this.query = opts.query;
    this.supportsBinary = !opts.forceBase64;
  }

  get readyState(): TransportState {
    return this.#readyState;
  }

  /** Whether `send()` may be called now (false while a previous batch is in flight). */
  get writable(): boolean {
    return this.#writable;
  }

  protected set writable(value: boolean) {
    this.#writable = value;
  }

  protected setReadyState(state: TransportState): void {
    this.#readyState = state;
  }

  /** Starts connecting. */
  open(): this {
    if (this.#readyState !== "idle") return this;
    this.#readyState = "opening";
    this.doOpen();
    return this;
  }

  /** Closes the transport (telling the server when the protocol allows); emits `close`. */
  close(): this {
    if (this.#readyState === "idle" || this.#readyState === "closed") return this;
    this.doClose();
    this.onClose();
    return this;
  }

  /** Sends a batch of packets; call only when `writable`. Emits `drain` once they are out. */
  send(packets: Packet[]): void {
    if (this.#readyState === "open") this.write(packets);
  }

  /**
   * Stops receiving and sending without losing anything in flight, then calls `onPause`.
   * Only polling has something to wait for.
   */
  pause(onPause: () => void): void {
    onPause();
  }

  /**
   * Node.js `autoUnref`: from now on, an idle connection of this transport does not keep the
   * process alive. The socket calls it once the session is open on this transport.
   */
  unref(): void {}

  /** Undoes {@link pause} when the upgrade it was for failed. */
  resume(): void {}

  protected abstract doOpen(): void;
  protected abstract doClose(): void;
  protected abstract write(packets: Packet[]): void;

  protected onOpen(): void {
    this.#readyState = "open";
    this.#writable = true;
    this.emit("open");
  }

  protected onData(data: RawData): void {
    this.onPacket(decodePacket(data, this.opts.context.binaryType));
  }

  protected onPacket(packet: Packet): void {
    this.emit("packet", packet);
  }

  protected onClose(details?: CloseDetails): void {
    if (this.#readyState === "closed") return;
    this.#readyState = "closed";
    this.#writable = false;
    this.emit("close", details);
  }

  protected onError(
    code: TransportErrorCode,
    message: string,
    details?: { description?: unknown; context?: unknown; status?: number; body?: string },
  ): void {
    this.emit("error", new TransportError(code, message, details));
  }

  /**
   * Reports, on the next tick (once the socket listens), that a platform API this transport
   * needs is missing, e.g. no XMLHttpRequest or no WebSocket.
   */
  protected reportUnavailable(api: string): void {
    setTimeout(() => {
      if (this.#readyState === "closed") return;
      const code = ENGINE_CLIENT_ERROR_CODES.TRANSPORT_UNAVAILABLE;
      this.onError(code, FULL_MESSAGES ? `transport unavailable: ${api} is not available` : `${code} ${api}`, {
        description: api,
      });
    }, 0);
  }

  /**
   * The URI of a request of this transport: `<scheme>[s]://host[:port]/path/?query`, the
   * query being the transport's plus the cache-busting parameter (`timestamp`) and `b64=1`
   * (`base64`) when asked.
   */
  protected requestUri(scheme: "http" | "ws", timestamp: boolean, base64: boolean): string {
    const query = { ...this.query };
    if (timestamp) query[this.opts.timestampParam] = cacheBuster();
    if (base64) query["b64"] = "1";
    return this.createUri(this.opts.secure ? `${scheme}s` : scheme, query);
  }

  /** `schema://host[:port]/path/?query`. */
  protected createUri(schema: string, query: Record<string, string>): string {
    const encoded = encodeQuery(query);
    return (
      `${schema}://${formatAuthority(this.opts.hostname, this.opts.port, this.opts.secure)}${this.opts.path}` +
      (encoded.length > 0 ? `?${encoded}` : "")
    );
  }
}
