import { FULL_MESSAGES } from "@volley/shared";
import { encodeBase64 } from "./base64";
import { isBinary, isBlob, toUint8Array } from "./binary";
import { SyncBlobError } from "./errors";
import { SEPARATOR, type BinaryData, type Packet } from "./packet";
import { typeDigit } from "./type-codes";

/** One encoded packet: text, or the raw binary of a binary message. */
export type EncodedPacket = string | BinaryData;

/** Receives an encoded packet (the callback form of {@link encodePacket}). */
export type EncodePacketCallback = (encodedPacket: EncodedPacket) => void;

/** Receives an encoded payload (the callback form of {@link encodePayload}). */
export type EncodePayloadCallback = (encodedPayload: string) => void;

/**
 * Encodes one packet and hands it to `callback`, as the published `engine.io-parser`
 * does: synchronously, except for a Blob on a text transport (`supportsBinary` false),
 * whose base64 is handed over once the Blob is read.
 *
 * @throws TypeError for a packet type that does not travel (`error`).
 * @example
 * encodePacket({ type: "message", data: "hello" }, true, (encoded) => ws.send(encoded));
 */
export function encodePacket(packet: Packet, supportsBinary: boolean, callback: EncodePacketCallback): void;
/**
 * Encodes one packet. Text data gives `<type digit><data>`. Binary data is, with
 * `supportsBinary` (a WebSocket), returned as is, to go out as a binary frame; without it
 * (long-polling), it becomes `b` + base64. Binary data always travels as a `message`.
 *
 * @throws TypeError for a Blob when `supportsBinary` is false (a Blob cannot be read
 * synchronously: use {@link encodePacketAsync} or the callback form), and for a packet
 * type that does not travel (`error`).
 * @example
 * encodePacket({ type: "message", data: "hello" }, true); // "4hello"
 * encodePacket({ type: "message", data: Buffer.from([1, 2, 3]) }, false); // "bAQID"
 */
export function encodePacket(packet: Packet, supportsBinary: boolean): EncodedPacket;
export function encodePacket(
  packet: Packet,
  supportsBinary: boolean,
  callback?: EncodePacketCallback,
): EncodedPacket | undefined {
  // The one test the callback form costs the returning form (engine-server's write path).
  if (callback !== undefined) return encodePacketThen(packet, supportsBinary, callback);
  const data = packet.data;
  if (typeof data === "string") return typeDigit(packet.type) + data;
  if (data === undefined) return typeDigit(packet.type);
  if (supportsBinary && ArrayBuffer.isView(data)) return data; // a WebSocket frame as is
  return encodeBinary(packet, data, supportsBinary);
}

/**
 * {@link encodePacket} that can also base64-encode Blobs (browsers) for text-only
 * transports.
 */
export async function encodePacketAsync(packet: Packet, supportsBinary: boolean): Promise<EncodedPacket> {
  const data = packet.data;
  if (!supportsBinary && isBlob(data)) return encodeBlobForPolling(data);
  return encodePacket(packet, supportsBinary);
}

function encodePacketThen(packet: Packet, supportsBinary: boolean, callback: EncodePacketCallback): undefined {
  const data = packet.data;
  if (!supportsBinary && isBlob(data)) {
    // Upstream's browser build reads the Blob with a FileReader that has no error handler:
    // a Blob that cannot be read gives no callback there, and none here either.
    encodeBlobForPolling(data).then(callback, ignoreBlobReadFailure);
    return undefined;
  }
  callback(encodePacket(packet, supportsBinary));
  return undefined;
}

async function encodeBlobForPolling(blob: Blob): Promise<string> {
  return "b" + encodeBase64(new Uint8Array(await blob.arrayBuffer()));
}

function ignoreBlobReadFailure(): void {}

/**
 * Encodes packets into one long-polling payload and hands it to `callback`, as the
 * published `engine.io-parser` does: synchronously, unless a packet carries a Blob, which
 * is read first. No packets give `""` (upstream never calls back for them).
 *
 * @throws TypeError for a packet type that does not travel (`error`).
 * @example
 * encodePayload(packets, (payload) => res.end(payload));
 */
export function encodePayload(packets: readonly Packet[], callback: EncodePayloadCallback): void;
/**
 * Encodes packets into one long-polling payload: each packet as text (binary as `b` +
 * base64), joined by the record separator `\x1e`. No packets give `""`.
 *
 * @throws TypeError as {@link encodePacket} does: use {@link encodePayloadAsync} or the
 * callback form for Blobs.
 * @example
 * encodePayload([{ type: "message", data: "hi" }, { type: "ping" }]); // "4hi\x1e2"
 */
export function encodePayload(packets: readonly Packet[]): string;
export function encodePayload(packets: readonly Packet[], callback?: EncodePayloadCallback): string | undefined {
  if (callback !== undefined) return encodePayloadThen(packets, callback);
  const count = packets.length;
  if (count === 0) return "";
  let payload = encodeForPolling(packets[0]!);
  for (let i = 1; i < count; i++) payload += SEPARATOR + encodeForPolling(packets[i]!);
  return payload;
}

/**
 * `encodePacket(packet, false)` as a function of its own: V8 keeps type feedback per
 * function, so the polling path's mix of packets does not slow the WebSocket path down.
 */
function encodeForPolling(packet: Packet): string {
  const data = packet.data;
  if (typeof data === "string") return typeDigit(packet.type) + data;
  if (data === undefined) return typeDigit(packet.type);
  return encodeBinary(packet, data, false) as string;
}

/** {@link encodePayload} for packets that may carry Blobs (browsers). */
export async function encodePayloadAsync(packets: readonly Packet[]): Promise<string> {
  const encoded = await Promise.all(packets.map((packet) => encodePacketAsync(packet, false)));
  return encoded.join(SEPARATOR);
}

function encodePayloadThen(packets: readonly Packet[], callback: EncodePayloadCallback): undefined {
  let blobs = false;
  for (let i = 0; i < packets.length; i++) if (isBlob(packets[i]!.data)) blobs = true;
  if (!blobs) {
    callback(encodePayload(packets));
    return undefined;
  }
  // Everything but the Blobs is encoded now, so that a bad packet type throws to the caller.
  const parts = packets.map((packet) => (isBlob(packet.data) ? encodeBlobForPolling(packet.data) : encodeForPolling(packet)));
  Promise.all(parts).then((encoded) => callback(encoded.join(SEPARATOR)), ignoreBlobReadFailure);
  return undefined;
}


function encodeBinary(packet: Packet, data: BinaryData, supportsBinary: boolean): EncodedPacket {
  // Untyped callers may pass a number or an object: written as text, as upstream does.
  if (!isBinary(data)) return typeDigit(packet.type) + String((data as unknown) || "");
  if (supportsBinary) return data;
  if (isBlob(data)) {
    throw new SyncBlobError(FULL_MESSAGES ? "a Blob cannot be base64-encoded synchronously: use encodePacketAsync()" : SyncBlobError.code);
  }
  return "b" + encodeBase64(toUint8Array(data));
}
