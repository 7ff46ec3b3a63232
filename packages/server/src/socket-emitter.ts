// `socket.timeout(ms)`, `socket.volatile` and `socket.compress(b)` return one of these: an
// immutable view of the socket with flags, so that modifiers never change the socket.
import { InvalidArgumentError } from "./errors";
import type { WriteFlags } from "./internal/contracts";
import { kEmitWithAckWithFlags, kEmitWithFlags } from "./internal/symbols";
import type {
  AckResult,
  AllButLast,
  DecorateAcknowledgements,
  EventNames,
  EventNamesWithAck,
  EventParams,
  EventsMap,
} from "./typed-events";

/** The flags of one emit. */
export interface EmitFlags extends WriteFlags {
  /** Milliseconds to wait for the acknowledgement; the callback then gets an error first. */
  readonly timeout?: number;
}

/** What a SocketEmitter needs of its socket. */
export interface FlaggedEmitTarget {
  [kEmitWithFlags](flags: EmitFlags, event: string, args: readonly unknown[]): boolean;
  [kEmitWithAckWithFlags](flags: EmitFlags, event: string, args: readonly unknown[]): Promise<unknown>;
}

/** The `emit` parameters: with a timeout, the ack callback gets an error first. */
export type SocketEmitParams<Map extends EventsMap, Ev extends EventNames<Map>, WithTimeout extends boolean> =
  WithTimeout extends true
    ? EventParams<DecorateAcknowledgements<Map>, Ev & EventNames<DecorateAcknowledgements<Map>>>
    : EventParams<Map, Ev>;

/** A socket with emit flags (timeout, volatile, compress). Each modifier returns a new one. */
export class SocketEmitter<EmitEvents extends EventsMap, WithTimeout extends boolean = false> {
  readonly #socket: FlaggedEmitTarget;
  readonly #flags: EmitFlags;

  /** @internal created by the socket's modifiers */
  constructor(socket: FlaggedEmitTarget, flags: EmitFlags) {
    this.#socket = socket;
    this.#flags = Object.freeze({ ...flags });
  }

  /** Waits at most `timeoutMs` for acknowledgements; callbacks get an error first. */
  timeout(timeoutMs: number): SocketEmitter<EmitEvents, true> {
    if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
      throw new InvalidArgumentError(`timeout must be a non-negative number of milliseconds, got ${String(timeoutMs)}`);
    }
    return new SocketEmitter<EmitEvents, true>(this.#socket, { ...this.#flags, timeout: timeoutMs });
  }

  /** The packets may be dropped if the client is not ready to receive them. */
  get volatile(): SocketEmitter<EmitEvents, WithTimeout> {
    return new SocketEmitter<EmitEvents, WithTimeout>(this.#socket, { ...this.#flags, volatile: true });
  }

  /** Whether the transport may compress the packets. */
  compress(compress: boolean): SocketEmitter<EmitEvents, WithTimeout> {
    return new SocketEmitter<EmitEvents, WithTimeout>(this.#socket, { ...this.#flags, compress });
  }

  /** Sends an event to the client (see `Socket.emit`). */
  emit<Ev extends EventNames<EmitEvents>>(event: Ev, ...args: SocketEmitParams<EmitEvents, Ev, WithTimeout>): boolean {
    return this.#socket[kEmitWithFlags](this.#flags, event, args);
  }

  /** Sends an event and resolves with the client's acknowledgement; rejects with AckTimeoutError. */
  emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
    event: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<AckResult<EmitEvents, Ev>> {
    return this.#socket[kEmitWithAckWithFlags](this.#flags, event, args) as Promise<AckResult<EmitEvents, Ev>>;
  }
}
