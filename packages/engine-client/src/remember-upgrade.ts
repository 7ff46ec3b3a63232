import type { RememberUpgradeStore } from "./options";

/**
 * The `rememberUpgrade` memory shared by every socket of this copy of the package that has no
 * `rememberUpgradeStore` of its own, so that a new socket (a reconnection) opens straight with
 * WebSocket once one worked, as engine.io-client's static `priorWebsocketSuccess` does. Unlike
 * upstream's single flag, it records per server URL, so that one server's WebSocket says
 * nothing about another's. `Socket.priorWebsocketSuccess` reads and resets it.
 */
export class SharedUpgradeStore implements RememberUpgradeStore {
  readonly #byServer = new Map<string, boolean>();
  /** What is assumed for a server nothing was recorded for (set through `priorWebsocketSuccess`). */
  #assumed = false;
  #last = false;

  get(key: string): boolean {
    return this.#byServer.get(key) ?? this.#assumed;
  }

  set(key: string, value: boolean): this {
    this.#byServer.set(key, value);
    this.#last = value;
    return this;
  }

  /** The last value recorded, for any server. */
  get last(): boolean {
    return this.#last;
  }

  /** Forgets every server and assumes `value` for all of them (`false` resets the memory). */
  reset(value: boolean): void {
    this.#byServer.clear();
    this.#assumed = value;
    this.#last = value;
  }
}

/** The one shared store of this module instance. */
export const sharedUpgradeStore = new SharedUpgradeStore();
