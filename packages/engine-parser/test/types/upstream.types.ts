// Type-level check, run by `pnpm typecheck`, that the typed public API covers the published
// engine.io-parser 5.2's declarations (build/esm/index.d.ts): every export exists here, and
// each function can stand where code written for the published one expects it.
import type * as Published from "engine.io-parser";
import * as volley from "../../src";
import type { BinaryType, EncodedPacket, Packet, PacketType, RawData } from "../../src";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

type PublishedModule = typeof Published;
type VolleyModule = typeof volley;

// Every value the published package exports, Volley exports too.
assertType<Equal<Exclude<keyof PublishedModule, keyof VolleyModule>, never>>();
assertType<Equal<VolleyModule["protocol"], PublishedModule["protocol"]>>();

// Its types: the same unions; its Packet is a Packet here. (Its RawData is `any`; Volley's
// is `string | BinaryData`, so data is checked where upstream checks nothing.)
assertType<Equal<PacketType, Published.PacketType>>();
assertType<Equal<BinaryType, Published.BinaryType>>();
const publishedPacket: Published.Packet = { type: "message", data: "x", options: { compress: true } };
export const packet: Packet = publishedPacket;

// Each function where a published one is expected: same parameters, callbacks included.
export const encodePacket: PublishedModule["encodePacket"] = volley.encodePacket;
export const encodePayload: PublishedModule["encodePayload"] = volley.encodePayload;
export const decodePacket: (data: RawData, binaryType?: Published.BinaryType) => Packet = volley.decodePacket;
export const decodePayload: (payload: string, binaryType?: Published.BinaryType) => Packet[] = volley.decodePayload;
export const createPacketEncoderStream: PublishedModule["createPacketEncoderStream"] = volley.createPacketEncoderStream;
export const createPacketDecoderStream: PublishedModule["createPacketDecoderStream"] = volley.createPacketDecoderStream;

// Calls as code written for engine.io-parser makes them.
volley.encodePacket({ type: "message", data: Buffer.from([1]) }, false, (encoded) => {
  assertType<Equal<typeof encoded, EncodedPacket>>();
});
volley.encodePayload([{ type: "ping" }, { type: "message", data: "x" }], (payload) => {
  assertType<Equal<typeof payload, string>>();
});
assertType<Equal<ReturnType<typeof volley.createPacketEncoderStream>, TransformStream<Packet, Uint8Array>>>();
assertType<Equal<ReturnType<typeof volley.createPacketDecoderStream>, TransformStream<Uint8Array, Packet>>>();
volley.createPacketDecoderStream(1e6, "arraybuffer");
// The callback form returns nothing, the returning form a value.
assertType<Equal<ReturnType<typeof volley.encodePayload>, string>>();
const nothing: void = volley.encodePayload([], () => undefined);
void nothing;
// @ts-expect-error a callback that takes a number is not a payload callback
volley.encodePayload([], (payload: number) => payload);
// @ts-expect-error maxPayload is required, as upstream has it
volley.createPacketDecoderStream();
