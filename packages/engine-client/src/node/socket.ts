import type { SocketOptions } from "../options";
import { BaseSocket, type SocketPlatform } from "../socket";
import { NodePolling } from "../transports/polling-node";
import { NodeWebSocket } from "../transports/websocket-node";

const NODE_PLATFORM: SocketPlatform = Object.freeze({
  transports: Object.freeze({ polling: NodePolling, websocket: NodeWebSocket }),
  defaultBinaryType: "nodebuffer",
  usesCookieJar: true,
});

/**
 * An Engine.IO client socket for Node.js: long-polling over node:http/https, WebSocket over
 * `ws`. See {@link BaseSocket} for the API.
 *
 * @example
 * const socket = new Socket("http://localhost:3000");
 * socket.on("open", () => socket.send("hello"));
 * socket.on("message", (data) => console.log(data));
 */
export class Socket extends BaseSocket {
  constructor(uri?: string | SocketOptions, opts?: SocketOptions) {
    super(uri, opts, NODE_PLATFORM);
  }
}

/** The transports of the Node.js build, by name. */
export const transports = NODE_PLATFORM.transports;
