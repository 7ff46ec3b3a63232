// The acknowledgements a socket waits for: one entry per ack id it sent, answered at most
// once, with an optional timeout after which the callback gets an AckTimeoutError.
import { AckTimeoutError } from "../errors";

type AckCallback = (...args: unknown[]) => void;

interface PendingAck {
  readonly callback: AckCallback;
  /** Error-first callback (emits with `timeout(ms)`, and emitWithAck). */
  readonly errorFirst: boolean;
  readonly timer: NodeJS.Timeout | undefined;
}

/** The pending acknowledgements of one socket. */
export class AckRegistry {
  readonly #pending = new Map<number, PendingAck>();

  /** How many acknowledgements are awaited. */
  get size(): number {
    return this.#pending.size;
  }

  /**
   * Waits for the ACK of `id`. With `timeoutMs`, the callback is error-first and gets an
   * AckTimeoutError if nothing came in time; `errorFirst` alone makes it error-first with
   * no timeout.
   */
  register(id: number, callback: AckCallback, timeoutMs: number | undefined, errorFirst = timeoutMs !== undefined): void {
    clearTimeout(this.#pending.get(id)?.timer);
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            if (this.#pending.get(id)?.callback !== callback) return;
            this.#pending.delete(id);
            callback(new AckTimeoutError(timeoutMs));
          }, timeoutMs);
    this.#pending.set(id, { callback, errorFirst, timer });
  }

  /** The callback waiting for the ACK of `id`, if any. */
  callbackOf(id: number): AckCallback | undefined {
    return this.#pending.get(id)?.callback;
  }

  /** Delivers an ACK; false when no acknowledgement with that id is awaited. */
  resolve(id: number, args: readonly unknown[]): boolean {
    const entry = this.#pending.get(id);
    if (entry === undefined) return false;
    this.#pending.delete(id);
    clearTimeout(entry.timer);
    if (entry.errorFirst) entry.callback(null, ...args);
    else entry.callback(...args);
    return true;
  }

  /**
   * Forgets the acknowledgement of `id` without calling it (a broadcast whose timeout
   * elapsed); false when none was awaited.
   */
  delete(id: number): boolean {
    const entry = this.#pending.get(id);
    if (entry === undefined) return false;
    this.#pending.delete(id);
    clearTimeout(entry.timer);
    return true;
  }

  /**
   * The socket disconnected: error-first callbacks get `error` now (their answer can no
   * longer come), the others are dropped.
   */
  rejectAll(error: Error): void {
    const entries = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of entries) {
      clearTimeout(entry.timer);
      if (entry.errorFirst) entry.callback(error);
    }
  }
}

/**
 * The pending acknowledgements seen as a Map from ack id to callback, as socket.io's
 * `socket.acks` is: adapters written for socket.io-adapter register a broadcast's ack with
 * `socket.acks.set(id, ack)`. Callbacks set here get the client's arguments as they are.
 */
export interface AcknowledgementMap {
  readonly size: number;
  get(id: number): AckCallback | undefined;
  has(id: number): boolean;
  set(id: number, callback: AckCallback): this;
  delete(id: number): boolean;
}

/** An {@link AcknowledgementMap} over a socket's {@link AckRegistry}. */
export class AckRegistryMap implements AcknowledgementMap {
  readonly #registry: AckRegistry;

  constructor(registry: AckRegistry) {
    this.#registry = registry;
  }

  get size(): number {
    return this.#registry.size;
  }

  get(id: number): AckCallback | undefined {
    return this.#registry.callbackOf(id);
  }

  has(id: number): boolean {
    return this.#registry.callbackOf(id) !== undefined;
  }

  set(id: number, callback: AckCallback): this {
    this.#registry.register(id, callback, undefined, false);
    return this;
  }

  delete(id: number): boolean {
    return this.#registry.delete(id);
  }
}
