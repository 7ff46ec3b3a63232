import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import {
  CloseReasonTooLongError,
  ConnectionError,
  ENGINE_SERVER_ERROR_CODES,
  EngineServerError,
  ERROR_CODES,
  ERROR_MESSAGES,
  FrameError,
  InvalidCloseCodeError,
  InvalidOptionError,
  TRANSPORT_ERROR_CODES,
  TransportError,
  type EngineServerErrorCode,
} from "../../src";
import { statusOf } from "../../src/errors";

const packageDir = join(__dirname, "..", "..");
const CODES: readonly string[] = Object.values(ENGINE_SERVER_ERROR_CODES);
const req = { url: "/x" } as never;

/** One error of each exported class. */
function oneOfEach(): Array<[name: string, error: Error & { code: unknown }]> {
  return [
    ["ConnectionError", new ConnectionError(req, ERROR_CODES.FORBIDDEN, { message: "no" })],
    ["TransportError", new TransportError(TRANSPORT_ERROR_CODES.WRITE_ERROR, "write error")],
    ["FrameError", new FrameError(1002, "client frame not masked")],
    ["InvalidOptionError", new InvalidOptionError("pingInterval", "a number", "5")],
    ["InvalidCloseCodeError", new InvalidCloseCodeError(1005)],
    ["CloseReasonTooLongError", new CloseReasonTooLongError(124)],
  ];
}

describe("error catalogue", () => {
  it("has the six Engine.IO codes with their messages and statuses", () => {
    expect(ERROR_CODES).toEqual({
      UNKNOWN_TRANSPORT: 0,
      UNKNOWN_SID: 1,
      BAD_HANDSHAKE_METHOD: 2,
      BAD_REQUEST: 3,
      FORBIDDEN: 4,
      UNSUPPORTED_PROTOCOL_VERSION: 5,
    });
    expect(ERROR_MESSAGES).toEqual({
      0: "Transport unknown",
      1: "Session ID unknown",
      2: "Bad handshake method",
      3: "Bad request",
      4: "Forbidden",
      5: "Unsupported protocol version",
    });
    expect(Object.values(ERROR_CODES).map(statusOf)).toEqual([400, 400, 400, 400, 403, 400]);
    expect(Object.isFrozen(ERROR_CODES)).toBe(true);
    expect(Object.isFrozen(ERROR_MESSAGES)).toBe(true);
  });

  it("names every string code VOLLEY_ENGINE_SERVER_ERR_<its key>, once, in a frozen map", () => {
    const entries = Object.entries(ENGINE_SERVER_ERROR_CODES);
    for (const [key, code] of entries) {
      expect(code).toMatch(/^VOLLEY_ENGINE_SERVER_ERR_[A-Z0-9_]+$/);
      expect(code).toBe(`VOLLEY_ENGINE_SERVER_ERR_${key}`);
    }
    expect(new Set(CODES).size).toBe(entries.length);
    expect(Object.isFrozen(ENGINE_SERVER_ERROR_CODES)).toBe(true);
  });

  it("TRANSPORT_ERROR_CODES is a frozen part of the catalogue, under the same keys", () => {
    for (const [key, code] of Object.entries(TRANSPORT_ERROR_CODES)) {
      expect(ENGINE_SERVER_ERROR_CODES[key as keyof typeof ENGINE_SERVER_ERROR_CODES]).toBe(code);
    }
    expect(Object.isFrozen(TRANSPORT_ERROR_CODES)).toBe(true);
  });

  it("every exported class is an EngineServerError with a code from its map", () => {
    for (const [name, error] of oneOfEach()) {
      expect(error).toBeInstanceOf(EngineServerError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
      if (error instanceof ConnectionError) expect(Object.values(ERROR_CODES)).toContain(error.code);
      else expect(CODES).toContain(error.code);
    }
    expect(new Error("x")).not.toBeInstanceOf(EngineServerError);
    expect(new TypeError("x")).not.toBeInstanceOf(InvalidOptionError);
    expect(null).not.toBeInstanceOf(EngineServerError);
    expect(new TransportError(TRANSPORT_ERROR_CODES.WRITE_ERROR, "x")).not.toBeInstanceOf(FrameError);
  });

  it("error classes carry their codes and details", () => {
    const connectionError = new ConnectionError(req, ERROR_CODES.FORBIDDEN, { message: "no" });
    expect(connectionError.code).toBe(4);
    expect(connectionError.message).toBe("Forbidden");
    expect(connectionError.context).toEqual({ message: "no" });
    expect(connectionError.req).toBe(req);

    const cause = new Error("socket");
    const transportError = new TransportError(TRANSPORT_ERROR_CODES.WRITE_ERROR, "write error", { cause });
    expect(transportError.type).toBe("TransportError");
    expect(transportError.code).toBe("VOLLEY_ENGINE_SERVER_ERR_WRITE_ERROR");
    expect(transportError.cause).toBe(cause);

    expect(new FrameError(1002, "x")).toMatchObject({ status: 1002, code: ENGINE_SERVER_ERROR_CODES.WS_PROTOCOL_ERROR });
    expect(new FrameError(1007, "x")).toMatchObject({ status: 1007, code: ENGINE_SERVER_ERROR_CODES.WS_INVALID_UTF8 });
    expect(new FrameError(1009, "x")).toMatchObject({ status: 1009, code: ENGINE_SERVER_ERROR_CODES.WS_MESSAGE_TOO_BIG });

    const optionError = new InvalidOptionError("pingInterval", "a number", "5");
    expect(optionError).toBeInstanceOf(TypeError);
    expect(optionError.message).toBe('option "pingInterval" must be a number, received "5"');
    expect(new InvalidCloseCodeError(1005)).toBeInstanceOf(TypeError);
    expect(new CloseReasonTooLongError(124)).toBeInstanceOf(RangeError);
  });

  it("gives a user's subclass the ordinary instanceof, not its parent's brand", () => {
    class MyTransportError extends TransportError {}
    const mine = new MyTransportError(TRANSPORT_ERROR_CODES.WRITE_ERROR, "x");
    expect(mine).toBeInstanceOf(MyTransportError);
    expect(mine).toBeInstanceOf(TransportError);
    expect(new TransportError(TRANSPORT_ERROR_CODES.WRITE_ERROR, "x")).not.toBeInstanceOf(MyTransportError);
  });

  it("keeps instanceof working between the built ESM and CommonJS files in one process (run after `pnpm build`)", () => {
    // A real Node.js process: jest would run the .js file through its own CommonJS transform.
    const script = `
      import { createRequire } from "node:module";
      const require = createRequire(import.meta.url);
      const builds = { "index.js": await import("./dist/index.js"), "index.cjs": require("./dist/index.cjs") };
      const make = (m) => ({
        ConnectionError: new m.ConnectionError({}, 3),
        TransportError: new m.TransportError(m.TRANSPORT_ERROR_CODES.WRITE_ERROR, "write error"),
        FrameError: new m.FrameError(1009, "too big"),
        InvalidOptionError: new m.InvalidOptionError("pingInterval", "a number", "5"),
        InvalidCloseCodeError: new m.InvalidCloseCodeError(1006),
        CloseReasonTooLongError: new m.CloseReasonTooLongError(200),
      });
      const results = [];
      for (const [makerName, maker] of Object.entries(builds)) {
        for (const [checkerName, checker] of Object.entries(builds)) {
          if (checkerName === makerName) continue;
          for (const [name, error] of Object.entries(make(maker))) {
            results.push([makerName + " " + name + " in " + checkerName, error instanceof checker[name], error instanceof checker.EngineServerError]);
          }
        }
      }
      console.log(JSON.stringify({ distinct: builds["index.js"].TransportError !== builds["index.cjs"].TransportError, results }));
    `;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: packageDir, encoding: "utf8", timeout: 10_000 });
    expect(result.stderr).toBe("");
    const { distinct, results } = JSON.parse(result.stdout) as { distinct: boolean; results: [string, boolean, boolean][] };
    expect(distinct).toBe(true);
    expect(results).toHaveLength(2 * oneOfEach().length);
    for (const [made, ofClass, ofBase] of results) expect({ made, ofClass, ofBase }).toEqual({ made, ofClass: true, ofBase: true });
  });

  it("types string codes as the union of the map's values", () => {
    const code: EngineServerErrorCode = new FrameError(1002, "x").code;
    expect(CODES).toContain(code);
  });
});
