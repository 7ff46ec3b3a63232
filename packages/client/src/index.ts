// Node.js entry: the Engine.IO client underneath uses node:http / ws (picked by
// @volley/engine-client's own export conditions).
export { io, connect, io as default } from "./io";
export * from "./api";
export { Fetch, NodePolling, NodeWebSocket, WebSocket, XHR } from "@volley/engine-client";
