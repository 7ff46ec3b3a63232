// Cross-checks with the published socket.io-parser (the parser of Socket.IO 4): the same
// packets must give the same wire text, and each side must decode what the other encodes.
import { describe, expect, it } from "@jest/globals";
import * as theirs from "socket.io-parser";
import { Encoder, PacketType, type EncodedChunk, type Packet } from "../../src";
import { decodeAll, thrownBy } from "../helpers/decode";

const { CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR } = PacketType;

const packets: Array<[string, Packet]> = [
  ["CONNECT", { type: CONNECT, nsp: "/" }],
  ["CONNECT with auth in a namespace", { type: CONNECT, nsp: "/admin", data: { token: "abc", n: 1 } }],
  ["CONNECT answer with sid and pid", { type: CONNECT, nsp: "/", data: { sid: "Xk3_9", pid: "p-1" } }],
  ["DISCONNECT", { type: DISCONNECT, nsp: "/" }],
  ["DISCONNECT in a namespace", { type: DISCONNECT, nsp: "/admin" }],
  ["EVENT", { type: EVENT, nsp: "/", data: ["message", "hello", 1, { a: [true, null] }] }],
  ["EVENT in a namespace with an ack id", { type: EVENT, nsp: "/chat", id: 42, data: ["ask", "é😀\n\"q\""] }],
  ["ACK", { type: ACK, nsp: "/", id: 0, data: [] }],
  ["ACK in a namespace", { type: ACK, nsp: "/chat", id: 42, data: ["answer", { ok: true }] }],
  ["CONNECT_ERROR", { type: CONNECT_ERROR, nsp: "/", data: { message: "Not authorized", data: { code: 4 } } }],
  ["CONNECT_ERROR in a namespace", { type: CONNECT_ERROR, nsp: "/admin", data: { message: "Invalid namespace" } }],
  ["binary EVENT", { type: EVENT, nsp: "/", data: ["file", Buffer.from([1, 2, 3])] }],
  [
    "binary EVENT with nested attachments, namespace and ack id",
    {
      type: EVENT,
      nsp: "/upload",
      id: 7,
      data: ["files", { list: [Buffer.from("a"), { deep: Buffer.from("bc") }] }, Buffer.alloc(0), "text"],
    },
  ],
  ["binary ACK", { type: ACK, nsp: "/", id: 3, data: [Buffer.from([9]), { b: Buffer.from([8, 7]) }] }],
  ["binary ACK in a namespace", { type: ACK, nsp: "/x", id: 1000, data: [new Uint8Array([5, 6])] }],
];

function theirEncode(packet: Packet): EncodedChunk[] {
  // socket.io-parser rewrites the packet it encodes: give it a shallow copy.
  return new theirs.Encoder().encode({ ...packet }) as EncodedChunk[];
}

function theirDecode(chunks: readonly EncodedChunk[]): theirs.Packet[] {
  const decoder = new theirs.Decoder();
  const decoded: theirs.Packet[] = [];
  decoder.on("decoded", (packet: theirs.Packet) => decoded.push(packet));
  for (const chunk of chunks) decoder.add(chunk);
  return decoded;
}

/** The packet with every binary value as a Buffer of the same bytes, for comparisons. */
function normalise(value: unknown): unknown {
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, normalise(v)]));
  }
  return value;
}

describe("interop with the published socket.io-parser", () => {
  it.each(packets)("%s: same wire text and attachments", (_name, packet) => {
    expect(new Encoder().encode(packet)).toEqual(theirEncode(packet));
  });

  it.each(packets)("%s: socket.io-parser decodes what we encode", (_name, packet) => {
    const decoded = theirDecode(new Encoder().encode(packet));
    expect(decoded.map(normalise)).toEqual([normalise(packet)]);
  });

  it.each(packets)("%s: we decode what socket.io-parser encodes", (_name, packet) => {
    const decoded = decodeAll(theirEncode(packet));
    expect(decoded.map(normalise)).toEqual([normalise(packet)]);
  });

  it("decodes a stream of their packets, binary ones included, in order", () => {
    const chunks = packets.flatMap(([, packet]) => theirEncode(packet));
    expect(decodeAll(chunks).map(normalise)).toEqual(packets.map(([, packet]) => normalise(packet)));
  });

  it("rejects an empty packet, which socket.io-parser reads as a CONNECT", () => {
    expect(theirDecode([""])).toEqual([{ type: CONNECT, nsp: "/" }]);
    expect(thrownBy(() => decodeAll([""]))).toHaveProperty("code", "VOLLEY_PARSER_ERR_UNKNOWN_TYPE");
  });

  it.each([
    "8",
    '2"not an array"',
    '2["disconnect"]',
    "0[]",
    '1{"a":1}',
    '3{"a":1}',
    '4[]',
    '2["a"',
    '5["a"]',
    '50-["a"]',
    '512-["a"]',
  ])("rejects %j, as socket.io-parser does", (text) => {
    expect(() => theirDecode([text])).toThrow();
    expect(thrownBy(() => decodeAll([text]))).toHaveProperty("code");
  });
});
