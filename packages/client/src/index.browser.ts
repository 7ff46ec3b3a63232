// Browser entry (window and Web Workers): nothing here or in what it imports uses a
// Node.js built-in; @volley/engine-client resolves to its browser build (XHR, native WebSocket).
export { io, connect, io as default } from "./io";
export * from "./api";
export { Fetch, WebSocket, XHR } from "@volley/engine-client";
