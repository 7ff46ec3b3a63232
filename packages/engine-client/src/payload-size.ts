import type { Packet } from "@volley/engine-parser";

/**
 * How many of `packets` (at least one) fit in one polling payload of at most `maxPayload`
 * bytes, so that a big backlog goes out in several POSTs instead of one the server refuses.
 */
export function measurePayload(packets: readonly Packet[], maxPayload: number): number {
  let size = 0;
  for (let i = 0; i < packets.length; i++) {
    // the type digit (or the "b" of a base64 packet), plus a separator before all but the first
    size += i === 0 ? 1 : 2;
    size += dataLength(packets[i]!.data);
    if (i > 0 && size > maxPayload) return i;
  }
  return packets.length;
}

/** The encoded length of a packet's data, in UTF-8 bytes. */
export function dataLength(data: Packet["data"]): number {
  if (data === undefined) return 0;
  if (typeof data === "string") return utf8Length(data);
  const bytes = typeof Blob === "function" && data instanceof Blob ? data.size : (data as ArrayBuffer | ArrayBufferView).byteLength;
  // base64 in polling payloads: 4 characters for every 3 bytes, padded
  return 4 * Math.ceil(bytes / 3);
}

export function utf8Length(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) length += 1;
    else if (code < 0x800) length += 2;
    else if (code >= 0xd800 && code < 0xdc00 && i + 1 < text.length) {
      length += 4; // a surrogate pair is one 4-byte code point
      i++;
    } else length += 3;
  }
  return length;
}
