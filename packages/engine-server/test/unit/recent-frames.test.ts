import { describe, expect, it } from "@jest/globals";
import type { Packet } from "@volley/engine-parser";
import { CODEC_V3, CODEC_V4 } from "../../src/internal/codec";
import { RecentFrames } from "../../src/internal/recent-frames";

const bytes = Buffer.from("frames");
const message = (data: Packet["data"]): Packet => ({ type: "message", data });

describe("RecentFrames", () => {
  it("matches packets of the same types and texts, with the same codec", () => {
    const recent = new RecentFrames();
    expect(recent.match([message("a")], CODEC_V4)).toBeUndefined();
    recent.remember([message("hello"), { type: "ping" }], CODEC_V4, bytes);
    expect(recent.match([message("hello"), { type: "ping" }], CODEC_V4)).toBe(bytes);
    // equal text in another string object is the same bytes
    expect(recent.match([message("hel".concat("lo")), { type: "ping" }], CODEC_V4)).toBe(bytes);
    expect(recent.match([message("hello"), { type: "ping" }], CODEC_V3)).toBeUndefined();
    expect(recent.match([message("hello")], CODEC_V4)).toBeUndefined();
    expect(recent.match([message("hello"), { type: "pong" }], CODEC_V4)).toBeUndefined();
    expect(recent.match([message("hellO"), { type: "ping" }], CODEC_V4)).toBeUndefined();
    expect(recent.match([message("hello"), message(undefined)], CODEC_V4)).toBeUndefined();
  });

  it("forgets a flush with binary data (it may change in place) and keeps nothing from before it", () => {
    const recent = new RecentFrames();
    recent.remember([message("a")], CODEC_V4, bytes);
    const data = Buffer.from("b");
    recent.remember([message("a"), message(data)], CODEC_V4, bytes);
    expect(recent.match([message("a"), message(data)], CODEC_V4)).toBeUndefined();
    expect(recent.match([message("a")], CODEC_V4)).toBeUndefined();
  });

  it("drops the bytes on the next macrotask", async () => {
    const recent = new RecentFrames();
    recent.remember([message("a")], CODEC_V4, bytes);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(recent.match([message("a")], CODEC_V4)).toBe(bytes);
    await new Promise((resolve) => setImmediate(resolve));
    expect(recent.match([message("a")], CODEC_V4)).toBeUndefined();
    // and keeps the next one again
    recent.remember([message("a")], CODEC_V4, bytes);
    expect(recent.match([message("a")], CODEC_V4)).toBe(bytes);
    await new Promise((resolve) => setImmediate(resolve));
  });
});
