import createDebug from "debug";
import type { Packet } from "@volley/engine-parser";
import type { TransportError } from "../errors";
import type { Transport, TransportHandler } from "../transport";
import { kOnClose, kOnError, kOnPacket, kOnProbe, kOnReady, kOnUpgrade, kOnUpgradeFailed } from "./symbols";

const debug = createDebug("volley:engine-server:upgrade");

/** What an upgrade reports to its session. */
export interface UpgradeListener {
  /** `2probe` answered: the client will pause polling and send `5`. */
  [kOnProbe](transport: Transport): void;
  /** `5` received: the session must move to the new transport. */
  [kOnUpgrade](transport: Transport): void;
  /** The attempt ended without an upgrade (the new transport is closed). */
  [kOnUpgradeFailed](): void;
}

/**
 * One polling → WebSocket upgrade in progress: it owns the new transport until the client
 * sends `5`, or until upgradeTimeout.
 */
export class UpgradeAttempt implements TransportHandler {
  readonly transport: Transport;
  probed = false;
  readonly #listener: UpgradeListener;
  #timer: NodeJS.Timeout | undefined;

  constructor(transport: Transport, timeout: number, listener: UpgradeListener) {
    this.transport = transport;
    this.#listener = listener;
    this.#timer = setTimeout(() => {
      debug("upgrade not completed within %dms", timeout);
      this.cancel();
    }, timeout);
    transport.bind(this);
  }

  [kOnPacket](packet: Packet): void {
    if (packet.type === "ping" && packet.data === "probe" && !this.probed) {
      this.probed = true;
      this.transport.send([{ type: "pong", data: "probe" }]);
      this.#listener[kOnProbe](this.transport);
    } else if (packet.type === "upgrade") {
      this.#stop();
      this.#listener[kOnUpgrade](this.transport);
    } else {
      debug("unexpected %s packet during the upgrade", packet.type);
      this.cancel();
    }
  }

  [kOnReady](): void {}

  [kOnError](err: TransportError): void {
    debug("upgrade failed: %s", err.message);
    this.cancel();
  }

  [kOnClose](): void {
    this.cancel();
  }

  /** Ends the attempt and closes the new transport. */
  cancel(): void {
    if (this.#stop()) {
      this.transport.bind(undefined);
      this.transport.close(true);
      this.#listener[kOnUpgradeFailed]();
    }
  }

  #stop(): boolean {
    if (this.#timer === undefined) return false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    return true;
  }
}
