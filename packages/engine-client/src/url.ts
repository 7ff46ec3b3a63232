// URL helpers shared by the socket (reading the URI it is given) and the transports (writing
// request URLs). Only the WHATWG `URL` global is used, present in browsers and Node.js.

/** The parts of a connection URI the socket uses. The URI's path is ignored (see `path`). */
export interface ParsedUri {
  /** Undefined for a path-only URI ("/", "/?a=1"): the page's host, or localhost, applies. */
  hostname: string | undefined;
  /** Empty when the URI has no explicit port. */
  port: string;
  /** Undefined for a path-only URI: the page's scheme applies. */
  secure: boolean | undefined;
  query: Record<string, string>;
}

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
// An IPv6 address without brackets ("::1", "fe80::1"), up to the path: at least two colons.
const BARE_IPV6 = /^[0-9a-f]*:[0-9a-f]*:[0-9a-f:.]*(?=$|[/?#])/i;

/**
 * Parses "http://host:port/?q", "wss://host", "//host", "host:port", a bare IPv6 address
 * ("::1") or a path-only URI ("/"). Only the page's scheme is read from `location` (its
 * `protocol`), so a `location` without `href` (web workers, React Native, test environments)
 * does no harm.
 */
export function parseUri(uri: string): ParsedUri {
  if (uri.startsWith("/") && !uri.startsWith("//")) {
    // The base only serves to read the query of a path-only URI.
    return { hostname: undefined, port: "", secure: undefined, query: decodeQuery(new URL(uri, "http://localhost").search) };
  }
  const pageScheme = isPageSecure() ? "https:" : "http:";
  const absolute = HAS_SCHEME.test(uri)
    ? uri
    : uri.startsWith("//")
      ? pageScheme + uri
      : // a bare IPv6 address gets its brackets
        `${pageScheme}//${uri.replace(BARE_IPV6, "[$&]")}`;
  const url = new URL(absolute);
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  return {
    hostname,
    port: url.port,
    secure: url.protocol === "https:" || url.protocol === "wss:",
    query: decodeQuery(url.search),
  };
}

/** Whether the page (browser, worker) was served over https; false outside browsers. */
export function isPageSecure(): boolean {
  return pageField("protocol") === "https:";
}

/** The page's host name, when there is a page with one; else "localhost". */
export function pageHostname(): string {
  return pageField("hostname") ?? "localhost";
}

/** The page's port, when there is a page with an explicit one. */
export function pagePort(): string | undefined {
  return pageField("port");
}

/** A non-empty field of the page's `location`, when there is one (not in Node.js). */
function pageField(name: "protocol" | "hostname" | "port"): string | undefined {
  const value: unknown = typeof location !== "undefined" ? location?.[name] : undefined;
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** Encodes a query object as `a=1&b=2` (no leading `?`). */
export function encodeQuery(query: Readonly<Record<string, string>>): string {
  return Object.entries(query)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join("&");
}

/** Decodes `?a=1&b=2` or `a=1&b=2` into an object. */
export function decodeQuery(search: string): Record<string, string> {
  const query: Record<string, string> = {};
  const text = search.startsWith("?") ? search.slice(1) : search;
  for (const pair of text.split("&")) {
    if (pair.length === 0) continue;
    const index = pair.indexOf("=");
    // without "=", the whole pair is the key and the value is empty
    const end = index === -1 ? pair.length : index;
    query[safeDecode(pair.slice(0, end))] = safeDecode(pair.slice(end + 1));
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
