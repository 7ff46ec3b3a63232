import { describe, expect, it } from "@jest/globals";
import { DecodeError, DecodeErrorCode, Decoder, Encoder, PacketType, type DecoderOptions } from "../../src";
import { decodeAll, nested, recordingDecoder, thrownBy } from "../helpers/decode";

const { CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR } = PacketType;

function decodeError(chunks: readonly unknown[], options?: DecoderOptions): DecodeError {
  const { decoder } = recordingDecoder(options);
  const error = thrownBy(() => {
    for (const chunk of chunks) decoder.add(chunk);
  });
  expect(error).toBeInstanceOf(DecodeError);
  return error as DecodeError;
}

const placeholder = (num: unknown): string => `{"_placeholder":true,"num":${JSON.stringify(num)}}`;

describe("Decoder: text packets", () => {
  it.each<[string, object]>([
    ["0", { type: CONNECT, nsp: "/" }],
    ['0/admin,{"token":"123"}', { type: CONNECT, nsp: "/admin", data: { token: "123" } }],
    ["0/admin", { type: CONNECT, nsp: "/admin" }],
    ["0/admin,", { type: CONNECT, nsp: "/admin" }],
    ["1", { type: DISCONNECT, nsp: "/" }],
    ["1/admin,", { type: DISCONNECT, nsp: "/admin" }],
    ['2["foo"]', { type: EVENT, nsp: "/", data: ["foo"] }],
    ['2/admin,["bar"]', { type: EVENT, nsp: "/admin", data: ["bar"] }],
    ['212["foo"]', { type: EVENT, nsp: "/", id: 12, data: ["foo"] }],
    ['2/,1["a"]', { type: EVENT, nsp: "/", id: 1, data: ["a"] }],
    ['3/admin,13["bar"]', { type: ACK, nsp: "/admin", id: 13, data: ["bar"] }],
    ["30[]", { type: ACK, nsp: "/", id: 0, data: [] }],
    [`39007199254740991[]`, { type: ACK, nsp: "/", id: Number.MAX_SAFE_INTEGER, data: [] }],
    ['4{"message":"Not authorized"}', { type: CONNECT_ERROR, nsp: "/", data: { message: "Not authorized" } }],
    ['4"legacy message"', { type: CONNECT_ERROR, nsp: "/", data: "legacy message" }],
    ['2/ünï cødé 😀,["x"]', { type: EVENT, nsp: "/ünï cødé 😀", data: ["x"] }],
    [`2["x",${placeholder(0)}]`, { type: EVENT, nsp: "/", data: ["x", { _placeholder: true, num: 0 }] }],
  ])("decodes %s", (text, packet) => {
    expect(decodeAll([text])).toEqual([packet]);
  });

  it("emits each packet synchronously, in order", () => {
    const { decoder, decoded } = recordingDecoder();
    decoder.add('2["a"]');
    expect(decoded).toHaveLength(1);
    decoder.add('2["b"]');
    decoder.add("1");
    expect(decoded.map((packet) => packet.type)).toEqual([EVENT, EVENT, DISCONNECT]);
  });

  it("exposes its resolved options", () => {
    expect(new Decoder({ maxDepth: 3 }).options).toEqual({
      maxAttachments: 10,
      maxDepth: 3,
      maxPacketLength: 10_000_000,
      maxAttachmentBytes: 100_000_000,
    });
  });
});

describe("Decoder: binary packets", () => {
  it("holds a binary event back until its last attachment, then emits it as an EVENT", () => {
    const { decoder, decoded } = recordingDecoder();
    decoder.add(`52-/files,7["upload",${placeholder(0)},{"more":[${placeholder(1)}]}]`);
    expect(decoder.pendingAttachments).toBe(2);
    const first = Buffer.from([1]);
    const second = new Uint8Array([2]).buffer;
    decoder.add(first);
    expect(decoded).toHaveLength(0);
    expect(decoder.pendingAttachments).toBe(1);
    decoder.add(second);
    expect(decoder.pendingAttachments).toBe(0);
    expect(decoded).toEqual([{ type: EVENT, nsp: "/files", id: 7, data: ["upload", first, { more: [second] }] }]);
    expect((decoded[0]!.data as unknown[])[1]).toBe(first);
  });

  it("emits a binary ack as an ACK", () => {
    const file = Buffer.from("x");
    expect(decodeAll([`61-3[${placeholder(0)}]`, file])).toEqual([{ type: ACK, nsp: "/", id: 3, data: [file] }]);
  });

  it("lets two placeholders name the same attachment and leaves unused ones out", () => {
    const [a, b] = [Buffer.from([1]), Buffer.from([2])];
    expect(decodeAll([`52-["x",${placeholder(1)},${placeholder(1)}]`, a, b])).toEqual([
      { type: EVENT, nsp: "/", data: ["x", b, b] },
    ]);
  });

  it("accepts attachments of every binary type", () => {
    for (const attachment of [Buffer.from([1]), new Uint8Array([1]), new ArrayBuffer(1), new DataView(new ArrayBuffer(1)), new Blob(["x"])]) {
      expect(decodeAll([`51-["x",${placeholder(0)}]`, attachment])).toEqual([
        { type: EVENT, nsp: "/", data: ["x", attachment] },
      ]);
    }
  });

  it("drops a partial packet on destroy() and stays usable", () => {
    const { decoder, decoded } = recordingDecoder();
    decoder.add(`51-["x",${placeholder(0)}]`);
    decoder.destroy();
    expect(decoder.pendingAttachments).toBe(0);
    expect(thrownBy(() => decoder.add(Buffer.from([1])))).toMatchObject({ code: DecodeErrorCode.UNEXPECTED_BINARY });
    decoder.add('2["after"]');
    expect(decoded).toEqual([{ type: EVENT, nsp: "/", data: ["after"] }]);
  });
});

describe("Decoder: invalid input", () => {
  it.each<[string, unknown[], string]>([
    ["an empty packet", [""], DecodeErrorCode.UNKNOWN_TYPE],
    ["an unknown type", ["7"], DecodeErrorCode.UNKNOWN_TYPE],
    ["a non-digit type", ['x["a"]'], DecodeErrorCode.UNKNOWN_TYPE],
    ["a binary packet without attachment count", ['5["a"]'], DecodeErrorCode.INVALID_ATTACHMENTS],
    ["a binary packet without dash", ['51["a"]'], DecodeErrorCode.INVALID_ATTACHMENTS],
    ["a binary packet with zero attachments", ['50-["a"]'], DecodeErrorCode.INVALID_ATTACHMENTS],
    ["a binary packet with a huge attachment count", ['512345678901-["a"]'], DecodeErrorCode.TOO_MANY_ATTACHMENTS],
    ["a namespace with a control character", ['2/a\u0000b,["a"]'], DecodeErrorCode.INVALID_NAMESPACE],
    ["an ack id on CONNECT", ["0/a,1"], DecodeErrorCode.INVALID_ACK_ID],
    ["an ack id on CONNECT_ERROR", ['41{"message":"x"}'], DecodeErrorCode.INVALID_ACK_ID],
    ["an ACK without ack id", ["3[]"], DecodeErrorCode.INVALID_ACK_ID],
    ["an unsafe ack id", ['29007199254740992["a"]'], DecodeErrorCode.INVALID_ACK_ID],
    ["a huge ack id", [`2${"9".repeat(400)}["a"]`], DecodeErrorCode.INVALID_ACK_ID],
    ["a negative ack id", ['2-1["a"]'], DecodeErrorCode.INVALID_JSON],
    ["a fractional ack id", ['21.5["a"]'], DecodeErrorCode.INVALID_JSON],
    ["invalid JSON", ['2["a"'], DecodeErrorCode.INVALID_JSON],
    ["trailing garbage", ['2["a"]x'], DecodeErrorCode.INVALID_JSON],
    ["an EVENT without payload", ["2"], DecodeErrorCode.INVALID_PAYLOAD],
    ["an EVENT with an object", ['2{"a":1}'], DecodeErrorCode.INVALID_PAYLOAD],
    ["an EVENT with an empty array", ["2[]"], DecodeErrorCode.INVALID_PAYLOAD],
    ["an EVENT named by a boolean", ["2[true]"], DecodeErrorCode.INVALID_PAYLOAD],
    ["an EVENT named by null", ['2/a,[null,"x"]'], DecodeErrorCode.INVALID_PAYLOAD],
    ["an EVENT with a reserved name", ['2["disconnect"]'], DecodeErrorCode.RESERVED_EVENT],
    ["an EVENT with the name newListener", ['2/a,["newListener","x"]'], DecodeErrorCode.RESERVED_EVENT],
    ["an ACK with an object", ['31{"a":1}'], DecodeErrorCode.INVALID_PAYLOAD],
    ["a CONNECT with an array", ["0[]"], DecodeErrorCode.INVALID_PAYLOAD],
    ["a CONNECT with a string", ['0"token"'], DecodeErrorCode.INVALID_PAYLOAD],
    ["a DISCONNECT with a payload", ["1{}"], DecodeErrorCode.INVALID_PAYLOAD],
    // the digit reads as an ack id, and the payload (checked first) is missing
    ["a CONNECT_ERROR with a number", ["41"], DecodeErrorCode.INVALID_PAYLOAD],
    ["a CONNECT_ERROR with null", ["4null"], DecodeErrorCode.INVALID_PAYLOAD],
    ["a __proto__ key", ['2["a",{"__proto__":{"polluted":true}}]'], DecodeErrorCode.FORBIDDEN_KEY],
    ["a nested constructor key", ['0{"a":[{"constructor":{"prototype":{}}}]}'], DecodeErrorCode.FORBIDDEN_KEY],
    ["an escaped __proto__ key", ['2["a",{"\\u005f_proto__":1}]'], DecodeErrorCode.FORBIDDEN_KEY],
    ["a placeholder out of range", [`51-["a",${placeholder(1)}]`], DecodeErrorCode.INVALID_PLACEHOLDER],
    ["a negative placeholder", [`51-["a",${placeholder(-1)}]`], DecodeErrorCode.INVALID_PLACEHOLDER],
    ["a fractional placeholder", [`52-["a",${placeholder(0.5)}]`], DecodeErrorCode.INVALID_PLACEHOLDER],
    ["a placeholder with a string num", [`51-["a",${placeholder("0")}]`], DecodeErrorCode.INVALID_PLACEHOLDER],
    ["a placeholder without num", ['51-["a",{"_placeholder":true}]'], DecodeErrorCode.INVALID_PLACEHOLDER],
    ["binary when none is expected", [Buffer.from([1])], DecodeErrorCode.UNEXPECTED_BINARY],
    ["text while attachments are awaited", [`51-["a",${placeholder(0)}]`, '2["b"]'], DecodeErrorCode.UNEXPECTED_TEXT],
    ["too many attachments", [`51-["a",${placeholder(0)}]`, Buffer.from([1]), Buffer.from([2])], DecodeErrorCode.UNEXPECTED_BINARY],
    ["a number", [42], DecodeErrorCode.INVALID_INPUT],
    ["an object", [{ type: 2, nsp: "/", data: ["a"] }], DecodeErrorCode.INVALID_INPUT],
    ["null", [null], DecodeErrorCode.INVALID_INPUT],
  ])("rejects %s", (_name, chunks, code) => {
    const error = decodeError(chunks);
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(0);
  });

  it("never pollutes Object.prototype", () => {
    expect(() => decodeAll(['2["a",{"__proto__":{"polluted":true}}]'])).toThrow(DecodeError);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("drops the partial packet after an error and can be used again", () => {
    const { decoder, decoded } = recordingDecoder();
    decoder.add(`51-["a",${placeholder(0)}]`);
    expect(thrownBy(() => decoder.add('2["b"]'))).toMatchObject({ code: DecodeErrorCode.UNEXPECTED_TEXT });
    expect(decoder.pendingAttachments).toBe(0);
    decoder.add('2["c"]');
    expect(decoded).toEqual([{ type: EVENT, nsp: "/", data: ["c"] }]);
  });

  it("lets an exception thrown by a listener through, with its state consistent", () => {
    const decoder = new Decoder();
    decoder.once("decoded", () => {
      throw new Error("listener failed");
    });
    expect(() => decoder.add('2["a"]')).toThrow("listener failed");
    const seen: unknown[] = [];
    decoder.on("decoded", (packet) => seen.push(packet.data));
    decoder.add('2["b"]');
    expect(seen).toEqual([["b"]]);
  });
});

describe("Decoder: limits", () => {
  it("accepts maxAttachments attachments and refuses one more", () => {
    const three = `53-["a",${placeholder(0)},${placeholder(1)},${placeholder(2)}]`;
    const buffers = [Buffer.alloc(1), Buffer.alloc(1), Buffer.alloc(1)];
    expect(decodeAll([three, ...buffers], { maxAttachments: 3 })).toHaveLength(1);
    expect(decodeError([three.replace("53-", "54-")], { maxAttachments: 3 }).code).toBe(
      DecodeErrorCode.TOO_MANY_ATTACHMENTS,
    );
  });

  it("accepts 10 attachments by default", () => {
    expect(decodeAll([`510-["a",${placeholder(9)}]`, ...Array.from({ length: 10 }, () => Buffer.alloc(1))])).toHaveLength(1);
    expect(decodeError([`511-["a",${placeholder(9)}]`]).code).toBe(DecodeErrorCode.TOO_MANY_ATTACHMENTS);
  });

  it("refuses every binary packet with maxAttachments 0", () => {
    expect(decodeError([`51-["a",${placeholder(0)}]`], { maxAttachments: 0 }).code).toBe(
      DecodeErrorCode.TOO_MANY_ATTACHMENTS,
    );
    expect(decodeAll(['2["a"]'], { maxAttachments: 0 })).toHaveLength(1);
  });

  it("accepts a payload maxDepth levels deep and refuses one level more", () => {
    const atLimit = `2${JSON.stringify(["x", nested(4)])}`;
    const pastLimit = `2${JSON.stringify(["x", nested(5)])}`;
    expect(decodeAll([atLimit], { maxDepth: 5 })).toHaveLength(1);
    expect(decodeError([pastLimit], { maxDepth: 5 }).code).toBe(DecodeErrorCode.TOO_DEEP);
    // Placeholders are leaves, like the binary values they stand for.
    const binaryAtLimit = `51-${JSON.stringify(["x", nested(3, { _placeholder: true, num: 0 })])}`;
    expect(decodeAll([binaryAtLimit, Buffer.alloc(1)], { maxDepth: 4 })).toHaveLength(1);
    expect(decodeError([binaryAtLimit], { maxDepth: 3 }).code).toBe(DecodeErrorCode.TOO_DEEP);
  });

  it("allows 100 levels by default and survives a payload a million levels deep", () => {
    expect(decodeAll([`2${JSON.stringify(["x", nested(99)])}`])).toHaveLength(1);
    expect(decodeError([`2${JSON.stringify(["x", nested(100)])}`]).code).toBe(DecodeErrorCode.TOO_DEEP);
    const huge = `2["x",${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}]`;
    expect(decodeError([huge], { maxPacketLength: Infinity }).code).toBe(DecodeErrorCode.TOO_DEEP);
  });

  it("accepts a packet of maxPacketLength characters and refuses one more", () => {
    const text = `2["${"a".repeat(95)}"]`;
    expect(text).toHaveLength(100);
    expect(decodeAll([text], { maxPacketLength: 100 })).toHaveLength(1);
    expect(decodeError([text], { maxPacketLength: 99 }).code).toBe(DecodeErrorCode.PACKET_TOO_LONG);
  });

  it("accepts attachments adding up to maxAttachmentBytes and refuses one byte more", () => {
    const text = `52-["a",${placeholder(0)},${placeholder(1)}]`;
    expect(decodeAll([text, Buffer.alloc(60), new ArrayBuffer(40)], { maxAttachmentBytes: 100 })).toHaveLength(1);
    const { decoder, decoded } = recordingDecoder({ maxAttachmentBytes: 100 });
    decoder.add(text);
    decoder.add(Buffer.alloc(60));
    expect(thrownBy(() => decoder.add(new Uint8Array(41)))).toMatchObject({
      code: DecodeErrorCode.ATTACHMENTS_TOO_LARGE,
    });
    expect(decoder.pendingAttachments).toBe(0);
    expect(decoded).toHaveLength(0);
  });

  it("counts Blob attachments by their size", () => {
    const text = `51-["a",${placeholder(0)}]`;
    expect(decodeAll([text, new Blob(["12345"])], { maxAttachmentBytes: 5 })).toHaveLength(1);
    expect(decodeError([text, new Blob(["123456"])], { maxAttachmentBytes: 5 }).code).toBe(
      DecodeErrorCode.ATTACHMENTS_TOO_LARGE,
    );
  });
});

describe("Encoder and Decoder together", () => {
  it("round-trip a binary packet whose attachments are views at an offset", () => {
    const backing = Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]);
    const view = backing.subarray(2, 5);
    const chunks = new Encoder().encode({ type: EVENT, nsp: "/", data: ["x", view] });
    const [packet] = decodeAll(chunks);
    expect(Buffer.from((packet!.data as Uint8Array[])[1]!)).toEqual(Buffer.from([2, 3, 4]));
  });
});

describe("Decoder: the reviver", () => {
  it("is applied on every path, the small-payload ones included", () => {
    const upper = (_key: string, value: unknown): unknown => (typeof value === "string" ? value.toUpperCase() : value);
    const file = Buffer.from([1]);
    expect(decodeAll(['2["a",{"b":"c"}]', '3/x,1["d"]', '51-["e",{"_placeholder":true,"num":0}]', file], { reviver: upper })).toEqual([
      { type: EVENT, nsp: "/", data: ["A", { b: "C" }] },
      { type: ACK, nsp: "/x", id: 1, data: ["D"] },
      { type: EVENT, nsp: "/", data: ["E", file] },
    ]);
  });

  it("gives a payload that is checked like any other", () => {
    const reviver = (key: string, value: unknown): unknown => (key === "x" ? JSON.parse('{"constructor":1}') : value);
    expect(decodeError(['2["a",{"x":1}]'], { reviver }).code).toBe(DecodeErrorCode.FORBIDDEN_KEY);
    const deep = (key: string, value: unknown): unknown => (key === "x" ? nested(10) : value);
    expect(decodeError(['2["a",{"x":1}]'], { reviver: deep, maxDepth: 5 }).code).toBe(DecodeErrorCode.TOO_DEEP);
    const thrower = (): never => {
      throw new Error("reviver failed");
    };
    const error = decodeError(['2["a"]'], { reviver: thrower });
    expect(error.code).toBe(DecodeErrorCode.INVALID_JSON);
    expect((error.cause as Error).message).toBe("reviver failed");
  });
});

describe("Decoder: the payload of a CONNECT (the handshake's auth, the recovery pid) never goes into an error", () => {
  const SECRET = "s3cr3t-token-0123456789";

  it("invalid JSON: no cause, and a message that quotes nothing (JSON.parse's own quotes its input)", () => {
    for (const text of [`0{"token":${SECRET}}`, `0/admin,{"token":${SECRET}}`, `0{"pid":"${SECRET}","offset":${SECRET}}`]) {
      const error = decodeError([text]);
      expect(error.code).toBe(DecodeErrorCode.INVALID_JSON);
      expect(error.message).toBe("invalid payload: not valid JSON");
      expect(error.cause).toBeUndefined();
      expect(String(error.stack)).not.toContain(SECRET.slice(0, 8));
    }
    // other packets keep JSON.parse's error as the cause, for debugging
    expect(decodeError([`2["a",${SECRET}]`]).cause).toBeInstanceOf(SyntaxError);
  });

  it("a reviver that throws: neither its error nor its message", () => {
    const thrower = (_key: string, value: unknown): never => {
      throw new Error(`refused ${JSON.stringify(value)}`);
    };
    const error = decodeError([`0{"token":"${SECRET}"}`], { reviver: thrower });
    expect(error.code).toBe(DecodeErrorCode.INVALID_JSON);
    expect(error.message).toBe("invalid payload: not valid JSON");
    expect(error.cause).toBeUndefined();
  });
});
