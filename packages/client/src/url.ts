// Reading the URL given to `io()`: which server (the Manager cache key and the URI of the
// Engine.IO connection) and which namespace (the URL's path). Only the WHATWG `URL` global
// is used, present in browsers, Web Workers and Node.js.

/** What `io()` needs of its URL. */
export interface ParsedUrl {
  /** The URI handed to the Engine.IO client: scheme, host, port and query (its path is ignored there). */
  source: string;
  /** The Manager cache key: `scheme://host:port` followed by the server path. */
  id: string;
  /** The namespace: the URL's path ("/" when there is none). */
  nsp: string;
}

/** The parts of `location` the parser reads (a page's or a Web Worker's). */
export interface LocationLike {
  protocol: string;
  host: string;
}

const HAS_SCHEME = /^(https?|wss?):\/\//i;

function pageLocation(): LocationLike | undefined {
  return typeof location !== "undefined" && typeof location.host === "string" ? location : undefined;
}

/**
 * Parses the URL of `io(url)`. Without a URL, the page's (or worker's) location is used; a
 * URL starting with "/" is relative to it, one starting with "//" takes its scheme; a URL
 * without scheme gets the page's, or https outside a browser (as socket.io-client).
 * @param serverPath the `path` option, part of the cache key ("/socket.io" by default)
 */
export function parseUrl(uri: string | undefined, serverPath: string, loc: LocationLike | undefined = pageLocation()): ParsedUrl {
  let text = uri ?? (loc === undefined ? "http://localhost" : `${loc.protocol}//${loc.host}`);
  if (text.startsWith("//")) text = `${loc?.protocol ?? "https:"}${text}`;
  else if (text.startsWith("/")) text = `${loc?.host ?? "localhost"}${text}`;
  if (!HAS_SCHEME.test(text)) text = `${loc?.protocol ?? "https:"}//${text}`;
  const url = new URL(text);
  const protocol = url.protocol.slice(0, -1);
  const port = url.port !== "" ? url.port : protocol === "https" || protocol === "wss" ? "443" : "80";
  // url.host leaves the default port out and keeps IPv6 brackets.
  const host = url.hostname;
  return {
    source: `${protocol}://${host}:${port}${url.search}`,
    id: `${protocol}://${host}:${port}${serverPath}`,
    // The path of an http(s) or ws(s) URL is never empty: "/" at least.
    nsp: safeDecode(url.pathname),
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
