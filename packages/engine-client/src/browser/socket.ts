import type { SocketOptions } from "../options";
import { BaseSocket, type SocketPlatform } from "../socket";
import { XHR } from "../transports/polling-xhr";
import { WebSocket } from "../transports/websocket-browser";

const BROWSER_PLATFORM: SocketPlatform = Object.freeze({
  transports: Object.freeze({ polling: XHR, websocket: WebSocket }),
  defaultBinaryType: "arraybuffer",
});
const BROWSER_PLATFORM_WITHOUT_UPGRADE: SocketPlatform = Object.freeze({ ...BROWSER_PLATFORM, allowsUpgrade: false });

/**
 * An Engine.IO client socket for browsers that keeps the first transport that connects (no
 * upgrade from polling to WebSocket), as engine.io-client's class of the same name; typically
 * used with one transport class, e.g. `{ transports: [WebSocket] }`. See {@link BaseSocket}.
 *
 * @example
 * const socket = new SocketWithoutUpgrade("https://example.com", { transports: [WebSocket] });
 */
export class SocketWithoutUpgrade extends BaseSocket {
  constructor(uri?: string | SocketOptions, opts?: SocketOptions) {
    super(uri, opts, upgrades(new.target) ? BROWSER_PLATFORM : BROWSER_PLATFORM_WITHOUT_UPGRADE);
  }
}

/**
 * An Engine.IO client socket for browsers with the upgrade from polling to WebSocket (the
 * same as {@link Socket}; engine.io-client's name for the class below `Socket`).
 */
export class SocketWithUpgrade extends SocketWithoutUpgrade {}

/**
 * An Engine.IO client socket for browsers: long-polling over XMLHttpRequest, the native
 * WebSocket. See {@link BaseSocket} for the API.
 *
 * @example
 * const socket = new Socket("https://example.com");
 * socket.on("open", () => socket.send("hello"));
 * socket.on("message", (data) => console.log(data));
 */
export class Socket extends SocketWithUpgrade {}

/** Whether sockets of class `target` upgrade: `SocketWithUpgrade` and its subclasses do. */
function upgrades(target: abstract new (...args: never[]) => unknown): boolean {
  return target === SocketWithUpgrade || target.prototype instanceof SocketWithUpgrade;
}

/** The transports of the Node.js build, by name. */
export const transports = BROWSER_PLATFORM.transports;
