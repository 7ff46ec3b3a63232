import { describe, expect, it } from "@jest/globals";
import { hasBinary, isBinary, isPacketValid, PacketType, type Packet } from "../../src";

describe("isBinary", () => {
  it.each<[string, unknown, boolean]>([
    ["a Buffer", Buffer.from([1]), true],
    ["an ArrayBuffer", new ArrayBuffer(1), true],
    ["a Uint8Array", new Uint8Array(1), true],
    ["a Float64Array", new Float64Array(1), true],
    ["a DataView", new DataView(new ArrayBuffer(1)), true],
    ["a Blob", new Blob(["x"]), true],
    ["a string", "x", false],
    ["an array of bytes", [1, 2], false],
    ["a Buffer's JSON", { type: "Buffer", data: [1] }, false],
    ["null", null, false],
  ])("%s → %s", (_name, value, expected) => {
    expect(isBinary(value)).toBe(expected);
  });
});

describe("hasBinary", () => {
  it("finds binary at any depth, in arrays, objects and toJSON results", () => {
    expect(hasBinary(["a", { b: [1, { c: Buffer.alloc(1) }] }])).toBe(true);
    expect(hasBinary({ toJSON: () => ({ file: new ArrayBuffer(1) }) })).toBe(true);
    expect(hasBinary(new Uint16Array(2))).toBe(true);
    expect(hasBinary(["a", { b: [1, { c: "d" }] }, null, undefined, 3])).toBe(false);
    expect(hasBinary(new Date())).toBe(false);
    expect(hasBinary(undefined)).toBe(false);
  });

  it("ignores inherited keys of class instances", () => {
    class Holder {
      own = 1;
    }
    (Holder.prototype as unknown as Record<string, unknown>)["inherited"] = Buffer.alloc(1);
    expect(hasBinary(new Holder())).toBe(false);
  });

  it("ends on circular structures and bounds its depth", () => {
    const loop: Record<string, unknown> = {};
    loop["self"] = loop;
    expect(hasBinary(loop)).toBe(false);
    loop["file"] = Buffer.alloc(1);
    expect(hasBinary(loop)).toBe(true);
    let deep: unknown = Buffer.alloc(1);
    for (let i = 0; i < 5; i++) deep = [deep];
    expect(hasBinary(deep, 6)).toBe(true);
    expect(hasBinary(deep, 5)).toBe(false);
  });
});

describe("isPacketValid", () => {
  const { CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR } = PacketType;

  it.each<[Packet, boolean]>([
    [{ type: CONNECT, nsp: "/" }, true],
    [{ type: CONNECT, nsp: "/a", data: { token: 1 } }, true],
    [{ type: CONNECT, nsp: "/", data: "x" }, false],
    [{ type: DISCONNECT, nsp: "/" }, true],
    [{ type: DISCONNECT, nsp: "/", data: 1 }, false],
    [{ type: EVENT, nsp: "/", data: ["a", Buffer.alloc(1)] }, true],
    [{ type: EVENT, nsp: "/", id: 3, data: ["a"] }, true],
    [{ type: EVENT, nsp: "/", data: [] }, false],
    [{ type: EVENT, nsp: "/", data: ["connect_error"] }, false],
    [{ type: EVENT, nsp: "a", data: ["a"] }, false],
    [{ type: EVENT, nsp: "/", id: -2, data: ["a"] }, false],
    [{ type: ACK, nsp: "/", id: 3, data: [] }, true],
    [{ type: ACK, nsp: "/", data: [] }, false],
    [{ type: CONNECT_ERROR, nsp: "/", data: { message: "x" } }, true],
    [{ type: CONNECT_ERROR, nsp: "/", data: "x" }, true],
    [{ type: CONNECT_ERROR, nsp: "/", data: ["x"] }, false],
    [{ type: 8 as PacketType, nsp: "/" }, false],
  ])("%j → %s", (packet, expected) => {
    expect(isPacketValid(packet)).toBe(expected);
  });
});
