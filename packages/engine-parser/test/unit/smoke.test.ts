import { describe, expect, it } from "@jest/globals";
import { decodePacket, decodePayload, encodePacket, encodePayload } from "../../src";

describe("engine-parser round trip", () => {
  it("encodes and decodes a text message", () => {
    expect(encodePacket({ type: "message", data: "hello" }, true)).toBe("4hello");
    expect(decodePacket("4hello")).toEqual({ type: "message", data: "hello" });
  });

  it("joins polling payloads with the record separator and base64 binary", () => {
    const payload = encodePayload([
      { type: "message", data: "hi" },
      { type: "message", data: Buffer.from([1, 2, 3]) },
    ]);
    expect(payload).toBe("4hi\x1ebAQID");
    const packets = decodePayload(payload);
    expect(packets[0]).toEqual({ type: "message", data: "hi" });
    expect(Buffer.from(packets[1]!.data as Uint8Array)).toEqual(Buffer.from([1, 2, 3]));
  });

  it("decodes invalid input to an error packet", () => {
    expect(decodePacket("")).toEqual({ type: "error", data: "parser error" });
    expect(decodePacket("9")).toEqual({ type: "error", data: "parser error" });
    expect(decodePacket("b$$$")).toEqual({ type: "error", data: "parser error" });
  });
});
