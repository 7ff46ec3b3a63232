import { describe, expect, it } from "@jest/globals";
import * as client from "../../src";
import { CLIENT_ERROR_CODES, ClientError } from "../../src";

const classes = [
  client.InvalidOptionError,
  client.ReservedEventError,
  client.ConnectTimeoutError,
  client.ConnectRefusedError,
  client.UnsupportedServerError,
  client.AckTimeoutError,
  client.SocketDisconnectedError,
];

describe("error catalogue", () => {
  it("one class per code, codes unique and all used", () => {
    const codes = classes.map((type) => type.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual(Object.values(CLIENT_ERROR_CODES).sort());
  });

  it("names match the classes; instanceof works by brand, across copies", () => {
    const error = new client.AckTimeoutError();
    expect(error.name).toBe("AckTimeoutError");
    expect(error.message).toBe("operation has timed out");
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(client.SocketDisconnectedError);
    // A copy from another build: same brand, same code.
    const foreign = Object.assign(new Error("x"), { code: CLIENT_ERROR_CODES.ACK_TIMEOUT });
    Object.defineProperty(foreign, Symbol.for("volley.client.error"), { value: true });
    expect(foreign).toBeInstanceOf(client.AckTimeoutError);
  });

  it("keeps socket.io-client's messages", () => {
    expect(new client.ConnectTimeoutError().message).toBe("timeout");
    expect(new client.SocketDisconnectedError().message).toBe("socket has been disconnected");
    expect(new client.ReservedEventError("connect").message).toBe('"connect" is a reserved event name');
    const refused = new client.ConnectRefusedError("nope", { a: 1 });
    expect([refused.message, refused.data]).toEqual(["nope", { a: 1 }]);
  });
});
