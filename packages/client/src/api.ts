// The API common to the Node.js and browser entries (index.ts, index.browser.ts), which add
// the transports of their runtime and the default export.
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
