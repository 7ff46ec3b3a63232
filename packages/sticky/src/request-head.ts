// Reading HTTP/1.1 request heads (RFC 9112) just far enough to route them: the request line
// gives the target and so the Engine.IO session id; the headers say how the body is framed
// and whether the request asks for an upgrade. Everything else is left to the HTTP server
// of the worker that gets the request, which parses it again in full.

const CR = 13;
const LF = 10;

/** The parts of a request line: `method SP request-target SP HTTP-version`. */
export interface RequestLine {
  readonly method: string;
  readonly target: string;
  readonly version: string;
}

/** What routing needs of a request head. */
export interface RequestHead extends RequestLine {
  /** The `sid` query parameter of the target (the Engine.IO session), if any. */
  readonly sid: string | undefined;
  /** How the body is framed: none, a length, or chunked transfer coding. */
  readonly body: { readonly kind: "none" } | { readonly kind: "length"; readonly length: number } | { readonly kind: "chunked" };
  /** Whether the request asks to switch protocols (WebSocket) or is a CONNECT. */
  readonly upgrade: boolean;
  /** Whether the request carries an `Expect` header (answered by 'checkContinue', not 'request'). */
  readonly expect: boolean;
}

/** Index just past the empty lines (CRLF or LF) a server should ignore before a request line (RFC 9112 §2.2). */
export function skipEmptyLines(buffer: Uint8Array, offset: number): number {
  let index = offset;
  while (index < buffer.length && (buffer[index] === CR || buffer[index] === LF)) index++;
  return index;
}

/**
 * The request line at `offset` (after the empty lines that may precede it), or undefined
 * while its line end has not arrived. A line that is not three parts yields a line whose
 * target is the whole text, so that it carries no sid and is balanced like a new session.
 */
export function readRequestLine(buffer: Uint8Array, offset = 0): RequestLine | undefined {
  const start = skipEmptyLines(buffer, offset);
  const end = buffer.indexOf(LF, start);
  if (end < 0) return undefined;
  const stop = end > start && buffer[end - 1] === CR ? end - 1 : end;
  return parseRequestLine(Buffer.from(buffer.buffer, buffer.byteOffset + start, stop - start).toString("latin1"));
}

/** Splits a request line into its three parts; anything else is kept whole as the target. */
export function parseRequestLine(line: string): RequestLine {
  const first = line.indexOf(" ");
  const last = line.lastIndexOf(" ");
  if (first <= 0 || last === first) return { method: "", target: line, version: "" };
  return { method: line.slice(0, first), target: line.slice(first + 1, last), version: line.slice(last + 1) };
}

/**
 * The first `sid` query parameter of a request target (origin form `/path?query` or
 * absolute form `http://host/path?query`), decoded as Node.js decodes query strings.
 */
export function sidOf(target: string): string | undefined {
  const question = target.indexOf("?");
  if (question < 0) return undefined;
  const hash = target.indexOf("#", question);
  const query = hash < 0 ? target.slice(question + 1) : target.slice(question + 1, hash);
  // fast path: no sid at all (most handshakes)
  if (!query.includes("sid=")) return undefined;
  const sid = new URLSearchParams(query).get("sid");
  return sid === null || sid === "" ? undefined : sid;
}

/**
 * Parses a whole head (request line and header lines, without the final empty line), or
 * returns undefined when its framing is invalid (a malformed or repeated Content-Length, a
 * Transfer-Encoding that does not end in chunked, both at once): the worker's HTTP server
 * then answers it itself.
 */
export function parseRequestHead(head: string): RequestHead | undefined {
  const lines = head.split("\r\n");
  const requestLine = parseRequestLine(lines[0] ?? "");
  let contentLength: string | undefined;
  let transferEncoding: string | undefined;
  let upgradeHeader = false;
  let connectionUpgrade = false;
  let expect = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    switch (name) {
      case "content-length":
        if (contentLength !== undefined && contentLength !== value) return undefined;
        contentLength = value;
        break;
      case "transfer-encoding":
        transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
        break;
      case "upgrade":
        upgradeHeader = true;
        break;
      case "connection":
        if (value.toLowerCase().split(",").some((token) => token.trim() === "upgrade")) connectionUpgrade = true;
        break;
      case "expect":
        expect = true;
        break;
      default:
        break;
    }
  }
  let body: RequestHead["body"] = { kind: "none" };
  if (transferEncoding !== undefined) {
    if (contentLength !== undefined) return undefined;
    const codings = transferEncoding.toLowerCase().split(",");
    if (codings[codings.length - 1]!.trim() !== "chunked") return undefined;
    body = { kind: "chunked" };
  } else if (contentLength !== undefined) {
    if (!/^[0-9]{1,15}$/.test(contentLength)) return undefined;
    const length = Number(contentLength);
    if (length > 0) body = { kind: "length", length };
  }
  return {
    ...requestLine,
    sid: sidOf(requestLine.target),
    body,
    upgrade: (upgradeHeader && connectionUpgrade) || requestLine.method === "CONNECT",
    expect,
  };
}
