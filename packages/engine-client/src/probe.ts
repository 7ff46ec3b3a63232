import type { Packet } from "@volley/engine-parser";
import createDebug from "debug";
import { ProbeError } from "./errors";
import type { Transport } from "./transport";

const debug = createDebug("volley:engine-client:probe");

/** What the socket does at each outcome of a probe. */
export interface ProbeHandlers {
  /** The server answered the probe: the socket may pause its transport and switch. */
  onAnswered(transport: Transport): void;
  /** The probe failed; the transport is closed already. */
  onFailed(error: ProbeError): void;
}

/**
 * Tests a better transport next to the current one before switching (the upgrade): opens it
 * with the session id, sends `2probe`, expects `3probe`. Failures close the probed transport
 * and leave the socket as it was.
 */
export class UpgradeProbe {
  readonly #transport: Transport;
  readonly #handlers: ProbeHandlers;
  #isSettled = false;

  constructor(transport: Transport, handlers: ProbeHandlers) {
    this.#transport = transport;
    this.#handlers = handlers;
  }

  start(): void {
    const transport = this.#transport;
    transport.once("open", this.#onOpen);
    transport.on("error", this.#onError);
    transport.once("close", this.#onClose);
    transport.open();
  }

  /**
   * Fails the probe, once: it stops listening, closes the probed transport and reports the
   * failure (the transport failed, the socket closed or switched to another transport).
   */
  abort(reason: string | undefined, cause?: unknown): void {
    if (this.#isSettled) return;
    debug("probe of %s failed: %s", this.#transport.name, reason);
    this.#isSettled = true;
    this.#removeListeners();
    this.#transport.close();
    this.#handlers.onFailed(new ProbeError(this.#transport.name, reason, cause));
  }

  /** Hands the transport over to the socket: the probe stops listening to it. */
  detach(): void {
    this.#isSettled = true;
    this.#removeListeners();
  }

  readonly #onOpen = (): void => {
    if (this.#isSettled) return;
    debug("probe transport %s opened, sending the probe", this.#transport.name);
    this.#transport.send([{ type: "ping", data: "probe" }]);
    this.#transport.once("packet", this.#onFirstPacket);
  };

  readonly #onFirstPacket = (packet: Packet): void => {
    if (this.#isSettled) return;
    if (packet.type === "pong" && packet.data === "probe") {
      debug("probe answered on %s", this.#transport.name);
      this.#handlers.onAnswered(this.#transport);
    } else {
      this.abort(undefined);
    }
  };

  readonly #onError = (error: Error): void => {
    this.abort(error.message, error);
  };

  readonly #onClose = (): void => {
    this.abort("transport closed");
  };

  #removeListeners(): void {
    this.#transport.off("open", this.#onOpen);
    this.#transport.off("error", this.#onError);
    this.#transport.off("close", this.#onClose);
    this.#transport.off("packet", this.#onFirstPacket);
  }
}
