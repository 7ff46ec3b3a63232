import type { EncodedPacket, Packet } from "@volley/engine-parser";
import { WebSocket as WsWebSocket, type ClientOptions, type RawData as WsRawData } from "ws";
import type { IncomingMessage } from "node:http";
import { BaseWebSocket } from "./websocket";

/** Where a WebSocket keeps its transport, for the shared listeners. */
const kTransport = Symbol("volley.engine-client.transport");

type OwnedWebSocket = WsWebSocket & { [kTransport]: NodeWebSocket };

/** Bytes of a refused handshake response kept for the error (enough for an Engine.IO error body). */
const MAX_REFUSAL_BODY = 4096;

/**
 * The WebSocket transport for Node.js, over the `ws` package: sends `extraHeaders` and the
 * cookie jar's cookies with the handshake, supports per-message deflate, TLS options,
 * `agent`, `requestTimeout` (handshake timeout) and `autoUnref`.
 */
export class NodeWebSocket extends BaseWebSocket {
  #ws: WsWebSocket | undefined;
  #rawSocket: { unref(): unknown } | undefined;
  #isUnrefed = false;
  /** Whether the server refused the handshake (its error event is then not reported twice). */
  #isRefused = false;

  override unref(): void {
    this.#isUnrefed = true;
    this.#rawSocket?.unref();
  }

  protected openSocket(uri: string, protocols: readonly string[]): void {
    const { opts } = this;
    const headers: Record<string, string> = { ...opts.extraHeaders };
    const cookie = opts.context.cookieJar?.header();
    if (cookie !== undefined) headers["Cookie"] = headers["Cookie"] === undefined ? cookie : `${headers["Cookie"]}; ${cookie}`;
    const options: ClientOptions = {
      headers,
      perMessageDeflate: opts.perMessageDeflate,
      pfx: opts.pfx as ClientOptions["pfx"],
      key: opts.key as ClientOptions["key"],
      passphrase: opts.passphrase,
      cert: opts.cert as ClientOptions["cert"],
      ca: opts.ca as ClientOptions["ca"],
      ciphers: opts.ciphers,
      rejectUnauthorized: opts.rejectUnauthorized,
    };
    if (opts.agent !== false) options.agent = opts.agent as ClientOptions["agent"];
    if (opts.requestTimeout > 0) options.handshakeTimeout = opts.requestTimeout;

    const ws = new WsWebSocket(uri, [...protocols], options) as OwnedWebSocket;
    this.#ws = ws;
    this.#isRefused = false;
    ws.binaryType = "nodebuffer";
    // Shared functions, called by ws with the WebSocket as `this`, which points back to its
    // transport: no closures per connection.
    ws[kTransport] = this;
    ws.on("upgrade", NodeWebSocket.#onUpgrade)
      .on("unexpected-response", NodeWebSocket.#onRefused)
      .on("open", NodeWebSocket.#onOpen)
      .on("message", NodeWebSocket.#onMessage)
      .on("error", NodeWebSocket.#onError)
      .on("close", NodeWebSocket.#onClose);
  }

  /** The transport of `ws`, while `ws` is its WebSocket (not after closeSocket). */
  static #owner(ws: WsWebSocket): NodeWebSocket | undefined {
    const transport = (ws as OwnedWebSocket)[kTransport];
    return transport.#ws === ws ? transport : undefined;
  }

  static #onUpgrade(this: WsWebSocket, response: IncomingMessage): void {
    const transport = (this as OwnedWebSocket)[kTransport];
    transport.opts.context.cookieJar?.parse(response.headers["set-cookie"]);
    transport.#rawSocket = response.socket;
    if (transport.#isUnrefed) response.socket.unref();
  }

  static #onRefused(this: WsWebSocket, _request: unknown, response: IncomingMessage): void {
    // Read the refusal (e.g. {"code":3,"message":"Bad request"}) so the error can carry it.
    const transport = (this as OwnedWebSocket)[kTransport];
    transport.#isRefused = true;
    const status = response.statusCode ?? 0;
    let body = "";
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      if (body.length < MAX_REFUSAL_BODY) body += chunk.slice(0, MAX_REFUSAL_BODY - body.length);
    });
    const report = () => {
      if (transport.#ws !== this) return;
      transport.onSocketError(new Error(`Unexpected server response: ${status}`), { status, body });
      this.terminate();
    };
    response.on("end", report);
    response.on("error", report);
  }

  static #onOpen(this: WsWebSocket): void {
    NodeWebSocket.#owner(this)?.onOpen();
  }

  static #onMessage(this: WsWebSocket, data: WsRawData, isBinary: boolean): void {
    NodeWebSocket.#owner(this)?.onData(isBinary ? toBuffer(data) : data.toString());
  }

  static #onError(this: WsWebSocket, error: Error): void {
    const transport = NodeWebSocket.#owner(this);
    if (transport !== undefined && !transport.#isRefused) transport.onSocketError(error);
  }

  static #onClose(this: WsWebSocket, code: number, reason: Buffer): void {
    NodeWebSocket.#owner(this)?.onSocketClose({ code, reason: reason.toString() });
  }

  protected sendFrame(data: EncodedPacket, packet: Packet): void {
    const compress = packet.options?.compress !== false;
    this.#ws?.send(data as string | Buffer, { compress });
  }

  protected closeSocket(): void {
    const ws = this.#ws;
    this.#ws = undefined;
    // A listener stays on "error": ws emits one when closed before the handshake ends.
    ws?.close();
  }
}

function toBuffer(data: WsRawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
