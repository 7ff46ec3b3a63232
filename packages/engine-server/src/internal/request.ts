import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { ERROR_MESSAGES, statusOf, type ConnectionErrorContext, type EngineErrorCode } from "../errors";

/** Query of an Engine.IO request. */
export type EngineQuery = Record<string, string>;

/**
 * The request as the server keeps it. `_query` is the name `engine.io` uses and that code
 * written for it (Socket.IO's handshake) reads, so it is kept.
 */
export type EngineRequest = IncomingMessage & { _query: EngineQuery };

/** Parses the query string once; keeps one a framework may already have parsed. */
export function prepareRequest(req: IncomingMessage): EngineRequest {
  const request = req as EngineRequest;
  if (request._query !== undefined) return request;
  const url = req.url ?? "";
  const start = url.indexOf("?");
  // Prototype-less, like Object.create(null), which V8 makes a dictionary: an empty literal
  // whose prototype is then removed stays in fast mode (hidden classes shared by every query
  // with the same keys), about 110 bytes less per session, which keeps its request.
  const query = Object.setPrototypeOf({}, null) as EngineQuery;
  if (start !== -1) parseQuery(url, start + 1, query);
  request._query = query;
  return request;
}

// What makes URLSearchParams change a name or value: percent-escapes, "+" (a space) and
// lone surrogates (replaced by U+FFFD).
const NEEDS_DECODING = /[%+\uD800-\uDFFF]/;

/**
 * The pairs of `url.slice(from)` into `query`, the first of each name winning, exactly as
 * URLSearchParams reads them. A query with nothing to decode (every Engine.IO client's:
 * `EIO=4&transport=polling&sid=…`) is split here, without URLSearchParams' entries, pairs
 * and iterator (about 0.7 KB allocated per request).
 */
export function parseQuery(url: string, from: number, query: EngineQuery): void {
  // URLSearchParams drops one leading "?" of its input
  const text = url.charCodeAt(from) === 0x3f /* ? */ ? url.slice(from + 1) : url.slice(from);
  if (NEEDS_DECODING.test(text)) {
    for (const [key, value] of new URLSearchParams(text)) {
      if (!(key in query)) query[key] = value;
    }
    return;
  }
  const length = text.length;
  let start = 0;
  while (start < length) {
    let end = text.indexOf("&", start);
    if (end === -1) end = length;
    // empty pairs ("a=1&&b=2", a trailing "&") are skipped, as URLSearchParams does
    if (end > start) {
      const equals = text.indexOf("=", start);
      const hasValue = equals !== -1 && equals < end;
      const key = text.slice(start, hasValue ? equals : end);
      if (!(key in query)) {
        const value = hasValue ? text.slice(equals + 1, end) : "";
        query[key] = key === "transport" ? sharedTransportName(value) : value;
      }
    }
    start = end + 1;
  }
}

// The query is kept for the connection's life (it is the handshake's query): the transport
// name every client sends is stored as one string rather than one copy per connection.
const TRANSPORT_NAMES: ReadonlyMap<string, string> = new Map(["websocket", "polling", "webtransport"].map((name) => [name, name]));

function sharedTransportName(value: string): string {
  return TRANSPORT_NAMES.get(value) ?? value;
}

/** Answers a plain HTTP request with an Engine.IO error. */
export function sendHttpError(res: ServerResponse, code: EngineErrorCode, context?: ConnectionErrorContext): void {
  if (res.headersSent) {
    // a middleware already started its own answer
    if (!res.writableEnded) res.end();
    return;
  }
  const body = JSON.stringify({ code, message: context?.message ?? ERROR_MESSAGES[code] });
  res.writeHead(statusOf(code), {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
}

const STATUS_TEXT: Readonly<Record<number, string>> = { 400: "Bad Request", 403: "Forbidden" };

/**
 * Refuses an upgrade request with a real HTTP error response, before any 101: the client
 * sees the status and the same JSON body as polling requests get.
 */
export function refuseUpgrade(socket: Duplex, code: EngineErrorCode, context?: ConnectionErrorContext): void {
  const status = statusOf(code);
  const body = JSON.stringify({ code, message: context?.message ?? ERROR_MESSAGES[code] });
  writeRawResponse(socket, status, STATUS_TEXT[status] ?? "Error", { "Content-Type": "application/json" }, body);
}

/** Writes a complete HTTP/1.1 response on a raw socket and closes it. */
export function writeRawResponse(
  socket: Duplex,
  status: number,
  statusText: string,
  headers: Record<string, string | number | readonly string[]>,
  body: string | Buffer,
): void {
  socket.on("error", ignore);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  let head = `HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\n`;
  for (const name of Object.keys(headers)) {
    const value = headers[name]!;
    if (Array.isArray(value)) for (const item of value) head += `${name}: ${String(item)}\r\n`;
    else head += `${name}: ${String(value)}\r\n`;
  }
  head += `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  socket.once("finish", () => socket.destroy());
  socket.end(typeof body === "string" ? head + body : Buffer.concat([Buffer.from(head), body]));
}

function ignore(): void {}
