// Node.js entry: long-polling over node:http/https, WebSocket over `ws`.
export { Socket, SocketWithUpgrade, SocketWithoutUpgrade, transports } from "./node/socket";
export { nextTick } from "./node/next-tick";
// engine.io-client's name of the Node.js polling transport.
export { NodePolling, NodePolling as NodeXHR } from "./transports/polling-node";
export { NodeWebSocket } from "./transports/websocket-node";
export { resolveSocketOptions } from "./node/options";
export * from "./api";
