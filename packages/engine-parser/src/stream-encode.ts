import { isArrayBuffer, isBlob } from "./binary";
import { encodePacket } from "./encode";
import { NodeBuffer } from "./node-buffer";
import type { Packet } from "./packet";
import { frameHeader } from "./stream-frame";

let textEncoder: TextEncoder | undefined;

/**
 * A `TransformStream` that turns packets into length-prefixed frames, for a byte stream
 * such as a WebTransport bidirectional stream. Each packet gives two chunks: the frame
 * header (1, 3 or 9 bytes), then the packet's bytes: a text packet as the UTF-8 of its
 * encoded form (`4hello`), binary data as is (not copied). A Blob is read first; packets
 * still come out in the order they went in.
 *
 * A packet whose type does not travel (`error`) errors the stream with a `TypeError`.
 *
 * @example
 * const encoder = createPacketEncoderStream();
 * encoder.readable.pipeTo(stream.writable);
 * const writer = encoder.writable.getWriter();
 * await writer.write({ type: "message", data: "hello" }); // chunks [0x06], "4hello"
 */
export function createPacketEncoderStream(): TransformStream<Packet, Uint8Array> {
  return new TransformStream<Packet, Uint8Array>({
    transform(packet, controller) {
      const data = packet.data;
      if (isBlob(data)) {
        return data.arrayBuffer().then((buffer) => enqueueFrame(controller, new Uint8Array(buffer), true));
      }
      // Binary data as is; anything else (numbers from untyped callers too) as its text form,
      // with the flag set for any data that is truthy and not a string, as upstream sets it.
      const body =
        ArrayBuffer.isView(data) || isArrayBuffer(data)
          ? bytesOf(data)
          : (textEncoder ??= new TextEncoder()).encode(encodePacket(packet, true) as string);
      enqueueFrame(controller, body, Boolean(data) && typeof data !== "string");
      return undefined;
    },
  });
}

function enqueueFrame(controller: TransformStreamDefaultController<Uint8Array>, body: Uint8Array, binary: boolean): void {
  controller.enqueue(frameHeader(body.byteLength, binary));
  controller.enqueue(body);
}

/** The bytes of binary data without a copy: a Uint8Array as is, otherwise a view over them (a Buffer in Node.js). */
function bytesOf(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof Uint8Array || NodeBuffer?.isBuffer(data)) return data as Uint8Array;
  const buffer = ArrayBuffer.isView(data) ? data.buffer : data;
  const offset = ArrayBuffer.isView(data) ? data.byteOffset : 0;
  const length = data.byteLength;
  return NodeBuffer === undefined ? new Uint8Array(buffer, offset, length) : NodeBuffer.from(buffer, offset, length);
}
