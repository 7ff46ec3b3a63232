import type { EncodedPacket, Packet } from "@volley/engine-parser";
import { WebSocket as WsWebSocket, type ClientOptions, type RawData as WsRawData } from "ws";
import type { IncomingMessage } from "node:http";
import { BaseWebSocket } from "./websocket";

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

    const ws = new WsWebSocket(uri, [...protocols], options);
    this.#ws = ws;
    let isRefused = false;
    ws.binaryType = "nodebuffer";
    ws.on("upgrade", (response: IncomingMessage) => {
      opts.context.cookieJar?.parse(response.headers["set-cookie"]);
      this.#rawSocket = response.socket;
      if (this.#isUnrefed) response.socket.unref();
    });
    ws.on("unexpected-response", (_request, response: IncomingMessage) => {
      // Read the refusal (e.g. {"code":3,"message":"Bad request"}) so the error can carry it.
      isRefused = true;
      const status = response.statusCode ?? 0;
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        if (body.length < MAX_REFUSAL_BODY) body += chunk.slice(0, MAX_REFUSAL_BODY - body.length);
      });
      const report = () => {
        if (this.#ws !== ws) return;
        this.onSocketError(new Error(`Unexpected server response: ${status}`), { status, body });
        ws.terminate();
      };
      response.on("end", report);
      response.on("error", report);
    });
    ws.on("open", () => {
      if (this.#ws === ws) this.onOpen();
    });
    ws.on("message", (data: WsRawData, isBinary: boolean) => {
      if (this.#ws !== ws) return;
      this.onData(isBinary ? toBuffer(data) : data.toString());
    });
    ws.on("error", (error: Error) => {
      if (this.#ws === ws && !isRefused) this.onSocketError(error);
    });
    ws.on("close", (code: number, reason: Buffer) => {
      if (this.#ws === ws) this.onSocketClose({ code, reason: reason.toString() });
    });
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
