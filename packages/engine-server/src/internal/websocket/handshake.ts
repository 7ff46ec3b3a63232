// The server side of the WebSocket opening handshake (RFC 6455 §4.2), for the built-in
// WebSocket engine: checks the client's request and builds the 101 response.
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Appended to the client's key before hashing (RFC 6455 §1.3). */
const KEY_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/** A key is 16 random bytes in base64: 22 characters and "==". */
const KEY_PATTERN = /^[+/0-9A-Za-z]{22}==$/;
/** RFC 7230 token characters, what a subprotocol name is made of. */
const TOKEN_PATTERN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Why a handshake is refused: the HTTP status, a message, and headers to add. */
export interface HandshakeRefusal {
  status: 400 | 405 | 426;
  /** A short machine-readable reason (the `context.name` of the `connection_error`). */
  name: string;
  message: string;
  headers?: Record<string, string>;
}

/** What an accepted handshake answers with. */
export interface AcceptedHandshake {
  accept: string;
  /** The subprotocol chosen (the client's first), if it asked for any. */
  protocol: string | undefined;
}

/** Checks an upgrade request; returns what to answer it with. */
export function checkHandshake(req: IncomingMessage): AcceptedHandshake | HandshakeRefusal {
  // RFC 9110 §15.5.6: a 405 names the methods the resource takes
  if (req.method !== "GET") return { status: 405, name: "WEBSOCKET_METHOD_NOT_ALLOWED", message: "WebSocket handshake must be a GET request", headers: { Allow: "GET" } };
  const upgrade = req.headers.upgrade;
  if (upgrade === undefined || upgrade.toLowerCase() !== "websocket") {
    return { status: 400, name: "INVALID_UPGRADE_HEADER", message: "missing or invalid Upgrade header" };
  }
  const key = req.headers["sec-websocket-key"];
  if (typeof key !== "string" || !KEY_PATTERN.test(key.trim())) {
    return { status: 400, name: "INVALID_WEBSOCKET_KEY", message: "missing or invalid Sec-WebSocket-Key header" };
  }
  // 13 is RFC 6455; 8 (hybi-08) frames the same way and is still sent by some clients
  const version = req.headers["sec-websocket-version"];
  if (version !== "13" && version !== "8") {
    return { status: 426, name: "UNSUPPORTED_WEBSOCKET_VERSION", message: "unsupported WebSocket version", headers: { "Sec-WebSocket-Version": "13, 8" } };
  }
  let protocol: string | undefined;
  const protocols = req.headers["sec-websocket-protocol"];
  if (protocols !== undefined) {
    const names = protocols.split(",").map((name) => name.trim());
    if (!names.every((name) => TOKEN_PATTERN.test(name))) {
      return { status: 400, name: "INVALID_WEBSOCKET_PROTOCOL", message: "invalid Sec-WebSocket-Protocol header" };
    }
    protocol = names[0];
  }
  return { accept: acceptKey(key.trim()), protocol };
}

/** The Sec-WebSocket-Accept value for a client's key. */
export function acceptKey(key: string): string {
  return createHash("sha1").update(key + KEY_GUID).digest("base64");
}

/** The response lines before the blank line; `extraLines` ("Name: value") come last. */
export function switchingProtocolsHead(handshake: AcceptedHandshake, extraLines: readonly string[]): string {
  let head =
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
    `Sec-WebSocket-Accept: ${handshake.accept}\r\n`;
  if (handshake.protocol !== undefined) head += `Sec-WebSocket-Protocol: ${handshake.protocol}\r\n`;
  for (const line of extraLines) head += line + "\r\n";
  return head + "\r\n";
}
