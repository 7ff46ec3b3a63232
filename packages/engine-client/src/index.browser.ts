// Browser entry: long-polling over XMLHttpRequest, the native WebSocket; no Node.js built-ins.
export { Socket, SocketWithUpgrade, SocketWithoutUpgrade, transports } from "./browser/socket";
export { nextTick } from "./browser/next-tick";
// As in engine.io-client's browser build, the "Node" transports are the browser ones here.
export { XHR as NodeXHR } from "./transports/polling-xhr";
export { WebSocket as NodeWebSocket } from "./transports/websocket-browser";
export { resolveSocketOptions } from "./options";
export * from "./api";
