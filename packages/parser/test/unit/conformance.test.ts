import { describe, it } from "@jest/globals";
import * as parser from "../../src";
import { registerParserConformance } from "../../src/conformance";

registerParserConformance(parser, { describe, it }, {
  title: "the default parser passes the conformance kit",
  invalidInputs: [
    ["9"],
    ['2"not an array"'],
    ['2["disconnect"]'],
    ["51-[\"a\",{\"_placeholder\":true,\"num\":1}]"],
    [new Uint8Array([1])],
    ['51-["a",{"_placeholder":true,"num":0}]', '2["too early"]'],
  ],
});
