import { channel } from "node:diagnostics_channel";

// diagnostics_channel channels, for APMs and loggers that subscribe without touching the
// server: `volley:server:<event>`. Publishing costs one check when nobody listens.

/** `{ socket }` when a socket connected to a namespace. */
export const connectionChannel = channel("volley:server:connection");
/** `{ socket, reason, description }` when a socket disconnected. */
export const disconnectChannel = channel("volley:server:disconnect");
/** `{ namespace, error }` when a CONNECT was refused (unknown namespace, middleware error). */
export const connectErrorChannel = channel("volley:server:connect_error");
/** `{ conn, error }` when a connection was closed because of a packet that could not be decoded. */
export const parseErrorChannel = channel("volley:server:parse_error");
