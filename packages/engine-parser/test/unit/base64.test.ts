// The two base64 codecs: Node's (through Buffer, with a length check standing in for
// validation) and the portable one used in browsers. They must agree byte for byte on
// valid input and refuse the same invalid input.
import { describe, expect, it } from "@jest/globals";
import { decodeBase64, decodeBase64Portable, encodeBase64, encodeBase64Portable } from "../../src/base64";
import { createPrng, randomBytes, randomInt } from "../helpers/wire";

function portable(text: string): number[] | undefined {
  let end = text.length;
  if (text.endsWith("=")) end--;
  if (text.endsWith("==")) end--;
  const bytes = decodeBase64Portable(text, 0, end);
  return bytes && Array.from(bytes);
}

function native(text: string): number[] | undefined {
  const bytes = decodeBase64(text, 0);
  return bytes && Array.from(bytes);
}

describe("base64", () => {
  it("encodes like Node's Buffer, with padding, for every length up to 300", () => {
    const random = createPrng(1);
    for (let length = 0; length <= 300; length++) {
      const bytes = randomBytes(random, length);
      const expected = Buffer.from(bytes).toString("base64");
      expect(encodeBase64(bytes)).toBe(expected);
      expect(encodeBase64Portable(bytes)).toBe(expected);
    }
  });

  it("decodes what it encodes, on both codecs, for every length up to 300", () => {
    const random = createPrng(2);
    for (let length = 0; length <= 300; length++) {
      const bytes = Array.from(randomBytes(random, length));
      const text = Buffer.from(bytes).toString("base64");
      expect(native(text)).toEqual(bytes);
      expect(portable(text)).toEqual(bytes);
      expect(native(text.replace(/=+$/, ""))).toEqual(bytes);
    }
  });

  it.each([
    ["a character outside the alphabet", "AB$D"],
    ["a space", "AB D"],
    ["a newline", "ABC\n"],
    ["padding in the middle", "A=BC"],
    ["padding too long", "A==="],
    ["one character too many", "ABCDE"],
    ["a single character", "A"],
    ["a non-ASCII character", "ABCé"],
    ["a character whose low byte is in the alphabet", "ABC\u0141"],
  ])("refuses %s on both codecs", (_name, text) => {
    expect(native(text)).toBeUndefined();
    expect(portable(text)).toBeUndefined();
  });

  it("agrees with itself across codecs on 20000 random strings (seeded)", () => {
    const random = createPrng(3);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";
    const noise = "=$ \n\t.é\u0100\u0141\ud800\u0000";
    for (let i = 0; i < 20000; i++) {
      let text = "";
      for (let c = randomInt(random, 14); c > 0; c--) {
        text += random() < 0.92 ? alphabet[randomInt(random, alphabet.length)] : noise[randomInt(random, noise.length)];
      }
      if (random() < 0.3) text += random() < 0.5 ? "=" : "==";
      expect([text, native(text)]).toEqual([text, portable(text)]);
    }
  });

  it("decodes from an offset without copying the prefix into the output", () => {
    expect(Array.from(decodeBase64("bAQID", 1)!)).toEqual([1, 2, 3]);
    expect(Array.from(decodeBase64("b4AQID", 2)!)).toEqual([1, 2, 3]);
    expect(Array.from(decodeBase64("b", 1)!)).toEqual([]);
  });
});
