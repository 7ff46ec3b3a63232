// What "./base64" resolves to in the browser build: the runtime's own codec (btoa / atob,
// in every browser and worker), held to the strictness of the portable codec of base64.ts:
// the url-safe alphabet is tolerated, at most two "=" and only at the end, nothing else
// outside the alphabet, no length that would leave 6 bits. test/unit/base64.test.ts runs
// both on the same inputs.

const EQUALS = 61;
const ALPHABET_ONLY = /^[A-Za-z0-9+/_-]*$/;
// String.fromCharCode takes the bytes as arguments: in slices, well below argument limits.
const SLICE = 0x8000;

/** Standard base64 with padding, as every Engine.IO peer writes it. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += SLICE) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + SLICE) as unknown as number[]);
  }
  return btoa(binary);
}

/**
 * Decodes the base64 in `text` from `start` on. Padding is optional; at most two `=` may
 * end the text. Returns undefined for text that is not base64.
 */
export function decodeBase64(text: string, start: number): Uint8Array | undefined {
  let end = text.length;
  if (end > start && text.charCodeAt(end - 1) === EQUALS) {
    end--;
    if (end > start && text.charCodeAt(end - 1) === EQUALS) end--;
  }
  const body = text.slice(start, end);
  if ((body.length & 3) === 1 || !ALPHABET_ONLY.test(body)) return undefined;
  // atob reads the standard alphabet, unpadded input included
  const binary = atob(body.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
