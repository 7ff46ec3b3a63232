// Checking that a node is still subscribed to its channels. Both client libraries
// resubscribe by themselves after a reconnection, but nothing tells the adapter that they
// did (or that a subscription was not lost otherwise): so the adapter publishes a probe (a
// heartbeat of its own) on each of its channels and waits for it to come back. A channel
// that stays silent is subscribed again, and probed again.
//
// A check starts when the subscriber client reconnects or reports an error, and when a
// message this node published on one of its own channels did not come back in time (a
// client that reconnects without telling, as ioredis' Cluster does for its subscriber).

/** The outcome of one check of a node's subscriptions. */
export interface SubscriptionCheck {
  /** Channels a probe came back on at once. */
  readonly verified: string[];
  /** Channels that stayed silent, were subscribed again by the adapter, and came back then. */
  readonly resubscribed: string[];
  /** Channels still silent after being subscribed again (reported with `error` too). */
  readonly failed: string[];
}

/** What the checker needs of its adapter. */
export interface SubscriptionCheckHost {
  /** The channels the node is subscribed to now. */
  channels(): string[];
  /** Publishes a probe (a message of this node) on `channel`. */
  probe(channel: string): Promise<unknown>;
  /** Unsubscribes from `channel` and subscribes again. */
  resubscribe(channel: string): Promise<void>;
  /** How long a probe may take to come back (the adapter's `requestsTimeout`). */
  readonly windowMs: number;
  /**
   * Called with the outcome of each automatic check; `resubscribedSilent` says whether the
   * silent channels were subscribed again (not while the subscriber connection is down).
   */
  checked(check: SubscriptionCheck, resubscribedSilent: boolean): void;
}

/** Between two automatic checks that left channels silent, at most this long. */
const MAX_RETRY_DELAY_MS = 30_000;
/** Probes are sent again this many times within the window to channels still silent. */
const PROBES_PER_WINDOW = 4;

export class SubscriptionChecker {
  readonly #host: SubscriptionCheckHost;
  /** Channel -> the waiters of a probe on it. */
  readonly #waiters = new Map<string, Set<() => void>>();
  /** Channels whose last probe Redis has not acknowledged yet: no second one is queued. */
  readonly #inFlight = new Set<string>();
  /** Ends the pending probe windows and the pause between checks at close(). */
  readonly #finishers = new Set<() => void>();
  #running: Promise<void> | undefined;
  /** Ends the pause between two automatic checks early. */
  #pauseEnd: (() => void) | undefined;
  /** Channel -> when the oldest message of this node not seen back on it was published. */
  readonly #unechoed = new Map<string, number>();
  readonly #watchdog: NodeJS.Timeout;
  #again = false;
  #closed = false;
  /** The subscriber client reported an error and no reconnection since. */
  #connectionDown = false;
  /** Whether the last check subscribed its silent channels again. */
  #lastResubscribed = false;

  constructor(host: SubscriptionCheckHost) {
    this.#host = host;
    this.#watchdog = setInterval(() => this.#watch(), host.windowMs);
    this.#watchdog.unref();
  }

  /** This node published a message on `channel`, one of its own: it must come back. */
  noteSent(channel: string): void {
    if (!this.#unechoed.has(channel)) this.#unechoed.set(channel, Date.now());
  }

  /** A message of this node arrived on `channel`: the channel is subscribed. */
  noteEcho(channel: string): void {
    this.#unechoed.delete(channel);
    const waiters = this.#waiters.get(channel);
    if (waiters === undefined) return;
    for (const waiter of [...waiters]) waiter();
  }

  /**
   * The subscriber client reported an error: its connection may be down. A check starts
   * after the window (or at its reconnection): probing at once is useless, and a publish
   * made while the connections are dying may be lost by its client (node-redis 5 writes a
   * command scheduled before a socket error to the dead socket, where it waits forever).
   */
  noteDisconnected(): void {
    this.#connectionDown = true;
    this.trigger(false, true);
  }

  /** The subscriber client reconnected: a check starts, or a running one checks again at once. */
  noteReconnected(): void {
    this.#connectionDown = false;
    this.trigger(true);
  }

  /**
   * Starts checking until every channel answers (retrying with a growing delay), unless a
   * check is running: then `wake` (a reconnection) makes it check once more at once.
   */
  trigger(wake: boolean, later = false): void {
    if (this.#closed) return;
    if (this.#running !== undefined) {
      if (wake) {
        this.#again = true;
        this.#endPause();
      }
      return;
    }
    this.#running = this.#run(later).finally(() => (this.#running = undefined));
  }

  /**
   * Probes every channel, resubscribes the silent ones and probes them again. While the
   * subscriber client is known to be disconnected (an error and no reconnection since) and
   * no probe came back, the silent channels are not subscribed again: the client would
   * queue the commands behind its own resubscription (node-redis then never settles them);
   * the check only reports them.
   */
  async check(): Promise<SubscriptionCheck> {
    this.#lastResubscribed = false;
    const channels = this.#host.channels();
    if (this.#closed || channels.length === 0) return { verified: channels, resubscribed: [], failed: [] };
    const answered = await this.#probe(channels);
    const silent = channels.filter((channel) => !answered.has(channel) && this.#host.channels().includes(channel));
    if (silent.length === 0 || this.#closed) return { verified: [...answered], resubscribed: [], failed: [] };
    if (this.#connectionDown && answered.size === 0) return { verified: [], resubscribed: [], failed: silent };
    this.#lastResubscribed = true;
    await Promise.all(silent.map((channel) => this.#host.resubscribe(channel)));
    const answeredAfter = await this.#probe(silent);
    return {
      verified: [...answered],
      resubscribed: silent.filter((channel) => answeredAfter.has(channel)),
      failed: silent.filter((channel) => !answeredAfter.has(channel) && this.#host.channels().includes(channel)),
    };
  }

  /** Stops: pending probes and pauses end now, no check starts any more. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#watchdog);
    this.#unechoed.clear();
    for (const finish of [...this.#finishers]) finish();
  }

  /** Starts a check when a message of this node has not come back within the window. */
  #watch(): void {
    const threshold = Date.now() - this.#host.windowMs;
    const channels = this.#host.channels();
    for (const [channel, sentAt] of this.#unechoed) {
      if (!channels.includes(channel)) this.#unechoed.delete(channel);
      else if (sentAt < threshold) {
        this.#unechoed.clear();
        this.trigger(false);
        return;
      }
    }
  }

  async #run(later: boolean): Promise<void> {
    let delay = this.#host.windowMs;
    if (later) await this.#pause(delay);
    for (;;) {
      if (this.#closed) return;
      this.#again = false;
      const result = await this.check();
      if (this.#closed) return;
      this.#host.checked(result, this.#lastResubscribed);
      if (result.failed.length === 0 && !this.#again) return;
      if (!this.#again) {
        await this.#pause(delay);
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      }
    }
  }

  #endPause(): void {
    this.#pauseEnd?.();
  }

  #pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.#finishers.delete(finish);
        this.#pauseEnd = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.#pauseEnd = finish;
      this.#finishers.add(finish);
    });
  }

  /** Resolves with the channels a probe came back on within the window. */
  #probe(channels: readonly string[]): Promise<Set<string>> {
    const answered = new Set<string>();
    const pending = new Set(channels);
    return new Promise<Set<string>>((resolve) => {
      const waiters = new Map<string, () => void>();
      const finish = (): void => {
        clearInterval(resend);
        clearTimeout(timer);
        this.#finishers.delete(finish);
        for (const [channel, waiter] of waiters) {
          const set = this.#waiters.get(channel);
          set?.delete(waiter);
          if (set?.size === 0) this.#waiters.delete(channel);
        }
        resolve(answered);
      };
      for (const channel of channels) {
        const waiter = (): void => {
          answered.add(channel);
          pending.delete(channel);
          if (pending.size === 0) finish();
        };
        waiters.set(channel, waiter);
        let set = this.#waiters.get(channel);
        if (set === undefined) {
          set = new Set();
          this.#waiters.set(channel, set);
        }
        set.add(waiter);
      }
      // A SUBSCRIBE in flight on the subscriber connection may land after a probe sent on
      // the other connection: the channels still silent are probed again within the window.
      const send = (): void => {
        for (const channel of pending) this.#send(channel);
      };
      const resend = setInterval(send, this.#host.windowMs / PROBES_PER_WINDOW);
      const timer = setTimeout(finish, this.#host.windowMs);
      this.#finishers.add(finish);
      send();
    });
  }

  #send(channel: string): void {
    if (this.#inFlight.has(channel) || this.#closed) return;
    this.#inFlight.add(channel);
    // With Redis down, a client keeps the probe in its offline queue: one per channel at most.
    this.#host.probe(channel).then(
      () => this.#inFlight.delete(channel),
      () => this.#inFlight.delete(channel),
    );
  }
}
