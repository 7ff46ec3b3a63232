import * as parser from "@volley/engine-parser";

export { Server } from "./server";
export type { BaseServer } from "./server";
export { OriginPolicy } from "./origin-policy";
export type { OriginDecision, OriginPolicyOptions, StaticOrigin } from "./origin-policy";
export { Socket } from "./socket";
export type { SendCallback, SendOptions, SocketState } from "./socket";
export { Transport } from "./transport";
export type { TransportEventMap, TransportState } from "./transport";
export { transports } from "./transports/index";
export type { PollingTransport } from "./transports/polling";
export type { WebSocketTransport } from "./transports/websocket";
/** The Engine.IO packet codec, `@volley/engine-parser` (as `engine.io` exports `engine.io-parser`). */
export { parser };
export { attach, listen, protocol } from "./engine";
export { randomId } from "./internal/random-id";
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
  CloseReasonTooLongError,
  ConnectionError,
  ENGINE_SERVER_ERROR_CODES,
  EngineServerError,
  ERROR_CODES,
  ERROR_MESSAGES,
  FrameError,
  InvalidCloseCodeError,
  InvalidOptionError,
  TRANSPORT_ERROR_CODES,
  TransportError,
} from "./errors";
export type {
  ConnectionErrorContext,
  EngineErrorCode,
  EngineServerErrorCode,
  ErrorCallback,
  FrameErrorCode,
  FrameErrorStatus,
  TransportErrorCode,
} from "./errors";
export type { CloseReason, ResponseHeaders, ServerEventMap, SocketEventMap } from "./events";
export type { Middleware } from "./internal/middleware";
export type { EngineQuery, EngineRequest } from "./internal/request";
