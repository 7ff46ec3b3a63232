// Type-level tests, checked by `pnpm typecheck` (tsc over src and test): each
// `@ts-expect-error` fails the build if the line it guards starts to compile.
import {
  decodePacket,
  decodePacketV3,
  decodePayload,
  decodePayloadV3,
  encodePacket,
  encodePacketAsync,
  encodePayload,
  encodePayloadV3,
  ERROR_PACKET,
  PACKET_TYPES,
  type BinaryType,
  type EncodedPacket,
  type Packet,
  type WirePacketType,
} from "../../src";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

assertType<Equal<ReturnType<typeof encodePacket>, EncodedPacket>>();
assertType<Equal<ReturnType<typeof encodePacketAsync>, Promise<EncodedPacket>>>();
assertType<Equal<ReturnType<typeof encodePayload>, string>>();
assertType<Equal<ReturnType<typeof decodePacket>, Packet>>();
assertType<Equal<ReturnType<typeof decodePayload>, Packet[]>>();
assertType<Equal<ReturnType<typeof encodePayloadV3>, string | Uint8Array>>();
assertType<Equal<ReturnType<typeof decodePayloadV3>, Packet[]>>();
assertType<Equal<ReturnType<typeof decodePacketV3>, Packet>>();
assertType<Equal<WirePacketType, "open" | "close" | "ping" | "pong" | "message" | "upgrade" | "noop">>();
assertType<Equal<(typeof PACKET_TYPES)["message"], "4">>();
assertType<Equal<typeof ERROR_PACKET.data, "parser error">>();

// Binary data of every kind is accepted; other data is not.
encodePacket({ type: "message", data: new ArrayBuffer(1) }, true);
encodePacket({ type: "message", data: new DataView(new ArrayBuffer(1)) }, true);
encodePacket({ type: "message", data: new Blob([]) }, true);
encodePacket({ type: "message", data: Buffer.from([1]) }, false);
// @ts-expect-error numbers are not packet data
encodePacket({ type: "message", data: 42 }, true);
// @ts-expect-error unknown packet types do not compile
encodePacket({ type: "binary" }, true);
// @ts-expect-error supportsBinary is required
encodePacket({ type: "ping" });

const binaryType: BinaryType = "arraybuffer";
decodePacket("4x", binaryType);
// @ts-expect-error "buffer" is not a binary type
decodePacket("4x", "buffer");
decodePayloadV3(new Uint8Array(0));
decodePayloadV3("0:");
// @ts-expect-error payloads are text or bytes
decodePayloadV3(42);

// @ts-expect-error the shared constants are read-only
PACKET_TYPES.message = "5";
// @ts-expect-error the shared error packet is read-only
ERROR_PACKET.data = "other";
