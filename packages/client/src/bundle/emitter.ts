// What `eventemitter3` resolves to in the browser bundles: the same API and the same
// behaviour (listener order, `once`, context, what a listener added or removed during an
// emit sees), written as an ES module. eventemitter3 itself is CommonJS, which the bundles
// would carry as a wrapped module; test/unit/bundle-emitter.test.ts runs both side by side.

type Listener = (...args: unknown[]) => void;
type EventName = string | symbol;

interface Entry {
  readonly fn: Listener;
  readonly context: unknown;
  readonly once: boolean;
}

/** eventemitter3's EventEmitter. */
export class EventEmitter {
  static readonly prefixed: string | boolean = false;
  static EventEmitter: typeof EventEmitter;

  // An array per event that grows in place on `on` and is replaced on removal: an emit
  // walks the array it started with, up to the length it had.
  #events = new Map<EventName, Entry[]>();

  eventNames(): EventName[] {
    return [...this.#events.keys()];
  }

  listeners(event: EventName): Listener[] {
    return (this.#events.get(event) ?? []).map((entry) => entry.fn);
  }

  listenerCount(event: EventName): number {
    return this.#events.get(event)?.length ?? 0;
  }

  emit(event: EventName, ...args: unknown[]): boolean {
    const entries = this.#events.get(event);
    if (entries === undefined) return false;
    for (let i = 0, length = entries.length; i < length; i++) {
      const entry = entries[i] as Entry;
      if (entry.once) this.removeListener(event, entry.fn, undefined, true);
      entry.fn.apply(entry.context, args);
    }
    return true;
  }

  on(event: EventName, fn: Listener, context?: unknown): this {
    return this.#add(event, fn, context, false);
  }

  addListener(event: EventName, fn: Listener, context?: unknown): this {
    return this.#add(event, fn, context, false);
  }

  once(event: EventName, fn: Listener, context?: unknown): this {
    return this.#add(event, fn, context, true);
  }

  removeListener(event: EventName, fn?: Listener, context?: unknown, once?: boolean): this {
    const kept = fn
      ? (this.#events.get(event) ?? []).filter(
          (entry) => entry.fn !== fn || (once && !entry.once) || (context && entry.context !== context),
        )
      : [];
    if (kept.length === 0) this.#events.delete(event);
    else this.#events.set(event, kept);
    return this;
  }

  off(event: EventName, fn?: Listener, context?: unknown, once?: boolean): this {
    return this.removeListener(event, fn, context, once);
  }

  removeAllListeners(event?: EventName): this {
    if (event === undefined) this.#events.clear();
    else this.#events.delete(event);
    return this;
  }

  #add(event: EventName, fn: Listener, context: unknown, once: boolean): this {
    if (typeof fn !== "function") throw new TypeError("The listener must be a function");
    const entry: Entry = { fn, context: context || this, once };
    const entries = this.#events.get(event);
    if (entries === undefined) this.#events.set(event, [entry]);
    else entries.push(entry);
    return this;
  }
}

EventEmitter.EventEmitter = EventEmitter;

export default EventEmitter;
