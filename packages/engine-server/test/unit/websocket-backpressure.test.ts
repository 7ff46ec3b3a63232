// The built-in WebSocket engine under a client that does not read: pongs wait for the socket
// to drain, and a message in many fragments costs its bytes, not one view per fragment.
import { Duplex } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "@jest/globals";
import { FrameReader, type FrameSink } from "../../src/internal/websocket/frame-reader";
import { LeanWebSocket } from "../../src/internal/websocket/lean-websocket";
import { clientFrame } from "../helpers/client-frames";
import { waitFor } from "../helpers";

/** A TCP socket stand-in whose peer takes nothing until `release()`, then everything. */
function stalledSocket(highWaterMark: number) {
  const written: Buffer[] = [];
  let pending: (() => void) | undefined;
  let stalled = true;
  const socket = new Duplex({
    highWaterMark,
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk);
      if (stalled) pending = callback;
      else callback();
    },
  });
  const release = (): void => {
    stalled = false;
    pending?.();
    pending = undefined;
  };
  return { socket, written, release };
}

const PONG = 0x8a;

describe("LeanWebSocket under backpressure", () => {
  it("answers pings only while its socket is not over the high-water mark, and reports bufferedAmount", async () => {
    const { socket, written, release } = stalledSocket(64);
    const websocket = new LeanWebSocket(socket, Buffer.alloc(0), 0);
    websocket.bind({ receive() {}, closed() {}, failed() {} });
    const pongs = (): number => written.filter((chunk) => chunk[0] === PONG).length;

    websocket.read(clientFrame({ opcode: 0x9, payload: "a" }));
    expect(pongs()).toBe(1);
    websocket.send("x".repeat(100), {});
    expect(socket.writableNeedDrain).toBe(true);
    expect(websocket.bufferedAmount).toBe(socket.writableLength);
    expect(websocket.bufferedAmount).toBeGreaterThan(100);
    for (let i = 0; i < 1000; i++) websocket.read(clientFrame({ opcode: 0x9, payload: "b" }));
    expect(pongs()).toBe(1);

    const drained = waitFor(socket, "drain", 1000);
    release();
    await drained;
    expect(websocket.bufferedAmount).toBe(0);
    websocket.read(clientFrame({ opcode: 0x9, payload: "c" }));
    expect(pongs()).toBe(2);
    websocket.terminate();
  });
});

function collector(): FrameSink & { messages: Buffer[] } {
  const messages: Buffer[] = [];
  return { messages, onMessage: (data) => void messages.push(data), onPing() {}, onPong() {}, onCloseFrame() {} };
}

/** `count` fragments of one byte each (the first a binary frame), as one stream of bytes. */
function fragmented(count: number): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const frames: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    frames.push(clientFrame({ opcode: i === 0 ? 0x2 : 0x0, fin: i === count - 1, payload: Buffer.from([i & 0xff]), mask }));
  }
  return Buffer.concat(frames);
}

describe("FrameReader fragments", () => {
  it("copies each fragment: the chunks it came in are not kept", () => {
    const sink = collector();
    const reader = new FrameReader(sink, 0);
    const chunks = [
      clientFrame({ opcode: 0x1, fin: false, payload: "he" }),
      clientFrame({ opcode: 0x0, fin: false, payload: "ll" }),
      clientFrame({ opcode: 0x0, fin: true, payload: "o" }),
    ];
    for (const chunk of chunks) {
      reader.push(chunk);
      // the socket's buffer is reused for other bytes once read
      chunk.fill(0);
    }
    expect(sink.messages.map(String)).toEqual(["hello"]);
  });

  it("reassembles a message of many fragments, in order", () => {
    const sink = collector();
    const reader = new FrameReader(sink, 5000);
    reader.push(fragmented(3000));
    expect(sink.messages).toHaveLength(1);
    const message = sink.messages[0]!;
    expect(message.length).toBe(3000);
    expect([...message.subarray(0, 3)]).toEqual([0, 1, 2]);
    expect(message[2999]).toBe(2999 & 0xff);
  });

  it("holds 200,000 one-byte fragments in about their bytes, not in 200,000 views", () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const count = 200_000;
    const sink = collector();
    const reader = new FrameReader(sink, count + 1);
    const bytes = fragmented(count + 1);
    // all but the last fragment: the message is still being reassembled
    const pending = bytes.subarray(0, bytes.length - 7);
    gc();
    const before = process.memoryUsage();
    reader.push(pending);
    gc();
    const after = process.memoryUsage();
    const grown = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
    // a view per fragment would be about 100 bytes each, 20 MB here
    expect(grown).toBeLessThan(2_000_000);
    reader.push(bytes.subarray(bytes.length - 7));
    expect(sink.messages[0]!.length).toBe(count + 1);
  });
});
