import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import {
  AckNotSupportedError,
  EncodeError,
  InvalidArgumentError,
  InvalidClientError,
  InvalidOptionError,
  PublishError,
  REDIS_EMITTER_ERROR_CODES,
  RedisEmitterError,
  ReservedEventError,
} from "../../src/index";

const packageDir = join(__dirname, "../..");
const CODES: readonly string[] = Object.values(REDIS_EMITTER_ERROR_CODES);
const CLASSES = [InvalidOptionError, InvalidClientError, InvalidArgumentError, ReservedEventError, AckNotSupportedError, EncodeError, PublishError];

describe("error catalogue", () => {
  const errors: RedisEmitterError[] = [
    new InvalidOptionError("key", "must be a non-empty string, got 3"),
    new InvalidClientError({}),
    new InvalidArgumentError("room", "a string", 1),
    new ReservedEventError("connect"),
    new AckNotSupportedError("emit"),
    new EncodeError(new Error("Unrecognized object")),
    new PublishError("socket.io#/#", new Error("The client is closed")),
  ];

  it("keys every code by its name, VOLLEY_REDIS_EMITTER_ERR_<NAME>, each code once, in a frozen map", () => {
    for (const [name, code] of Object.entries(REDIS_EMITTER_ERROR_CODES)) {
      expect(code).toBe(`VOLLEY_REDIS_EMITTER_ERR_${name}`);
    }
    expect(new Set(CODES).size).toBe(CODES.length);
    expect(Object.isFrozen(REDIS_EMITTER_ERROR_CODES)).toBe(true);
  });

  it("has one class per code, named after it, each a RedisEmitterError", () => {
    expect(errors.map((error) => error.code).sort()).toEqual([...CODES].sort());
    for (const error of errors) {
      expect(error).toBeInstanceOf(RedisEmitterError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(error.constructor.name);
      expect((error.constructor as typeof RedisEmitterError).code).toBe(error.code);
    }
    expect(RedisEmitterError.code).toBeUndefined();
  });

  it("tells the classes apart with instanceof, and takes no lookalike for one of them", () => {
    errors.forEach((error, i) => {
      CLASSES.forEach((errorClass, j) => expect(error instanceof errorClass).toBe(i === j));
    });
    const lookalike = Object.assign(new Error("x"), { code: REDIS_EMITTER_ERROR_CODES.PUBLISH_FAILED });
    expect(lookalike).not.toBeInstanceOf(PublishError);
    expect(lookalike).not.toBeInstanceOf(RedisEmitterError);
    expect(undefined).not.toBeInstanceOf(RedisEmitterError);
  });

  it("gives a user's subclass the ordinary instanceof", () => {
    class MyError extends PublishError {}
    expect(new MyError("c", null)).toBeInstanceOf(MyError);
    expect(new MyError("c", null)).toBeInstanceOf(PublishError);
    expect(new PublishError("c", null)).not.toBeInstanceOf(MyError);
  });

  it("keeps the cause and says what failed", () => {
    const cause = new Error("The client is closed");
    const error = new PublishError("app#/#", cause);
    expect(error.cause).toBe(cause);
    expect(error.channel).toBe("app#/#");
    expect(error.message).toBe('publishing to "app#/#" failed: The client is closed');
    expect(new EncodeError(cause).cause).toBe(cause);
  });

  it("recognises errors across the built ESM and CJS files", () => {
    const script = `
      import { createRequire } from "node:module";
      const esm = await import("./dist/index.js");
      const cjs = createRequire(process.cwd() + "/package.json")("./dist/index.cjs");
      const fromEsm = new esm.PublishError("c", null);
      const fromCjs = new cjs.ReservedEventError("connect");
      console.log(JSON.stringify([
        fromEsm instanceof cjs.PublishError, fromEsm instanceof cjs.RedisEmitterError,
        fromCjs instanceof esm.ReservedEventError, fromCjs instanceof esm.RedisEmitterError,
        fromCjs instanceof esm.PublishError, esm.REDIS_EMITTER_ERROR_CODES === cjs.REDIS_EMITTER_ERROR_CODES,
      ]));
    `;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: packageDir, encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual([true, true, true, true, false, false]);
  });
});
