// What the Node.js and browser entries export alike; each entry adds its socket classes,
// nextTick, the "Node" transports and the option resolution of its platform.
export { protocol } from "@volley/engine-parser";
export { BaseSocket } from "./socket";
export type { SocketPlatform } from "./socket";
export { Transport } from "./transport";
export type { TransportContext, TransportCtor, TransportOptions, TransportState } from "./transport";
export { Polling } from "./transports/polling";
export type { PendingRequest, PollingRequestHandlers, PollingRequestInit } from "./transports/polling";
export { BaseWebSocket } from "./transports/websocket";
export { XHR } from "./transports/polling-xhr";
export { Fetch } from "./transports/polling-fetch";
export { WebSocket } from "./transports/websocket-browser";
export { CookieJar } from "./cookie-jar";
export type { Cookie } from "./cookie-jar";
export { parse } from "./parse-uri";
export type { ParsedUri } from "./parse-uri";
export { installTimerFunctions } from "./timers";
export type { TimerFunctions } from "./timers";
export { DEFAULT_SOCKET_OPTIONS } from "./options";
export type {
  PerMessageDeflateOptions,
  RememberUpgradeStore,
  ResolvedSocketOptions,
  SocketOptions,
  TlsOptions,
  TransportName,
  TransportOverrides,
} from "./options";
export {
  ENGINE_CLIENT_ERROR_CODES,
  EngineClientError,
  InvalidMessageError,
  InvalidOptionError,
  ParseError,
  ProbeError,
  TransportError,
} from "./errors";
export type { EngineClientErrorCode, ErrorCode, ServerErrorBody, TransportErrorCode } from "./errors";
export type {
  CloseDetails,
  CloseReason,
  HandshakeData,
  SocketEvents,
  SocketReservedEvents,
  SocketState,
  TransportEvents,
  TransportReservedEvents,
  WriteOptions,
} from "./events";
export type { BinaryType, Packet, PacketType, RawData } from "@volley/engine-parser";
