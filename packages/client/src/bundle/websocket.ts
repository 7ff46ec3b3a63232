// Entry of socket.io.websocket.min.js: the UMD global `io`, as in the full bundle, without
// the polling transports (built with `@volley/engine-client` resolved to websocket-engine.ts).
// The browser entry is not imported whole: it exports the polling transports too.
import { WebSocket } from "@volley/engine-client";
import * as api from "../api";
import { connect, io } from "../io";

/** `io()` carrying the exports as properties (the UMD global). */
const lookup = Object.assign(
  ((uri?: string | api.IoOptions, opts?: api.IoOptions) => io(uri as string, opts)) as typeof io,
  api,
  { connect, io, WebSocket },
);

export default lookup;
