import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import {
  DecodeError,
  DecodeErrorCode,
  Decoder,
  EncodeError,
  EncodeErrorCode,
  Encoder,
  InvalidOptionError,
  OptionRangeError,
  PARSER_ERROR_CODES,
  ParserError,
  type ParserErrorCode,
} from "../../src";

const packageDir = join(__dirname, "../..");
const CODES: readonly string[] = Object.values(PARSER_ERROR_CODES);

describe("error catalogue", () => {
  it("keys every code by its name, VOLLEY_PARSER_ERR_<NAME>, each code once, in a frozen map", () => {
    for (const [name, code] of Object.entries(PARSER_ERROR_CODES)) {
      expect(code).toBe(`VOLLEY_PARSER_ERR_${name}`);
      expect(code).toMatch(/^VOLLEY_PARSER_ERR_[A-Z0-9_]+$/);
    }
    expect(new Set(CODES).size).toBe(CODES.length);
    expect(CODES).toHaveLength(21);
    expect(Object.isFrozen(PARSER_ERROR_CODES)).toBe(true);
  });

  it("splits the map into the codes of DecodeError and of EncodeError, frozen too", () => {
    for (const subset of [DecodeErrorCode, EncodeErrorCode]) {
      expect(Object.isFrozen(subset)).toBe(true);
      for (const [name, code] of Object.entries(subset)) expect(code).toBe(PARSER_ERROR_CODES[name as keyof typeof PARSER_ERROR_CODES]);
    }
    expect(Object.keys(DecodeErrorCode)).toHaveLength(16);
    expect(Object.keys(EncodeErrorCode)).toHaveLength(5);
    // Every code belongs to exactly one class, but TOO_DEEP and TOO_MANY_ATTACHMENTS, which both directions report.
    const covered = [...Object.values(DecodeErrorCode), ...Object.values(EncodeErrorCode), "VOLLEY_PARSER_ERR_INVALID_OPTION", "VOLLEY_PARSER_ERR_OPTION_OUT_OF_RANGE"];
    expect(new Set(covered)).toEqual(new Set(CODES));
  });

  it("makes every exported error class an instance of ParserError with a code from the map", () => {
    const errors = [
      new DecodeError(DecodeErrorCode.INVALID_JSON, "bad"),
      new EncodeError(EncodeErrorCode.CIRCULAR, "loop", { cause: 1 }),
      new InvalidOptionError("maxDepth", "option maxDepth must be a number, got string"),
      new OptionRangeError("maxDepth", "option maxDepth must be at least 1"),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(ParserError);
      expect(CODES).toContain(error.code);
    }
    const [decode, encode, type, range] = errors;
    expect(decode).toBeInstanceOf(DecodeError);
    expect(decode).not.toBeInstanceOf(EncodeError);
    expect(decode).toMatchObject({ name: "DecodeError", code: "VOLLEY_PARSER_ERR_INVALID_JSON", message: "bad" });
    expect(encode).not.toBeInstanceOf(DecodeError);
    expect(encode).toMatchObject({ name: "EncodeError", cause: 1 });
    expect(type).toBeInstanceOf(TypeError);
    expect(type).not.toBeInstanceOf(OptionRangeError);
    expect(type).toMatchObject({ name: "InvalidOptionError", code: "VOLLEY_PARSER_ERR_INVALID_OPTION", option: "maxDepth" });
    expect(range).toBeInstanceOf(RangeError);
    expect(range).not.toBeInstanceOf(InvalidOptionError);
    expect(range).toMatchObject({ name: "OptionRangeError", code: "VOLLEY_PARSER_ERR_OPTION_OUT_OF_RANGE" });
  });

  it("does not take a lookalike or a plain error for one of its own", () => {
    expect({ code: "VOLLEY_PARSER_ERR_CIRCULAR" }).not.toBeInstanceOf(EncodeError);
    expect(new TypeError("x")).not.toBeInstanceOf(InvalidOptionError);
    expect(new TypeError("x")).not.toBeInstanceOf(ParserError);
    expect(null).not.toBeInstanceOf(ParserError);
    expect("VOLLEY_PARSER_ERR_CIRCULAR").not.toBeInstanceOf(ParserError);
  });

  it("gives a user's subclass the ordinary instanceof, not its parent's brand", () => {
    class MyDecodeError extends DecodeError {}
    expect(new MyDecodeError(DecodeErrorCode.TOO_DEEP, "x")).toBeInstanceOf(MyDecodeError);
    expect(new MyDecodeError(DecodeErrorCode.TOO_DEEP, "x")).toBeInstanceOf(DecodeError);
    expect(new DecodeError(DecodeErrorCode.TOO_DEEP, "x")).not.toBeInstanceOf(MyDecodeError);
  });

  it("throws the option errors from the constructors, with the option's name", () => {
    const thrown = (make: () => unknown): unknown => {
      try {
        make();
      } catch (error) {
        return error;
      }
      throw new Error("nothing thrown");
    };
    expect(thrown(() => new Decoder({ maxDepth: "5" as unknown as number }))).toMatchObject({
      code: PARSER_ERROR_CODES.INVALID_OPTION,
      option: "maxDepth",
      message: 'option maxDepth must be a number, got "5"',
    });
    expect(thrown(() => new Encoder(null as unknown as object))).toMatchObject({ code: PARSER_ERROR_CODES.INVALID_OPTION, option: "options" });
    expect(thrown(() => new Encoder({ maxAttachments: -1 }))).toMatchObject({
      code: PARSER_ERROR_CODES.OPTION_OUT_OF_RANGE,
      option: "maxAttachments",
    });
  });

  it("keeps instanceof working across copies of the package (the source and the built CommonJS file)", () => {
    const dist = createRequire(__filename)(join(packageDir, "dist/index.cjs")) as typeof import("../../src");
    expect(dist.DecodeError).not.toBe(DecodeError);
    const fromDist = new dist.DecodeError(dist.DecodeErrorCode.UNKNOWN_TYPE, "x");
    expect(fromDist).toBeInstanceOf(DecodeError);
    expect(fromDist).toBeInstanceOf(ParserError);
    expect(new EncodeError(EncodeErrorCode.TOO_DEEP, "x")).toBeInstanceOf(dist.EncodeError);
    expect(new EncodeError(EncodeErrorCode.TOO_DEEP, "x")).not.toBeInstanceOf(dist.DecodeError);
    expect(new dist.InvalidOptionError("x", "x")).toBeInstanceOf(InvalidOptionError);
  });

  it("keeps instanceof working between the built ESM and CommonJS files loaded in one process", () => {
    // A real Node.js process: jest would run dist/index.js through its own CommonJS transform.
    const script = `
      import { createRequire } from "node:module";
      const esm = await import("./dist/index.js");
      const cjs = createRequire(import.meta.url)("./dist/index.cjs");
      const results = [];
      const pairs = [["ESM", esm, "CJS", cjs], ["CJS", cjs, "ESM", esm]];
      for (const [makerName, maker, checkerName, checker] of pairs) {
        const errors = {
          DecodeError: new maker.DecodeError(maker.PARSER_ERROR_CODES.UNKNOWN_TYPE, "x"),
          EncodeError: new maker.EncodeError(maker.PARSER_ERROR_CODES.CIRCULAR, "x"),
          InvalidOptionError: new maker.InvalidOptionError("o", "x"),
          OptionRangeError: new maker.OptionRangeError("o", "x"),
        };
        try { new maker.Decoder().add("9"); } catch (error) { errors.thrownDecodeError = error; }
        for (const [name, error] of Object.entries(errors)) {
          const className = name.replace(/^thrown/, "");
          results.push([makerName + " " + name, checkerName, checker[className] !== maker[className], error instanceof checker[className], error instanceof checker.ParserError]);
        }
      }
      console.log(JSON.stringify(results));
    `;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: packageDir, encoding: "utf8", timeout: 10_000 });
    expect(result.stderr).toBe("");
    const results = JSON.parse(result.stdout) as [string, string, boolean, boolean, boolean][];
    expect(results).toHaveLength(10);
    for (const [made, checker, distinct, ofClass, ofBase] of results) {
      expect({ made, checker, distinct, ofClass, ofBase }).toEqual({ made, checker, distinct: true, ofClass: true, ofBase: true });
    }
  });

  it("types codes as the union of the map's values", () => {
    const code: ParserErrorCode = new DecodeError(DecodeErrorCode.TOO_DEEP, "x").code;
    expect(CODES).toContain(code);
  });
});
