import { channel } from "node:diagnostics_channel";

// diagnostics_channel channels, for APMs and loggers that subscribe without touching the
// server: `volley:engine-server:<event>`. Publishing costs one check when nobody listens.

/** `{ socket }` when a session opens. */
export const connectionChannel = channel("volley:engine-server:connection");
/** `{ socket, reason, description }` when a session closes. */
export const closeChannel = channel("volley:engine-server:close");
/** `{ error }` (a ConnectionError) when a request is refused. */
export const connectionErrorChannel = channel("volley:engine-server:connection_error");
