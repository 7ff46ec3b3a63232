import { describe, expect, it } from "@jest/globals";
import { EncodeError, EncodeErrorCode, Encoder, PacketType, type Packet } from "../../src";
import { nested, thrownBy } from "../helpers/decode";

const { CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK } = PacketType;

function encodeError(packet: unknown, encoder = new Encoder()): EncodeError {
  const error = thrownBy(() => encoder.encode(packet as Packet));
  expect(error).toBeInstanceOf(EncodeError);
  return error as EncodeError;
}

describe("Encoder: text packets", () => {
  const encoder = new Encoder();

  it.each<[string, Packet, string]>([
    ["CONNECT to the main namespace", { type: CONNECT, nsp: "/" }, "0"],
    ["CONNECT with auth", { type: CONNECT, nsp: "/admin", data: { token: "123" } }, '0/admin,{"token":"123"}'],
    ["CONNECT answer", { type: CONNECT, nsp: "/", data: { sid: "abc" } }, '0{"sid":"abc"}'],
    ["DISCONNECT", { type: DISCONNECT, nsp: "/admin" }, "1/admin,"],
    ["EVENT", { type: EVENT, nsp: "/", data: ["foo"] }, '2["foo"]'],
    ["EVENT in a namespace", { type: EVENT, nsp: "/admin", data: ["bar"] }, '2/admin,["bar"]'],
    ["EVENT with an ack id", { type: EVENT, nsp: "/", id: 12, data: ["foo"] }, '212["foo"]'],
    ["ACK", { type: ACK, nsp: "/admin", id: 13, data: ["bar"] }, '3/admin,13["bar"]'],
    ["ACK with ack id 0", { type: ACK, nsp: "/", id: 0, data: [] }, "30[]"],
    [
      "CONNECT_ERROR",
      { type: CONNECT_ERROR, nsp: "/", data: { message: "Not authorized", data: { code: 1 } } },
      '4{"message":"Not authorized","data":{"code":1}}',
    ],
    ["CONNECT_ERROR as a string", { type: CONNECT_ERROR, nsp: "/", data: "Not authorized" }, '4"Not authorized"'],
  ])("%s", (_name, packet, text) => {
    expect(encoder.encode(packet)).toEqual([text]);
  });

  it("honours toJSON, like JSON.stringify", () => {
    const date = new Date(Date.UTC(2020, 1, 3));
    const money = { toJSON: () => "12.50 EUR" };
    expect(encoder.encode({ type: EVENT, nsp: "/", data: ["pay", { date, money }] })).toEqual([
      `2["pay",{"date":"${date.toISOString()}","money":"12.50 EUR"}]`,
    ]);
  });

  it("sends a BINARY_EVENT or BINARY_ACK without binary as a plain EVENT or ACK", () => {
    expect(encoder.encode({ type: BINARY_EVENT, nsp: "/", data: ["a"] })).toEqual(['2["a"]']);
    expect(encoder.encode({ type: BINARY_ACK, nsp: "/", id: 1, data: [] })).toEqual(["31[]"]);
  });

  it("exposes its resolved options", () => {
    expect(new Encoder({ maxDepth: 7 }).options).toEqual({ maxDepth: 7, maxAttachments: 10 });
  });
});

describe("Encoder: binary attachments", () => {
  const encoder = new Encoder();

  it("replaces each binary value by a numbered placeholder and appends it, without copying", () => {
    const first = Buffer.from([1, 2]);
    const second = new Uint8Array([3]).buffer;
    const third = new Float32Array([1.5]);
    const chunks = encoder.encode({
      type: EVENT,
      nsp: "/upload",
      id: 4,
      data: ["files", first, { nested: [second, { deep: third }] }],
    });
    expect(chunks).toHaveLength(4);
    expect(chunks[0]).toBe(
      '53-/upload,4["files",{"_placeholder":true,"num":0},{"nested":[{"_placeholder":true,"num":1},' +
        '{"deep":{"_placeholder":true,"num":2}}]}]',
    );
    expect(chunks[1]).toBe(first);
    expect(chunks[2]).toBe(second);
    expect(chunks[3]).toBe(third);
  });

  it("sends a Blob as an attachment (browsers)", () => {
    const blob = new Blob(["hello"]);
    expect(encoder.encode({ type: EVENT, nsp: "/", data: ["photo", { blob }] })).toEqual([
      '51-["photo",{"blob":{"_placeholder":true,"num":0}}]',
      blob,
    ]);
  });

  it("sends binary in an ACK as a BINARY_ACK", () => {
    const file = Buffer.from("hi");
    expect(encoder.encode({ type: ACK, nsp: "/", id: 9, data: [file] })).toEqual([
      '61-9[{"_placeholder":true,"num":0}]',
      file,
    ]);
  });

  it("finds binary returned by toJSON", () => {
    const file = Buffer.from([7]);
    const chunks = encoder.encode({ type: EVENT, nsp: "/", data: ["x", { toJSON: () => ({ file }) }] });
    expect(chunks).toEqual(['51-["x",{"file":{"_placeholder":true,"num":0}}]', file]);
  });

  it("does not modify the packet nor its payload", () => {
    const file = Buffer.from([1]);
    const inner = { file };
    const packet: Packet = { type: EVENT, nsp: "/", data: ["x", inner] };
    encoder.encode(packet);
    expect(packet).toEqual({ type: EVENT, nsp: "/", data: ["x", { file }] });
    expect(inner.file).toBe(file);
    expect(packet.attachments).toBeUndefined();
  });

  it("leaves binary in a CONNECT payload to JSON, as Socket.IO does", () => {
    expect(encoder.encode({ type: CONNECT, nsp: "/", data: { key: Buffer.from([1]) } })).toEqual([
      '0{"key":{"type":"Buffer","data":[1]}}',
    ]);
  });

  it("accepts maxAttachments binary values and refuses one more", () => {
    const limited = new Encoder({ maxAttachments: 3 });
    const buffers = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => Buffer.from([i]));
    expect(limited.encode({ type: EVENT, nsp: "/", data: ["x", ...buffers(3)] })).toHaveLength(4);
    const error = encodeError({ type: EVENT, nsp: "/", data: ["x", ...buffers(4)] }, limited);
    expect(error.code).toBe(EncodeErrorCode.TOO_MANY_ATTACHMENTS);
  });

  it("allows 10 attachments by default", () => {
    const buffers = Array.from({ length: 11 }, () => Buffer.alloc(1));
    expect(new Encoder().encode({ type: EVENT, nsp: "/", data: ["x", ...buffers.slice(1)] })).toHaveLength(11);
    expect(encodeError({ type: EVENT, nsp: "/", data: ["x", ...buffers] }).code).toBe(
      EncodeErrorCode.TOO_MANY_ATTACHMENTS,
    );
  });
});

describe("Encoder: depth, cycles and unserializable payloads", () => {
  it("accepts a payload maxDepth levels deep and refuses one level more", () => {
    const encoder = new Encoder({ maxDepth: 5 });
    // The payload array is level 1, so nested(4) inside it reaches level 5.
    expect(encoder.encode({ type: EVENT, nsp: "/", data: ["x", nested(4)] })).toEqual(['2["x",[[[[1]]]]]']);
    expect(encodeError({ type: EVENT, nsp: "/", data: ["x", nested(5)] }, encoder).code).toBe(EncodeErrorCode.TOO_DEEP);
    const file = Buffer.from([1]);
    expect(encoder.encode({ type: EVENT, nsp: "/", data: ["x", nested(3, { file })] })).toHaveLength(2);
    expect(encodeError({ type: EVENT, nsp: "/", data: ["x", nested(4, { file })] }, encoder).code).toBe(
      EncodeErrorCode.TOO_DEEP,
    );
  });

  it("checks the depth of CONNECT and CONNECT_ERROR payloads too", () => {
    const encoder = new Encoder({ maxDepth: 2 });
    expect(encoder.encode({ type: CONNECT, nsp: "/", data: { a: { b: 1 } } })).toEqual(['0{"a":{"b":1}}']);
    expect(encodeError({ type: CONNECT, nsp: "/", data: { a: { b: { c: 1 } } } }, encoder).code).toBe(
      EncodeErrorCode.TOO_DEEP,
    );
  });

  it("allows 100 levels by default", () => {
    expect(new Encoder().encode({ type: EVENT, nsp: "/", data: ["x", nested(99)] })).toHaveLength(1);
    expect(encodeError({ type: EVENT, nsp: "/", data: ["x", nested(100)] }).code).toBe(EncodeErrorCode.TOO_DEEP);
  });

  it("gives an EncodeError, not a RangeError, for a payload nested 50 000 levels deep", () => {
    const unlimited = new Encoder({ maxDepth: Infinity });
    for (const encoder of [new Encoder(), unlimited]) {
      const error = encodeError({ type: EVENT, nsp: "/", data: ["x", nested(50_000)] }, encoder);
      expect(error.code).toBe(EncodeErrorCode.TOO_DEEP);
    }
  });

  it("rejects circular payloads, with or without binary", () => {
    const loop: Record<string, unknown> = { name: "loop" };
    loop["self"] = loop;
    expect(encodeError({ type: EVENT, nsp: "/", data: ["x", loop] }).code).toBe(EncodeErrorCode.CIRCULAR);
    const withFile: unknown[] = [Buffer.from([1])];
    withFile.push({ back: withFile });
    expect(encodeError({ type: EVENT, nsp: "/", data: ["x", withFile] }).code).toBe(EncodeErrorCode.CIRCULAR);
    expect(encodeError({ type: CONNECT, nsp: "/", data: { loop } }).code).toBe(EncodeErrorCode.CIRCULAR);
  });

  it("accepts the same object twice when it is not circular", () => {
    const shared = { n: 1 };
    expect(new Encoder().encode({ type: EVENT, nsp: "/", data: ["x", shared, [shared]] })).toEqual([
      '2["x",{"n":1},[{"n":1}]]',
    ]);
  });

  it("reports what JSON cannot represent as UNSERIALIZABLE", () => {
    expect(encodeError({ type: EVENT, nsp: "/", data: ["x", 10n] }).code).toBe(EncodeErrorCode.UNSERIALIZABLE);
    const failing = {
      toJSON(): never {
        throw new Error("nope");
      },
    };
    const error = encodeError({ type: EVENT, nsp: "/", data: ["x", failing] });
    expect(error.code).toBe(EncodeErrorCode.UNSERIALIZABLE);
    expect((error.cause as Error).message).toBe("nope");
    expect(error.message).toMatch(/^nope \(/);
  });

  it("refuses a payload that a toJSON or a replacer turns into nothing, instead of sending \"undefined\"", () => {
    const nothing = { toJSON: (): undefined => undefined };
    expect(encodeError({ type: CONNECT, nsp: "/", data: nothing }).code).toBe(EncodeErrorCode.UNSERIALIZABLE);
    const dropRoot = (key: string, value: unknown): unknown => (key === "" ? undefined : value);
    expect(thrownBy(() => new Encoder(dropRoot).encode({ type: EVENT, nsp: "/", data: ["x"] }))).toMatchObject({
      code: EncodeErrorCode.UNSERIALIZABLE,
    });
  });
});

describe("Encoder: the replacer", () => {
  it("is applied on every path, the small-payload ones included", () => {
    const upper = (_key: string, value: unknown): unknown => (typeof value === "string" ? value.toUpperCase() : value);
    const encoder = new Encoder({ replacer: upper });
    expect(encoder.encode({ type: EVENT, nsp: "/", data: ["a", "b"] })).toEqual(['2["A","B"]']);
    expect(encoder.encode({ type: ACK, nsp: "/x", id: 1, data: ["c"] })).toEqual(['3/x,1["C"]']);
    const file = Buffer.from([1]);
    expect(encoder.encode({ type: EVENT, nsp: "/", data: ["d", file] })).toEqual([
      '51-["D",{"_placeholder":true,"num":0}]',
      file,
    ]);
  });

  it("runs after the packet is checked", () => {
    const encoder = new Encoder((key, value) => (key === "0" ? "connect" : value));
    expect(thrownBy(() => encoder.encode({ type: EVENT, nsp: "/", data: ["disconnect"] }))).toMatchObject({
      code: EncodeErrorCode.INVALID_PACKET,
    });
    expect(encoder.encode({ type: EVENT, nsp: "/", data: ["a"] })).toEqual(['2["connect"]']);
  });
});

describe("Encoder: invalid packets", () => {
  it.each<[string, unknown]>([
    ["an unknown type", { type: 7, nsp: "/" }],
    ["a non-integer type", { type: 2.5, nsp: "/", data: ["x"] }],
    ["a namespace without a slash", { type: EVENT, nsp: "admin", data: ["x"] }],
    ["a namespace with a comma", { type: EVENT, nsp: "/a,b", data: ["x"] }],
    ["a namespace with a control character", { type: EVENT, nsp: "/a\nb", data: ["x"] }],
    ["a missing namespace", { type: EVENT, data: ["x"] }],
    ["a negative ack id", { type: EVENT, nsp: "/", id: -1, data: ["x"] }],
    ["a fractional ack id", { type: EVENT, nsp: "/", id: 1.5, data: ["x"] }],
    ["an unsafe ack id", { type: EVENT, nsp: "/", id: 2 ** 53, data: ["x"] }],
    ["an ACK without ack id", { type: ACK, nsp: "/", data: [] }],
    ["an ack id on CONNECT", { type: CONNECT, nsp: "/", id: 1 }],
    ["an EVENT without payload", { type: EVENT, nsp: "/" }],
    ["an EVENT with an empty array", { type: EVENT, nsp: "/", data: [] }],
    ["an EVENT whose name is neither a string nor a number", { type: EVENT, nsp: "/", data: [true] }],
    ["an EVENT with a reserved name", { type: EVENT, nsp: "/", data: ["connect"] }],
    ["an ACK whose payload is not an array", { type: ACK, nsp: "/", id: 1, data: "x" }],
    ["a CONNECT whose payload is an array", { type: CONNECT, nsp: "/", data: [] }],
    ["a DISCONNECT with a payload", { type: DISCONNECT, nsp: "/", data: {} }],
    ["a CONNECT_ERROR with a number", { type: CONNECT_ERROR, nsp: "/", data: 1 }],
    ["null", null],
  ])("refuses %s", (_name, packet) => {
    expect(encodeError(packet).code).toBe(EncodeErrorCode.INVALID_PACKET);
  });
});
