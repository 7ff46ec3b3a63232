// URL helpers shared by the socket (reading the URI it is given) and the transports (writing
// request URLs). Only the WHATWG `URL` global is used, present in browsers and Node.js.

/** The parts of a connection URI the socket uses. The URI's path is ignored (see `path`). */
export interface ParsedUri {
  hostname: string;
  /** Empty when the URI has no explicit port. */
  port: string;
  secure: boolean;
  query: Record<string, string>;
}

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Parses "http://host:port/?q", "wss://host", "//host", "host:port" or "/" (relative to the
 * page in a browser, to http://localhost elsewhere).
 */
export function parseUri(uri: string): ParsedUri {
  const base = typeof location !== "undefined" ? location.href : "http://localhost";
  const absolute = HAS_SCHEME.test(uri) || uri.startsWith("/") ? uri : `//${uri}`;
  const url = new URL(absolute, base);
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  return {
    hostname,
    port: url.port,
    secure: url.protocol === "https:" || url.protocol === "wss:",
    query: decodeQuery(url.search),
  };
}

/** Encodes a query object as `a=1&b=2` (no leading `?`). */
export function encodeQuery(query: Readonly<Record<string, string>>): string {
  let out = "";
  for (const key of Object.keys(query)) {
    if (out.length > 0) out += "&";
    out += encodeURIComponent(key) + "=" + encodeURIComponent(query[key]!);
  }
  return out;
}

/** Decodes `?a=1&b=2` or `a=1&b=2` into an object. */
export function decodeQuery(search: string): Record<string, string> {
  const query: Record<string, string> = {};
  const text = search.startsWith("?") ? search.slice(1) : search;
  if (text.length === 0) return query;
  for (const pair of text.split("&")) {
    if (pair.length === 0) continue;
    const index = pair.indexOf("=");
    const key = index === -1 ? pair : pair.slice(0, index);
    const value = index === -1 ? "" : pair.slice(index + 1);
    query[safeDecode(key)] = safeDecode(value);
  }
  return query;
}

/** The `host[:port]` part of a request URL: IPv6 in brackets, default ports left out. */
export function formatAuthority(hostname: string, port: string, secure: boolean): string {
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  const isDefaultPort = port === "" || (secure ? port === "443" : port === "80");
  return isDefaultPort ? host : `${host}:${port}`;
}

/** A short value that differs on every call, for cache-busting (`timestampRequests`). */
export function cacheBuster(): string {
  return Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}
