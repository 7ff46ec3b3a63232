import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import {
  InvalidClientError,
  InvalidOptionError,
  NodesTimeoutError,
  REDIS_ADAPTER_ERROR_CODES,
  RedisAdapterError,
  RedisClientError,
  SubscribeError,
} from "../../src/index";

const packageDir = join(__dirname, "../..");
const CODES: readonly string[] = Object.values(REDIS_ADAPTER_ERROR_CODES);
const CLASSES = [InvalidOptionError, InvalidClientError, RedisClientError, SubscribeError, NodesTimeoutError];

describe("error catalogue", () => {
  const errors: RedisAdapterError[] = [
    new InvalidOptionError("key", "a non-empty string", 3),
    new InvalidClientError("pubClient", {}),
    new RedisClientError("subClient", new Error("ECONNREFUSED")),
    new SubscribeError("socket.io#/#", new Error("closed")),
    new NodesTimeoutError(["abc"], 1, 2),
  ];

  it("keys every code by its name, VOLLEY_REDIS_ADAPTER_ERR_<NAME>, each code once, in a frozen map", () => {
    for (const [name, code] of Object.entries(REDIS_ADAPTER_ERROR_CODES)) {
      expect(code).toBe(`VOLLEY_REDIS_ADAPTER_ERR_${name}`);
      expect(code).toMatch(/^VOLLEY_REDIS_ADAPTER_ERR_[A-Z0-9_]+$/);
    }
    expect(new Set(CODES).size).toBe(CODES.length);
    expect(Object.isFrozen(REDIS_ADAPTER_ERROR_CODES)).toBe(true);
  });

  it("has one class per code, named after it, each a RedisAdapterError", () => {
    expect(errors.map((error) => error.code).sort()).toEqual([...CODES].sort());
    for (const error of errors) {
      expect(error).toBeInstanceOf(RedisAdapterError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(error.constructor.name);
      expect((error.constructor as typeof RedisAdapterError).code).toBe(error.code);
    }
    expect(RedisAdapterError.code).toBeUndefined();
  });

  it("tells the classes apart with instanceof, and takes no lookalike for one of them", () => {
    errors.forEach((error, i) => {
      CLASSES.forEach((errorClass, j) => expect(error instanceof errorClass).toBe(i === j));
    });
    const lookalike = Object.assign(new Error("x"), { code: REDIS_ADAPTER_ERROR_CODES.CLIENT_ERROR });
    expect(lookalike).not.toBeInstanceOf(RedisClientError);
    expect(lookalike).not.toBeInstanceOf(RedisAdapterError);
    expect(null).not.toBeInstanceOf(RedisAdapterError);
  });

  it("gives a user's subclass the ordinary instanceof", () => {
    class MyError extends SubscribeError {}
    expect(new MyError("c", null)).toBeInstanceOf(MyError);
    expect(new MyError("c", null)).toBeInstanceOf(SubscribeError);
    expect(new SubscribeError("c", null)).not.toBeInstanceOf(MyError);
  });

  it("keeps the cause and names the nodes of a timeout, after socket.io-adapter's text", () => {
    const cause = new Error("ECONNREFUSED");
    expect(new RedisClientError("pubClient", cause).cause).toBe(cause);
    const timeout = new NodesTimeoutError(["n1", "n2"], 0, 2);
    expect(timeout.message).toBe("timeout reached: missing 2 responses (no answer from nodes n1, n2)");
    expect(timeout.missingNodes).toEqual(["n1", "n2"]);
    expect(Object.isFrozen(timeout.missingNodes)).toBe(true);
  });

  it("recognises errors across the built ESM and CJS files", () => {
    const script = `
      import { createRequire } from "node:module";
      const esm = await import("./dist/index.js");
      const cjs = createRequire(process.cwd() + "/package.json")("./dist/index.cjs");
      const fromEsm = new esm.SubscribeError("c", null);
      const fromCjs = new cjs.NodesTimeoutError(["n"], 0, 1);
      console.log(JSON.stringify([
        fromEsm instanceof cjs.SubscribeError, fromEsm instanceof cjs.RedisAdapterError,
        fromCjs instanceof esm.NodesTimeoutError, fromCjs instanceof esm.RedisAdapterError,
        fromCjs instanceof esm.SubscribeError, esm.REDIS_ADAPTER_ERROR_CODES === cjs.REDIS_ADAPTER_ERROR_CODES,
      ]));
    `;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: packageDir, encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual([true, true, true, true, false, false]);
  });
});
