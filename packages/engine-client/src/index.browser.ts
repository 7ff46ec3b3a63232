// Browser entry: long-polling over XMLHttpRequest, the native WebSocket; no Node.js built-ins.
export { Socket, transports } from "./browser/socket";
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
export { DEFAULT_SOCKET_OPTIONS, resolveSocketOptions } from "./options";
export type {
  PerMessageDeflateOptions,
  RememberUpgradeStore,
  ResolvedSocketOptions,
  SocketOptions,
  TlsOptions,
  TransportOverrides,
} from "./options";
export {
  ERROR_CODES,
  EngineClientError,
  InvalidMessageError,
  InvalidOptionError,
  ParseError,
  ProbeError,
  TransportError,
} from "./errors";
export type { ErrorCode, ServerErrorBody } from "./errors";
export type {
  CloseDetails,
  CloseReason,
  HandshakeData,
  SocketEvents,
  SocketState,
  TransportEvents,
  WriteOptions,
} from "./events";
export type { BinaryType, Packet, PacketType, RawData } from "@volley/engine-parser";
