// A raw HTTP/1.1 client over one TCP connection, so that tests decide exactly how the bytes
// of a request are cut into TCP writes and which requests share a keep-alive connection.
import { connect, type Socket } from "node:net";
import { within } from "./cluster";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class RawConnection {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  #waiter: (() => void) | undefined;
  #closed = false;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#waiter?.();
    });
    socket.on("close", () => {
      this.#closed = true;
      this.#waiter?.();
    });
    socket.on("error", () => undefined);
  }

  static async open(port: number): Promise<RawConnection> {
    const socket = connect(port, "127.0.0.1");
    await within(5000, "connect", new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    }));
    return new RawConnection(socket);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Writes bytes and waits until the kernel has them. */
  write(bytes: Buffer | string): Promise<void> {
    return new Promise((resolve, reject) => this.#socket.write(bytes, (error) => (error ? reject(error) : resolve())));
  }

  /** Sends a request, each of `pieces` in its own TCP write (paced so that the server reads them apart). */
  async sendInPieces(pieces: Array<Buffer | string>, pauseMs = 2): Promise<void> {
    for (const piece of pieces) {
      await this.write(piece);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  /** Reads one response (Content-Length or chunked body), waiting at most `ms`. */
  async response(ms = 10_000): Promise<RawResponse> {
    return within(ms, "HTTP response", this.#readResponse());
  }

  /** Sends a request written whole, then reads its response. */
  async request(method: string, path: string, body = "", headers: Record<string, string> = {}): Promise<RawResponse> {
    await this.write(requestBytes(method, path, body, headers));
    return this.response();
  }

  close(): void {
    this.#socket.destroy();
  }

  async #readResponse(): Promise<RawResponse> {
    for (;;) {
      const parsed = parseResponse(this.#buffer);
      if (parsed) {
        this.#buffer = this.#buffer.subarray(parsed.consumed);
        return parsed.response;
      }
      if (this.#closed) throw new Error(`connection closed before a full response (${JSON.stringify(this.#buffer.toString("latin1").slice(0, 200))})`);
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
      });
      this.#waiter = undefined;
    }
  }
}

/** The bytes of a request with a Content-Length body, Connection keep-alive. */
export function requestBytes(method: string, path: string, body: string | Buffer = "", headers: Record<string, string> = {}): Buffer {
  const bodyBytes = typeof body === "string" ? Buffer.from(body) : body;
  const lines = [`${method} ${path} HTTP/1.1`, "Host: 127.0.0.1", "Connection: keep-alive"];
  if (method !== "GET") lines.push(`Content-Length: ${bodyBytes.length}`, "Content-Type: text/plain;charset=UTF-8");
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), bodyBytes]);
}

function parseResponse(buffer: Buffer): { response: RawResponse; consumed: number } | undefined {
  const headEnd = buffer.indexOf("\r\n\r\n");
  if (headEnd < 0) return undefined;
  const [statusLine, ...headerLines] = buffer.toString("latin1", 0, headEnd).split("\r\n");
  const status = Number(statusLine!.split(" ")[1]);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let offset = headEnd + 4;
  if (headers["transfer-encoding"] === "chunked") {
    const parts: Buffer[] = [];
    for (;;) {
      const lineEnd = buffer.indexOf("\r\n", offset);
      if (lineEnd < 0) return undefined;
      const size = parseInt(buffer.toString("latin1", offset, lineEnd), 16);
      if (buffer.length < lineEnd + 2 + size + 2) return undefined;
      parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      offset = lineEnd + 2 + size + 2;
      if (size === 0) break;
    }
    return { response: { status, headers, body: Buffer.concat(parts).toString() }, consumed: offset };
  }
  const length = Number(headers["content-length"] ?? 0);
  if (buffer.length < offset + length) return undefined;
  return { response: { status, headers, body: buffer.toString("utf8", offset, offset + length) }, consumed: offset + length };
}

const PATH = "/socket.io/?EIO=4&transport=polling";

/** An Engine.IO + Socket.IO session opened by hand, and the worker that holds it. */
export interface RawSession {
  sid: string;
  workerId: number;
}

/**
 * Opens a session over `connection` (handshake, CONNECT to "/", then polls until the
 * fixture's "hello" says which worker holds it).
 */
export async function openSession(connection: RawConnection): Promise<RawSession> {
  const handshake = await connection.request("GET", PATH);
  if (handshake.status !== 200) throw new Error(`handshake failed: ${handshake.status} ${handshake.body}`);
  const sid = (JSON.parse(handshake.body.slice(1)) as { sid: string }).sid;
  const connect = await connection.request("POST", `${PATH}&sid=${sid}`, "40");
  if (connect.status !== 200) throw new Error(`CONNECT failed: ${connect.status} ${connect.body}`);
  let seen = "";
  for (let i = 0; i < 5 && !seen.includes('"hello"'); i++) {
    const poll = await connection.request("GET", `${PATH}&sid=${sid}`);
    if (poll.status !== 200) throw new Error(`poll failed: ${poll.status} ${poll.body}`);
    seen += poll.body;
  }
  const match = /"hello",\{"workerId":(\d+)/.exec(seen);
  if (!match) throw new Error(`no hello in ${seen}`);
  return { sid, workerId: Number(match[1]) };
}

export { PATH as POLLING_PATH };
