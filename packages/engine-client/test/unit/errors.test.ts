import { describe, expect, it } from "@jest/globals";
import {
  ERROR_CODES,
  EngineClientError,
  InvalidMessageError,
  InvalidOptionError,
  ParseError,
  ProbeError,
  TransportError,
} from "../../src/index";

describe("error catalogue", () => {
  it("documents every code once, with the package prefix", () => {
    const codes = Object.keys(ERROR_CODES);
    expect(codes).toHaveLength(9);
    for (const code of codes) {
      expect(code).toMatch(/^VOLLEY_ENGINE_CLIENT_[A-Z_]+$/);
      expect(ERROR_CODES[code as keyof typeof ERROR_CODES].length).toBeGreaterThan(10);
    }
  });

  it("gives each error class its name, code and base class", () => {
    const errors = [
      new InvalidOptionError("port", "a number", "x"),
      new InvalidMessageError(42),
      new ParseError("bad", "9x"),
      new ProbeError("websocket", "transport closed"),
      new TransportError("VOLLEY_ENGINE_CLIENT_POLL_ERROR", "xhr poll error", { status: 400, body: '{"code":1,"message":"Session ID unknown"}' }),
    ];
    expect(errors.map((error) => error.name)).toEqual([
      "InvalidOptionError",
      "InvalidMessageError",
      "ParseError",
      "ProbeError",
      "TransportError",
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(EngineClientError);
      expect(error).toBeInstanceOf(Error);
      expect(Object.keys(ERROR_CODES)).toContain(error.code);
    }
    expect((errors[3] as ProbeError).message).toBe("probe error: transport closed");
    expect((errors[4] as TransportError).serverError).toEqual({ code: 1, message: "Session ID unknown" });
  });

  it("reads no server error from a body that is not an Engine.IO error", () => {
    for (const body of ["Transport unknown", "{}", '{"code":"1","message":"x"}', "null"]) {
      expect(new TransportError("VOLLEY_ENGINE_CLIENT_WEBSOCKET_ERROR", "websocket error", { body }).serverError).toBeUndefined();
    }
  });
});
