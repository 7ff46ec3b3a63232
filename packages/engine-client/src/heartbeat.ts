// Detects a silent server: the server pings every pingInterval, so when no ping arrives within
// pingInterval + pingTimeout the connection is considered dead. The deadline is also kept as a
// timestamp because timers are throttled or frozen on suspended laptops and background tabs.

import { timerFunctions, type TimerFunctions } from "./timers";

export class HeartbeatMonitor {
  readonly #onTimeout: () => void;
  readonly #autoUnref: boolean;
  readonly #timers: TimerFunctions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #deadline = Infinity;

  constructor(
    onTimeout: () => void,
    autoUnref: boolean,
    timers: TimerFunctions = timerFunctions(false),
  ) {
    this.#onTimeout = onTimeout;
    this.#autoUnref = autoUnref;
    this.#timers = timers;
  }

  /** (Re)starts the wait: `onTimeout` runs unless `reset` or `stop` is called within `delayMs`. */
  reset(delayMs: number): void {
    this.stop();
    this.#deadline = Date.now() + delayMs;
    const timer = this.#timers.setTimeoutFn(() => {
      this.#timer = undefined;
      this.#onTimeout();
    }, delayMs);
    // Node.js only: an unref'ed timer does not keep the process alive (autoUnref).
    if (this.#autoUnref) (timer as { unref?: () => void }).unref?.();
    this.#timer = timer;
  }

  stop(): void {
    if (this.#timer !== undefined) this.#timers.clearTimeoutFn(this.#timer);
    this.#timer = undefined;
  }

  /** Whether the deadline has passed even though the timer has not fired (yet). */
  hasExpired(now = Date.now()): boolean {
    return now > this.#deadline;
  }
}
