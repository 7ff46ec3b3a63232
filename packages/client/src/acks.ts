// The acknowledgements a socket waits for: ack id -> callback, with an optional timer. An
// ack "with error" (a timeout, `emitWithAck`, the retry queue) gets an error first: null
// when the server answered, an AckTimeoutError or SocketDisconnectedError otherwise.
import { AckTimeoutError } from "./errors";

type AckCallback = (...args: any[]) => void;

interface PendingAck {
  readonly callback: AckCallback;
  readonly withError: boolean;
  readonly timer: ReturnType<typeof setTimeout> | undefined;
}

export class AckRegistry {
  /** Whether ack timers may let the process exit (the Manager's `autoUnref`). */
  readonly #unrefTimers: boolean;
  #nextId = 0;
  /** Made on the first emit with an ack: an idle socket keeps no Map. */
  #pending: Map<number, PendingAck> | undefined;

  constructor(unrefTimers: boolean) {
    this.#unrefTimers = unrefTimers;
  }

  /**
   * Registers `callback` under a new ack id. With `timeoutMs`, it gets an AckTimeoutError
   * after that long, and `onTimeout(id)` runs first (to drop the packet if still buffered).
   */
  register(callback: AckCallback, withError: boolean, timeoutMs: number | undefined, onTimeout: (id: number) => void): number {
    const id = this.#nextId++;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            if (this.#pending?.delete(id) !== true) return;
            onTimeout(id);
            callback(new AckTimeoutError());
          }, timeoutMs);
    if (timer !== undefined && this.#unrefTimers && typeof timer === "object") timer.unref();
    (this.#pending ??= new Map()).set(id, { callback, withError: withError || timeoutMs !== undefined, timer });
    return id;
  }

  /** The server answered ack `id` with `args`; ignores unknown (timed out, duplicate) ids. */
  settle(id: number, args: unknown[]): void {
    const ack = this.#pending?.get(id);
    if (ack === undefined) return;
    this.#pending?.delete(id);
    if (ack.timer !== undefined) clearTimeout(ack.timer);
    if (ack.withError) ack.callback(null, ...args);
    else ack.callback(...args);
  }

  /**
   * The socket disconnected: acks "with error" whose packet was already sent get `error` at
   * once (the answer can no longer come); plain acks are forgotten, as socket.io-client
   * does. Acks of packets still buffered (`isBuffered`) stay: the packet goes out on reconnection.
   */
  failSent(error: () => Error, isBuffered: (id: number) => boolean): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    for (const [id, ack] of pending) {
      if (isBuffered(id)) continue;
      pending.delete(id);
      if (ack.timer !== undefined) clearTimeout(ack.timer);
      if (ack.withError) ack.callback(error());
    }
  }
}
