import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import {
  ADAPTER_ERROR_CODES,
  AdapterClosedError,
  AdapterError,
  InvalidArgumentError,
  InvalidClusterMessageError,
  InvalidOptionError,
  PublishError,
  RequestTimeoutError,
} from "../../src/index";

const packageDir = join(__dirname, "../..");
const CODES: readonly string[] = Object.values(ADAPTER_ERROR_CODES);
const CLASSES = [InvalidOptionError, InvalidArgumentError, RequestTimeoutError, InvalidClusterMessageError, PublishError, AdapterClosedError];

describe("error catalogue", () => {
  const errors: AdapterError[] = [
    new InvalidOptionError("x", "a number", "y"),
    new InvalidArgumentError("bad"),
    new RequestTimeoutError(1, 2),
    new InvalidClusterMessageError("bad"),
    new PublishError(new Error("down")),
    new AdapterClosedError(),
  ];

  it("keys every code by its name, VOLLEY_ADAPTER_ERR_<NAME>, each code once, in a frozen map", () => {
    for (const [name, code] of Object.entries(ADAPTER_ERROR_CODES)) {
      expect(code).toBe(`VOLLEY_ADAPTER_ERR_${name}`);
      expect(code).toMatch(/^VOLLEY_ADAPTER_ERR_[A-Z0-9_]+$/);
    }
    expect(new Set(CODES).size).toBe(CODES.length);
    expect(Object.isFrozen(ADAPTER_ERROR_CODES)).toBe(true);
  });

  it("has one class per code, named after it, each an AdapterError", () => {
    expect(errors.map((error) => error.code).sort()).toEqual([...CODES].sort());
    for (const error of errors) {
      expect(error).toBeInstanceOf(AdapterError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(error.constructor.name);
      expect((error.constructor as typeof AdapterError).code).toBe(error.code);
    }
    expect(AdapterError.code).toBeUndefined();
  });

  it("tells the classes apart with instanceof, and takes no lookalike for one of them", () => {
    errors.forEach((error, i) => {
      CLASSES.forEach((errorClass, j) => expect(error instanceof errorClass).toBe(i === j));
    });
    // Carrying the code or the base brand alone does not make an error one of the classes.
    const lookalike = Object.assign(new Error("x"), { code: ADAPTER_ERROR_CODES.REQUEST_TIMEOUT });
    expect(lookalike).not.toBeInstanceOf(RequestTimeoutError);
    expect(lookalike).not.toBeInstanceOf(AdapterError);
    expect(new Error("plain")).not.toBeInstanceOf(AdapterError);
    expect(null).not.toBeInstanceOf(AdapterError);
  });

  it("gives a user's subclass the ordinary instanceof, not its parent's brand", () => {
    class MyTimeout extends RequestTimeoutError {}
    expect(new MyTimeout(0, 1)).toBeInstanceOf(MyTimeout);
    expect(new MyTimeout(0, 1)).toBeInstanceOf(RequestTimeoutError);
    expect(new MyTimeout(0, 1)).toMatchObject({ name: "MyTimeout", code: ADAPTER_ERROR_CODES.REQUEST_TIMEOUT });
    expect(new RequestTimeoutError(0, 1)).not.toBeInstanceOf(MyTimeout);
  });

  it("keeps socket.io-adapter's timeout messages", () => {
    expect(new RequestTimeoutError(1, 3).message).toBe("timeout reached: only 1 responses received out of 3");
    expect(new RequestTimeoutError(1, 3, 2).message).toBe("timeout reached: missing 2 responses");
  });

  it("names the silent nodes when given their ids, a frozen copy", () => {
    const silent = ["n1", "n2"];
    const named = new RequestTimeoutError(1, 3, silent);
    silent.push("n3");
    expect(named).toMatchObject({ message: "timeout reached: missing 2 responses", received: 1, expected: 3, missing: 2 });
    expect(named.missingNodes).toEqual(["n1", "n2"]);
    expect(Object.isFrozen(named.missingNodes)).toBe(true);
    expect(new RequestTimeoutError(1, 3, 2).missingNodes).toBeUndefined();
    expect(new RequestTimeoutError(1, 3)).toMatchObject({ missing: 2, missingNodes: undefined });
  });

  it("keeps the cause of a publish failure", () => {
    const cause = new Error("connection refused");
    const error = new PublishError(cause);
    expect(error.cause).toBe(cause);
    expect(error.message).toContain("connection refused");
  });

  it("keeps instanceof working across copies of the package (the source and the built CommonJS file)", () => {
    const dist = createRequire(__filename)(join(packageDir, "dist/index.cjs")) as typeof import("../../src/index");
    expect(dist.RequestTimeoutError).not.toBe(RequestTimeoutError);
    expect(new dist.RequestTimeoutError(0, 1)).toBeInstanceOf(RequestTimeoutError);
    expect(new dist.RequestTimeoutError(0, 1)).toBeInstanceOf(AdapterError);
    expect(new PublishError(1)).toBeInstanceOf(dist.PublishError);
    expect(new PublishError(1)).not.toBeInstanceOf(dist.AdapterClosedError);
  });

  it("keeps instanceof working between the built ESM and CommonJS files loaded in one process", () => {
    // A real Node.js process: jest would run dist/index.js through its own CommonJS transform.
    const script = `
      import { createRequire } from "node:module";
      const esm = await import("./dist/index.js");
      const cjs = createRequire(import.meta.url)("./dist/index.cjs");
      const make = (m) => ({
        InvalidOptionError: new m.InvalidOptionError("x", "a number", "y"),
        InvalidArgumentError: new m.InvalidArgumentError("bad"),
        RequestTimeoutError: new m.RequestTimeoutError(1, 2),
        InvalidClusterMessageError: new m.InvalidClusterMessageError("bad"),
        PublishError: new m.PublishError(new Error("down")),
        AdapterClosedError: new m.AdapterClosedError(),
      });
      const results = [];
      for (const [makerName, maker, checker] of [["ESM", esm, cjs], ["CJS", cjs, esm]]) {
        for (const [name, error] of Object.entries(make(maker))) {
          results.push([makerName + " " + name, checker[name] !== maker[name], error instanceof checker[name], error instanceof checker.AdapterError]);
        }
      }
      console.log(JSON.stringify(results));
    `;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: packageDir, encoding: "utf8", timeout: 10_000 });
    expect(result.stderr).toBe("");
    const results = JSON.parse(result.stdout) as [string, boolean, boolean, boolean][];
    expect(results).toHaveLength(2 * CLASSES.length);
    for (const [made, distinct, ofClass, ofBase] of results) {
      expect({ made, distinct, ofClass, ofBase }).toEqual({ made, distinct: true, ofClass: true, ofBase: true });
    }
  });
});
