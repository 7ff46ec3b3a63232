// The requests this node sent to the others and is waiting on: who must still answer,
// what arrived, and a timer. Completes when every expected node answered (or went down),
// fails with RequestTimeoutError when the timer fires first, naming the nodes still awaited
// when it knows them by id: every adapter built on ClusterAdapterWithHeartbeat gets that
// for free.
import { AdapterClosedError, RequestTimeoutError } from "./errors";
import { MAX_TIMER_DELAY_MS } from "./options";
import type { NodeId } from "./types";

/** Who must answer: a number of nodes (any of them), or the ids of the live nodes. */
export type Responders = number | ReadonlySet<NodeId>;

export interface RequestSpec<T> {
  readonly responders: Responders;
  readonly timeoutMs: number;
  /** Every expected node answered (or the request ended early through `isFinal`). */
  readonly resolve: (responses: T[]) => void;
  /** Timeout, closing or a failed publish; `responses` holds what had arrived. */
  readonly reject: (error: Error, responses: T[]) => void;
  /** Ends the request at once when one response makes the others unnecessary. */
  readonly isFinal?: (response: T) => boolean;
}

interface Entry {
  readonly spec: RequestSpec<unknown>;
  /** The nodes that must still answer (struck off as they answer or go down), when known by id. */
  readonly waitingFor: Set<NodeId> | undefined;
  remaining: number;
  readonly expected: number;
  readonly responses: unknown[];
  readonly timer: NodeJS.Timeout;
}

export class PendingRequests {
  readonly #entries = new Map<string, Entry>();

  /** How many requests are pending. */
  get size(): number {
    return this.#entries.size;
  }

  add<T>(requestId: string, spec: RequestSpec<T>): void {
    const waitingFor = typeof spec.responders === "number" ? undefined : new Set(spec.responders);
    const expected = waitingFor === undefined ? (spec.responders as number) : waitingFor.size;
    const timer = setTimeout(() => {
      const entry = this.#entries.get(requestId);
      if (entry === undefined) return;
      this.#entries.delete(requestId);
      entry.spec.reject(
        new RequestTimeoutError(entry.responses.length, entry.expected, entry.waitingFor === undefined ? undefined : [...entry.waitingFor]),
        entry.responses,
      );
    }, Math.min(spec.timeoutMs, MAX_TIMER_DELAY_MS));
    this.#entries.set(requestId, {
      spec: spec as RequestSpec<unknown>,
      waitingFor,
      remaining: expected,
      expected,
      responses: [],
      timer,
    });
  }

  /** Records `from`'s answer; answers from unexpected nodes or repeated ones are ignored. */
  respond(requestId: string, from: NodeId, response: unknown): void {
    const entry = this.#entries.get(requestId);
    if (entry === undefined) return;
    if (entry.waitingFor !== undefined && !entry.waitingFor.delete(from)) return;
    entry.responses.push(response);
    entry.remaining--;
    if (entry.spec.isFinal?.(response) === true) {
      this.#finish(requestId, entry, [response]);
    } else if (entry.remaining <= 0) {
      this.#finish(requestId, entry, entry.responses);
    }
  }

  /** A node went down: requests stop waiting for it. */
  releaseNode(uid: NodeId): void {
    for (const [requestId, entry] of this.#entries) {
      if (entry.waitingFor?.delete(uid) !== true) continue;
      entry.remaining--;
      if (entry.remaining <= 0) this.#finish(requestId, entry, entry.responses);
    }
  }

  /** Fails one request (its message could not be published). */
  fail(requestId: string, error: Error): void {
    const entry = this.#entries.get(requestId);
    if (entry === undefined) return;
    this.#entries.delete(requestId);
    clearTimeout(entry.timer);
    entry.spec.reject(error, entry.responses);
  }

  /** Fails every request with AdapterClosedError. */
  closeAll(): void {
    for (const requestId of [...this.#entries.keys()]) this.fail(requestId, new AdapterClosedError());
  }

  #finish(requestId: string, entry: Entry, responses: unknown[]): void {
    this.#entries.delete(requestId);
    clearTimeout(entry.timer);
    entry.spec.resolve(responses);
  }
}
