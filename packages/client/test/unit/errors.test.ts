import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import * as client from "../../src";
import { CLIENT_ERROR_CODES, ClientError } from "../../src";

const packageDir = join(__dirname, "../..");
const CODES: readonly string[] = Object.values(CLIENT_ERROR_CODES);

const classes = [
  client.InvalidOptionError,
  client.ReservedEventError,
  client.ConnectTimeoutError,
  client.ConnectRefusedError,
  client.UnsupportedServerError,
  client.AckTimeoutError,
  client.SocketDisconnectedError,
];

/** One error of each class, in the order of `classes`. */
function makeEach(): ClientError[] {
  return [
    new client.InvalidOptionError("timeout", "a number", "x"),
    new client.ReservedEventError("connect"),
    new client.ConnectTimeoutError(),
    new client.ConnectRefusedError("nope", { a: 1 }),
    new client.UnsupportedServerError(),
    new client.AckTimeoutError(),
    new client.SocketDisconnectedError(),
  ];
}

describe("error catalogue", () => {
  it("keys every code by its name, VOLLEY_CLIENT_ERR_<NAME>, each code once, in a frozen map", () => {
    for (const [name, code] of Object.entries(CLIENT_ERROR_CODES)) {
      expect(code).toBe(`VOLLEY_CLIENT_ERR_${name}`);
      expect(code).toMatch(/^VOLLEY_CLIENT_ERR_[A-Z0-9_]+$/);
    }
    expect(new Set(CODES).size).toBe(CODES.length);
    expect(Object.isFrozen(CLIENT_ERROR_CODES)).toBe(true);
  });

  it("one class per code, codes unique and all used; every error a ClientError with its class's code", () => {
    const codes = classes.map((type) => type.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual([...CODES].sort());
    makeEach().forEach((error, i) => {
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(ClientError);
      expect(error.name).toBe(classes[i]!.name);
      expect(error.code).toBe(classes[i]!.code);
      expect(CODES).toContain(error.code);
    });
    expect(ClientError.code).toBeUndefined();
  });

  it("tells the classes apart with instanceof, and takes no lookalike for one of them", () => {
    makeEach().forEach((error, i) => {
      classes.forEach((errorClass, j) => expect(error instanceof errorClass).toBe(i === j));
    });
    // Carrying the code, or the base brand and the code, does not make an error one of the classes.
    const lookalike = Object.assign(new Error("x"), { code: CLIENT_ERROR_CODES.ACK_TIMEOUT });
    expect(lookalike).not.toBeInstanceOf(client.AckTimeoutError);
    expect(lookalike).not.toBeInstanceOf(ClientError);
    Object.defineProperty(lookalike, Symbol.for("volley.client.error"), { value: true });
    expect(lookalike).toBeInstanceOf(ClientError);
    expect(lookalike).not.toBeInstanceOf(client.AckTimeoutError);
    // a copy from another build carries the class's own brand
    Object.defineProperty(lookalike, Symbol.for("volley.client.ack-timeout-error"), { value: true });
    expect(lookalike).toBeInstanceOf(client.AckTimeoutError);
    expect(lookalike).not.toBeInstanceOf(client.SocketDisconnectedError);
    expect(new Error("plain")).not.toBeInstanceOf(ClientError);
    expect(null).not.toBeInstanceOf(ClientError);
  });

  it("gives a user's subclass the ordinary instanceof, not its parent's brand", () => {
    class MyTimeout extends client.AckTimeoutError {}
    expect(new MyTimeout()).toBeInstanceOf(MyTimeout);
    expect(new MyTimeout()).toBeInstanceOf(client.AckTimeoutError);
    expect(new MyTimeout()).toMatchObject({ name: "MyTimeout", code: CLIENT_ERROR_CODES.ACK_TIMEOUT });
    expect(new client.AckTimeoutError()).not.toBeInstanceOf(MyTimeout);
  });

  it("keeps socket.io-client's messages", () => {
    const error = new client.AckTimeoutError();
    expect(error.message).toBe("operation has timed out");
    expect(new client.ConnectTimeoutError().message).toBe("timeout");
    expect(new client.SocketDisconnectedError().message).toBe("socket has been disconnected");
    expect(new client.ReservedEventError("connect").message).toBe('"connect" is a reserved event name');
    const refused = new client.ConnectRefusedError("nope", { a: 1 });
    expect([refused.message, refused.data]).toEqual(["nope", { a: 1 }]);
    expect(new client.InvalidOptionError("timeout", "a number", "x")).toMatchObject({
      option: "timeout",
      message: 'option "timeout" must be a number, got "x"',
    });
  });

  it("keeps instanceof working across copies of the package (the source and the built CommonJS file)", () => {
    // the CommonJS build is callable (require(pkg)(url), as socket.io-client's), with the named exports on it
    const dist = createRequire(__filename)(join(packageDir, "dist/index.cjs")) as typeof import("../../src/index");
    expect(dist.AckTimeoutError).not.toBe(client.AckTimeoutError);
    expect(new dist.AckTimeoutError()).toBeInstanceOf(client.AckTimeoutError);
    expect(new dist.AckTimeoutError()).toBeInstanceOf(ClientError);
    expect(new client.ReservedEventError("connect")).toBeInstanceOf(dist.ReservedEventError);
    expect(new client.ReservedEventError("connect")).toBeInstanceOf(dist.ClientError);
    expect(new client.ReservedEventError("connect")).not.toBeInstanceOf(dist.InvalidOptionError);
  });

  it("keeps instanceof working between the built ESM and CommonJS files loaded in one process", () => {
    // A real Node.js process: jest would run dist/index.js through its own CommonJS transform.
    const script = `
      import { createRequire } from "node:module";
      const esm = await import("./dist/index.js");
      const cjs = createRequire(import.meta.url)("./dist/index.cjs");
      const make = (m) => ({
        InvalidOptionError: new m.InvalidOptionError("timeout", "a number", "x"),
        ReservedEventError: new m.ReservedEventError("connect"),
        ConnectTimeoutError: new m.ConnectTimeoutError(),
        ConnectRefusedError: new m.ConnectRefusedError("nope", null),
        UnsupportedServerError: new m.UnsupportedServerError(),
        AckTimeoutError: new m.AckTimeoutError(),
        SocketDisconnectedError: new m.SocketDisconnectedError(),
      });
      const results = [typeof cjs];
      for (const [makerName, maker, checker] of [["ESM", esm, cjs], ["CJS", cjs, esm]]) {
        for (const [name, error] of Object.entries(make(maker))) {
          const others = Object.keys(make(maker)).filter((other) => other !== name);
          results.push([
            makerName + " " + name,
            checker[name] !== maker[name],
            error instanceof checker[name],
            error instanceof checker.ClientError,
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
    expect(results).toHaveLength(2 * classes.length);
    for (const [made, distinct, ofClass, ofBase, ofAnother] of results) {
      expect({ made, distinct, ofClass, ofBase, ofAnother }).toEqual({ made, distinct: true, ofClass: true, ofBase: true, ofAnother: false });
    }
  });
});
