import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import {
  InvalidArgumentError,
  InvalidOptionError,
  STICKY_ERROR_CODES,
  StickyError,
  WrongProcessError,
  setupPrimary,
  setupWorker,
  type StickyErrorCode,
} from "../../src";
import { Server as NetServer } from "node:net";
import { createServer as createHttpsServer } from "node:https";

const packageDir = join(__dirname, "..", "..");

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("did not throw");
}

describe("error catalogue", () => {
  it("gives every key its own VOLLEY_STICKY_ERR_<KEY> code, in a frozen map", () => {
    const entries = Object.entries(STICKY_ERROR_CODES);
    for (const [key, code] of entries) {
      expect(code).toBe(`VOLLEY_STICKY_ERR_${key}`);
      expect(code).toMatch(/^VOLLEY_STICKY_ERR_[A-Z0-9_]+$/);
    }
    expect(new Set(entries.map(([, code]) => code)).size).toBe(entries.length);
    expect(Object.isFrozen(STICKY_ERROR_CODES)).toBe(true);
  });

  it("makes every error class instanceof the base, with a code from the map", () => {
    const errors = [
      new StickyError(STICKY_ERROR_CODES.NOT_PRIMARY, "x"),
      new InvalidOptionError("o", "x"),
      new InvalidArgumentError("x"),
      new WrongProcessError(STICKY_ERROR_CODES.NOT_WORKER, "x"),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(StickyError);
      expect(Object.values(STICKY_ERROR_CODES)).toContain(error.code);
    }
    expect(errors[1]).toBeInstanceOf(TypeError);
    expect(errors[2]).toBeInstanceOf(TypeError);
    expect(errors[0]).not.toBeInstanceOf(WrongProcessError);
    const code: StickyErrorCode = errors[3]!.code;
    expect(code).toBe("VOLLEY_STICKY_ERR_NOT_WORKER");
  });

  it("setupWorker() outside a worker and setupPrimary() with a bad server throw coded errors", () => {
    // jest runs this file in a plain (primary) process
    expect(thrown(() => setupWorker({}))).toMatchObject({ name: "WrongProcessError", code: STICKY_ERROR_CODES.NOT_WORKER });
    expect(thrown(() => setupPrimary({} as NetServer))).toMatchObject({ name: "InvalidArgumentError", code: STICKY_ERROR_CODES.INVALID_ARGUMENT });
    expect(thrown(() => setupPrimary(createHttpsServer()))).toMatchObject({ code: STICKY_ERROR_CODES.INVALID_ARGUMENT });
    expect(thrown(() => setupPrimary(new NetServer(), { loadBalancingMethod: "fastest" as never }))).toMatchObject({ code: STICKY_ERROR_CODES.INVALID_OPTION });
  });

  it("keeps instanceof working across copies of the package (the source and the built CommonJS file)", () => {
    const dist = createRequire(__filename)(join(packageDir, "dist/index.cjs")) as typeof import("../../src");
    expect(dist.InvalidOptionError).not.toBe(InvalidOptionError);
    expect(new dist.InvalidOptionError("o", "x")).toBeInstanceOf(InvalidOptionError);
    expect(new dist.WrongProcessError(dist.STICKY_ERROR_CODES.NOT_PRIMARY, "x")).toBeInstanceOf(StickyError);
    expect(new InvalidArgumentError("x")).toBeInstanceOf(dist.StickyError);
    expect(new InvalidArgumentError("x")).not.toBeInstanceOf(dist.InvalidOptionError);
  });

  it("keeps instanceof working between the built ESM and CommonJS files loaded in one process", () => {
    // a real Node.js process: jest would run dist/index.js through its own CommonJS transform
    const script = `
      import { createRequire } from "node:module";
      const esm = await import("./dist/index.js");
      const cjs = createRequire(import.meta.url)("./dist/index.cjs");
      const results = [];
      for (const [maker, checker] of [[esm, cjs], [cjs, esm]]) {
        const errors = {
          StickyError: new maker.StickyError(maker.STICKY_ERROR_CODES.NOT_PRIMARY, "x"),
          InvalidOptionError: new maker.InvalidOptionError("o", "x"),
          InvalidArgumentError: new maker.InvalidArgumentError("x"),
          WrongProcessError: new maker.WrongProcessError(maker.STICKY_ERROR_CODES.NOT_WORKER, "x"),
        };
        try { maker.resolvePrimaryOptions({ loadBalancingMethod: "x" }); } catch (error) { errors.thrownInvalidOptionError = error; }
        for (const [name, error] of Object.entries(errors)) {
          const className = name.replace(/^thrown/, "");
          results.push([checker[className] !== maker[className], error instanceof checker[className], error instanceof checker.StickyError]);
        }
      }
      console.log(JSON.stringify(results));
    `;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: packageDir, encoding: "utf8", timeout: 10_000 });
    expect(result.stderr).toBe("");
    const results = JSON.parse(result.stdout) as boolean[][];
    expect(results).toHaveLength(10);
    for (const row of results) expect(row).toEqual([true, true, true]);
  });
});
