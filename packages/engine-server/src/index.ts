export { Server } from "./server";
export { Socket } from "./socket";
export type { SendCallback, SendOptions, SocketState } from "./socket";
export { Transport } from "./transport";
export type { TransportState } from "./transport";
export { attach, listen, protocol } from "./engine";
export { DEFAULT_SERVER_OPTIONS, resolveAttachOptions, resolveServerOptions } from "./options";
export type {
  AllowRequest,
  AllowRequestCallback,
  AttachOptions,
  CookieOptions,
  HttpCompressionOptions,
  PerMessageDeflateOptions,
  ResolvedAttachOptions,
  ResolvedServerOptions,
  ServerOptions,
  TransportName,
  WebSocketLike,
  WebSocketServerConstructorOptions,
  WebSocketServerLike,
  WsEngine,
  ZlibParameters,
} from "./options";
export type { Packet, PacketOptions, RawData } from "@volley/engine-parser";
export {
  ConnectionError,
  ERROR_CODES,
  ERROR_MESSAGES,
  InvalidOptionError,
  TRANSPORT_ERROR_CODES,
  TransportError,
} from "./errors";
export type { ConnectionErrorContext, EngineErrorCode, TransportErrorCode } from "./errors";
export type { CloseReason, ResponseHeaders, ServerEventMap, SocketEventMap } from "./events";
export type { Middleware } from "./internal/middleware";
export type { EngineQuery, EngineRequest } from "./internal/request";
