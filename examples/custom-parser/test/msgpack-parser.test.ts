import { describe, expect, it } from "@jest/globals";
import { decode, encode } from "@msgpack/msgpack";
import { DecodeError, DecodeErrorCode, EncodeError, EncodeErrorCode, PacketType, type Packet } from "@volley/parser";
import { Decoder, Encoder } from "../src";

function decodeOne(chunk: unknown, decoder = new Decoder()): Packet {
  const decoded: Packet[] = [];
  decoder.on("decoded", (packet) => decoded.push(packet));
  decoder.add(chunk);
  expect(decoded).toHaveLength(1);
  return decoded[0]!;
}

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("nothing was thrown");
}

describe("MessagePack parser", () => {
  it("encodes a packet with binary as one MessagePack item, binary inline", () => {
    const chunks = new Encoder().encode({
      type: PacketType.EVENT,
      nsp: "/files",
      id: 3,
      data: ["upload", Buffer.from([1, 2]), { when: new Date(0) }],
    });
    expect(chunks).toHaveLength(1);
    expect(decode(chunks[0] as Uint8Array)).toEqual({
      type: PacketType.EVENT,
      nsp: "/files",
      id: 3,
      data: ["upload", new Uint8Array([1, 2]), { when: "1970-01-01T00:00:00.000Z" }],
    });
  });

  it("writes undefined, NaN and functions the way JSON does", () => {
    const [chunk] = new Encoder().encode({
      type: PacketType.EVENT,
      nsp: "/",
      data: ["x", undefined, NaN, { gone: undefined, fn: () => 1, kept: 1 }],
    });
    expect(decode(chunk as Uint8Array)).toEqual({ type: 2, nsp: "/", data: ["x", null, null, { kept: 1 }] });
  });

  it("refuses deep and circular payloads with an EncodeError", () => {
    const loop: Record<string, unknown> = {};
    loop["self"] = loop;
    const error = thrownBy(() => new Encoder({ maxDepth: 50 }).encode({ type: PacketType.EVENT, nsp: "/", data: ["x", loop] }));
    expect(error).toBeInstanceOf(EncodeError);
    expect((error as EncodeError).code).toBe(EncodeErrorCode.TOO_DEEP);
  });

  it("decodes the packets it encodes", () => {
    const packet: Packet = { type: PacketType.ACK, nsp: "/", id: 1, data: [new Uint8Array([7])] };
    expect(decodeOne(new Encoder().encode(packet)[0])).toEqual(packet);
  });

  it("accepts a packet of maxPacketBytes and refuses one byte more", () => {
    const chunk = new Encoder().encode({ type: PacketType.EVENT, nsp: "/", data: ["x"] })[0] as Uint8Array;
    expect(decodeOne(chunk, new Decoder({ maxPacketBytes: chunk.byteLength })).data).toEqual(["x"]);
    const error = thrownBy(() => new Decoder({ maxPacketBytes: chunk.byteLength - 1 }).add(chunk));
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).code).toBe(DecodeErrorCode.PACKET_TOO_LONG);
  });

  it("accepts a payload maxDepth levels deep and refuses one level more", () => {
    const chunk = (levels: number): Uint8Array => {
      let value: unknown = 1;
      for (let i = 0; i < levels; i++) value = [value];
      return encode({ type: 2, nsp: "/", data: ["x", value] });
    };
    expect(decodeOne(chunk(2), new Decoder({ maxDepth: 3 })).data).toEqual(["x", [[1]]]);
    expect((thrownBy(() => new Decoder({ maxDepth: 3 }).add(chunk(3))) as DecodeError).code).toBe(DecodeErrorCode.TOO_DEEP);
  });

  it.each<[string, unknown, string]>([
    ["text", '2["a"]', DecodeErrorCode.INVALID_INPUT],
    ["bytes that are not MessagePack", new Uint8Array([0xc1]), DecodeErrorCode.INVALID_PAYLOAD],
    ["a __proto__ key", encode({ type: 2, nsp: "/", data: ["a", { ["__proto__"]: 1 }] }), DecodeErrorCode.INVALID_PAYLOAD],
    ["a constructor key", encode({ type: 2, nsp: "/", data: ["a", { constructor: 1 }] }), DecodeErrorCode.FORBIDDEN_KEY],
    ["a timestamp extension", encode({ type: 2, nsp: "/", data: ["a", new Date()] }), DecodeErrorCode.INVALID_PAYLOAD],
    ["a BINARY_EVENT type", encode({ type: 5, nsp: "/", data: ["a"] }), DecodeErrorCode.UNKNOWN_TYPE],
    ["an ACK without id", encode({ type: 3, nsp: "/", data: [] }), DecodeErrorCode.INVALID_PAYLOAD],
    ["a reserved event name", encode({ type: 2, nsp: "/", data: ["connect"] }), DecodeErrorCode.INVALID_PAYLOAD],
  ])("rejects %s with a DecodeError", (_name, chunk, code) => {
    const error = thrownBy(() => new Decoder().add(chunk));
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).code).toBe(code);
  });
});
