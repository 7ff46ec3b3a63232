// Compiled by `pnpm typecheck`, never run: the typed public API of @volley/parser covers the
// published socket.io-parser 4 typings (build/*/index.d.ts), except what the README lists
// as left out. Private members are not part of it (`keyof` does not see them).
import type * as sio from "socket.io-parser";
import * as volley from "../../src";

/**
 * The public members of T, as a structural type; a method returning T (`this`) is taken as
 * returning anything, since our `this` is our class, not socket.io-parser's.
 */
type Public<T> = { [K in keyof T]: T[K] extends (...args: infer A) => T ? (...args: A) => unknown : T[K] };
type Assert<T extends true> = T;
type IsNever<T> = [T] extends [never] ? true : false;

// Every export of socket.io-parser's index exists, as a value or as a type.
type RuntimeExports = keyof typeof sio;
export type EveryRuntimeExport = Assert<IsNever<Exclude<RuntimeExports, keyof typeof volley>>>;
export type TypeExports = [volley.Packet, volley.DecoderOptions, volley.PacketType];

// protocol, PacketType: the same names and values (PacketType is our own enum, see the README).
const protocol: number = volley.protocol;
void protocol;
export type SamePacketTypeNames = Assert<
  IsNever<Exclude<keyof typeof sio.PacketType, keyof typeof volley.PacketType>>
>;
// (their values: test/integration/socket-io-parser-compat.test.ts)

// Packet: every field, with the same types (data: unknown where socket.io-parser says any).
export type SamePacketFields = Assert<IsNever<Exclude<keyof sio.Packet, keyof volley.Packet>>>;
declare const theirPacket: Omit<sio.Packet, "type">;
const packet: volley.Packet = { ...theirPacket, type: volley.PacketType.EVENT };
void packet;

// Encoder: what socket.io-parser's constructor takes; every public member.
declare const encoderArgs: ConstructorParameters<typeof sio.Encoder>;
const encoder: Public<sio.Encoder> = new volley.Encoder(...encoderArgs);
new volley.Encoder((key, value) => (key === "secret" ? undefined : value));
void encoder;

// Decoder: what socket.io-parser's constructor takes (a reviver, or DecoderOptions); every
// public member, but:
// - `emit`, which socket.io-parser types with an empty event map (so no call compiles there);
// - `listeners`, whose listeners take our Packet, not theirs (PacketType is a distinct enum);
//   it is checked below.
declare const decoderArgs: ConstructorParameters<typeof sio.Decoder>;
const decoder: Omit<Public<sio.Decoder>, "emit" | "listeners"> = new volley.Decoder(...decoderArgs);
void decoder;
const options: volley.DecoderOptions = {} as sio.DecoderOptions;
void options;
new volley.Decoder((key, value) => value);
new volley.Decoder({ reviver: (key, value) => value, maxAttachments: 2 });

// The emitter methods socket.io-parser's Decoder has, with its argument forms.
const d = new volley.Decoder();
const listener = (p: volley.Packet): void => void p;
const hasAny: boolean = d.hasListeners("decoded");
const listeners: Array<(packet: volley.Packet) => void> = d.listeners("decoded");
void [hasAny, listeners];
d.on("decoded", listener).once("decoded", listener).off("decoded", listener).off("decoded").off();
d.removeListener().removeListener("decoded").removeAllListeners().removeAllListeners("decoded");
// @ts-expect-error no such event
d.hasListeners("decode");

// A subclass written against socket.io-parser's Decoder compiles: emitReserved is protected.
export class Upper extends volley.Decoder {
  override add(chunk: unknown): void {
    this.emitReserved("decoded", { type: volley.PacketType.EVENT, nsp: "/", data: [String(chunk)] });
  }
}
// @ts-expect-error emitReserved is protected, as in socket.io-parser
d.emitReserved("decoded", packet);

// isPacketValid takes what socket.io-parser's takes.
const isValid: boolean = volley.isPacketValid(packet);
void isValid;
