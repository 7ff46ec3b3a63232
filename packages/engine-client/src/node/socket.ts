import { CookieJar } from "../cookie-jar";
import type { SocketOptions } from "../options";
import { BaseSocket, type SocketPlatform } from "../socket";
import { NodePolling } from "../transports/polling-node";
import { NodeWebSocket } from "../transports/websocket-node";
import { NODE_TRANSPORT_OPTION_CHECKS, resolveSocketOptions } from "./options";

const NODE_PLATFORM: SocketPlatform = Object.freeze({
  transports: Object.freeze({ polling: NodePolling, websocket: NodeWebSocket }),
  defaultBinaryType: "nodebuffer",
  createCookieJar: () => new CookieJar(),
  resolveOptions: resolveSocketOptions,
  transportOptionChecks: NODE_TRANSPORT_OPTION_CHECKS,
});
const NODE_PLATFORM_WITHOUT_UPGRADE: SocketPlatform = Object.freeze({ ...NODE_PLATFORM, allowsUpgrade: false });

/**
 * An Engine.IO client socket for Node.js that keeps the first transport that connects (no
 * upgrade from polling to WebSocket), as engine.io-client's class of the same name; typically
 * used with one transport class, e.g. `{ transports: [NodeWebSocket] }`. See {@link BaseSocket}.
 *
 * @example
 * const socket = new SocketWithoutUpgrade("http://localhost:3000", { transports: [NodeWebSocket] });
 */
export class SocketWithoutUpgrade extends BaseSocket {
  constructor(uri?: string | SocketOptions, opts?: SocketOptions) {
    super(uri, opts, upgrades(new.target) ? NODE_PLATFORM : NODE_PLATFORM_WITHOUT_UPGRADE);
  }
}

/**
 * An Engine.IO client socket for Node.js with the upgrade from polling to WebSocket (the
 * same as {@link Socket}; engine.io-client's name for the class below `Socket`).
 */
export class SocketWithUpgrade extends SocketWithoutUpgrade {}

/**
 * An Engine.IO client socket for Node.js: long-polling over node:http/https, WebSocket over
 * `ws`. See {@link BaseSocket} for the API.
 *
 * @example
 * const socket = new Socket("http://localhost:3000");
 * socket.on("open", () => socket.send("hello"));
 * socket.on("message", (data) => console.log(data));
 */
export class Socket extends SocketWithUpgrade {}

/** Whether sockets of class `target` upgrade: `SocketWithUpgrade` and its subclasses do. */
function upgrades(target: abstract new (...args: never[]) => unknown): boolean {
  return target === SocketWithUpgrade || target.prototype instanceof SocketWithUpgrade;
}

/** The transports of the Node.js build, by name. */
export const transports = NODE_PLATFORM.transports;
