// The three base64 codecs: Node's (through Buffer, with a length check standing in for
// validation), the portable one used where Buffer is absent, and the browser build's
// (btoa / atob behind the same checks, src/base64.browser.ts). They must agree byte for
// byte on valid input and refuse the same invalid input.
import { describe, expect, it } from "@jest/globals";
import { decodeBase64, decodeBase64Portable, encodeBase64, encodeBase64Portable } from "../../src/base64";
import { decodeBase64 as decodeInBrowsers, encodeBase64 as encodeInBrowsers } from "../../src/base64.browser";
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

function browser(text: string): number[] | undefined {
  const bytes = decodeInBrowsers(text, 0);
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
      expect(encodeInBrowsers(bytes)).toBe(expected);
    }
    // past the slice the browser codec hands to String.fromCharCode at once
    const large = randomBytes(random, 100_000);
    expect(encodeInBrowsers(large)).toBe(Buffer.from(large).toString("base64"));
  });

  it("decodes what it encodes, on both codecs, for every length up to 300", () => {
    const random = createPrng(2);
    for (let length = 0; length <= 300; length++) {
      const bytes = Array.from(randomBytes(random, length));
      const text = Buffer.from(bytes).toString("base64");
      expect(native(text)).toEqual(bytes);
      expect(portable(text)).toEqual(bytes);
      expect(browser(text)).toEqual(bytes);
      expect(native(text.replace(/=+$/, ""))).toEqual(bytes);
      expect(browser(text.replace(/=+$/, ""))).toEqual(bytes);
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
    ["padding then more", "AB==CD"],
    ["a tab", "AB\tC"],
  ])("refuses %s on every codec", (_name, text) => {
    expect(native(text)).toBeUndefined();
    expect(portable(text)).toBeUndefined();
    expect(browser(text)).toBeUndefined();
  });

  it("tolerates the url-safe alphabet on every codec", () => {
    const bytes = [0xfb, 0xff, 0xbf];
    expect([native("-_-_"), portable("-_-_"), browser("-_-_")]).toEqual([bytes, bytes, bytes]);
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
      expect([text, browser(text)]).toEqual([text, portable(text)]);
    }
  });

  it("decodes from an offset without copying the prefix into the output", () => {
    expect(Array.from(decodeBase64("bAQID", 1)!)).toEqual([1, 2, 3]);
    expect(Array.from(decodeBase64("b4AQID", 2)!)).toEqual([1, 2, 3]);
    expect(Array.from(decodeBase64("b", 1)!)).toEqual([]);
    expect(Array.from(decodeInBrowsers("b4AQID", 2)!)).toEqual([1, 2, 3]);
    expect(Array.from(decodeInBrowsers("b", 1)!)).toEqual([]);
  });
});
