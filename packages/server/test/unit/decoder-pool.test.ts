import { EventEmitter } from "node:events";
import { describe, expect, it } from "@jest/globals";
import { Decoder, Encoder, PacketType, type Packet, type ParserDecoder } from "@volley/parser";
import { DecoderPool } from "../../src/internal/decoder-pool";

const encoder = new Encoder();

function binaryEvent(nsp: string, bytes: number[]): [string, ...Array<Buffer | string | ArrayBuffer | ArrayBufferView>] {
  const [header, ...attachments] = encoder.encode({ type: PacketType.EVENT, nsp, data: ["upload", Buffer.from(bytes)] });
  return [header as string, ...(attachments as Buffer[])];
}

describe("DecoderPool", () => {
  it("idle connections share one decoder: none is kept between messages", () => {
    let created = 0;
    const pool = new DecoderPool(() => {
      created++;
      return new Decoder();
    });
    for (let i = 0; i < 5; i++) {
      const { packets, decoder } = pool.decode(undefined, `2["n",${i}]`);
      expect(packets).toEqual([{ type: PacketType.EVENT, nsp: "/", data: ["n", i] }]);
      expect(decoder).toBeUndefined();
    }
    expect(created).toBe(1);
  });

  it("a connection keeps its own decoder while a binary packet is half received; others are not mixed in", () => {
    const pool = new DecoderPool(() => new Decoder());
    const [header, attachment] = binaryEvent("/", [1, 2, 3]);
    const first = pool.decode(undefined, header);
    expect(first.packets).toEqual([]);
    expect(first.decoder).toBeDefined();
    // another connection's text packet in between borrows another decoder
    const other = pool.decode(undefined, '2["hello"]');
    expect(other.packets).toEqual([{ type: PacketType.EVENT, nsp: "/", data: ["hello"] }]);
    expect(other.decoder).toBeUndefined();
    const done = pool.decode(first.decoder, attachment);
    expect(done.decoder).toBeUndefined();
    expect(done.packets).toHaveLength(1);
    const packet = done.packets[0] as Packet;
    expect(packet.type).toBe(PacketType.EVENT);
    const [name, bytes] = packet.data as [string, Uint8Array | ArrayBuffer];
    expect(name).toBe("upload");
    expect([...new Uint8Array(bytes as ArrayBuffer)]).toEqual([1, 2, 3]);
  });

  it("a decoding error is thrown; the connection keeps nothing and the pool stays usable", () => {
    const pool = new DecoderPool(() => new Decoder());
    const [header] = binaryEvent("/", [1]);
    const half = pool.decode(undefined, header);
    expect(() => pool.decode(half.decoder, '2["text while binary awaited"]')).toThrow();
    expect(() => pool.decode(undefined, "not a packet")).toThrow();
    expect(pool.decode(undefined, '2["ok"]').packets).toEqual([{ type: PacketType.EVENT, nsp: "/", data: ["ok"] }]);
  });

  it("a released half-received decoder is reset before it serves anyone else", () => {
    const pool = new DecoderPool(() => new Decoder());
    const [header] = binaryEvent("/", [1]);
    const half = pool.decode(undefined, header);
    pool.release(half.decoder!);
    expect(pool.decode(undefined, '2["after"]').packets).toEqual([{ type: PacketType.EVENT, nsp: "/", data: ["after"] }]);
  });

  it("decoders that cannot tell whether they are idle are never shared (one per connection)", () => {
    class OpaqueDecoder extends EventEmitter implements ParserDecoder {
      add(chunk: unknown): void {
        this.emit("decoded", JSON.parse(chunk as string) as Packet);
      }
      destroy(): void {}
    }
    let created = 0;
    const pool = new DecoderPool(() => {
      created++;
      return new OpaqueDecoder() as unknown as ParserDecoder;
    });
    const a = pool.decode(undefined, JSON.stringify({ type: 2, nsp: "/", data: ["a"] }));
    expect(a.packets).toEqual([{ type: 2, nsp: "/", data: ["a"] }]);
    expect(a.decoder).toBeDefined();
    const b = pool.decode(undefined, JSON.stringify({ type: 2, nsp: "/", data: ["b"] }));
    expect(b.decoder).toBeDefined();
    expect(b.decoder).not.toBe(a.decoder);
    expect(pool.decode(a.decoder, JSON.stringify({ type: 2, nsp: "/", data: ["a2"] })).decoder).toBe(a.decoder);
    expect(created).toBe(2);
  });
});
