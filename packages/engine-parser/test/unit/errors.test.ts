import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import {
  ENGINE_PARSER_ERROR_CODES,
  EngineParserError,
  InvalidPacketTypeError,
  SyncBlobError,
  createPacketEncoderStream,
  encodePacket,
  encodePacketV3,
  encodePayload,
  encodePayloadV3,
  type WirePacketType,
} from "../../src/index";

const packageDir = join(__dirname, "../..");
const CODES: readonly string[] = Object.values(ENGINE_PARSER_ERROR_CODES);
const CLASSES = [InvalidPacketTypeError, SyncBlobError];

/** What `fn` throws. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("nothing was thrown");
}

describe("error catalogue", () => {
  const errors = [new InvalidPacketTypeError("error"), new SyncBlobError("a Blob")];

  it("keys every code by its name, VOLLEY_ENGINE_PARSER_ERR_<NAME>, each code once, in a frozen map", () => {
    for (const [name, code] of Object.entries(ENGINE_PARSER_ERROR_CODES)) {
      expect(code).toBe(`VOLLEY_ENGINE_PARSER_ERR_${name}`);
      expect(code).toMatch(/^VOLLEY_ENGINE_PARSER_ERR_[A-Z0-9_]+$/);
    }
    expect(new Set(CODES).size).toBe(CODES.length);
    expect(Object.isFrozen(ENGINE_PARSER_ERROR_CODES)).toBe(true);
  });

  it("has one class per code, each a TypeError (as the encoders threw before) and an EngineParserError", () => {
    expect(errors.map((error) => error.code).sort()).toEqual([...CODES].sort());
    errors.forEach((error, i) => {
      expect(error).toBeInstanceOf(TypeError);
      expect(error).toBeInstanceOf(EngineParserError);
      expect(error.name).toBe(CLASSES[i]!.name);
      expect(CLASSES[i]!.code).toBe(error.code);
    });
    expect(EngineParserError.code).toBeUndefined();
    const base = new EngineParserError(ENGINE_PARSER_ERROR_CODES.SYNC_BLOB, "x");
    expect(base).toBeInstanceOf(EngineParserError);
    expect(base).not.toBeInstanceOf(SyncBlobError);
  });

  it("tells the classes apart with instanceof, and takes no lookalike for one of them", () => {
    errors.forEach((error, i) => {
      CLASSES.forEach((errorClass, j) => expect(error instanceof errorClass).toBe(i === j));
    });
    const lookalike = Object.assign(new TypeError("x"), { code: ENGINE_PARSER_ERROR_CODES.SYNC_BLOB });
    expect(lookalike).not.toBeInstanceOf(SyncBlobError);
    expect(lookalike).not.toBeInstanceOf(EngineParserError);
    expect(new TypeError("plain")).not.toBeInstanceOf(EngineParserError);
    expect(null).not.toBeInstanceOf(EngineParserError);
  });

  it("gives a user's subclass the ordinary instanceof, not its parent's brand", () => {
    class MyError extends SyncBlobError {}
    expect(new MyError("x")).toBeInstanceOf(MyError);
    expect(new MyError("x")).toBeInstanceOf(SyncBlobError);
    expect(new SyncBlobError("x")).not.toBeInstanceOf(MyError);
  });

  it("is what the encoders throw: a type that does not travel", async () => {
    for (const fn of [
      () => encodePacket({ type: "error", data: "parser error" }, true),
      () => encodePacket({ type: "toString" as WirePacketType }, true),
      () => encodePayload([{ type: "error" }], () => undefined),
      () => encodePacketV3({ type: "error", data: "parser error" }, true),
      () => encodePayloadV3([{ type: "error" }], false),
    ]) {
      const error = thrown(fn);
      expect(error).toBeInstanceOf(InvalidPacketTypeError);
      expect(error).toBeInstanceOf(TypeError);
      expect(error).toMatchObject({ code: ENGINE_PARSER_ERROR_CODES.INVALID_PACKET_TYPE });
    }
    expect(thrown(() => encodePacket({ type: "error", data: "x" }, true))).toMatchObject({
      message: 'cannot encode a packet of type "error"',
      packetType: "error",
    });
    // the encoder stream errors with it
    const encoder = createPacketEncoderStream();
    const writer = encoder.writable.getWriter();
    const written = writer.write({ type: "error" }).catch((error: unknown) => error);
    const read = encoder.readable.getReader().read().catch((error: unknown) => error);
    expect(await written).toBeInstanceOf(InvalidPacketTypeError);
    expect(await read).toBeInstanceOf(InvalidPacketTypeError);
  });

  it("is what the synchronous encoders throw for a Blob", () => {
    const blob = new Blob(["x"]);
    for (const fn of [
      () => encodePacket({ type: "message", data: blob }, false),
      () => encodePacketV3({ type: "message", data: blob }, false),
      () => encodePayloadV3([{ type: "message", data: blob }], true),
      () => encodePayloadV3([{ type: "message", data: blob }], false),
    ]) {
      const error = thrown(fn);
      expect(error).toBeInstanceOf(SyncBlobError);
      expect(error).toBeInstanceOf(TypeError);
      expect(error).toMatchObject({ code: ENGINE_PARSER_ERROR_CODES.SYNC_BLOB });
    }
  });

  it("keeps instanceof working across copies of the package (the source and the built CommonJS file)", () => {
    const dist = createRequire(__filename)(join(packageDir, "dist/index.cjs")) as typeof import("../../src/index");
    expect(dist.SyncBlobError).not.toBe(SyncBlobError);
    expect(new dist.SyncBlobError("x")).toBeInstanceOf(SyncBlobError);
    expect(new dist.SyncBlobError("x")).toBeInstanceOf(EngineParserError);
    expect(thrown(() => dist.encodePacket({ type: "error" }, true))).toBeInstanceOf(InvalidPacketTypeError);
    expect(new InvalidPacketTypeError("x")).not.toBeInstanceOf(dist.SyncBlobError);
  });

  it("keeps instanceof working between the built ESM and CommonJS files loaded in one process", () => {
    // A real Node.js process: jest would run dist/index.js through its own CommonJS transform.
    const script = `
      import { createRequire } from "node:module";
      const esm = await import("./dist/index.js");
      const cjs = createRequire(import.meta.url)("./dist/index.cjs");
      const make = (m) => ({
        InvalidPacketTypeError: new m.InvalidPacketTypeError("error"),
        SyncBlobError: new m.SyncBlobError("x"),
      });
      const results = [];
      for (const [makerName, maker, checker] of [["ESM", esm, cjs], ["CJS", cjs, esm]]) {
        for (const [name, error] of Object.entries(make(maker))) {
          const other = name === "SyncBlobError" ? "InvalidPacketTypeError" : "SyncBlobError";
          results.push([makerName + " " + name, checker[name] !== maker[name], error instanceof checker[name],
            error instanceof checker.EngineParserError, error instanceof TypeError, error instanceof checker[other]]);
        }
      }
      console.log(JSON.stringify(results));
    `;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: packageDir, encoding: "utf8", timeout: 10_000 });
    expect(result.stderr).toBe("");
    const results = JSON.parse(result.stdout) as Array<[string, boolean, boolean, boolean, boolean, boolean]>;
    expect(results).toHaveLength(2 * CLASSES.length);
    for (const [made, distinct, ofClass, ofBase, ofTypeError, ofOther] of results) {
      expect({ made, distinct, ofClass, ofBase, ofTypeError, ofOther }).toEqual({
        made,
        distinct: true,
        ofClass: true,
        ofBase: true,
        ofTypeError: true,
        ofOther: false,
      });
    }
  });
});
