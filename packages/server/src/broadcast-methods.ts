// The broadcast methods that a namespace, a parent namespace and the server share
// (`io.to("room").emit(…)`, `io.of("/admin").timeout(5000).emitWithAck(…)`…). Each one
// starts a fresh BroadcastOperator, so `io.to("a")` never changes `io`: the three classes
// differ only in where that operator sends, which is the one method they implement.
import type { BroadcastOperator, BroadcastAckResult, BroadcastEmitParams, RoomArgument } from "./broadcast-operator";
import { kBroadcastOperator } from "./internal/symbols";
import type { RemoteSocket } from "./remote-socket";
import { TypedListeners } from "./typed-emitter";
import type { SocketId } from "@volley/adapter";
import type {
  AllButLast,
  CallbackParams,
  DefaultEventsMap,
  EventNames,
  EventNamesWithAck,
  EventParams,
  EventsMap,
} from "./typed-events";

/**
 * Broadcast methods over every socket of a target: the sockets of a namespace, those of
 * every child of a parent namespace, or those of the main namespace for the server.
 */
export abstract class BroadcastMethods<
  Reserved extends EventsMap,
  ServerSideEvents extends EventsMap,
  EmitEvents extends EventsMap,
  SocketData,
> extends TypedListeners<Reserved, ServerSideEvents> {
  /** @internal a new operator over every socket of the target, without rooms or flags */
  abstract [kBroadcastOperator](): BroadcastOperator<EmitEvents, SocketData>;

  /** Targets a room (or several). */
  to(room: RoomArgument): BroadcastOperator<EmitEvents, SocketData> {
    return this[kBroadcastOperator]().to(room);
  }

  /** Alias of {@link to}. */
  in(room: RoomArgument): BroadcastOperator<EmitEvents, SocketData> {
    return this[kBroadcastOperator]().in(room);
  }

  /** Leaves out a room (or several, or socket ids). */
  except(room: RoomArgument): BroadcastOperator<EmitEvents, SocketData> {
    return this[kBroadcastOperator]().except(room);
  }

  /** Whether the transport may compress the packets. */
  compress(compress: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return this[kBroadcastOperator]().compress(compress);
  }

  /** The packets may be dropped for clients that are not ready. */
  get volatile(): BroadcastOperator<EmitEvents, SocketData> {
    return this[kBroadcastOperator]().volatile;
  }

  /** Only the sockets of this node. */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this[kBroadcastOperator]().local;
  }

  /** Waits at most `timeoutMs` for acknowledgements. */
  timeout(timeoutMs: number): BroadcastOperator<EmitEvents, SocketData> {
    return this[kBroadcastOperator]().timeout(timeoutMs);
  }

  /** Sends an event to every socket (see BroadcastOperator.emit). */
  emit<Ev extends EventNames<EmitEvents>>(event: Ev, ...args: BroadcastEmitParams<EmitEvents, Ev>): boolean {
    return this[kBroadcastOperator]().emit(event, ...args);
  }

  /** Sends an event to every socket and resolves with their acknowledgements. */
  emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
    event: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<BroadcastAckResult<EmitEvents, Ev>> {
    return this[kBroadcastOperator]().emitWithAck(event, ...args);
  }

  /** Sends a `message` event to every socket. */
  send(...args: CallbackParams<EmitEvents extends { message: infer F } ? F : DefaultEventsMap["message"]>): this {
    this[kBroadcastOperator]().send(...args);
    return this;
  }

  /** Alias of {@link send}. */
  write(...args: CallbackParams<EmitEvents extends { message: infer F } ? F : DefaultEventsMap["message"]>): this {
    this[kBroadcastOperator]().write(...args);
    return this;
  }

  /**
   * The ids of every socket.
   * @deprecated use {@link fetchSockets}
   */
  allSockets(): Promise<Set<SocketId>> {
    return this[kBroadcastOperator]().allSockets();
  }

  /** Snapshots of the sockets, on every node. */
  fetchSockets(): Promise<Array<RemoteSocket<EmitEvents, SocketData>>> {
    return this[kBroadcastOperator]().fetchSockets();
  }

  /** Makes every socket join a room (or several). */
  socketsJoin(room: RoomArgument): void {
    this[kBroadcastOperator]().socketsJoin(room);
  }

  /** Makes every socket leave a room (or several). */
  socketsLeave(room: RoomArgument): void {
    this[kBroadcastOperator]().socketsLeave(room);
  }

  /** Disconnects every socket; `close` also closes their connections. */
  disconnectSockets(close = false): void {
    this[kBroadcastOperator]().disconnectSockets(close);
  }
}
