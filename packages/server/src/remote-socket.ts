// A snapshot of a socket that may live on another node, as `fetchSockets()` returns it.
// What it can do goes through the adapter, so it works wherever the socket is.
import type { Room, SocketDetails, SocketId } from "@volley/adapter";
import {
  BroadcastOperator,
  SINGLE_RESPONSE_FLAGS,
  type BroadcastAckResult,
  type BroadcastTarget,
  type RoomArgument,
} from "./broadcast-operator";
import type { Handshake } from "./events";
import type {
  AllButLast,
  DecorateAcknowledgements,
  DefaultEventsMap,
  EventNames,
  EventNamesWithAck,
  EventParams,
  EventsMap,
} from "./typed-events";

/**
 * What `remoteSocket.timeout(ms)` returns: a broadcast operator to that one socket whose
 * acks complete with the socket's answer (not an array of answers), as `socket.timeout(ms)`
 * does, and as socket.io's RemoteSocket does.
 */
export type RemoteSocketOperator<EmitEvents extends EventsMap, SocketData> = Omit<
  BroadcastOperator<EmitEvents, SocketData>,
  "emit" | "emitWithAck"
> & {
  /** Sends the event; an ack callback gets `(err, answer)`. */
  emit<Ev extends EventNames<EmitEvents>>(
    event: Ev,
    ...args: EventParams<DecorateAcknowledgements<EmitEvents>, Ev & EventNames<DecorateAcknowledgements<EmitEvents>>>
  ): boolean;
  /** Resolves with the socket's answer; rejects with an AckTimeoutError (`responses`: null) after the timeout. */
  emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
    event: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<BroadcastAckResult<EmitEvents, Ev>[number]>;
};

/** A socket of this node or of another one, as fetched by `fetchSockets()`. */
export class RemoteSocket<EmitEvents extends EventsMap = DefaultEventsMap, SocketData = unknown> {
  /** The socket id. */
  readonly id: SocketId;
  /** Its handshake. */
  readonly handshake: Handshake;
  /** The rooms it was in when fetched. */
  readonly rooms: ReadonlySet<Room>;
  /** Its `data` when fetched. */
  readonly data: Partial<SocketData>;
  readonly #operator: BroadcastOperator<EmitEvents, SocketData>;

  /** @internal created by BroadcastOperator.fetchSockets */
  constructor(target: BroadcastTarget, namespace: string, details: SocketDetails) {
    this.id = details.id;
    this.handshake = details.handshake as Handshake;
    this.rooms = new Set(details.rooms);
    this.data = (details.data ?? {}) as Partial<SocketData>;
    this.#operator = new BroadcastOperator<EmitEvents, SocketData>(
      target,
      namespace,
      new Set([details.id]),
      undefined,
      SINGLE_RESPONSE_FLAGS,
    );
  }

  /** Sends an event to this socket (an ack callback gets `(err, answer)`, as with `socket.emit`). */
  emit<Ev extends EventNames<EmitEvents>>(event: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    return this.#operator.emit(event, ...(args as never));
  }

  /** An operator targeting this socket only, with a timeout for acknowledgements (one answer each). */
  timeout(timeoutMs: number): RemoteSocketOperator<EmitEvents, SocketData> {
    return this.#operator.timeout(timeoutMs) as RemoteSocketOperator<EmitEvents, SocketData>;
  }

  /** Makes the socket join a room (or several). */
  join(room: RoomArgument): void {
    this.#operator.socketsJoin(room);
  }

  /** Makes the socket leave a room (or several). */
  leave(room: RoomArgument): void {
    this.#operator.socketsLeave(room);
  }

  /** Disconnects the socket; `close` also closes its connection. */
  disconnect(close = false): this {
    this.#operator.disconnectSockets(close);
    return this;
  }
}
