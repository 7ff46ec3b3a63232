import type { SocketOptions } from "../options";
import { BaseSocket, type SocketPlatform } from "../socket";
import { XHR } from "../transports/polling-xhr";
import { WebSocket } from "../transports/websocket-browser";

const BROWSER_PLATFORM: SocketPlatform = Object.freeze({
  transports: Object.freeze({ polling: XHR, websocket: WebSocket }),
  defaultBinaryType: "arraybuffer",
  usesCookieJar: false,
});

/**
 * An Engine.IO client socket for browsers: long-polling over XMLHttpRequest, the native
 * WebSocket. See {@link BaseSocket} for the API.
 *
 * @example
 * const socket = new Socket("https://example.com");
 * socket.on("open", () => socket.send("hello"));
 * socket.on("message", (data) => console.log(data));
 */
export class Socket extends BaseSocket {
  constructor(uri?: string | SocketOptions, opts?: SocketOptions) {
    super(uri, opts, BROWSER_PLATFORM);
  }
}

/** The transports of the browser build, by name. */
export const transports = BROWSER_PLATFORM.transports;
