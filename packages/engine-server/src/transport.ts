import { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";
import type { Packet } from "@volley/engine-parser";
import type { TransportError } from "./errors";
import type { ResponseHeaders } from "./events";
import type { TransportName } from "./options";
import type { EngineRequest } from "./internal/request";
import { LazyEventEmitter } from "./internal/lazy-emitter";
import { kOnClose, kOnError, kOnPacket, kOnReady } from "./internal/symbols";

/** Lifecycle of a transport. */
export type TransportState = "open" | "closing" | "closed";

/** Events of {@link Transport}, the ones `engine.io`'s transports emit: name -> arguments. */
export interface TransportEventMap {
  /** A packet received from the client (before an upgrade completes too: `2probe`, `5`). */
  packet: [packet: Packet];
  /** A write was handed to the operating system. */
  drain: [];
  /** The transport can take a write (polling: a GET arrived; WebSocket: after a drain). */
  ready: [];
  /** The transport failed; the session closes with "transport error". */
  error: [err: TransportError];
  /** The transport closed. */
  close: [];
  /** Polling only: headers of a response, to change or add to (after the server's `headers`). */
  headers: [headers: ResponseHeaders, req: IncomingMessage];
}

/** Who receives what a transport reads: the session, or an upgrade in progress. */
export interface TransportHandler {
  [kOnPacket](packet: Packet): void;
  /** The transport can take a write (a poll arrived). */
  [kOnReady](): void;
  [kOnError](err: TransportError): void;
  [kOnClose](): void;
}

const LISTENER_METHODS = ["addListener", "on", "once", "prependListener", "prependOnceListener"] as const;

/**
 * Base of the polling and WebSocket transports: one connection of one session. It is an
 * `EventEmitter` with `engine.io`'s transport events ({@link TransportEventMap}) for code
 * that watches it. The session itself is wired to it through internal hooks, so events are
 * emitted only once someone listens (the write path checks one flag), and an unwatched
 * transport carries no listener state at all (see LazyEventEmitter).
 */
export abstract class Transport extends LazyEventEmitter<TransportEventMap> {
  /** The transports this one can be upgraded to (`engine.io`'s static `upgradesTo`). */
  static readonly upgradesTo: readonly TransportName[] = Object.freeze([]);
  abstract readonly name: TransportName;
  /** The id of the session this transport carries (or is probing for, during an upgrade). */
  readonly sid: string;
  /** Engine.IO protocol revision of the client. */
  readonly protocol: 3 | 4;
  /** Whether binary data travels as binary (false: base64, for v3 clients asking `b64=1`). */
  readonly supportsBinary: boolean;
  /** Set once the session moved to another transport. */
  discarded = false;
  #readyState: TransportState = "open";
  #handler: TransportHandler | undefined;
  /** Whether a listener was ever added: until then, no event is emitted at all. */
  #isObserved = false;

  static {
    // Every way of adding a listener marks the transport as observed, so that the hot paths
    // test one private field instead of looking listeners up for each write and packet.
    for (const method of LISTENER_METHODS) {
      const add = EventEmitter.prototype[method] as (this: Transport, ...args: unknown[]) => Transport;
      Object.defineProperty(Transport.prototype, method, {
        configurable: true,
        writable: true,
        value: function (this: Transport, ...args: unknown[]): Transport {
          this.#isObserved = true;
          return add.apply(this, args);
        },
      });
    }
  }

  /** @internal transports are created by the server */
  constructor(req: EngineRequest, protocol: 3 | 4, sid: string) {
    super();
    this.sid = sid;
    this.protocol = protocol;
    this.supportsBinary = req._query["b64"] === undefined;
  }

  get readyState(): TransportState {
    return this.#readyState;
  }

  /** Whether a write would go out now (polling: a GET is pending; WebSocket: no backpressure). */
  abstract get writable(): boolean;

  /** Whether this transport handles upgrade requests (`engine.io`: true for WebSocket only). */
  get handlesUpgrades(): boolean {
    return false;
  }

  /** @internal whether the session may hand packets to `send()` now */
  abstract get canSend(): boolean;

  /** @internal bytes written and not yet taken by the operating system (polling: none, a response is written whole) */
  get bufferedBytes(): number {
    return 0;
  }

  /** @internal writes packets; `onWritten` runs once they are handed to the operating system */
  abstract send(packets: Packet[], onWritten?: () => void): void;

  /** @internal connects this transport to its receiver (or disconnects it with `undefined`) */
  bind(handler: TransportHandler | undefined): void {
    this.#handler = handler;
  }

  /** Marks the transport as left behind by an upgrade: closing it then tells the client nothing. */
  discard(): void {
    this.discarded = true;
  }

  /**
   * Closes the transport. Without `immediate`, a polling transport waits (at most
   * pingTimeout) for the next GET to deliver the close packet.
   */
  close(immediate = false): void {
    if (this.#readyState === "closed") return;
    if (this.#readyState === "closing") {
      // an orderly close still waiting (polling): finish it now
      if (immediate) this.abortClose();
      return;
    }
    this.#readyState = "closing";
    this.doClose(immediate);
  }

  protected abstract doClose(immediate: boolean): void;

  /** @internal closes at once, dropping what is unsent (the client stopped reading) */
  abort(): void {
    this.close(true);
  }

  /** Whether someone listens to this transport's events (cheap: one field). */
  protected get isObserved(): boolean {
    return this.#isObserved;
  }

  /** Ends an orderly close that is still waiting. */
  protected abortClose(): void {
    this.onClosed();
  }

  // The session handles each event first, then the listeners that were there before (as
  // engine.io's session, the first listener of one emit()): one added meanwhile, say to the
  // transport an `upgrading` handler gets, does not get this event.

  protected onPacket(packet: Packet): void {
    const listeners = this.#isObserved ? this.rawListeners("packet") : undefined;
    this.#handler?.[kOnPacket](packet);
    if (listeners !== undefined) callEach(listeners, this, [packet]);
  }

  protected onReady(): void {
    const listeners = this.#isObserved ? this.rawListeners("ready") : undefined;
    this.#handler?.[kOnReady]();
    if (listeners !== undefined) callEach(listeners, this, []);
  }

  /** A write was handed to the operating system. */
  protected onDrain(): void {
    if (this.#isObserved) this.emit("drain");
  }

  protected onError(err: TransportError): void {
    // like engine.io, an error nobody listens to is not thrown
    const listeners = this.#isObserved ? this.rawListeners("error") : undefined;
    this.#handler?.[kOnError](err);
    if (listeners !== undefined) callEach(listeners, this, [err]);
  }

  /** Marks the transport closed and tells its receiver, once. */
  protected onClosed(): void {
    if (this.#readyState === "closed") return;
    this.#readyState = "closed";
    const handler = this.#handler;
    this.#handler = undefined;
    const listeners = this.#isObserved ? this.rawListeners("close") : undefined;
    handler?.[kOnClose]();
    if (listeners !== undefined) callEach(listeners, this, []);
  }
}

/** What `emit()` does with its listeners (`once` ones remove themselves when called). */
function callEach(listeners: readonly unknown[], target: Transport, args: unknown[]): void {
  for (let i = 0; i < listeners.length; i++) Reflect.apply(listeners[i] as (...a: unknown[]) => void, target, args);
}
