// Browser entry (window and Web Workers): nothing here or in what it imports uses a
// Node.js built-in; @volley/engine-client resolves to its browser build (XHR, native WebSocket).
export { io, connect, io as default } from "./io";
export type { IoOptions } from "./io";
export { Manager } from "./manager";
export { Socket } from "./socket";
export type { BufferedPacket } from "./socket";
export { EmitOperator } from "./emit-operator";
export { protocol } from "@volley/parser";
export { DEFAULT_MANAGER_OPTIONS, DEFAULT_SOCKET_OPTIONS } from "./options";
export type { AuthOption, ManagerOptions, SocketOptions } from "./options";
export {
  AckTimeoutError,
  CLIENT_ERROR_CODES,
  ClientError,
  ConnectRefusedError,
  ConnectTimeoutError,
  InvalidOptionError,
  ReservedEventError,
  SocketDisconnectedError,
  UnsupportedServerError,
} from "./errors";
export type { ClientErrorCode } from "./errors";
export type {
  DisconnectDescription,
  DisconnectReason,
  ExtendedError,
  ManagerEvents,
  SocketReservedEvents,
} from "./events";
export type {
  AckResult,
  AllButLast,
  DecorateAcknowledgement,
  DecorateAcknowledgements,
  DefaultEventsMap,
  EmitParams,
  EmitWithAckParams,
  EventListener,
  EventNames,
  EventParams,
  EventsMap,
  FirstArg,
  Last,
  ReservedOrUserEventNames,
  ReservedOrUserListener,
} from "./typed-events";
export { Fetch, WebSocket, XHR } from "@volley/engine-client";
