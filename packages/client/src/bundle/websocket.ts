// Entry of socket.io.websocket.min.js: the UMD global `io`, as in the full bundle, without
// the polling transports (built with `@volley/engine-client` resolved to websocket-engine.ts).
import {
  AckTimeoutError,
  CLIENT_ERROR_CODES,
  ClientError,
  ConnectRefusedError,
  ConnectTimeoutError,
  connect,
  EmitOperator,
  InvalidOptionError,
  io,
  Manager,
  protocol,
  ReservedEventError,
  Socket,
  SocketDisconnectedError,
  UnsupportedServerError,
  WebSocket,
} from "../index.browser";

const api = {
  AckTimeoutError,
  CLIENT_ERROR_CODES,
  ClientError,
  ConnectRefusedError,
  ConnectTimeoutError,
  connect,
  EmitOperator,
  InvalidOptionError,
  io,
  Manager,
  protocol,
  ReservedEventError,
  Socket,
  SocketDisconnectedError,
  UnsupportedServerError,
  WebSocket,
};

/** `io()` carrying the exports as properties (the UMD global). */
const lookup: typeof io & typeof api = Object.assign(((uri, opts) => io(uri as string, opts)) as typeof io, api);

export default lookup;
