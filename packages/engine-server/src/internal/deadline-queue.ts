// A monotonic clock (wall-clock jumps must not fire or delay heartbeats), read through the
// global so that fake timers (jest, sinon) move it along with the timers.
const now = (): number => performance.now();

/**
 * A timer fires when its libuv clock says the delay elapsed; performance.now() may then
 * still be a fraction of a millisecond short of the deadline. Deadlines that close count
 * as reached (rather than arming a 1 ms timer for them).
 */
const TOLERANCE_MS = 1;

/** One owner's place in a {@link DeadlineQueue}: allocated once, reused for every deadline. */
export class Deadline<T> {
  readonly owner: T;
  /** When it expires, on the {@link now} clock. */
  due = 0;
  queue: DeadlineQueue<T> | undefined;
  prev: Deadline<T> | undefined;
  next: Deadline<T> | undefined;

  constructor(owner: T) {
    this.owner = owner;
  }

  /** Leaves its queue, if it is in one. */
  cancel(): void {
    this.queue?.remove(this);
  }
}

/**
 * Deadlines that all have the same delay (a server's pingInterval, or its pingTimeout), so
 * that adding one always appends it after every other: the queue stays sorted as a plain
 * list, and one timer (for the first deadline) serves every session of a server. Per
 * session that is a {@link Deadline} (about 40 bytes) instead of a Node `Timeout` with
 * its argument array (about 210 bytes).
 */
export class DeadlineQueue<T> {
  readonly delayMs: number;
  readonly #onExpire: (owner: T) => void;
  #head: Deadline<T> | undefined;
  #tail: Deadline<T> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(delayMs: number, onExpire: (owner: T) => void) {
    this.delayMs = delayMs;
    this.#onExpire = onExpire;
  }

  /** Whether no deadline is queued (and so no timer is running). */
  get isEmpty(): boolean {
    return this.#head === undefined;
  }

  /** (Re)starts `deadline`: it expires `delayMs` from now, after every other one queued. */
  add(deadline: Deadline<T>): void {
    deadline.queue?.remove(deadline);
    deadline.due = now() + this.delayMs;
    deadline.queue = this;
    deadline.prev = this.#tail;
    deadline.next = undefined;
    if (this.#tail === undefined) this.#head = deadline;
    else this.#tail.next = deadline;
    this.#tail = deadline;
    if (this.#timer === undefined) this.#arm(this.delayMs);
  }

  /** Takes `deadline` out of the queue; the timer stops with the last one. */
  remove(deadline: Deadline<T>): void {
    if (deadline.queue !== this) return;
    const { prev, next } = deadline;
    if (prev === undefined) this.#head = next;
    else prev.next = next;
    if (next === undefined) this.#tail = prev;
    else next.prev = prev;
    deadline.queue = undefined;
    deadline.prev = undefined;
    deadline.next = undefined;
    if (this.#head === undefined && this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  #arm(delayMs: number): void {
    this.#timer = setTimeout(this.#onTimer, delayMs);
  }

  // The timer may fire early for the first deadline (the one it was armed for was removed):
  // it then fires what is due and re-arms for the rest.
  readonly #onTimer = (): void => {
    this.#timer = undefined;
    const reached = now() + TOLERANCE_MS;
    // what expiring owners queue meanwhile waits for the next run
    const last = this.#tail;
    let deadline = this.#head;
    while (deadline !== undefined && deadline.due <= reached) {
      this.remove(deadline);
      this.#onExpire(deadline.owner);
      if (deadline === last) break;
      deadline = this.#head;
    }
    const first = this.#head;
    if (first !== undefined && this.#timer === undefined) this.#arm(Math.max(1, Math.ceil(first.due - now())));
  };
}
