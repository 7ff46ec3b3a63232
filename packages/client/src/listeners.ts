// The listener side of Manager and Socket. A Socket's `emit` sends to the server, so it
// cannot extend EventEmitter (whose `emit` calls local listeners): both extend this class,
// which keeps its listeners in a private eventemitter3 instance and exposes the listener
// methods of socket.io-client's emitter (`on`, `once`, `off`, `listeners`, `hasListeners`…).
import { EventEmitter } from "eventemitter3";
import type { EventNames, EventParams, EventsMap, ReservedOrUserEventNames, ReservedOrUserListener } from "./typed-events";

type Listener = (...args: any[]) => void;

/** Typed listener methods for the events of `Reserved` (emitted by Volley) and `User` (from the server). */
export class TypedListeners<Reserved extends EventsMap, User extends EventsMap> {
  readonly #emitter = new EventEmitter();

  /** Adds a listener. */
  on<Ev extends ReservedOrUserEventNames<Reserved, User>>(event: Ev, listener: ReservedOrUserListener<Reserved, User, Ev>): this {
    this.#emitter.on(event, listener as Listener);
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
  once<Ev extends ReservedOrUserEventNames<Reserved, User>>(event: Ev, listener: ReservedOrUserListener<Reserved, User, Ev>): this {
    this.#emitter.once(event, listener as Listener);
    return this;
  }

  /**
   * Removes a listener; without `listener`, every listener of `event`; without arguments,
   * every listener.
   */
  off<Ev extends ReservedOrUserEventNames<Reserved, User>>(event?: Ev, listener?: ReservedOrUserListener<Reserved, User, Ev>): this {
    if (event === undefined) this.#emitter.removeAllListeners();
    else if (listener === undefined) this.#emitter.removeAllListeners(event);
    else this.#emitter.off(event, listener as Listener);
    return this;
  }

  /** Alias of {@link off}. */
  removeListener<Ev extends ReservedOrUserEventNames<Reserved, User>>(
    event?: Ev,
    listener?: ReservedOrUserListener<Reserved, User, Ev>,
  ): this {
    return this.off(event, listener);
  }

  /** Removes every listener of `event`, or of every event. */
  removeAllListeners<Ev extends ReservedOrUserEventNames<Reserved, User>>(event?: Ev): this {
    this.#emitter.removeAllListeners(event);
    return this;
  }

  /** The listeners of `event`. */
  listeners<Ev extends ReservedOrUserEventNames<Reserved, User>>(event: Ev): Array<ReservedOrUserListener<Reserved, User, Ev>> {
    return this.#emitter.listeners(event) as Array<ReservedOrUserListener<Reserved, User, Ev>>;
  }

  /** Whether `event` has listeners. */
  hasListeners<Ev extends ReservedOrUserEventNames<Reserved, User>>(event: Ev): boolean {
    return this.#emitter.listenerCount(event) > 0;
  }

  /** How many listeners `event` has. */
  listenerCount<Ev extends ReservedOrUserEventNames<Reserved, User>>(event: Ev): number {
    return this.#emitter.listenerCount(event);
  }

  /** Calls the listeners of an event Volley emits itself (connect, disconnect, reconnect…). */
  protected emitReserved<Ev extends EventNames<Reserved>>(event: Ev, ...args: EventParams<Reserved, Ev>): void {
    this.#emitter.emit(event, ...(args as unknown[]));
  }

  /** Calls the listeners of an event received from the server. */
  protected emitReceived(args: readonly unknown[]): void {
    // apply: no copy of the arguments on this path, which runs for every received event.
    Reflect.apply(this.#emitter.emit, this.#emitter, args);
  }
}
