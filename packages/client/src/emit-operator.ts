// The emitters returned by `socket.timeout(ms)`, `socket.volatile` and `socket.compress(b)`:
// small immutable objects that carry their flags to one `emit`. No flag is stored on the
// socket, so a modifier applied before an `await` never leaks into a later emit.
import type { EmitFlags } from "./internal";
import type {
  AckResult,
  DefaultEventsMap,
  EmitParams,
  EmitWithAckParams,
  EventNames,
  EventsMap,
} from "./typed-events";

/**
 * How an operator hands an emit to its socket: `args` is `[event, ...data, ack?]`;
 * `ackWithError` marks an ack that takes an error first (emitWithAck).
 */
export type EmitFunction = (args: unknown[], flags: EmitFlags, ackWithError: boolean) => void;

/**
 * An emitter with flags, returned by the modifiers of a {@link Socket}. `Timed` is true
 * after `timeout(ms)`: acknowledgement callbacks then get an error first.
 *
 * @example
 * socket.timeout(5000).emit("hello", "world", (err, answer) => {});
 * socket.volatile.emit("position", x, y);
 * const answer = await socket.timeout(1000).emitWithAck("question");
 */
export class EmitOperator<EmitEvents extends EventsMap = DefaultEventsMap, Timed extends boolean = false> {
  readonly #send: EmitFunction;
  readonly #flags: EmitFlags;

  constructor(send: EmitFunction, flags: EmitFlags) {
    this.#send = send;
    this.#flags = flags;
  }

  /** Sends an event to the server, with the flags of this emitter. */
  emit<Ev extends EventNames<EmitEvents>>(event: Ev, ...args: EmitParams<EmitEvents, Ev, Timed>): this {
    this.#send([event, ...args], this.#flags, false);
    return this;
  }

  /** Sends an event and resolves with the server's acknowledgement (rejects on timeout or disconnection). */
  emitWithAck<Ev extends EventNames<EmitEvents>>(
    event: Ev,
    ...args: EmitWithAckParams<EmitEvents, Ev>
  ): Promise<AckResult<EmitEvents, Ev>> {
    return new Promise((resolve, reject) => {
      const ack = (err: Error | null, response: AckResult<EmitEvents, Ev>): void => (err ? reject(err) : resolve(response));
      this.#send([event, ...args, ack], this.#flags, true);
    });
  }

  /** Sends a `message` event. */
  send(...args: unknown[]): this {
    this.#send(["message", ...args], this.#flags, false);
    return this;
  }

  /** The same emitter, volatile: the packet is dropped when it cannot be sent at once. */
  get volatile(): EmitOperator<EmitEvents, Timed> {
    return new EmitOperator(this.#send, { ...this.#flags, volatile: true });
  }

  /** The same emitter, with per-message compression allowed or not. */
  compress(compress: boolean): EmitOperator<EmitEvents, Timed> {
    return new EmitOperator(this.#send, { ...this.#flags, compress });
  }

  /** The same emitter, with an acknowledgement timeout: the ack gets an error first. */
  timeout(timeoutMs: number): EmitOperator<EmitEvents, true> {
    return new EmitOperator(this.#send, { ...this.#flags, timeout: timeoutMs });
  }
}
