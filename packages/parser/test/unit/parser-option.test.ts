// toParser: parsers typed by their own packages may return one chunk from encode(); the
// Parser view always hands arrays on, and keeps the module's Decoder.
import { describe, expect, it } from "@jest/globals";
import { EventEmitter } from "node:events";
import { Decoder, Encoder, toParser, type Packet } from "../../src";

class SingleChunkEncoder {
  encode(packet: Packet): string {
    return JSON.stringify(packet);
  }
}

class ArrayEncoder {
  encode(packet: Packet): Array<string | Uint8Array> {
    return [JSON.stringify(packet), new Uint8Array([1])];
  }
}

class TextDecoder extends EventEmitter {
  add(chunk: string): void {
    this.emit("decoded", JSON.parse(chunk) as Packet);
  }
  destroy(): void {}
}

const packet: Packet = { type: 2, nsp: "/", data: ["hello"] };

describe("toParser", () => {
  it("wraps a single chunk in an array", () => {
    const parser = toParser({ Encoder: SingleChunkEncoder, Decoder: TextDecoder });
    expect(new parser.Encoder().encode(packet)).toEqual([JSON.stringify(packet)]);
  });

  it("hands an array on as it is", () => {
    const parser = toParser({ Encoder: ArrayEncoder, Decoder: TextDecoder });
    expect(new parser.Encoder().encode(packet)).toEqual([JSON.stringify(packet), new Uint8Array([1])]);
  });

  it("keeps the module's Decoder and an Encoder of the module's class", () => {
    const parser = toParser({ Encoder: SingleChunkEncoder, Decoder: TextDecoder });
    expect(parser.Decoder).toBe(TextDecoder);
    expect(new parser.Encoder()).toBeInstanceOf(SingleChunkEncoder);
  });

  it("gives this package's own parser back as it is", () => {
    const parser = { Encoder, Decoder };
    expect(toParser(parser)).toBe(parser);
  });
});
