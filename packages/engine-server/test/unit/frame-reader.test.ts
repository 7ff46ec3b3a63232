import { describe, expect, it } from "@jest/globals";
import { FrameError } from "../../src/errors";
import { FrameReader, type FrameSink } from "../../src/internal/websocket/frame-reader";
import { clientFrame, type ClientFrameSpec } from "../helpers/client-frames";

// Frames are built by hand here, as a client sends them (RFC 6455 §5.2), so that every bit
// of the header can be set wrong on purpose.

const KEY = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);

/** A frame masked with KEY unless the spec says otherwise. */
const frame = (spec: ClientFrameSpec): Buffer => clientFrame({ mask: KEY, ...spec });

const text = (payload: string | Buffer, fin = true): Buffer => frame({ opcode: 0x1, payload, fin });
const binary = (payload: Buffer, fin = true): Buffer => frame({ opcode: 0x2, payload, fin });
const continuation = (payload: string | Buffer, fin = true): Buffer => frame({ opcode: 0x0, payload, fin });
const ping = (payload: string | Buffer = ""): Buffer => frame({ opcode: 0x9, payload });
const pong = (payload: string | Buffer = ""): Buffer => frame({ opcode: 0xa, payload });

function closeFrame(code?: number, reason: string | Buffer = ""): Buffer {
  if (code === undefined) return frame({ opcode: 0x8 });
  const head = Buffer.alloc(2);
  head.writeUInt16BE(code, 0);
  return frame({ opcode: 0x8, payload: Buffer.concat([head, typeof reason === "string" ? Buffer.from(reason) : reason]) });
}

type Event =
  | { type: "message"; data: Buffer; isBinary: boolean }
  | { type: "ping"; data: Buffer }
  | { type: "pong"; data: Buffer }
  | { type: "close"; code: number; reason: Buffer };

/** A sink that records everything, copying the buffers (the reader may hand out views). */
class RecordingSink implements FrameSink {
  readonly events: Event[] = [];
  onMessage(data: Buffer, isBinary: boolean): void {
    this.events.push({ type: "message", data: Buffer.from(data), isBinary });
  }
  onPing(payload: Buffer): void {
    this.events.push({ type: "ping", data: Buffer.from(payload) });
  }
  onPong(payload: Buffer): void {
    this.events.push({ type: "pong", data: Buffer.from(payload) });
  }
  onCloseFrame(code: number, reason: Buffer): void {
    this.events.push({ type: "close", code, reason: Buffer.from(reason) });
  }
}

/** Reads `chunks` (copied: the reader unmasks in place) with a fresh reader; returns the events and the first error. */
function read(chunks: Buffer[], maxPayload = 0): { events: Event[]; error: unknown } {
  const sink = new RecordingSink();
  const reader = new FrameReader(sink, maxPayload);
  let error: unknown;
  for (const chunk of chunks) {
    try {
      reader.push(Buffer.from(chunk));
    } catch (err) {
      error ??= err;
    }
  }
  return { events: sink.events, error };
}

function readOk(bytes: Buffer | Buffer[], maxPayload = 0): Event[] {
  const { events, error } = read(Array.isArray(bytes) ? bytes : [bytes], maxPayload);
  expect(error).toBeUndefined();
  return events;
}

/** Reads `bytes`; expects a FrameError with `status`; returns it and the events before it. */
function readError(bytes: Buffer | Buffer[], status: number, maxPayload = 0): { error: FrameError; events: Event[] } {
  const { events, error } = read(Array.isArray(bytes) ? bytes : [bytes], maxPayload);
  expect(error).toBeInstanceOf(FrameError);
  const frameError = error as FrameError;
  expect(frameError.status).toBe(status);
  expect(frameError.code).toBe(
    status === 1002 ? "VOLLEY_ENGINE_SERVER_ERR_WS_PROTOCOL_ERROR" : status === 1007 ? "VOLLEY_ENGINE_SERVER_ERR_WS_INVALID_UTF8" : "VOLLEY_ENGINE_SERVER_ERR_WS_MESSAGE_TOO_BIG",
  );
  return { error: frameError, events };
}

const message = (data: string | Buffer, isBinary = typeof data !== "string"): Event => ({
  type: "message",
  data: typeof data === "string" ? Buffer.from(data) : data,
  isBinary,
});

/** Bytes 0, 1, 2 … (mod 251, so that no period lines up with the mask's 4). */
function pattern(length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = i % 251;
  return out;
}

describe("FrameReader: messages", () => {
  it("reads a single-frame text message", () => {
    expect(readOk(text("héllo ✓"))).toEqual([message("héllo ✓")]);
  });

  it("reads a single-frame binary message", () => {
    expect(readOk(binary(Buffer.from([0, 1, 0xff, 0x80])))).toEqual([message(Buffer.from([0, 1, 0xff, 0x80]))]);
  });

  it("reads empty text and binary messages", () => {
    expect(readOk([text(""), binary(Buffer.alloc(0))])).toEqual([message(""), message(Buffer.alloc(0))]);
  });

  it("the test's frames use the length forms they claim to", () => {
    expect(binary(pattern(125))[1]! & 0x7f).toBe(125);
    expect(binary(pattern(126))[1]! & 0x7f).toBe(126);
    expect(binary(pattern(65535))[1]! & 0x7f).toBe(126);
    expect(binary(pattern(65536))[1]! & 0x7f).toBe(127);
  });

  it.each([
    ["7-bit", 125],
    ["16-bit (smallest)", 126],
    ["16-bit (largest)", 65535],
    ["64-bit (smallest)", 65536],
  ])("reads a %s length: %d bytes", (_form, length) => {
    const payload = pattern(length);
    expect(readOk(binary(payload))).toEqual([message(payload)]);
  });

  it("reads several frames from one chunk, in order", () => {
    const events = readOk(Buffer.concat([text("one"), binary(Buffer.from([2])), text("three")]));
    expect(events).toEqual([message("one"), message(Buffer.from([2])), message("three")]);
  });

  it("reassembles a fragmented text message split inside a multi-byte UTF-8 character", () => {
    const bytes = Buffer.from("a€b😀c", "utf8"); // € is 3 bytes, 😀 is 4
    const fragments = [bytes.subarray(0, 2), bytes.subarray(2, 3), bytes.subarray(3, 6), bytes.subarray(6, 9), bytes.subarray(9)];
    const stream = Buffer.concat([
      text(fragments[0]!, false),
      continuation(fragments[1]!, false),
      continuation(fragments[2]!, false),
      continuation(fragments[3]!, false),
      continuation(fragments[4]!, true),
    ]);
    expect(readOk(stream)).toEqual([message("a€b😀c")]);
  });

  it("reassembles a fragmented binary message, empty fragments included", () => {
    const stream = Buffer.concat([
      binary(Buffer.from([1, 2]), false),
      continuation(Buffer.alloc(0), false),
      continuation(Buffer.from([3]), false),
      continuation(Buffer.alloc(0), true),
    ]);
    expect(readOk(stream)).toEqual([message(Buffer.from([1, 2, 3]))]);
  });

  it("delivers pings and pongs interleaved between fragments as they come, the message when complete", () => {
    const stream = Buffer.concat([
      text("frag", false),
      ping("p1"),
      continuation("men", false),
      pong("p2"),
      ping(""),
      continuation("ted", true),
      text("next"),
    ]);
    expect(readOk(stream)).toEqual([
      { type: "ping", data: Buffer.from("p1") },
      { type: "pong", data: Buffer.from("p2") },
      { type: "ping", data: Buffer.alloc(0) },
      message("fragmented"),
      message("next"),
    ]);
  });

  it("reads a ping with the largest control payload (125 bytes)", () => {
    expect(readOk(ping(pattern(125)))).toEqual([{ type: "ping", data: pattern(125) }]);
  });

  it("reads a frame masked with an all-zero key", () => {
    expect(readOk(frame({ opcode: 0x1, payload: "zero", mask: Buffer.alloc(4) }))).toEqual([message("zero")]);
  });
});

describe("FrameReader: split input", () => {
  // Several frames in one stream: a fragmented text message with a ping between fragments
  // (split inside "é"), a 16-bit-length binary message, an empty text, a pong, then a close.
  const stream = Buffer.concat([
    text(Buffer.from("ab\xc3", "latin1"), false),
    ping("ping!"),
    continuation(Buffer.from("\xa9cd", "latin1"), true),
    binary(pattern(300)),
    text(""),
    pong("pong"),
    closeFrame(1000, "done"),
  ]);
  const expected: Event[] = [
    { type: "ping", data: Buffer.from("ping!") },
    message("abécd"),
    message(pattern(300)),
    message(""),
    { type: "pong", data: Buffer.from("pong") },
    { type: "close", code: 1000, reason: Buffer.from("done") },
  ];

  it("gives the expected events read whole", () => {
    expect(readOk(stream)).toEqual(expected);
  });

  it("gives the same events fed one byte at a time", () => {
    const bytes: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) bytes.push(stream.subarray(i, i + 1));
    expect(readOk(bytes)).toEqual(expected);
  });

  it("gives the same events split in two at every point", () => {
    for (let at = 1; at < stream.length; at++) {
      const { events, error } = read([stream.subarray(0, at), stream.subarray(at)]);
      if (error !== undefined || !eventsEqual(events, expected)) throw new Error(`split at ${at}: ${String(error)} ${JSON.stringify(events)}`);
    }
  });

  it("gives the same events split in three at every pair of points of its header-heavy start", () => {
    // every frame boundary and header byte of the first 60 bytes, against every later point
    for (let a = 1; a < 60; a++) {
      for (let b = a + 1; b < stream.length; b += 7) {
        const { events, error } = read([stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)]);
        if (error !== undefined || !eventsEqual(events, expected)) throw new Error(`split at ${a},${b}: ${String(error)}`);
      }
    }
  });

  it("a protocol error is found the same at every split point", () => {
    const bad = Buffer.concat([text("ok"), ping("x"), frame({ opcode: 0x1, payload: "no", rsv: 0b100 }), text("never")]);
    for (let at = 1; at < bad.length; at++) {
      const { events, error } = read([bad.subarray(0, at), bad.subarray(at)]);
      expect(error).toBeInstanceOf(FrameError);
      expect((error as FrameError).status).toBe(1002);
      expect(events).toEqual([message("ok"), { type: "ping", data: Buffer.from("x") }]);
    }
  });
});

function eventsEqual(a: Event[], b: Event[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

describe("FrameReader: protocol errors (1002)", () => {
  it("an unmasked frame", () => {
    readError(frame({ opcode: 0x1, payload: "hi", mask: null }), 1002);
  });

  it("an unmasked frame is refused from its two first bytes (it has no key to wait for)", () => {
    readError(frame({ opcode: 0x9, mask: null }), 1002); // an empty ping: 2 bytes in all
    readError(frame({ opcode: 0x1, payload: "x", mask: null }).subarray(0, 2), 1002);
  });

  it("an RSV bit is refused from the two first bytes", () => {
    readError(frame({ opcode: 0x2, payload: pattern(300), rsv: 0b010 }).subarray(0, 2), 1002);
  });

  it.each([0b100, 0b010, 0b001])("a data frame with RSV bits %s", (rsv) => {
    readError(frame({ opcode: 0x1, payload: "hi", rsv }), 1002);
  });

  it("a control frame with an RSV bit", () => {
    readError(frame({ opcode: 0x9, rsv: 0b001 }), 1002);
  });

  it.each([3, 4, 5, 6, 7, 11, 12, 13, 14, 15])("unknown opcode %d", (opcode) => {
    const { error } = readError(frame({ opcode, payload: "x" }), 1002);
    expect(error.message).toContain(String(opcode));
  });

  it.each([
    ["ping", 0x9],
    ["pong", 0xa],
    ["close", 0x8],
  ])("a fragmented control frame (%s without FIN)", (_name, opcode) => {
    readError(frame({ opcode, fin: false }), 1002);
  });

  it.each([
    ["ping", 0x9],
    ["pong", 0xa],
    ["close", 0x8],
  ])("a %s with a 126-byte payload", (_name, opcode) => {
    const payload = pattern(126);
    if (opcode === 0x8) payload.writeUInt16BE(1000, 0);
    readError(frame({ opcode, payload }), 1002);
  });

  it("a control frame of 126 bytes is refused from its header, before the payload arrives", () => {
    const whole = frame({ opcode: 0x9, payload: pattern(126) });
    readError(whole.subarray(0, 8), 1002); // 2 + 2 (16-bit length) + 4 (mask)
  });

  it.each([
    ["16-bit", Buffer.from([0x89, 0x80 | 126, 0, 5])],
    ["64-bit", Buffer.from([0x89, 0x80 | 127, 0, 0, 0, 0, 0, 0, 0, 5])],
  ])("a 5-byte ping whose length uses the %s form (longer than needed), as ws refuses it", (_form, head) => {
    const payload = Buffer.from("hello").map((byte, i) => byte ^ KEY[i % 4]!);
    const { events } = readError(Buffer.concat([head, KEY, payload]), 1002);
    expect(events).toEqual([]);
  });

  it("a continuation frame without a message", () => {
    readError(continuation("x"), 1002);
  });

  it("a continuation frame after a finished message", () => {
    const { events } = readError([text("done"), continuation("x")], 1002);
    expect(events).toEqual([message("done")]);
  });

  it.each([
    ["text", 0x1],
    ["binary", 0x2],
  ])("a new %s frame inside a fragmented message", (_name, opcode) => {
    readError([text("a", false), frame({ opcode, payload: "b" })], 1002);
  });

  it("a close frame with a one-byte payload", () => {
    readError(frame({ opcode: 0x8, payload: Buffer.from([0x03]) }), 1002);
  });

  it.each([0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535])("a close frame with the invalid code %d", (code) => {
    readError(closeFrame(code), 1002);
  });
});

describe("FrameReader: close frames", () => {
  it.each([1000, 1001, 1002, 1003, 1007, 1011, 1014, 3000, 4999])("accepts the valid code %d", (code) => {
    expect(readOk(closeFrame(code, "why"))).toEqual([{ type: "close", code, reason: Buffer.from("why") }]);
  });

  it("an empty close frame is reported as 1005 (no status)", () => {
    expect(readOk(closeFrame())).toEqual([{ type: "close", code: 1005, reason: Buffer.alloc(0) }]);
  });

  it("a close reason that is not UTF-8: 1007", () => {
    readError(closeFrame(1000, Buffer.from([0x61, 0xc3])), 1007);
  });

  it("a close frame between fragments is delivered, and the message is dropped", () => {
    const events = readOk([text("half", false), closeFrame(1001), continuation("rest")]);
    expect(events).toEqual([{ type: "close", code: 1001, reason: Buffer.alloc(0) }]);
  });
});

describe("FrameReader: invalid UTF-8 (1007)", () => {
  it("a single-frame text message", () => {
    readError(text(Buffer.from([0x68, 0xff])), 1007);
  });

  it("a text message cut inside a character", () => {
    readError(text(Buffer.from("€", "utf8").subarray(0, 2)), 1007);
  });

  it("a fragmented text message whose last fragment leaves a character unfinished", () => {
    const euro = Buffer.from("€", "utf8");
    readError([text(euro.subarray(0, 1), false), continuation(euro.subarray(1, 2), true)], 1007);
  });

  it("an encoded surrogate (not allowed in UTF-8)", () => {
    readError(text(Buffer.from([0xed, 0xa0, 0x80])), 1007);
  });

  it("the same bytes as a binary message are fine", () => {
    expect(readOk(binary(Buffer.from([0x68, 0xff])))).toEqual([message(Buffer.from([0x68, 0xff]))]);
  });
});

describe("FrameReader: maxPayload (1009)", () => {
  const LIMIT = 1000;

  it("a single frame of exactly maxPayload is accepted", () => {
    expect(readOk(binary(pattern(LIMIT)), LIMIT)).toEqual([message(pattern(LIMIT))]);
  });

  it("a single frame one byte larger is refused from its header", () => {
    const whole = binary(pattern(LIMIT + 1));
    readError(whole, 1009, LIMIT);
    readError(whole.subarray(0, 8), 1009, LIMIT); // the header alone is enough
  });

  it("fragments adding up to exactly maxPayload are accepted", () => {
    const stream = [text("a".repeat(400), false), ping("between"), continuation("b".repeat(400), false), continuation("c".repeat(200), true)];
    expect(readOk(stream, LIMIT)).toEqual([{ type: "ping", data: Buffer.from("between") }, message("a".repeat(400) + "b".repeat(400) + "c".repeat(200))]);
  });

  it("fragments adding up to one byte more are refused, when the last fragment's header arrives", () => {
    const { events } = readError(
      [text("a".repeat(400), false), continuation("b".repeat(400), false), continuation("c".repeat(201), true)],
      1009,
      LIMIT,
    );
    expect(events).toEqual([]);
  });

  it("a message's size starts again at zero after it is delivered", () => {
    const stream = [binary(pattern(600), false), continuation(pattern(400), true), binary(pattern(600), false), continuation(pattern(400), true)];
    expect(readOk(stream, LIMIT)).toHaveLength(2);
  });

  it("control frames do not count towards a message's size", () => {
    const stream = [text("a".repeat(990), false), ping(pattern(125)), pong(pattern(125)), continuation("b".repeat(10), true)];
    expect(readOk(stream, LIMIT)).toHaveLength(3);
  });

  it("maxPayload 0 means no limit", () => {
    expect(readOk(binary(pattern(70000)), 0)).toHaveLength(1);
  });

  it.each([
    ["2^53", 2 ** 53],
    ["2^63", 2 ** 63],
  ])("a 64-bit length of %s is refused even without a limit", (_name, length) => {
    const header = frame({ opcode: 0x2, declaredLength: length }).subarray(0, 14);
    if (length === 2 ** 63) header.writeBigUInt64BE(2n ** 63n, 2);
    readError(header, 1009, 0);
  });

  it("the largest safe 64-bit length (2^53 - 1) is not refused by itself without a limit", () => {
    const header = frame({ opcode: 0x2, declaredLength: 2 ** 53 - 1 }).subarray(0, 14);
    expect(readOk(header, 0)).toEqual([]); // waits for the payload
    readError(header, 1009, LIMIT);
  });
});

describe("FrameReader: after an error or a close", () => {
  it("ignores every byte after a protocol error, in the same chunk and later", () => {
    const sink = new RecordingSink();
    const reader = new FrameReader(sink, 0);
    expect(() => reader.push(Buffer.concat([text("before"), frame({ opcode: 0x3 }), text("same chunk")]))).toThrow(FrameError);
    expect(() => reader.push(text("later"))).not.toThrow();
    expect(() => reader.push(frame({ opcode: 0x1, payload: "bad", mask: null }))).not.toThrow();
    expect(sink.events).toEqual([message("before")]);
  });

  it("ignores every byte after an invalid UTF-8 message", () => {
    const sink = new RecordingSink();
    const reader = new FrameReader(sink, 0);
    expect(() => reader.push(Buffer.concat([text(Buffer.from([0xff])), text("same chunk")]))).toThrow(FrameError);
    reader.push(text("later"));
    expect(sink.events).toEqual([]);
  });

  it("ignores every byte after a close frame, in the same chunk and later, even invalid ones", () => {
    const sink = new RecordingSink();
    const reader = new FrameReader(sink, 0);
    reader.push(Buffer.concat([text("before"), closeFrame(1000, "bye"), text("same chunk")]));
    expect(() => reader.push(frame({ opcode: 0x3 }))).not.toThrow();
    reader.push(ping("late"));
    expect(sink.events).toEqual([message("before"), { type: "close", code: 1000, reason: Buffer.from("bye") }]);
  });
});

describe("FrameReader: exceptions from the sink", () => {
  it("an exception thrown by onMessage reaches the caller and the reader carries on", () => {
    const sink = new RecordingSink();
    let throwNext = true;
    const throwing: FrameSink = {
      onMessage(data, isBinary) {
        if (throwNext) {
          throwNext = false;
          throw new Error("application bug");
        }
        sink.onMessage(data, isBinary);
      },
      onPing: (payload) => sink.onPing(payload),
      onPong: (payload) => sink.onPong(payload),
      onCloseFrame: (code, reason) => sink.onCloseFrame(code, reason),
    };
    const reader = new FrameReader(throwing, 0);
    // the throw happens on the first of two frames in the chunk
    expect(() => reader.push(Buffer.concat([text("lost"), text("queued")]))).toThrow("application bug");
    reader.push(Buffer.concat([text("fragmented", false), continuation(" message")]));
    reader.push(ping("p"));
    expect(sink.events).toEqual([message("queued"), message("fragmented message"), { type: "ping", data: Buffer.from("p") }]);
  });

  it("resume() delivers what followed the frame whose delivery threw, without new bytes", () => {
    const sink = new RecordingSink();
    let calls = 0;
    const throwing: FrameSink = {
      onMessage(data, isBinary) {
        if (calls++ === 0) throw new Error("application bug");
        sink.onMessage(data, isBinary);
      },
      onPing: (payload) => sink.onPing(payload),
      onPong: (payload) => sink.onPong(payload),
      onCloseFrame: (code, reason) => sink.onCloseFrame(code, reason),
    };
    const reader = new FrameReader(throwing, 0);
    expect(() => reader.push(Buffer.concat([text("lost"), text("queued"), ping("p")]))).toThrow("application bug");
    expect(sink.events).toEqual([]);
    reader.resume();
    expect(sink.events).toEqual([message("queued"), { type: "ping", data: Buffer.from("p") }]);
    reader.resume(); // nothing left: nothing happens
    expect(sink.events).toHaveLength(2);
  });

  it("an exception thrown on a completed fragmented message leaves no fragment behind", () => {
    let calls = 0;
    const received: string[] = [];
    const reader = new FrameReader(
      {
        onMessage(data) {
          calls++;
          if (calls === 1) throw new Error("boom");
          received.push(data.toString());
        },
        onPing() {},
        onPong() {},
        onCloseFrame() {},
      },
      0,
    );
    expect(() => reader.push(Buffer.concat([text("a", false), continuation("b")]))).toThrow("boom");
    // a new text frame is allowed (no message in progress), and its size starts at zero
    reader.push(text("c"));
    expect(received).toEqual(["c"]);
  });

  it("an exception thrown by onPing leaves the reader usable", () => {
    const received: string[] = [];
    const reader = new FrameReader(
      {
        onMessage(data) {
          received.push(data.toString());
        },
        onPing() {
          throw new Error("ping handler");
        },
        onPong() {},
        onCloseFrame() {},
      },
      0,
    );
    expect(() => reader.push(Buffer.concat([text("x", false), ping()]))).toThrow("ping handler");
    reader.push(continuation("y"));
    expect(received).toEqual(["xy"]);
  });
});
