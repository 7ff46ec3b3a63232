import { describe, expect, it } from "@jest/globals";
import { createRequire } from "node:module";
import { join } from "node:path";
import { DecodeError, DecodeErrorCode, EncodeError, EncodeErrorCode, ParserError } from "../../src";

describe("error catalogue", () => {
  it("uses unique VOLLEY_PARSER_ERR_* codes within each class", () => {
    for (const catalogue of [DecodeErrorCode, EncodeErrorCode]) {
      const codes = Object.values(catalogue);
      expect(new Set(codes).size).toBe(codes.length);
      for (const [name, code] of Object.entries(catalogue)) expect(code).toBe(`VOLLEY_PARSER_ERR_${name}`);
    }
    expect(Object.keys(DecodeErrorCode)).toHaveLength(16);
    expect(Object.keys(EncodeErrorCode)).toHaveLength(5);
  });

  it("gives errors a code, a name and the right class", () => {
    const decode = new DecodeError(DecodeErrorCode.INVALID_JSON, "bad");
    expect(decode).toBeInstanceOf(Error);
    expect(decode).toBeInstanceOf(ParserError);
    expect(decode).toBeInstanceOf(DecodeError);
    expect(decode).not.toBeInstanceOf(EncodeError);
    expect(decode).toMatchObject({ name: "DecodeError", code: "VOLLEY_PARSER_ERR_INVALID_JSON", message: "bad" });
    const encode = new EncodeError(EncodeErrorCode.CIRCULAR, "loop", { cause: 1 });
    expect(encode).toBeInstanceOf(ParserError);
    expect(encode).not.toBeInstanceOf(DecodeError);
    expect(encode).toMatchObject({ name: "EncodeError", cause: 1 });
    expect({ code: "VOLLEY_PARSER_ERR_CIRCULAR" }).not.toBeInstanceOf(EncodeError);
    expect(null).not.toBeInstanceOf(ParserError);
  });

  it("keeps instanceof working across copies of the package (the built CommonJS file)", () => {
    const dist = createRequire(__filename)(join(__dirname, "../../dist/index.cjs")) as typeof import("../../src");
    expect(dist.DecodeError).not.toBe(DecodeError);
    const fromDist = new dist.DecodeError(dist.DecodeErrorCode.UNKNOWN_TYPE, "x");
    expect(fromDist).toBeInstanceOf(DecodeError);
    expect(fromDist).toBeInstanceOf(ParserError);
    expect(new EncodeError(EncodeErrorCode.TOO_DEEP, "x")).toBeInstanceOf(dist.EncodeError);
    expect(new EncodeError(EncodeErrorCode.TOO_DEEP, "x")).not.toBeInstanceOf(dist.DecodeError);
  });
});
