import type { Packet } from "@volley/engine-parser";
import type { TransportError } from "./errors";
import type { TransportName } from "./options";
import type { EngineRequest } from "./internal/request";
import { kOnClose, kOnError, kOnPacket, kOnReady } from "./internal/symbols";

/** Lifecycle of a transport. */
export type TransportState = "open" | "closing" | "closed";

/** Who receives what a transport reads: the session, or an upgrade in progress. */
export interface TransportHandler {
  [kOnPacket](packet: Packet): void;
  /** The transport can take a write (a poll arrived). */
  [kOnReady](): void;
  [kOnError](err: TransportError): void;
  [kOnClose](): void;
}

/** Base of the polling and WebSocket transports: one connection of one session. */
export abstract class Transport {
  abstract readonly name: TransportName;
  /** Engine.IO protocol revision of the client. */
  readonly protocol: 3 | 4;
  /** Whether binary data travels as binary (false: base64, for v3 clients asking `b64=1`). */
  readonly supportsBinary: boolean;
  /** Set once the session moved to another transport. */
  discarded = false;
  #readyState: TransportState = "open";
  #handler: TransportHandler | undefined;

  constructor(req: EngineRequest, protocol: 3 | 4) {
    this.protocol = protocol;
    this.supportsBinary = req._query["b64"] === undefined;
  }

  get readyState(): TransportState {
    return this.#readyState;
  }

  /** Whether a write would go out now (polling: a GET is pending; WebSocket: no backpressure). */
  abstract get writable(): boolean;

  /** Whether the session may hand packets to `send()` now. */
  abstract get canSend(): boolean;

  /** Writes packets; `onWritten` runs once they are handed to the operating system. */
  abstract send(packets: Packet[], onWritten?: () => void): void;

  /** Connects this transport to its receiver (or disconnects it with `undefined`). */
  bind(handler: TransportHandler | undefined): void {
    this.#handler = handler;
  }

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

  /** Ends an orderly close that is still waiting. */
  protected abortClose(): void {
    this.onClosed();
  }

  protected onPacket(packet: Packet): void {
    this.#handler?.[kOnPacket](packet);
  }

  protected onReady(): void {
    this.#handler?.[kOnReady]();
  }

  protected onError(err: TransportError): void {
    this.#handler?.[kOnError](err);
  }

  /** Marks the transport closed and tells its receiver, once. */
  protected onClosed(): void {
    if (this.#readyState === "closed") return;
    this.#readyState = "closed";
    const handler = this.#handler;
    this.#handler = undefined;
    handler?.[kOnClose]();
  }
}
