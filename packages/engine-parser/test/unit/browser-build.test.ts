// The browser build (dist/index.browser.*, the "browser" export condition) resolves
// ./node-buffer to src/node-buffer.browser.ts: no Buffer paths, and ./type-codes to
// src/type-codes.browser.ts: the type digits from one table. It must write the same text
// and read the same packets as the default build, with the portable codecs, even in a
// runtime that has a Buffer (as this one does).
import { describe, expect, it } from "@jest/globals";
import type * as Api from "../../src";

/* eslint-disable @typescript-eslint/no-require-imports */
const main = require("../../dist/index.cjs") as typeof Api;
const browser = require("../../dist/index.browser.cjs") as typeof Api;
/* eslint-enable @typescript-eslint/no-require-imports */

const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff);
const packets: Api.Packet[] = [
  { type: "open", data: '{"sid":"x"}' },
  { type: "ping", data: "probe" },
  { type: "message", data: "héllo ✓" },
  { type: "message", data: bytes.buffer.slice(0) },
  { type: "message", data: bytes.subarray(1, 5) },
  { type: "message", data: new Uint8Array(0) },
  { type: "close" },
];

describe("browser build (built files)", () => {
  it("exports the same names", () => {
    expect(Object.keys(browser).sort()).toEqual(Object.keys(main).sort());
  });

  it("writes the same packets and payloads", () => {
    for (const packet of packets) {
      expect(browser.encodePacket(packet, false)).toEqual(main.encodePacket(packet, false));
    }
    expect(browser.encodePayload(packets)).toBe(main.encodePayload(packets));
  });

  it("reads the same packets, as ArrayBuffers where the main build hands back Buffers", () => {
    const payload = main.encodePayload(packets);
    const fromBrowser = browser.decodePayload(payload);
    const fromMain = main.decodePayload(payload, "arraybuffer");
    expect(fromBrowser).toEqual(fromMain);
    expect(fromBrowser[3]!.data).toBeInstanceOf(ArrayBuffer);
    expect(Buffer.isBuffer(main.decodePayload(payload)[3]!.data)).toBe(true);
    // "nodebuffer" cannot be honoured without Buffer: an ArrayBuffer, as in any runtime without one
    expect(browser.decodePacket("bAQID", "nodebuffer").data).toBeInstanceOf(ArrayBuffer);
  });

  it("refuses the same malformed base64", () => {
    for (const text of ["b!!!!", "bAQI", "bA", "bAQ=I", "bŁAAA"]) {
      expect(browser.decodePacket(text, "arraybuffer")).toEqual(main.decodePacket(text, "arraybuffer"));
    }
  });

  it("reads and writes every packet type as the main build does, and refuses the same ones", () => {
    const outcome = (run: () => unknown): unknown => {
      try {
        return run();
      } catch (error) {
        return { name: (error as Error).name, code: (error as { code?: unknown }).code };
      }
    };
    for (const type of ["open", "close", "ping", "pong", "message", "upgrade", "noop", "error", "constructor", "toString", ""]) {
      const packet = { type, data: "x" } as Api.Packet;
      expect(outcome(() => browser.encodePacket(packet, false))).toEqual(outcome(() => main.encodePacket(packet, false)));
      expect(outcome(() => browser.encodePayload([packet]))).toEqual(outcome(() => main.encodePayload([packet])));
    }
    for (let code = 0; code < 128; code++) {
      const text = String.fromCharCode(code) + "data";
      expect(browser.decodePacket(text, "arraybuffer")).toEqual(main.decodePacket(text, "arraybuffer"));
    }
    expect(browser.decodePacket("", "arraybuffer")).toEqual(main.decodePacket("", "arraybuffer"));
  });
});
