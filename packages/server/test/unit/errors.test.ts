import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import {
  AckTimeoutError,
  CLIENT_BUNDLE_UNAVAILABLE_BODY,
  InvalidArgumentError,
  InvalidOptionError,
  ProtocolViolationError,
  ReservedEventError,
  SERVER_ERROR_CODES,
  ServerError,
  SocketDisconnectedError,
} from "../../src";

const packageDir = join(__dirname, "../..");
const CODES: readonly string[] = Object.values(SERVER_ERROR_CODES);
const CLASSES = [
  InvalidOptionError,
  InvalidArgumentError,
  ReservedEventError,
  AckTimeoutError,
  SocketDisconnectedError,
  ProtocolViolationError,
];

describe("error catalogue", () => {
  const errors: ServerError[] = [
    new InvalidOptionError("path", "a string", 1),
    new InvalidArgumentError("bad"),
    new ReservedEventError("connect"),
    new AckTimeoutError(10),
    new SocketDisconnectedError("id"),
    new ProtocolViolationError(0, "/", "CONNECT to /, which the client is connected to"),
  ];

  it("keys every code by its name, VOLLEY_SERVER_ERR_<NAME>, each code once, in a frozen map", () => {
    for (const [name, code] of Object.entries(SERVER_ERROR_CODES)) {
      expect(code).toBe(`VOLLEY_SERVER_ERR_${name}`);
      expect(code).toMatch(/^VOLLEY_SERVER_ERR_[A-Z0-9_]+$/);
    }
    expect(new Set(CODES).size).toBe(CODES.length);
    expect(Object.isFrozen(SERVER_ERROR_CODES)).toBe(true);
  });

  it("has one class per code (the client bundle's is the code of an HTTP body), each a ServerError", () => {
    expect(errors.map((error) => error.code).sort()).toEqual(
      CODES.filter((code) => code !== SERVER_ERROR_CODES.CLIENT_BUNDLE_UNAVAILABLE).sort(),
    );
    expect(CLIENT_BUNDLE_UNAVAILABLE_BODY.code).toBe(SERVER_ERROR_CODES.CLIENT_BUNDLE_UNAVAILABLE);
    errors.forEach((error, i) => {
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(ServerError);
      expect(error.name).toBe(CLASSES[i]!.name);
      expect(CLASSES[i]!.code).toBe(error.code);
    });
    expect(ServerError.code).toBeUndefined();
  });

  it("tells the classes apart with instanceof, and takes no lookalike for one of them", () => {
    errors.forEach((error, i) => {
      CLASSES.forEach((errorClass, j) => expect(error instanceof errorClass).toBe(i === j));
    });
    // Carrying the code, or the base brand and the code, does not make an error one of the classes.
    const lookalike = Object.assign(new Error("x"), { code: SERVER_ERROR_CODES.ACK_TIMEOUT });
    expect(lookalike).not.toBeInstanceOf(AckTimeoutError);
    expect(lookalike).not.toBeInstanceOf(ServerError);
    Object.defineProperty(lookalike, Symbol.for("volley.server.error"), { value: true });
    expect(lookalike).toBeInstanceOf(ServerError);
    expect(lookalike).not.toBeInstanceOf(AckTimeoutError);
    expect(new Error("plain")).not.toBeInstanceOf(ServerError);
    expect(null).not.toBeInstanceOf(ServerError);
  });

  it("gives a user's subclass the ordinary instanceof, not its parent's brand", () => {
    class MyTimeout extends AckTimeoutError {}
    expect(new MyTimeout(5)).toBeInstanceOf(MyTimeout);
    expect(new MyTimeout(5)).toBeInstanceOf(AckTimeoutError);
    expect(new MyTimeout(5)).toMatchObject({ name: "MyTimeout", code: SERVER_ERROR_CODES.ACK_TIMEOUT });
    expect(new AckTimeoutError(5)).not.toBeInstanceOf(MyTimeout);
  });

  it("carries the details of each failure, and socket.io's timeout message", () => {
    expect(new InvalidOptionError("path", "a string", 1)).toMatchObject({
      option: "path",
      message: 'option "path" must be a string, got 1',
    });
    expect(new ReservedEventError("connect").event).toBe("connect");
    expect(new AckTimeoutError(10)).toMatchObject({ message: "operation has timed out", timeoutMs: 10, responses: undefined });
    expect(new AckTimeoutError(10, ["a"]).responses).toEqual(["a"]);
    expect(new AckTimeoutError(10, null).responses).toBeNull();
    expect(new ProtocolViolationError(2, "/admin", "x")).toMatchObject({ packetType: 2, namespace: "/admin" });
  });

  it("keeps instanceof working across copies of the package (the source and the built CommonJS file)", () => {
    // the CommonJS build is callable (require(pkg)(options), as socket.io's), with the named exports on it
    const dist = createRequire(__filename)(join(packageDir, "dist/index.cjs")) as typeof import("../../src/index");
    expect(dist.AckTimeoutError).not.toBe(AckTimeoutError);
    expect(new dist.AckTimeoutError(1)).toBeInstanceOf(AckTimeoutError);
    expect(new dist.AckTimeoutError(1)).toBeInstanceOf(ServerError);
    expect(new ReservedEventError("connect")).toBeInstanceOf(dist.ReservedEventError);
    expect(new ReservedEventError("connect")).not.toBeInstanceOf(dist.InvalidArgumentError);
  });

  it("keeps instanceof working between the built ESM and CommonJS files loaded in one process", () => {
    // A real Node.js process: jest would run dist/index.js through its own CommonJS transform.
    const script = `
      import { createRequire } from "node:module";
      const esm = await import("./dist/index.js");
      const cjs = createRequire(import.meta.url)("./dist/index.cjs");
      const make = (m) => ({
        InvalidOptionError: new m.InvalidOptionError("path", "a string", 1),
        InvalidArgumentError: new m.InvalidArgumentError("bad"),
        ReservedEventError: new m.ReservedEventError("connect"),
        AckTimeoutError: new m.AckTimeoutError(10, []),
        SocketDisconnectedError: new m.SocketDisconnectedError("id"),
        ProtocolViolationError: new m.ProtocolViolationError(0, "/", "x"),
      });
      const results = [typeof cjs];
      for (const [makerName, maker, checker] of [["ESM", esm, cjs], ["CJS", cjs, esm]]) {
        for (const [name, error] of Object.entries(make(maker))) {
          const others = Object.keys(make(maker)).filter((other) => other !== name);
          results.push([
            makerName + " " + name,
            checker[name] !== maker[name],
            error instanceof checker[name],
            error instanceof checker.ServerError,
            others.some((other) => error instanceof checker[other]),
          ]);
        }
      }
      console.log(JSON.stringify(results));
    `;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: packageDir,
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(result.stderr).toBe("");
    const [cjsType, ...results] = JSON.parse(result.stdout) as [string, ...Array<[string, boolean, boolean, boolean, boolean]>];
    expect(cjsType).toBe("function");
    expect(results).toHaveLength(2 * CLASSES.length);
    for (const [made, distinct, ofClass, ofBase, ofAnother] of results) {
      expect({ made, distinct, ofClass, ofBase, ofAnother }).toEqual({ made, distinct: true, ofClass: true, ofBase: true, ofAnother: false });
    }
  });
});
