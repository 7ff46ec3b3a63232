import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import createDebug from "debug";
import type { Packet } from "@volley/engine-parser";
import { ERROR_CODES, TRANSPORT_ERROR_CODES, TransportError } from "../errors";
import { codecFor, type Codec } from "../internal/codec";
import { compress, negotiateEncoding } from "../internal/compression";
import type { EngineHost } from "../internal/host";
import { sendHttpError, type EngineRequest } from "../internal/request";
import type { HttpCompressionOptions, TransportName } from "../options";
import { Transport } from "../transport";

const debug = createDebug("volley:engine-server:polling");

const CLOSE_PACKETS: readonly Packet[] = Object.freeze([Object.freeze({ type: "close" as const })]);
const NOOP_PACKETS: readonly Packet[] = Object.freeze([Object.freeze({ type: "noop" as const })]);

/**
 * HTTP long-polling: a GET is held until there is something to send, a POST carries what
 * the client sends. One of each at a time.
 */
function hasBlob(packets: readonly Packet[]): boolean {
  for (let i = 0; i < packets.length; i++) if (packets[i]!.data instanceof Blob) return true;
  return false;
}

async function readBlobs(packets: readonly Packet[]): Promise<Packet[]> {
  return Promise.all(
    packets.map(async (packet) =>
      packet.data instanceof Blob ? { ...packet, data: Buffer.from(await packet.data.arrayBuffer()) } : packet,
    ),
  );
}

export class PollingTransport extends Transport {
  static override readonly upgradesTo: readonly TransportName[] = Object.freeze(["websocket"] as const);
  readonly name = "polling" as const;
  readonly #host: EngineHost;
  readonly #codec: Codec;
  #pollReq: EngineRequest | undefined;
  #pollRes: ServerResponse | undefined;
  #dataReq: EngineRequest | undefined;
  /** Set while closing, until the next GET carries the close packet. */
  #closeTimer: NodeJS.Timeout | undefined;

  /** @internal transports are created by the server */
  constructor(host: EngineHost, req: EngineRequest, protocol: 3 | 4, sid: string) {
    super(req, protocol, sid);
    this.#host = host;
    this.#codec = codecFor(protocol);
  }

  /** The largest POST body, in bytes (the server's `maxHttpBufferSize`). */
  get maxHttpBufferSize(): number {
    return this.#host.opts.maxHttpBufferSize;
  }

  /** Compression of responses (the server's `httpCompression`). */
  get httpCompression(): false | Readonly<HttpCompressionOptions> {
    return this.#host.opts.httpCompression;
  }

  get writable(): boolean {
    return this.#pollRes !== undefined && this.readyState === "open";
  }

  get canSend(): boolean {
    return this.#pollRes !== undefined && this.readyState !== "closed";
  }

  /** Takes a GET (poll) or POST (data) of this session. */
  onRequest(req: EngineRequest, res: ServerResponse): void {
    if (req.method === "GET") this.#onPoll(req, res);
    else this.#onData(req, res);
  }

  send(packets: Packet[], onWritten?: () => void): void {
    const req = this.#pollReq;
    const res = this.#pollRes;
    if (req === undefined || res === undefined) return;
    this.#pollReq = undefined;
    this.#pollRes = undefined;
    res.removeListener("close", this.#onPollClosed);
    if (hasBlob(packets)) {
      // a Blob is read asynchronously; the GET is held (no other write can come) meanwhile
      readBlobs(packets).then(
        (readable) => this.#write(req, res, readable, onWritten),
        (err: unknown) => {
          debug("reading a Blob failed: %s", err);
          this.#write(req, res, [], onWritten);
        },
      );
      return;
    }
    this.#write(req, res, packets, onWritten);
  }

  #write(req: EngineRequest, res: ServerResponse, packets: Packet[], onWritten: (() => void) | undefined): void {
    const payload = this.#codec.encodePayload(packets.length > 0 ? packets : NOOP_PACKETS.slice(), this.supportsBinary);
    let mayCompress = false;
    for (let i = 0; i < packets.length; i++) {
      if (packets[i]!.options?.compress !== false) {
        mayCompress = true;
        break;
      }
    }
    this.#respond(req, res, payload, mayCompress, onWritten);
  }

  protected doClose(immediate: boolean): void {
    if (this.#dataReq !== undefined) {
      debug("closing: aborting the POST being read");
      this.#dataReq.destroy();
      this.#dataReq = undefined;
    }
    if (this.#pollRes !== undefined) {
      // a discarded transport (after an upgrade) must not tell the client to close
      this.send((this.discarded ? NOOP_PACKETS : CLOSE_PACKETS).slice());
      this.onClosed();
    } else if (immediate || this.discarded) {
      this.onClosed();
    } else {
      debug("closing: waiting for the next GET to deliver the close packet");
      this.#closeTimer = setTimeout(() => this.#finishClose(), this.#host.opts.pingTimeout);
    }
  }

  protected override abortClose(): void {
    this.#finishClose();
  }

  protected override onClosed(): void {
    if (this.readyState !== "closed" && this.#pollRes !== undefined) {
      // The client closed (a close packet in its POST) while its GET was pending: nothing
      // will be written any more, so answer it (a noop, as engine.io does) rather than hold
      // the HTTP connection until the client gives up, which would also keep
      // httpServer.close() waiting.
      this.send(NOOP_PACKETS.slice());
    }
    super.onClosed();
  }

  #finishClose(): void {
    clearTimeout(this.#closeTimer);
    this.#closeTimer = undefined;
    this.onClosed();
  }

  #onPoll(req: EngineRequest, res: ServerResponse): void {
    if (this.#pollRes !== undefined) {
      debug("a second GET while one is pending");
      sendHttpError(res, ERROR_CODES.BAD_REQUEST, { name: "POLL_OVERLAP" });
      this.onError(new TransportError(TRANSPORT_ERROR_CODES.POLL_OVERLAP, "overlapping GET requests"));
      return;
    }
    this.#pollReq = req;
    this.#pollRes = res;
    res.on("close", this.#onPollClosed);
    if (this.readyState === "closing") {
      this.send(CLOSE_PACKETS.slice());
      this.#finishClose();
      return;
    }
    this.onReady();
  }

  /** The client went away while its GET was pending. */
  readonly #onPollClosed = (): void => {
    this.#pollReq = undefined;
    this.#pollRes = undefined;
    this.onError(new TransportError(TRANSPORT_ERROR_CODES.REQUEST_ABORTED, "poll request closed prematurely"));
  };

  #onData(req: EngineRequest, res: ServerResponse): void {
    if (this.#dataReq !== undefined) {
      debug("a second POST while one is being read");
      sendHttpError(res, ERROR_CODES.BAD_REQUEST, { name: "POST_OVERLAP" });
      this.onError(new TransportError(TRANSPORT_ERROR_CODES.POST_OVERLAP, "overlapping POST requests"));
      return;
    }
    const isBinary = req.headers["content-type"] === "application/octet-stream";
    if (isBinary && this.protocol === 4) {
      sendHttpError(res, ERROR_CODES.BAD_REQUEST, { name: "INVALID_CONTENT" });
      this.onError(new TransportError(TRANSPORT_ERROR_CODES.INVALID_CONTENT, "binary POST body on protocol v4"));
      return;
    }
    const limit = this.#host.opts.maxHttpBufferSize;
    const declared = Number(req.headers["content-length"]);
    if (declared > limit) {
      this.#refuseTooLarge(res, declared);
      return;
    }
    this.#dataReq = req;
    const chunks: Buffer[] = [];
    let length = 0;
    const cleanup = (): void => {
      clearTimeout(timer);
      req.removeListener("data", onData);
      req.removeListener("end", onEnd);
      res.removeListener("close", onClose);
      if (this.#dataReq === req) this.#dataReq = undefined;
    };
    const onData = (chunk: Buffer): void => {
      length += chunk.length;
      if (length > limit) {
        cleanup();
        this.#refuseTooLarge(res, length);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
      this.#onBody(req, res, body, isBinary);
    };
    const onClose = (): void => {
      cleanup();
      this.onError(new TransportError(TRANSPORT_ERROR_CODES.REQUEST_ABORTED, "POST request closed prematurely"));
    };
    const timer = setTimeout(() => {
      cleanup();
      debug("POST body not received within %dms", this.#host.opts.httpBodyTimeout);
      res.writeHead(408, { Connection: "close", "Content-Type": "application/json" });
      res.end(JSON.stringify({ code: ERROR_CODES.BAD_REQUEST, message: "Request body timeout" }));
      req.destroy();
      this.onError(new TransportError(TRANSPORT_ERROR_CODES.BODY_TIMEOUT, "POST body timed out"));
    }, this.#host.opts.httpBodyTimeout);
    req.on("data", onData);
    req.on("end", onEnd);
    res.on("close", onClose);
  }

  #refuseTooLarge(res: ServerResponse, length: number): void {
    debug("POST body of %d bytes over maxHttpBufferSize", length);
    // Connection: close, so that Node drops the rest of the body instead of reading it
    res.writeHead(413, { Connection: "close", "Content-Type": "application/json" });
    res.end(JSON.stringify({ code: ERROR_CODES.BAD_REQUEST, message: "Payload too large" }));
    this.onError(
      new TransportError(TRANSPORT_ERROR_CODES.PAYLOAD_TOO_LARGE, `POST body over maxHttpBufferSize (${length} bytes)`),
    );
  }

  #onBody(req: EngineRequest, res: ServerResponse, body: Buffer, isBinary: boolean): void {
    const packets = this.#codec.decodePayload(body, isBinary);
    const last = packets[packets.length - 1];
    if (last === undefined || last.type === "error") {
      sendHttpError(res, ERROR_CODES.BAD_REQUEST, { name: "PARSE_ERROR" });
      this.onPacket({ type: "error", data: "parser error" });
      return;
    }
    const headers: OutgoingHttpHeaders = { "Content-Type": "text/html", "Content-Length": 2, "cache-control": "no-store" };
    this.#emitHeaders(headers, req);
    res.writeHead(200, headers);
    res.end("ok");
    for (let i = 0; i < packets.length; i++) {
      if (this.readyState !== "open") return;
      const packet = packets[i]!;
      if (packet.type === "close") {
        debug("close packet from the client");
        this.onClosed();
        return;
      }
      this.onPacket(packet);
    }
  }

  #respond(
    req: EngineRequest,
    res: ServerResponse,
    payload: string | Buffer,
    mayCompress: boolean,
    onWritten: (() => void) | undefined,
  ): void {
    const headers: OutgoingHttpHeaders = {
      "Content-Type": typeof payload === "string" ? "text/plain; charset=UTF-8" : "application/octet-stream",
      "cache-control": "no-store",
    };
    this.#emitHeaders(headers, req);
    const compression = this.#host.opts.httpCompression;
    const length = typeof payload === "string" ? Buffer.byteLength(payload) : payload.length;
    const encoding =
      mayCompress && compression !== false && length >= compression.threshold
        ? negotiateEncoding(req.headers["accept-encoding"])
        : undefined;
    if (encoding === undefined) {
      headers["Content-Length"] = length;
      res.writeHead(200, headers);
      res.end(payload);
      onWritten?.();
      this.onDrain();
      return;
    }
    compress(encoding, payload, compression as object, (err, compressed) => {
      if (res.destroyed) return;
      if (err !== null) {
        debug("compression failed: %s", err.message);
        headers["Content-Length"] = length;
        res.writeHead(200, headers);
        res.end(payload);
      } else {
        headers["Content-Encoding"] = encoding;
        headers["Content-Length"] = compressed.length;
        res.writeHead(200, headers);
        res.end(compressed);
      }
      onWritten?.();
      this.onDrain();
    });
  }

  /** The server's `initial_headers` / `headers`, then this transport's `headers`. */
  #emitHeaders(headers: OutgoingHttpHeaders, req: EngineRequest): void {
    this.#host.emitHeaders(headers, req);
    if (this.isObserved) this.emit("headers", headers, req);
  }
}
