export { Encoder, Decoder } from "./msgpack-parser";
export type { MsgpackParserOptions } from "./msgpack-parser";
