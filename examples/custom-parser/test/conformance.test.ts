import { describe, it } from "@jest/globals";
import { encode } from "@msgpack/msgpack";
import { registerParserConformance } from "@volley/parser/conformance";
import { Decoder, Encoder } from "../src";

registerParserConformance({ Encoder, Decoder }, { describe, it }, {
  title: "the MessagePack parser passes the conformance kit",
  invalidInputs: [
    ['2["text is not MessagePack"]'],
    [encode({ type: 2, nsp: "/", data: "not an array" })],
    [encode({ type: 2, nsp: "/", data: ["disconnect"] })],
    [encode({ type: 5, nsp: "/", data: ["a"] })],
    [encode([2, "/", ["a"]])],
    [encode({ type: 2, nsp: "/", data: ["a"], extra: 1 })],
    [encode({ type: 2, nsp: "/", data: ["a", new Date()] })],
    [encode({ type: 2, nsp: "/", data: ["a", { constructor: { prototype: {} } }] })],
    [new Uint8Array([0xc1])],
  ],
});
