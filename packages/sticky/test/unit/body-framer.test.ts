import { describe, expect, it } from "@jest/globals";
import { BodyFramer, MAX_CHUNK_LINE } from "../../src/body-framer";

/** Feeds `bytes` cut at `cuts`, returns where the body ended in the whole stream (or -1). */
function bodyEnd(framer: BodyFramer, bytes: Buffer, cuts: number[]): number {
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    const piece = bytes.subarray(start, cut);
    const end = framer.consume(piece, 0);
    if (framer.done) return start + end;
    if (framer.invalid) return -2;
    expect(end).toBe(piece.length);
    start = cut;
  }
  return -1;
}

describe("BodyFramer", () => {
  it("ends a fixed-length body after its length, at every split point", () => {
    const bytes = Buffer.from("0123456789NEXT");
    for (let cut = 0; cut <= bytes.length; cut++) expect(bodyEnd(new BodyFramer({ kind: "length", length: 10 }), bytes, [cut])).toBe(10);
  });

  it("ends a chunked body after its last chunk and trailers, at every split point (and every pair of split points)", () => {
    const body = "5;name=value\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nTrailer: x\r\n\r\n";
    const bytes = Buffer.from(`${body}GET / HTTP/1.1\r\n`);
    for (let a = 0; a <= bytes.length; a++) {
      expect(bodyEnd(new BodyFramer({ kind: "chunked" }), bytes, [a])).toBe(body.length);
      for (let b = a; b <= bytes.length; b += 7) expect(bodyEnd(new BodyFramer({ kind: "chunked" }), bytes, [a, b])).toBe(body.length);
    }
  });

  it("ends a chunked body without trailers, with bare LF line ends too", () => {
    expect(bodyEnd(new BodyFramer({ kind: "chunked" }), Buffer.from("3\r\nabc\r\n0\r\n\r\nX"), [])).toBe(13);
    expect(bodyEnd(new BodyFramer({ kind: "chunked" }), Buffer.from("3\nabc\n0\n\nX"), [])).toBe(9);
  });

  it("waits for more of an unfinished body", () => {
    expect(bodyEnd(new BodyFramer({ kind: "chunked" }), Buffer.from("3\r\nabc\r\n"), [])).toBe(-1);
    expect(bodyEnd(new BodyFramer({ kind: "length", length: 5 }), Buffer.from("abc"), [])).toBe(-1);
  });

  it("marks malformed chunk framing invalid", () => {
    expect(bodyEnd(new BodyFramer({ kind: "chunked" }), Buffer.from("zz\r\n"), [])).toBe(-2);
    expect(bodyEnd(new BodyFramer({ kind: "chunked" }), Buffer.from("3\r\nabcX\r\n"), [])).toBe(-2);
    expect(bodyEnd(new BodyFramer({ kind: "chunked" }), Buffer.from("\r\n"), [])).toBe(-2);
  });

  it("limits a chunk-size line to MAX_CHUNK_LINE bytes (at the limit it waits, one past it is invalid)", () => {
    const framer = new BodyFramer({ kind: "chunked" });
    framer.consume(Buffer.from("1" + ";".repeat(MAX_CHUNK_LINE - 1)), 0);
    expect(framer.invalid).toBe(false);
    framer.consume(Buffer.from(";"), 0);
    expect(framer.invalid).toBe(true);
  });
});
