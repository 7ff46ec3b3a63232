import { describe, expect, it } from "@jest/globals";
import { encodePayload, type Packet } from "@volley/engine-parser";
import { measurePayload, utf8Length } from "../../src/payload-size";

const message = (data: Packet["data"]): Packet => ({ type: "message", data });

describe("measurePayload (polling batches within maxPayload)", () => {
  it("counts exactly what encodePayload produces for text", () => {
    const packets = [message("abc"), message("é✓😀"), { type: "ping" } as Packet];
    const encodedBytes = Buffer.byteLength(encodePayload(packets));
    expect(measurePayload(packets, encodedBytes)).toBe(3);
    expect(measurePayload(packets, encodedBytes - 1)).toBe(2);
  });

  it("takes packets up to the limit, and stops one past it", () => {
    const packets = [message("a".repeat(9)), message("b".repeat(9))]; // 10 + 1 + 10 bytes
    expect(measurePayload(packets, 21)).toBe(2);
    expect(measurePayload(packets, 20)).toBe(1);
  });

  it("always sends at least one packet, even a too large one", () => {
    expect(measurePayload([message("x".repeat(100)), message("y")], 10)).toBe(1);
  });

  it("counts binary as base64 with its b prefix", () => {
    const packets = [message(new Uint8Array(3)), message(new Uint8Array(6))];
    const encodedBytes = Buffer.byteLength(encodePayload(packets));
    expect(measurePayload(packets, encodedBytes)).toBe(2);
    expect(measurePayload(packets, encodedBytes - 1)).toBe(1);
  });

  it("measures UTF-8 like Buffer.byteLength", () => {
    for (const text of ["", "ascii", "é", "✓", "😀", "a😀b\u{10FFFF}", "\ud800 lone"]) {
      expect(utf8Length(text)).toBe(Buffer.byteLength(text));
    }
  });
});
