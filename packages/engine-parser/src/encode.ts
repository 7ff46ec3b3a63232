import { encodeBase64, isBlob } from "./binary";
import { PACKET_TYPES, SEPARATOR, type BinaryData, type Packet, type WirePacketType } from "./packet";

/** One encoded packet: text, or the raw binary of a binary message. */
export type EncodedPacket = string | BinaryData;

/**
 * Encodes one packet. With `supportsBinary` (a WebSocket), binary data is returned as is, to
 * go out as a binary frame; without it (long-polling), binary becomes `b` + base64.
 *
 * A Blob cannot be read synchronously: with `supportsBinary` false, use
 * {@link encodePacketAsync} for packets that may carry one.
 */
export function encodePacket(packet: Packet, supportsBinary: boolean): EncodedPacket {
  const { data } = packet;
  if (typeof data === "string") return typeDigit(packet) + data;
  if (data === undefined) return typeDigit(packet);
  if (supportsBinary) return data;
  if (isBlob(data)) {
    throw new TypeError("a Blob cannot be base64-encoded synchronously: use encodePacketAsync()");
  }
  return "b" + encodeBase64(data);
}

/** {@link encodePacket} that also base64-encodes Blobs for text-only transports. */
export async function encodePacketAsync(packet: Packet, supportsBinary: boolean): Promise<EncodedPacket> {
  const { data } = packet;
  if (!supportsBinary && isBlob(data)) return "b" + encodeBase64(await data.arrayBuffer());
  return encodePacket(packet, supportsBinary);
}

/** Encodes packets into one long-polling payload: each packet as text, joined by `\x1e`. */
export function encodePayload(packets: readonly Packet[]): string {
  let payload = "";
  for (let i = 0; i < packets.length; i++) {
    if (i > 0) payload += SEPARATOR;
    payload += encodePacket(packets[i]!, false) as string;
  }
  return payload;
}

/** {@link encodePayload} for packets that may carry Blobs (browsers). */
export async function encodePayloadAsync(packets: readonly Packet[]): Promise<string> {
  const encoded = await Promise.all(packets.map((packet) => encodePacketAsync(packet, false)));
  return encoded.join(SEPARATOR);
}

/** The type digit of a packet that travels; a TypeError for `error`. */
export function typeDigit(packet: Packet): string {
  const digit = PACKET_TYPES[packet.type as WirePacketType] as string | undefined;
  if (digit === undefined) throw new TypeError(`cannot encode a packet of type "${packet.type}"`);
  return digit;
}
