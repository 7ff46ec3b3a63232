// The built-in WebSocket engine: a ws-compatible server class (the default `wsEngine` when
// per-message deflate is off) whose connections are LeanWebSocket objects.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import createDebug from "debug";
import type { WebSocketLike, WebSocketServerConstructorOptions, WebSocketServerLike } from "../../options";
import { writeRawResponse } from "../request";
import { checkHandshake, switchingProtocolsHead, type HandshakeRefusal } from "./handshake";
import { CLOSE_TIMEOUT_MS, LeanWebSocket } from "./lean-websocket";

const debug = createDebug("volley:engine-server:websocket");

type HeadersListener = (lines: string[], req: IncomingMessage) => void;
/** Told of each handshake this engine refuses, after the answer is written. */
export type RefusalListener = (req: IncomingMessage, refusal: HandshakeRefusal) => void;

const STATUS_TEXT: Record<number, string> = { 400: "Bad Request", 405: "Method Not Allowed", 426: "Upgrade Required" };

function uncork(socket: Duplex): void {
  socket.uncork();
}

export class LeanWebSocketServer implements WebSocketServerLike {
  readonly #maxPayload: number;
  readonly #closeTimeout: number;
  /** @internal set by the Engine.IO server, which reports refusals as `connection_error` */
  onRefused: RefusalListener | undefined;
  #headersListeners: HeadersListener[] | undefined;

  constructor(options: WebSocketServerConstructorOptions) {
    if (options.perMessageDeflate !== false) {
      // the caller picks ws for per-message deflate; reaching here is a wiring mistake
      throw new TypeError("the built-in WebSocket engine does not support perMessageDeflate");
    }
    this.#maxPayload = options.maxPayload;
    this.#closeTimeout = options.closeTimeout ?? CLOSE_TIMEOUT_MS;
  }

  /** "headers": the 101 response lines, which listeners may add to, before they are written. */
  on(event: "headers", listener: HeadersListener): this {
    if (event === "headers") (this.#headersListeners ??= []).push(listener);
    return this;
  }

  handleUpgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    callback: (websocket: WebSocketLike, req: IncomingMessage) => void,
  ): void {
    if (!socket.readable || !socket.writable) {
      socket.destroy();
      return;
    }
    const handshake = checkHandshake(req);
    if ("status" in handshake) {
      debug("refused WebSocket handshake: %s", handshake.message);
      writeRawResponse(socket, handshake.status, STATUS_TEXT[handshake.status]!, { "Content-Type": "text/plain", ...handshake.headers }, handshake.message);
      this.onRefused?.(req, handshake);
      return;
    }
    const lines: string[] = [];
    if (this.#headersListeners !== undefined) for (const listener of this.#headersListeners) listener(lines, req);
    // a line break inside a header value would let it write headers (or a body) of its own
    const safeLines = lines.length === 0 ? lines : lines.filter((line) => !/[\r\n]/.test(line));
    if (safeLines.length !== lines.length) debug("dropped %d response header line(s) holding a line break", lines.length - safeLines.length);
    const tcp = socket as Duplex & { setTimeout?: (ms: number) => void; setNoDelay?: (noDelay: boolean) => void };
    tcp.setTimeout?.(0);
    tcp.setNoDelay?.(true);
    // The 101 and what the callback queues at once (the session's open packet, written on
    // the next tick) leave in one write: corked until a tick queued after the callback's.
    socket.cork();
    socket.write(switchingProtocolsHead(handshake, safeLines));
    try {
      callback(new LeanWebSocket(socket, head, this.#maxPayload, this.#closeTimeout), req);
    } finally {
      process.nextTick(uncork, socket);
    }
  }

  /** Connections are not tracked here (the engine owns them): nothing to close. */
  close(callback?: (err?: Error) => void): void {
    if (callback !== undefined) process.nextTick(callback);
  }
}
