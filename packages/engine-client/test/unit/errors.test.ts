import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import {
  ENGINE_CLIENT_ERROR_CODES,
  EngineClientError,
  InvalidMessageError,
  InvalidOptionError,
  ParseError,
  ProbeError,
  TransportError,
  type EngineClientErrorCode,
} from "../../src/index";

const packageDir = join(__dirname, "../..");
const CODES: readonly string[] = Object.values(ENGINE_CLIENT_ERROR_CODES);
const CLASSES = [InvalidOptionError, InvalidMessageError, ParseError, ProbeError, TransportError];

describe("error catalogue", () => {
  it("keys every code by its name, VOLLEY_ENGINE_CLIENT_ERR_<NAME>, each code once, in a frozen map", () => {
    for (const [name, code] of Object.entries(ENGINE_CLIENT_ERROR_CODES)) {
      expect(code).toBe(`VOLLEY_ENGINE_CLIENT_ERR_${name}`);
      expect(code).toMatch(/^VOLLEY_ENGINE_CLIENT_ERR_[A-Z0-9_]+$/);
    }
    expect(CODES).toHaveLength(9);
    expect(new Set(CODES).size).toBe(CODES.length);
    expect(Object.isFrozen(ENGINE_CLIENT_ERROR_CODES)).toBe(true);
  });

  it("gives each error class its name, a code from the map and the base class", () => {
    const errors = [
      new InvalidOptionError("port", "a number", "x"),
      new InvalidMessageError(42),
      new ParseError("bad", "9x"),
      new ProbeError("websocket", "transport closed"),
      new TransportError(ENGINE_CLIENT_ERROR_CODES.POLL_ERROR, "xhr poll error", { status: 400, body: '{"code":1,"message":"Session ID unknown"}' }),
    ];
    expect(errors.map((error) => error.name)).toEqual(["InvalidOptionError", "InvalidMessageError", "ParseError", "ProbeError", "TransportError"]);
    expect(errors.map((error) => error.code)).toEqual([
      "VOLLEY_ENGINE_CLIENT_ERR_INVALID_OPTION",
      "VOLLEY_ENGINE_CLIENT_ERR_INVALID_MESSAGE",
      "VOLLEY_ENGINE_CLIENT_ERR_PARSE_ERROR",
      "VOLLEY_ENGINE_CLIENT_ERR_PROBE_ERROR",
      "VOLLEY_ENGINE_CLIENT_ERR_POLL_ERROR",
    ]);
    errors.forEach((error, i) => {
      expect(error).toBeInstanceOf(EngineClientError);
      expect(error).toBeInstanceOf(Error);
      expect(CODES).toContain(error.code);
      CLASSES.forEach((errorClass, j) => expect(error instanceof errorClass).toBe(i === j));
    });
    expect((errors[3] as ProbeError).message).toBe("probe error: transport closed");
    expect((errors[4] as TransportError).serverError).toEqual({ code: 1, message: "Session ID unknown" });
    expect((errors[4] as TransportError).type).toBe("TransportError");
  });

  it("does not take a lookalike or a plain error for one of its own", () => {
    expect(Object.assign(new Error("xhr poll error"), { code: ENGINE_CLIENT_ERROR_CODES.POLL_ERROR, type: "TransportError" })).not.toBeInstanceOf(
      TransportError,
    );
    expect(new Error("x")).not.toBeInstanceOf(EngineClientError);
    expect(null).not.toBeInstanceOf(EngineClientError);
  });

  it("gives a user's subclass the ordinary instanceof, not its parent's brand", () => {
    class MyProbeError extends ProbeError {}
    expect(new MyProbeError("polling")).toBeInstanceOf(MyProbeError);
    expect(new MyProbeError("polling")).toBeInstanceOf(ProbeError);
    expect(new ProbeError("polling")).not.toBeInstanceOf(MyProbeError);
  });

  it("reads no server error from a body that is not an Engine.IO error", () => {
    for (const body of ["Transport unknown", "{}", '{"code":"1","message":"x"}', "null"]) {
      expect(new TransportError(ENGINE_CLIENT_ERROR_CODES.WEBSOCKET_ERROR, "websocket error", { body }).serverError).toBeUndefined();
    }
  });

  it("keeps instanceof working across copies of the package (the source and the built CommonJS file)", () => {
    const dist = createRequire(__filename)(join(packageDir, "dist/index.cjs")) as typeof import("../../src/index");
    expect(dist.TransportError).not.toBe(TransportError);
    expect(new dist.ParseError("bad", "x")).toBeInstanceOf(ParseError);
    expect(new dist.ParseError("bad", "x")).toBeInstanceOf(EngineClientError);
    expect(new InvalidMessageError(1)).toBeInstanceOf(dist.InvalidMessageError);
    expect(new InvalidMessageError(1)).not.toBeInstanceOf(dist.InvalidOptionError);
  });

  it("keeps instanceof working between the built ESM and CommonJS files (Node.js and browser entries) in one process", () => {
    // A real Node.js process: jest would run the .js files through its own CommonJS transform.
    const script = `
      import { createRequire } from "node:module";
      const require = createRequire(import.meta.url);
      const builds = {
        "index.js": await import("./dist/index.js"),
        "index.cjs": require("./dist/index.cjs"),
        "index.browser.js": await import("./dist/index.browser.js"),
        "index.browser.cjs": require("./dist/index.browser.cjs"),
      };
      const make = (m) => ({
        InvalidOptionError: new m.InvalidOptionError("port", "a number", "x"),
        InvalidMessageError: new m.InvalidMessageError(42),
        ParseError: new m.ParseError("bad", "9x"),
        ProbeError: new m.ProbeError("websocket"),
        TransportError: new m.TransportError(m.ENGINE_CLIENT_ERROR_CODES.POLL_ERROR, "xhr poll error"),
      });
      const results = [];
      for (const [makerName, maker] of Object.entries(builds)) {
        for (const [checkerName, checker] of Object.entries(builds)) {
          if (checkerName === makerName) continue;
          for (const [name, error] of Object.entries(make(maker))) {
            results.push([makerName + " " + name + " in " + checkerName, error instanceof checker[name], error instanceof checker.EngineClientError]);
          }
        }
      }
      // The ESM and CJS files define the classes each on their own.
      console.log(JSON.stringify({ distinct: builds["index.js"].TransportError !== builds["index.cjs"].TransportError, results }));
    `;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: packageDir, encoding: "utf8", timeout: 10_000 });
    expect(result.stderr).toBe("");
    const { distinct, results } = JSON.parse(result.stdout) as { distinct: boolean; results: [string, boolean, boolean][] };
    expect(distinct).toBe(true);
    expect(results).toHaveLength(4 * 3 * CLASSES.length);
    for (const [made, ofClass, ofBase] of results) expect({ made, ofClass, ofBase }).toEqual({ made, ofClass: true, ofBase: true });
  });

  it("types codes as the union of the map's values", () => {
    const code: EngineClientErrorCode = new ParseError("bad", "x").code;
    expect(CODES).toContain(code);
  });
});
