// The listener side of Server, Namespace and Socket. Their `emit` sends to clients, so
// they cannot extend EventEmitter (whose `emit` calls local listeners): they extend this
// class, which keeps a private EventEmitter and exposes typed listener methods only.
import { EventEmitter } from "node:events";
import type {
  EventsMap,
  ReservedOrUserEventNames,
  ReservedOrUserListener,
} from "./typed-events";

type AnyListener = (...args: unknown[]) => void;

/**
 * Typed listener methods for the events of `Reserved` (emitted by Volley itself: connect,
 * disconnect…) and `User` (received from peers).
 */
export class TypedListeners<Reserved extends EventsMap, User extends EventsMap> {
  readonly #emitter: EventEmitter;

  /** `emitter`: share the listeners of another object (the server and its main namespace). */
  constructor(emitter?: EventEmitter) {
    this.#emitter = emitter ?? new EventEmitter({ captureRejections: false });
    // many sockets may legitimately listen to one namespace event
    this.#emitter.setMaxListeners(0);
  }

  /** Adds a listener. */
  on<Ev extends ReservedOrUserEventNames<Reserved, User>>(
    event: Ev,
    listener: ReservedOrUserListener<Reserved, User, Ev>,
  ): this {
    this.#emitter.on(event, listener as AnyListener);
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
    this.#emitter.once(event, listener as AnyListener);
    return this;
  }

  /** Adds a listener before the others. */
  prependListener<Ev extends ReservedOrUserEventNames<Reserved, User>>(
    event: Ev,
    listener: ReservedOrUserListener<Reserved, User, Ev>,
  ): this {
    this.#emitter.prependListener(event, listener as AnyListener);
    return this;
  }

  /** Removes a listener. */
  off<Ev extends ReservedOrUserEventNames<Reserved, User>>(
    event: Ev,
    listener: ReservedOrUserListener<Reserved, User, Ev>,
  ): this {
    this.#emitter.off(event, listener as AnyListener);
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
    if (event === undefined) this.#emitter.removeAllListeners();
    else this.#emitter.removeAllListeners(event);
    return this;
  }

  /** The listeners of `event`. */
  listeners<Ev extends ReservedOrUserEventNames<Reserved, User>>(
    event: Ev,
  ): Array<ReservedOrUserListener<Reserved, User, Ev>> {
    return this.#emitter.listeners(event) as Array<ReservedOrUserListener<Reserved, User, Ev>>;
  }

  /** How many listeners `event` has. */
  listenerCount(event: ReservedOrUserEventNames<Reserved, User>): number {
    return this.#emitter.listenerCount(event);
  }

  /** The names of the events that have listeners. */
  eventNames(): Array<string | symbol> {
    return this.#emitter.eventNames();
  }

  /** Calls the listeners of a reserved event. */
  protected emitReserved<Ev extends keyof Reserved & string>(
    event: Ev,
    ...args: Reserved[Ev] extends (...a: infer A) => unknown ? A : never
  ): boolean {
    return this.#emitter.emit(event, ...args);
  }

  /** Calls the listeners of an event received from a peer (or another node). */
  protected emitUntyped(event: string, args: readonly unknown[]): boolean {
    return this.#emitter.emit(event, ...args);
  }
}
