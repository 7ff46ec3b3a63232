// The listener side of Server, Namespace and Socket. Their `emit` sends to clients, so
// they cannot extend EventEmitter (whose `emit` calls local listeners): they extend this
// class, which keeps its listeners itself and exposes typed listener methods only.
//
// Why not a private EventEmitter: one costs 250–400 bytes per Socket.IO socket (the
// emitter and its dictionary-mode `_events`), and a socket has a handful of events at
// most. The listeners live in one flat array, `[event, listener(s), event, listener(s)…]`,
// created on the first `on()`: about 60 bytes for one event. Lookups are a linear scan,
// which for a handful of keys is as fast as a hash lookup.
import { EventEmitter } from "node:events";
import { inspect } from "node:util";
import type {
  EventsMap,
  ReservedOrUserEventNames,
  ReservedOrUserListener,
} from "./typed-events";

type Listener = (...args: unknown[]) => unknown;
type EventKey = string | symbol;

/**
 * `setMaxListeners()` values, by listener owner. Kept outside the objects: a socket that
 * never calls it (nearly all) pays nothing for it.
 */
const maxListeners = new WeakMap<object, number>();

/** A `once` listener: the wrapper that removes itself, pointing at the user's function. */
interface OnceWrapper extends Listener {
  listener: Listener;
}

/**
 * `[event, listener or listeners, …]`. Copy-on-write, at the exact size: adding or removing
 * a listener builds new arrays, so an emit can walk the arrays it read without copying
 * them, and no array keeps spare capacity.
 */
type ListenerTable = ReadonlyArray<EventKey | Listener | readonly Listener[]>;
type Entry = Listener | readonly Listener[];

/**
 * Typed listener methods for the events of `Reserved` (emitted by Volley itself: connect,
 * disconnect…) and `User` (received from peers). Behaves as Node's EventEmitter does for
 * these methods (order, `once`, `prependListener`, `newListener` / `removeListener`
 * events, listeners added or removed during an emit), with two differences: an `error`
 * event without listeners is dropped instead of thrown (a client sending an "error" event
 * must not crash the server), and there is no max-listeners warning (`setMaxListeners`
 * and `getMaxListeners` exist and keep the value, so code written for EventEmitter runs).
 */
export class TypedListeners<Reserved extends EventsMap, User extends EventsMap> {
  /** Whose listeners these are: this object, or the one it shares them with. */
  readonly #owner: TypedListeners<EventsMap, EventsMap>;
  #table: ListenerTable | undefined;

  /** `sharedWith`: use the listeners of another object (the main namespace uses the server's). */
  constructor(sharedWith?: TypedListeners<EventsMap, EventsMap>) {
    this.#owner = sharedWith ?? (this as unknown as TypedListeners<EventsMap, EventsMap>);
  }

  /** Adds a listener. */
  on<Ev extends ReservedOrUserEventNames<Reserved, User>>(
    event: Ev,
    listener: ReservedOrUserListener<Reserved, User, Ev>,
  ): this {
    this.#add(event, checkListener(listener), false);
    return this;
  }

  /** Alias of {@link on}. */
  addListener<Ev extends ReservedOrUserEventNames<Reserved, User>>(
    event: Ev,
    listener: ReservedOrUserListener<Reserved, User, Ev>,
  ): this {
    return this.on(event, listener);
  }

  /** Adds a listener called at most once. */
  once<Ev extends ReservedOrUserEventNames<Reserved, User>>(
    event: Ev,
    listener: ReservedOrUserListener<Reserved, User, Ev>,
  ): this {
    this.#add(event, this.#onceWrapper(event, checkListener(listener)), false);
    return this;
  }

  /** Adds a listener before the others. */
  prependListener<Ev extends ReservedOrUserEventNames<Reserved, User>>(
    event: Ev,
    listener: ReservedOrUserListener<Reserved, User, Ev>,
  ): this {
    this.#add(event, checkListener(listener), true);
    return this;
  }

  /** Adds a listener called at most once, before the others. */
  prependOnceListener<Ev extends ReservedOrUserEventNames<Reserved, User>>(
    event: Ev,
    listener: ReservedOrUserListener<Reserved, User, Ev>,
  ): this {
    this.#add(event, this.#onceWrapper(event, checkListener(listener)), true);
    return this;
  }

  /** Removes a listener (the last one added, if it was added several times). */
  off<Ev extends ReservedOrUserEventNames<Reserved, User>>(
    event: Ev,
    listener: ReservedOrUserListener<Reserved, User, Ev>,
  ): this {
    this.#remove(event, listener as Listener);
    return this;
  }

  /** Alias of {@link off}. */
  removeListener<Ev extends ReservedOrUserEventNames<Reserved, User>>(
    event: Ev,
    listener: ReservedOrUserListener<Reserved, User, Ev>,
  ): this {
    return this.off(event, listener);
  }

  /** Removes every listener of `event`, or of every event. */
  removeAllListeners(event?: ReservedOrUserEventNames<Reserved, User>): this {
    if (event !== undefined) {
      this.#removeAll(event);
      return this;
    }
    // like EventEmitter: `removeListener` listeners hear about every other removal first
    for (const key of this.eventNames()) if (key !== "removeListener") this.#removeAll(key);
    this.#removeAll("removeListener");
    return this;
  }

  /** The listeners of `event` (a copy; `once` listeners as given). */
  listeners<Ev extends ReservedOrUserEventNames<Reserved, User>>(
    event: Ev,
  ): Array<ReservedOrUserListener<Reserved, User, Ev>> {
    return listenersOf(entryOf(this.#owner.#table, keyOf(event))).map(unwrap) as Array<ReservedOrUserListener<Reserved, User, Ev>>;
  }

  /**
   * The listeners of `event` as stored: a `once` listener is its wrapper, which removes
   * itself when called and has the user's function as `listener`.
   */
  rawListeners<Ev extends ReservedOrUserEventNames<Reserved, User>>(event: Ev): Array<(...args: unknown[]) => unknown> {
    return listenersOf(entryOf(this.#owner.#table, keyOf(event))).slice();
  }

  /** How many listeners `event` has; with `listener`, how many times that one is registered. */
  listenerCount(event: ReservedOrUserEventNames<Reserved, User>, listener?: (...args: never[]) => unknown): number {
    const listeners = listenersOf(entryOf(this.#owner.#table, keyOf(event)));
    if (listener === undefined || listener === null) return listeners.length;
    let count = 0;
    for (const registered of listeners) if (registered === listener || unwrap(registered) === listener) count++;
    return count;
  }

  /**
   * Sets the number of listeners per event past which Node's EventEmitter would warn
   * (`0` or `Infinity`: no limit). Kept for EventEmitter compatibility (`io.setMaxListeners(0)`);
   * Volley never warns.
   * @throws RangeError (code `ERR_OUT_OF_RANGE`) for a negative number or NaN, TypeError
   * (`ERR_INVALID_ARG_TYPE`) for another type, as EventEmitter does
   */
  setMaxListeners(n: number): this {
    if (typeof n !== "number") {
      throw Object.assign(
        new TypeError(`The "setMaxListeners" argument must be of type number. Received ${describeValue(n)}`),
        { code: "ERR_INVALID_ARG_TYPE" },
      );
    }
    if (n < 0 || Number.isNaN(n)) {
      throw Object.assign(
        new RangeError(`The value of "setMaxListeners" is out of range. It must be >= 0. Received ${String(n)}`),
        { code: "ERR_OUT_OF_RANGE" },
      );
    }
    maxListeners.set(this.#owner, n);
    return this;
  }

  /** The value of {@link setMaxListeners}, or `EventEmitter.defaultMaxListeners` (10). */
  getMaxListeners(): number {
    return maxListeners.get(this.#owner) ?? EventEmitter.defaultMaxListeners;
  }

  /** The names of the events that have listeners. */
  eventNames(): Array<string | symbol> {
    const table = this.#owner.#table ?? [];
    const names: EventKey[] = [];
    for (let i = 0; i < table.length; i += 2) names.push(table[i] as EventKey);
    return names;
  }

  /** Calls the listeners of a reserved event. */
  protected emitReserved<Ev extends keyof Reserved & string>(
    event: Ev,
    ...args: Reserved[Ev] extends (...a: infer A) => unknown ? A : never
  ): boolean {
    return this.#emit(event, args);
  }

  /** Calls the listeners of an event received from a peer (or another node). */
  protected emitUntyped(event: string, args: readonly unknown[]): boolean {
    return this.#emit(event, args);
  }

  #emit(event: EventKey, args: readonly unknown[]): boolean {
    const entry = entryOf(this.#owner.#table, event);
    if (entry === undefined) return false;
    if (typeof entry === "function") {
      entry.apply(this, args as unknown[]);
      return true;
    }
    // never mutated (copy-on-write): listeners added during the emit wait for the next
    // one, removed ones still run, as with EventEmitter
    for (const listener of entry) listener.apply(this, args as unknown[]);
    return true;
  }

  #add(name: EventKey, listener: Listener, prepend: boolean): void {
    const event = keyOf(name);
    const owner = this.#owner;
    if (entryOf(owner.#table, "newListener") !== undefined) this.#emit("newListener", [event, unwrap(listener)]);
    const table = owner.#table;
    if (table === undefined) {
      owner.#table = [event, listener];
      return;
    }
    const index = indexOf(table, event);
    if (index === -1) {
      owner.#table = [...table, event, listener];
      return;
    }
    const entry = listenersOf(table[index + 1] as Entry);
    owner.#table = replaced(table, index, prepend ? [listener, ...entry] : [...entry, listener]);
  }

  #remove(name: EventKey, listener: Listener): void {
    const event = keyOf(name);
    const owner = this.#owner;
    const table = owner.#table;
    if (table === undefined) return;
    const index = indexOf(table, event);
    if (index === -1) return;
    const entry = listenersOf(table[index + 1] as Entry);
    let at = entry.length - 1;
    while (at >= 0 && entry[at] !== listener && unwrap(entry[at]!) !== listener) at--;
    if (at === -1) return;
    const removed = entry[at]!;
    const rest = [...entry.slice(0, at), ...entry.slice(at + 1)];
    owner.#table = replaced(table, index, rest.length === 0 ? undefined : rest);
    if (entryOf(owner.#table, "removeListener") !== undefined) this.#emit("removeListener", [event, unwrap(removed)]);
  }

  #removeAll(name: EventKey): void {
    const event = keyOf(name);
    const owner = this.#owner;
    const table = owner.#table;
    if (table === undefined) return;
    const index = indexOf(table, event);
    if (index === -1) return;
    const removed = listenersOf(table[index + 1] as Entry);
    owner.#table = replaced(table, index, undefined);
    if (entryOf(owner.#table, "removeListener") === undefined) return;
    // newest first, as EventEmitter reports them
    for (let i = removed.length - 1; i >= 0; i--) this.#emit("removeListener", [event, unwrap(removed[i]!)]);
  }

  #onceWrapper(event: EventKey, listener: Listener): OnceWrapper {
    const self = this;
    let fired = false;
    const wrapper = function (this: unknown, ...args: unknown[]): unknown {
      if (fired) return undefined;
      fired = true;
      self.#remove(event, wrapper);
      return listener.apply(this, args);
    } as OnceWrapper;
    wrapper.listener = listener;
    return wrapper;
  }
}

/** How Node's argument errors describe a value ("type string ('3')", "an instance of Object"…). */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "function") return `function ${value.name}`;
  if (typeof value === "object") return `an instance of ${(value.constructor as { name?: string } | undefined)?.name ?? "Object"}`;
  return `type ${typeof value} (${inspect(value)})`;
}

function checkListener(listener: unknown): Listener {
  if (typeof listener !== "function") {
    throw new TypeError(`The "listener" argument must be of type function. Received type ${typeof listener}`);
  }
  return listener as Listener;
}

/**
 * The key a listener is stored under. EventEmitter keys are property keys, so `on(1)` and
 * `on("1")` are one event (JavaScript callers may pass a number: a client's numeric event
 * names reach `on("1")`). Done when listeners are added or looked up, not per emit.
 */
function keyOf(event: EventKey | number): EventKey {
  return typeof event === "number" ? String(event) : event;
}

function indexOf(table: ListenerTable, event: EventKey): number {
  for (let i = 0; i < table.length; i += 2) if (table[i] === event) return i;
  return -1;
}

function entryOf(table: ListenerTable | undefined, event: EventKey): Entry | undefined {
  if (table === undefined) return undefined;
  const index = indexOf(table, event);
  return index === -1 ? undefined : (table[index + 1] as Entry);
}

function listenersOf(entry: Entry | undefined): readonly Listener[] {
  if (entry === undefined) return [];
  return typeof entry === "function" ? [entry] : entry;
}

/** A copy of `table` with the listeners of the event at `index` replaced (or the event gone). */
function replaced(table: ListenerTable, index: number, listeners: readonly Listener[] | undefined): ListenerTable | undefined {
  if (listeners === undefined) {
    if (table.length === 2) return undefined;
    return [...table.slice(0, index), ...table.slice(index + 2)];
  }
  const copy = table.slice();
  copy[index + 1] = listeners.length === 1 ? listeners[0]! : listeners;
  return copy;
}

function unwrap(listener: Listener): Listener {
  return (listener as Partial<OnceWrapper>).listener ?? listener;
}
