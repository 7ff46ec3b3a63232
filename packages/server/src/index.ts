export { Server } from "./server";
export type { AttachableServer, ServerReservedEvents } from "./server";
export { Namespace } from "./namespace";
export type { NamespaceMiddleware, NamespaceReservedEvents } from "./namespace";
export { ParentNamespace } from "./parent-namespace";
export type { NamespaceAuthorizer } from "./parent-namespace";
export { Socket } from "./socket";
export type { AnyListener, Event, PacketMiddleware, SocketReservedEvents } from "./socket";
export { SocketEmitter } from "./socket-emitter";
export type { EmitFlags, SocketEmitParams } from "./socket-emitter";
export { BroadcastOperator } from "./broadcast-operator";
export type { BroadcastAckResult, BroadcastEmitParams, BroadcastTarget, RoomArgument } from "./broadcast-operator";
export { RemoteSocket } from "./remote-socket";
export { Client } from "./client";
export {
  DEFAULT_CONNECTION_STATE_RECOVERY,
  DEFAULT_SERVER_OPTIONS,
  resolveServerOptions,
} from "./options";
export type {
  ConnectionStateRecoveryOptions,
  ResolvedConnectionStateRecovery,
  ResolvedServerOptions,
  ServerAdapterOption,
  SocketIoAdapterLike,
  ServerOptions,
} from "./options";
export {
  AckTimeoutError,
  CONNECT_ERROR_MESSAGES,
  InvalidArgumentError,
  InvalidOptionError,
  ProtocolViolationError,
  ReservedEventError,
  SERVER_ERROR_CODES,
  ServerError,
  SocketDisconnectedError,
} from "./errors";
export type { ServerErrorCode } from "./errors";
export { RECOVERABLE_DISCONNECT_REASONS, RESERVED_EVENTS } from "./events";
export type { DisconnectReason, ExtendedError, Handshake } from "./events";
export type {
  AckResult,
  AllButLast,
  CallbackParams,
  DecorateAcknowledgement,
  DecorateAcknowledgements,
  DecorateBroadcastAcknowledgement,
  DecorateBroadcastAcknowledgements,
  DefaultEventsMap,
  EmitWithAckParams,
  EventListener,
  EventNames,
  EventNamesWithAck,
  EventParams,
  EventsMap,
  FirstArg,
  Last,
} from "./typed-events";
export { Adapter, SessionAwareAdapter } from "@volley/adapter";
export type { Room, SocketId } from "@volley/adapter";
export { CLIENT_BUNDLE_UNAVAILABLE_BODY } from "./serve-client";
