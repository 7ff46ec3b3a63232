// Drives the WebTransport framing streams of either library the same way: write every
// input, read every output concurrently (a TransformStream holds writes until its output
// is read), close, and hand back what came out.

/** The part of a TransformStream these helpers use, whatever its declared chunk types. */
export interface AnyTransformStream {
  readonly writable: WritableStream;
  readonly readable: ReadableStream;
}

/** Writes `inputs` one by one, then closes; resolves with every chunk the stream gave, or rejects with its error. */
export async function runStream(stream: AnyTransformStream, inputs: readonly unknown[]): Promise<unknown[]> {
  const output: unknown[] = [];
  const reader = stream.readable.getReader();
  const reading = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      output.push(value);
    }
  })();
  const writer = stream.writable.getWriter();
  try {
    for (const input of inputs) await writer.write(input);
    await writer.close();
  } catch (error) {
    await reading.catch(() => undefined); // the same error: the write's is the one to report
    throw error;
  }
  await reading;
  return output;
}

/** One chunk holding all of `chunks`. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

/** `bytes` cut at the given offsets (ascending, inside the array) into fresh chunks. */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.byteLength]) {
    if (cut > start) chunks.push(bytes.slice(start, cut));
    start = cut;
  }
  return chunks;
}

/**
 * A chunk as something toEqual compares by content and kind, quickly even for 64 KiB: its
 * class tag, Buffer-ness and bytes as hex.
 */
export function describeChunk(chunk: unknown): { tag: string; buffer: boolean; hex: string } {
  if (!ArrayBuffer.isView(chunk)) throw new TypeError(`not a byte chunk: ${Object.prototype.toString.call(chunk)}`);
  return {
    tag: Object.prototype.toString.call(chunk),
    buffer: Buffer.isBuffer(chunk),
    hex: hexOf(chunk),
  };
}

/** The bytes of any ArrayBuffer or view as hex. */
export function hexOf(data: ArrayBuffer | ArrayBufferView): string {
  return ArrayBuffer.isView(data)
    ? Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("hex")
    : Buffer.from(data).toString("hex");
}
