// Engine.IO v4 long-polling payloads: packets joined by the record separator.
import { describe, expect, it } from "@jest/globals";
import { decodePayload, encodePayload, encodePayloadAsync, SEPARATOR, type Packet } from "../../src";
import { normalise, PARSER_ERROR } from "../helpers/wire";

describe("encodePayload", () => {
  it("joins packets with \\x1e and writes binary as b + base64", () => {
    const payload = encodePayload([
      { type: "message", data: "hi" },
      { type: "message", data: Buffer.from([1, 2, 3]) },
      { type: "ping" },
      { type: "message", data: "😀" },
    ]);
    expect(payload).toBe("4hi\x1ebAQID\x1e2\x1e4😀");
  });

  it("writes one packet without a separator, and no packets as an empty string", () => {
    expect(encodePayload([{ type: "noop" }])).toBe("6");
    expect(encodePayload([])).toBe("");
  });

  it("refuses a Blob (use encodePayloadAsync)", () => {
    expect(() => encodePayload([{ type: "message", data: new Blob(["x"]) }])).toThrow(TypeError);
  });

  it("encodePayloadAsync base64-encodes Blobs and agrees with encodePayload otherwise", async () => {
    const packets: Packet[] = [{ type: "message", data: "a" }, { type: "message", data: Uint8Array.of(1, 2, 3) }];
    expect(await encodePayloadAsync(packets)).toBe(encodePayload(packets));
    expect(await encodePayloadAsync([{ type: "message", data: new Blob([Uint8Array.of(1, 2, 3)]) }, { type: "pong" }])).toBe(
      "bAQID\x1e3",
    );
    expect(await encodePayloadAsync([])).toBe("");
  });
});

describe("decodePayload", () => {
  it("splits on \\x1e and decodes each packet", () => {
    const packets = decodePayload("4hi\x1ebAQID\x1e2\x1e4😀", "arraybuffer");
    expect(packets.map(normalise)).toEqual([
      { type: "message", data: "hi" },
      { type: "message", data: { bytes: [1, 2, 3] } },
      { type: "ping" },
      { type: "message", data: "😀" },
    ]);
  });

  it("round-trips what encodePayload writes", () => {
    const packets: Packet[] = [
      { type: "open", data: '{"sid":"x"}' },
      { type: "message", data: "" },
      { type: "message", data: Buffer.alloc(0) },
      { type: "message", data: Buffer.from("binary") },
      { type: "close" },
    ];
    expect(decodePayload(encodePayload(packets)).map(normalise)).toEqual([
      { type: "open", data: '{"sid":"x"}' },
      { type: "message" },
      { type: "message", data: { bytes: [] } },
      { type: "message", data: { bytes: Array.from(Buffer.from("binary")) } },
      { type: "close" },
    ]);
  });

  it.each([
    ["an empty payload", "", [PARSER_ERROR]],
    ["a lone separator", SEPARATOR, [PARSER_ERROR]],
    ["a trailing separator", "4a\x1e", [{ type: "message", data: "a" }, PARSER_ERROR]],
    ["a leading separator", "\x1e4a", [PARSER_ERROR]],
    ["two separators in a row", "2\x1e\x1e3", [{ type: "ping" }, PARSER_ERROR]],
    ["a bad packet in the middle", "2\x1e9\x1e3", [{ type: "ping" }, PARSER_ERROR]],
    ["bad base64 in the middle", "2\x1eb$$\x1e3", [{ type: "ping" }, PARSER_ERROR]],
  ])("stops at the first bad packet and puts the error packet last: %s", (_name, payload, expected) => {
    expect(decodePayload(payload)).toEqual(expected);
  });

  it("never throws on non-string input", () => {
    expect(decodePayload(undefined as unknown as string)).toEqual([PARSER_ERROR]);
    expect(decodePayload(Buffer.from("4a") as unknown as string)).toEqual([PARSER_ERROR]);
  });

  it("decodes a payload of many packets", () => {
    const packets: Packet[] = Array.from({ length: 1000 }, (_, i) => ({ type: "message", data: `m${i}` }));
    expect(decodePayload(encodePayload(packets))).toEqual(packets);
  });
});
