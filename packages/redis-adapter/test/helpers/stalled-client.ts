// A Socket.IO client over a raw WebSocket (net + RFC 6455 by hand) that can stop reading:
// once `stall()` is called, its TCP socket is paused, the kernel buffers fill, and the
// server has to keep what it sends: a slow consumer.
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";

export interface StalledClient {
  /** Stops reading from the connection (the server's writes back up). */
  stall(): void;
  /** Whether the server ended the connection. */
  readonly ended: boolean;
  /** Destroys the connection. */
  close(): void;
}

/** A masked text frame (clients mask every frame) of at most 125 bytes. */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  if (payload.length > 125) throw new Error("frame too long for this helper");
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0)));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}

/**
 * Opens an Engine.IO WebSocket session at `url` (`http://127.0.0.1:port`, query `query`
 * added) and connects to the main namespace; resolves once the server switched protocols.
 */
export function connectStalledClient(url: string, query: string): Promise<StalledClient> {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  let ended = false;
  socket.on("close", () => (ended = true));
  socket.on("error", () => undefined); // a reset when the server gives up on us
  return new Promise<StalledClient>((resolve, reject) => {
    let head = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no WebSocket handshake from ${url}`));
    }, 5000);
    const onData = (chunk: Buffer): void => {
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      clearTimeout(timer);
      socket.off("data", onData);
      if (!head.startsWith("HTTP/1.1 101")) {
        socket.destroy();
        reject(new Error(`WebSocket handshake refused: ${head.split("\r\n")[0]}`));
        return;
      }
      // what arrives next (the open packet, the namespace's CONNECT, broadcasts) is read
      // and dropped until stall()
      socket.on("data", () => undefined);
      socket.write(textFrame("40"));
      resolve({
        stall: () => void socket.pause(),
        get ended() {
          return ended;
        },
        close: () => socket.destroy(),
      });
    };
    socket.on("data", onData);
    socket.once("connect", () => {
      socket.write(
        `GET /socket.io/?EIO=4&transport=websocket&${query} HTTP/1.1\r\n` +
          `Host: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
  });
}
