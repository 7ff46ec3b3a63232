// A WebSocket client written over a bare TCP socket, for protocol tests that need several
// frames to reach the server in one TCP write (so that the server reads them in one go,
// as it does when a client sends them in quick succession). Text frames only.
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { within } from "./index";

export class RawWebSocket {
  readonly #socket: Socket;
  #buffer: Buffer = Buffer.alloc(0);
  readonly #queue: string[] = [];
  readonly #waiters: Array<(frame: string) => void> = [];
  /** Resolves once the server closed the connection (close frame or end of the TCP stream). */
  readonly closed: Promise<void>;
  #isClosed = false;

  private constructor(socket: Socket) {
    this.#socket = socket;
    this.closed = new Promise((resolve) => {
      const done = (): void => {
        this.#isClosed = true;
        resolve();
      };
      socket.once("close", done);
    });
    socket.on("error", () => undefined);
  }

  /** Opens an Engine.IO v4 WebSocket session; resolves once the server's open packet is read. */
  static async open(port: number, path = "/socket.io/"): Promise<RawWebSocket> {
    const socket = connect(port, "127.0.0.1");
    const client = new RawWebSocket(socket);
    const key = randomBytes(16).toString("base64");
    socket.write(
      `GET ${path}?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    await within(
      new Promise<void>((resolve, reject) => {
        let head = Buffer.alloc(0);
        const onData = (chunk: Buffer): void => {
          head = Buffer.concat([head, chunk]);
          const end = head.indexOf("\r\n\r\n");
          if (end === -1) return;
          socket.off("data", onData);
          if (!head.subarray(0, end).toString().startsWith("HTTP/1.1 101")) {
            reject(new Error(`handshake refused: ${head.subarray(0, end).toString()}`));
            return;
          }
          socket.on("data", (data: Buffer) => client.#read(data));
          client.#read(head.subarray(end + 4));
          resolve();
        };
        socket.on("data", onData);
      }),
      5000,
      "websocket handshake",
    );
    const open = await client.next();
    if (!open.startsWith("0")) throw new Error(`expected an open packet, got ${open}`);
    return client;
  }

  /** Sends text frames, all in one TCP write. */
  send(...frames: string[]): void {
    this.#socket.write(Buffer.concat(frames.map(maskedTextFrame)));
  }

  /** The next text frame from the server (Engine.IO pings are answered and skipped). */
  next(timeoutMs = 5000): Promise<string> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return within(new Promise<string>((resolve) => this.#waiters.push(resolve)), timeoutMs, "raw websocket frame");
  }

  /** The frames received so far and not read with next(). */
  get pending(): readonly string[] {
    return this.#queue;
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Resolves once the server closed the connection, or rejects after `timeoutMs`. */
  waitClosed(timeoutMs = 5000): Promise<void> {
    return within(this.closed, timeoutMs, "raw websocket close");
  }

  close(): void {
    this.#socket.destroy();
  }

  #read(data: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? data : Buffer.concat([this.#buffer, data]);
    for (;;) {
      const buffer = this.#buffer;
      if (buffer.length < 2) return;
      const opcode = buffer[0]! & 0x0f;
      let length = buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffer.length < 10) return;
        length = Number(buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (buffer.length < offset + length) return;
      const payload = buffer.subarray(offset, offset + length);
      this.#buffer = buffer.subarray(offset + length);
      if (opcode === 0x8) {
        this.#socket.end();
        return;
      }
      if (opcode !== 0x1) continue;
      const text = payload.toString("utf8");
      if (text === "2") {
        this.send("3");
        continue;
      }
      const waiter = this.#waiters.shift();
      if (waiter !== undefined) waiter(text);
      else this.#queue.push(text);
    }
  }
}

function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, "utf8");
  if (payload.length > 125) throw new Error("raw websocket: frames up to 125 bytes only");
  const mask = randomBytes(4);
  const frame = Buffer.alloc(6 + payload.length);
  frame[0] = 0x81;
  frame[1] = 0x80 | payload.length;
  mask.copy(frame, 2);
  for (let i = 0; i < payload.length; i++) frame[6 + i] = payload[i]! ^ mask[i % 4]!;
  return frame;
}
