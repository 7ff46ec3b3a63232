// Before a socket is sent to another process, this process must stop reading it: once
// `send()` has taken the handle, bytes it still reads are dropped (Node.js sets the handle's
// read callback to a no-op until the receiver acknowledges), and the client's next bytes
// (the rest of a large body, its next request on a keep-alive connection) would be lost.
// `socket.pause()` alone only stops reading once the stream's buffer is full, and Node.js
// has no public call for it, so this reaches the handle's `readStop()`, the call Node.js
// itself makes for `pauseOnConnect` and for sockets with an `onread` buffer.
import type { Socket } from "node:net";

interface ReadableHandle {
  reading?: boolean;
  readStop?: () => number;
}

/**
 * Stops reading `socket` at the handle and returns the bytes its stream had buffered
 * already (empty when it was flowing into a 'data' listener).
 */
export function stopReading(socket: Socket): Buffer {
  socket.pause();
  halt(socket);
  if (socket.readableLength === 0) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let chunk: Buffer | null;
  // read() may start reading again to refill the buffer: halt again afterwards (same tick,
  // so nothing is read in between)
  while ((chunk = socket.read() as Buffer | null) !== null) chunks.push(chunk);
  halt(socket);
  return Buffer.concat(chunks);
}

function halt(socket: Socket): void {
  const handle = (socket as unknown as { _handle?: ReadableHandle | null })._handle;
  if (handle && typeof handle.readStop === "function" && handle.reading !== false) {
    handle.reading = false;
    handle.readStop();
  }
}
