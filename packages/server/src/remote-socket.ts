// A snapshot of a socket that may live on another node, as `fetchSockets()` returns it.
// What it can do goes through the adapter, so it works wherever the socket is.
import type { Room, SocketDetails, SocketId } from "@volley/adapter";
import { BroadcastOperator, type BroadcastTarget, type RoomArgument } from "./broadcast-operator";
import type { Handshake } from "./events";
import type { DefaultEventsMap, EventNames, EventParams, EventsMap } from "./typed-events";

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
    this.#operator = new BroadcastOperator<EmitEvents, SocketData>(target, namespace, new Set([details.id]));
  }

  /** Sends an event to this socket (an ack callback gets `(err, responses)` as for broadcasts). */
  emit<Ev extends EventNames<EmitEvents>>(event: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    return this.#operator.emit(event, ...(args as never));
  }

  /** An operator targeting this socket only, with a timeout for acknowledgements. */
  timeout(timeoutMs: number): BroadcastOperator<EmitEvents, SocketData> {
    return this.#operator.timeout(timeoutMs);
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
