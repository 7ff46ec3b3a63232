import { describe, expect, it } from "@jest/globals";
import {
  AckTimeoutError,
  InvalidArgumentError,
  InvalidOptionError,
  ProtocolViolationError,
  ReservedEventError,
  SERVER_ERROR_CODES,
  ServerError,
  SocketDisconnectedError,
} from "../../src";

describe("error catalogue", () => {
  const classes = [
    InvalidOptionError,
    InvalidArgumentError,
    ReservedEventError,
    AckTimeoutError,
    SocketDisconnectedError,
    ProtocolViolationError,
  ];

  it("has one class per code (plus the bundle answer code), each code unique and prefixed", () => {
    const codes = Object.values(SERVER_ERROR_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^VOLLEY_SERVER_ERR_[A-Z_]+$/);
    expect(classes.map((c) => c.code).sort()).toEqual(codes.filter((c) => c !== SERVER_ERROR_CODES.CLIENT_BUNDLE_UNAVAILABLE).sort());
  });

  it("names each error after its class and carries its code", () => {
    const samples: ServerError[] = [
      new InvalidOptionError("path", "a string", 1),
      new InvalidArgumentError("bad"),
      new ReservedEventError("connect"),
      new AckTimeoutError(10),
      new SocketDisconnectedError("id"),
      new ProtocolViolationError(0, "/", "CONNECT to /, which the client is connected to"),
    ];
    samples.forEach((error, i) => {
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(ServerError);
      expect(error).toBeInstanceOf(classes[i]!);
      expect(error.name).toBe(classes[i]!.name);
      expect(error.code).toBe(classes[i]!.code);
    });
    expect(samples[1]).not.toBeInstanceOf(AckTimeoutError);
    expect(new InvalidOptionError("path", "a string", 1).message).toBe('option "path" must be a string, got 1');
    expect(new ReservedEventError("connect").event).toBe("connect");
    expect(new AckTimeoutError(10).timeoutMs).toBe(10);
    expect(new ProtocolViolationError(2, "/admin", "x")).toMatchObject({ packetType: 2, namespace: "/admin" });
  });

  it("instanceof works across copies of the package (brand, not identity)", () => {
    const foreign = Object.assign(new Error("x"), { code: SERVER_ERROR_CODES.ACK_TIMEOUT });
    Object.defineProperty(foreign, Symbol.for("volley.server.error"), { value: true });
    expect(foreign).toBeInstanceOf(ServerError);
    expect(foreign).toBeInstanceOf(AckTimeoutError);
    expect(foreign).not.toBeInstanceOf(ReservedEventError);
    expect(new Error("plain")).not.toBeInstanceOf(ServerError);
  });
});
