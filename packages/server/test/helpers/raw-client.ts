// A raw Engine.IO v4 WebSocket client: sends and receives frames as they are, so tests can
// speak the Socket.IO protocol (or break it) by hand.
import WebSocket from "ws";
import { within } from "./index";

export class RawClient {
  readonly ws: WebSocket;
  readonly #queue: string[] = [];
  readonly #waiters: Array<(message: string) => void> = [];
  readonly closed: Promise<number>;
  /** Engine.IO session id, from the open packet. */
  sid = "";
  /** The open packet's JSON. */
  handshake: Record<string, unknown> = {};
  /** Whether pings get a pong (false to test ping timeouts). */
  answerPings = true;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    this.closed = new Promise((resolve) => ws.once("close", (code) => resolve(code)));
    ws.on("message", (data, isBinary) => {
      const text = isBinary ? `<binary ${(data as Buffer).length}>` : data.toString();
      // answer pings so that the session lives
      if (text === "2") {
        if (this.answerPings) ws.send("3");
        return;
      }
      const waiter = this.#waiters.shift();
      if (waiter !== undefined) waiter(text);
      else this.#queue.push(text);
    });
  }

  /** Opens a WebSocket session and reads the open packet. */
  static async open(port: number, path = "/socket.io/"): Promise<RawClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}?EIO=4&transport=websocket`);
    const client = new RawClient(ws);
    ws.on("error", () => undefined);
    const open = await client.next();
    if (!open.startsWith("0")) throw new Error(`expected an open packet, got ${open}`);
    client.handshake = JSON.parse(open.slice(1)) as Record<string, unknown>;
    client.sid = client.handshake["sid"] as string;
    return client;
  }

  /** Opens a session and connects to the main namespace; returns the socket id. */
  static async connected(port: number): Promise<RawClient> {
    const client = await RawClient.open(port);
    client.send("40");
    const answer = await client.next();
    if (!answer.startsWith("40")) throw new Error(`expected CONNECT, got ${answer}`);
    return client;
  }

  send(frame: string | Buffer): void {
    this.ws.send(frame);
  }

  /** The next frame from the server (bounded wait). */
  next(timeoutMs = 5000): Promise<string> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return within(new Promise<string>((resolve) => this.#waiters.push(resolve)), timeoutMs, "raw frame");
  }

  /** Resolves with the close code, or rejects after `timeoutMs`. */
  waitClosed(timeoutMs = 5000): Promise<number> {
    return within(this.closed, timeoutMs, "raw close");
  }

  close(): void {
    this.ws.terminate();
  }
}
