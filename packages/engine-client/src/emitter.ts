import { EventEmitter } from "eventemitter3";

/**
 * The event emitter of the socket and the transports: eventemitter3 (small, fast,
 * browser-safe) plus the methods of `@socket.io/component-emitter` that code written for
 * engine.io-client calls: `hasListeners(event)`, `off()` / `removeListener()` with no
 * arguments (removes every listener), and a protected `emitReserved` for subclasses.
 */
export class Emitter<Events extends object> extends EventEmitter<Events> {
  /** Whether at least one listener is registered for `event`. */
  hasListeners(event: EventEmitter.EventNames<Events>): boolean {
    return this.listenerCount(event) > 0;
  }

  /**
   * Removes `fn` from `event`; every listener of `event` without `fn`; every listener of
   * every event without arguments.
   */
  override off<T extends EventEmitter.EventNames<Events>>(
    event?: T,
    fn?: EventEmitter.EventListener<Events, T>,
    context?: unknown,
    once?: boolean,
  ): this {
    if (event === undefined) return this.removeAllListeners();
    return super.off(event, fn, context, once);
  }

  /** Alias of {@link off}. */
  override removeListener<T extends EventEmitter.EventNames<Events>>(
    event?: T,
    fn?: EventEmitter.EventListener<Events, T>,
    context?: unknown,
    once?: boolean,
  ): this {
    if (event === undefined) return this.removeAllListeners();
    return super.removeListener(event, fn, context, once);
  }

  /** Emits one of the class's own events (component-emitter's name for it); returns `this`. */
  protected emitReserved<T extends EventEmitter.EventNames<Events>>(
    event: T,
    ...args: EventEmitter.EventArgs<Events, T>
  ): this {
    this.emit(event, ...args);
    return this;
  }
}
