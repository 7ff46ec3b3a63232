import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import {
  CLUSTER_ADAPTER_ERROR_CODES,
  ClusterAdapterError,
  InvalidOptionError,
  NotAWorkerError,
  NotPrimaryError,
  WorkersTimeoutError,
} from "../../src/index";

const packageDir = join(__dirname, "../..");
const CODES: readonly string[] = Object.values(CLUSTER_ADAPTER_ERROR_CODES);
const CLASSES = [InvalidOptionError, NotAWorkerError, NotPrimaryError, WorkersTimeoutError];

describe("error catalogue", () => {
  const errors: ClusterAdapterError[] = [
    new InvalidOptionError("requestsTimeout", "a number", "3"),
    new NotAWorkerError(),
    new NotPrimaryError(),
    new WorkersTimeoutError([{ uid: "abc", workerId: 2 }], 1, 2),
  ];

  it("keys every code by its name, VOLLEY_CLUSTER_ADAPTER_ERR_<NAME>, each code once, in a frozen map", () => {
    for (const [name, code] of Object.entries(CLUSTER_ADAPTER_ERROR_CODES)) {
      expect(code).toBe(`VOLLEY_CLUSTER_ADAPTER_ERR_${name}`);
    }
    expect(new Set(CODES).size).toBe(CODES.length);
    expect(Object.isFrozen(CLUSTER_ADAPTER_ERROR_CODES)).toBe(true);
  });

  it("has one class per code, named after it, each a ClusterAdapterError", () => {
    expect(errors.map((error) => error.code).sort()).toEqual([...CODES].sort());
    for (const error of errors) {
      expect(error).toBeInstanceOf(ClusterAdapterError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(error.constructor.name);
      expect((error.constructor as typeof ClusterAdapterError).code).toBe(error.code);
    }
    expect(ClusterAdapterError.code).toBeUndefined();
  });

  it("tells the classes apart with instanceof, and takes no lookalike for one of them", () => {
    errors.forEach((error, i) => {
      CLASSES.forEach((errorClass, j) => expect(error instanceof errorClass).toBe(i === j));
    });
    const lookalike = Object.assign(new Error("x"), { code: CLUSTER_ADAPTER_ERROR_CODES.NOT_PRIMARY });
    expect(lookalike).not.toBeInstanceOf(NotPrimaryError);
    expect(lookalike).not.toBeInstanceOf(ClusterAdapterError);
    expect(null).not.toBeInstanceOf(ClusterAdapterError);
  });

  it("gives a user's subclass the ordinary instanceof", () => {
    class MyError extends NotPrimaryError {}
    expect(new MyError()).toBeInstanceOf(MyError);
    expect(new MyError()).toBeInstanceOf(NotPrimaryError);
    expect(new NotPrimaryError()).not.toBeInstanceOf(MyError);
  });

  it("names the workers of a timeout after socket.io-adapter's text", () => {
    const cause = new Error("timeout reached: missing 2 responses");
    const timeout = new WorkersTimeoutError([{ uid: "u1", workerId: 3 }, { uid: "u2", workerId: undefined }], 0, 2, cause);
    expect(timeout.message).toBe("timeout reached: missing 2 responses (no answer from workers 3 (u1), u2)");
    expect(timeout.missingWorkers).toEqual([{ uid: "u1", workerId: 3 }, { uid: "u2", workerId: undefined }]);
    expect(Object.isFrozen(timeout.missingWorkers)).toBe(true);
    expect(timeout.cause).toBe(cause);
    expect(new WorkersTimeoutError([{ uid: "u1", workerId: 3 }], 1, 2).message).toBe(
      "timeout reached: missing 1 responses (no answer from worker 3 (u1))",
    );
  });

  it("recognises errors across the built ESM and CJS files", () => {
    const script = `
      import { createRequire } from "node:module";
      const esm = await import("./dist/index.js");
      const cjs = createRequire(process.cwd() + "/package.json")("./dist/index.cjs");
      const fromEsm = new esm.NotPrimaryError();
      const fromCjs = new cjs.WorkersTimeoutError([{ uid: "n", workerId: 1 }], 0, 1);
      console.log(JSON.stringify([
        fromEsm instanceof cjs.NotPrimaryError, fromEsm instanceof cjs.ClusterAdapterError,
        fromCjs instanceof esm.WorkersTimeoutError, fromCjs instanceof esm.ClusterAdapterError,
        fromCjs instanceof esm.NotPrimaryError, esm.CLUSTER_ADAPTER_ERROR_CODES === cjs.CLUSTER_ADAPTER_ERROR_CODES,
      ]));
    `;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: packageDir, encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual([true, true, true, true, false, false]);
  });
});
