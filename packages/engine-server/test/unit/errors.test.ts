import { describe, expect, it } from "@jest/globals";
import {
  ConnectionError,
  ERROR_CODES,
  ERROR_MESSAGES,
  InvalidOptionError,
  TRANSPORT_ERROR_CODES,
  TransportError,
} from "../../src";
import { statusOf } from "../../src/errors";

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

  it("gives every transport error code a unique VOLLEY_ENGINE_ERR_ string matching its key", () => {
    const entries = Object.entries(TRANSPORT_ERROR_CODES);
    expect(new Set(entries.map(([, code]) => code)).size).toBe(entries.length);
    for (const [, code] of entries) expect(code).toMatch(/^VOLLEY_ENGINE_ERR_[A-Z_]+$/);
  });

  it("error classes carry their codes", () => {
    const req = { url: "/x" } as never;
    const connectionError = new ConnectionError(req, ERROR_CODES.FORBIDDEN, { message: "no" });
    expect(connectionError).toBeInstanceOf(Error);
    expect(connectionError.name).toBe("ConnectionError");
    expect(connectionError.code).toBe(4);
    expect(connectionError.message).toBe("Forbidden");
    expect(connectionError.context).toEqual({ message: "no" });
    expect(connectionError.req).toBe(req);

    const cause = new Error("socket");
    const transportError = new TransportError(TRANSPORT_ERROR_CODES.WRITE_ERROR, "write error", { cause });
    expect(transportError.name).toBe("TransportError");
    expect(transportError.type).toBe("TransportError");
    expect(transportError.code).toBe("VOLLEY_ENGINE_ERR_WRITE");
    expect(transportError.cause).toBe(cause);

    const optionError = new InvalidOptionError("pingInterval", "a number", "5");
    expect(optionError).toBeInstanceOf(TypeError);
    expect(optionError.message).toBe('option "pingInterval" must be a number, received "5"');
  });
});
