/** Engine.IO protocol revision spoken by this package. */
export const protocol = 4;

/** The packet types of Engine.IO (v3 and v4 share them), and the digit each is written as. */
export const PACKET_TYPES = Object.freeze({
  open: "0",
  close: "1",
  ping: "2",
  pong: "3",
  message: "4",
  upgrade: "5",
  noop: "6",
} as const);

/** A packet type that travels on the wire. */
export type WirePacketType = keyof typeof PACKET_TYPES;

/** `error` never travels: it is what the decoder returns for input it cannot read. */
export type PacketType = WirePacketType | "error";

/** Binary payloads accepted by the encoder (Node.js Buffers are Uint8Arrays). */
export type BinaryData = ArrayBuffer | ArrayBufferView | Blob;

/** What a packet may carry. */
export type RawData = string | BinaryData;

/** How decoded binary data is handed back. */
export type BinaryType = "nodebuffer" | "arraybuffer" | "blob";

/** Per-packet options, carried along for the transport; the codec ignores them. */
export interface PacketOptions {
  /** Whether the transport may compress this packet (per-message deflate, gzip). */
  compress?: boolean;
}

/** An Engine.IO packet. `data` is absent for a packet that carries nothing (`"2"`). */
export interface Packet {
  type: PacketType;
  data?: RawData;
  options?: PacketOptions;
}

/** The packet the decoder returns for input that is not a valid Engine.IO packet. */
export interface ErrorPacket extends Packet {
  type: "error";
  data: "parser error";
}

/** Record separator joining packets in an HTTP long-polling payload. */
export const SEPARATOR = "\x1e";

/**
 * The packet the decoders return for input that is not valid (frozen; decoders return
 * equal, fresh copies). Compare with `packet.type === "error"`.
 */
export const ERROR_PACKET: Readonly<ErrorPacket> = Object.freeze({ type: "error", data: "parser error" });
