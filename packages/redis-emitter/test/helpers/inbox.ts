// Records every event a client receives, so that a test can wait (bounded) for one, or check
// afterwards that one never came: the emitter publishes on one Redis connection and the
// nodes deliver in order, so once a later event has arrived, an earlier one would have too.
import type { Socket as ClientSocket } from "@volley/client";

export interface Received {
  readonly event: string;
  readonly args: unknown[];
}

export class Inbox {
  readonly received: Received[] = [];
  readonly #waiters = new Set<() => void>();

  constructor(readonly client: ClientSocket) {
    client.onAny((event: string, ...args: unknown[]) => {
      this.received.push({ event, args });
      for (const wake of [...this.#waiters]) wake();
    });
  }

  /** The arguments of every `event` received so far. */
  all(event: string): unknown[][] {
    return this.received.filter((item) => item.event === event).map((item) => item.args);
  }

  /** Resolves with the arguments of the first `event` (already received or to come) that `match` accepts. */
  next(event: string, match: (args: unknown[]) => boolean = () => true, timeoutMs = 5000): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      const look = (): boolean => {
        const found = this.all(event).find(match);
        if (found === undefined) return false;
        this.#waiters.delete(look);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(look);
        reject(new Error(`no "${event}" within ${timeoutMs} ms; received ${JSON.stringify(this.received)}`));
      }, timeoutMs);
      if (!look()) this.#waiters.add(look);
    });
  }
}

/** Waits until every inbox got `event` with first argument `tag`. */
export async function allGot(inboxes: readonly Inbox[], event: string, tag: unknown): Promise<void> {
  await Promise.all(inboxes.map((inbox) => inbox.next(event, (args) => args[0] === tag)));
}
