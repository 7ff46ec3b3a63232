// What `@volley/engine-client` resolves to in the websocket-only bundle: the same exports,
// except that `Socket` knows the WebSocket transport only, tries it first and never upgrades,
// so the polling transports are left out of the bundle.
import { BaseSocket, WebSocket, type SocketOptions } from "@volley/engine-client";

export * from "@volley/engine-client";

const WEBSOCKET_ONLY = Object.freeze({
  transports: Object.freeze({ websocket: WebSocket }),
  defaultBinaryType: "arraybuffer" as const,
  allowsUpgrade: false,
});

/** An Engine.IO client socket over the native WebSocket only. */
export class Socket extends BaseSocket {
  constructor(uri?: string | SocketOptions, opts?: SocketOptions) {
    if (typeof uri === "object") [uri, opts] = [undefined, uri];
    super(uri, { transports: ["websocket"], ...opts }, WEBSOCKET_ONLY);
  }
}
