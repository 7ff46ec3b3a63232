// What `@volley/parser` resolves to in socket.io.msgpack.min.js: the same exports, with the
// MessagePack Encoder and Decoder as the default parser (socket.io-client builds its
// MessagePack bundle the same way, by aliasing its parser).
export * from "@volley/parser";
export { Decoder, Encoder } from "./index";
