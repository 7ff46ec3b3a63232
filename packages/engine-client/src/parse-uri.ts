// The URI splitter engine.io-client exports as `parse`, which socket.io-client uses to turn
// `io("https://host:port/namespace")` into a server URL and a namespace. It is a loose,
// never-failing split (no WHATWG URL): only http, https, ws and wss are read as schemes,
// percent-escapes are left as they are, and a relative or odd input yields empty parts.

import { InvalidOptionError } from "./errors";

/** The parts of a URI, as engine.io-client's `parse` returns them (all strings, "" when absent). */
export interface ParsedUri {
  /** The input; for an input with a line break in its fragment, the input up to that break. */
  source: string;
  /** "http", "https", "ws" or "wss"; "" for any other or no scheme. */
  protocol: string;
  /** `[userInfo@]host[:port]`, IPv6 brackets removed. */
  authority: string;
  /** `user[:password]`. */
  userInfo: string;
  user: string;
  password: string;
  /** The host name; an IPv6 address without its brackets. */
  host: string;
  /** The port digits, "" when there is none. */
  port: string;
  /** Everything after the authority: path, query and fragment. */
  relative: string;
  /** `directory` + `file`. */
  path: string;
  /** The path up to the last "/" when the last segment looks like a file name (has an extension), else the whole path. */
  directory: string;
  /** The last segment of the path when it looks like a file name ("app.js"), else "". */
  file: string;
  /** The query without its "?". */
  query: string;
  /** The fragment without its "#". */
  anchor: string;
  /** The path's non-empty segments. */
  pathNames: string[];
  /** The query as key/value pairs, not percent-decoded. */
  queryKey: Record<string, string>;
  /** Present (true) when the host was an IPv6 address in brackets. */
  ipv6uri?: boolean;
}

/** Longer inputs are refused, as engine.io-client does (a bound on the work done per URI). */
const MAX_URI_LENGTH = 8000;
const SCHEME = /^(https?|wss?):\/\//;
const USER_INFO = /^([^:@/?#]*)(?::([^:@/?#]*))?@/;
// An unbracketed IPv6 address: 2 to 7 groups of up to 4 hex digits each ending with ":",
// then up to 4 hex digits (lowercase only, as upstream reads it).
const BARE_IPV6 = /^(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}/;
const PLAIN_HOST = /^[^:/?#]*/;
const PORT = /^:(\d*)/;
const LINE_END = /[\n\r\u2028\u2029]/;

/**
 * Splits a URI such as "https://user@host:3000/path/app.js?a=1#top" into its parts, the way
 * engine.io-client's `parse` does (socket.io-client relies on it). Never throws on odd input.
 * @throws {InvalidOptionError} when `uri` is longer than 8000 characters
 * @example
 * parse("http://[::1]:3000/socket.io/?x=1").host; // "::1"
 */
export function parse(uri: string): ParsedUri {
  if (uri.length > MAX_URI_LENGTH) {
    throw new InvalidOptionError("uri", `at most ${MAX_URI_LENGTH} characters long (URI too long)`, `${uri.length} characters`);
  }
  let rest = uri;
  const scheme = SCHEME.exec(rest);
  const protocol = scheme === null ? "" : scheme[1]!;
  if (scheme !== null) rest = rest.slice(scheme[0].length);

  let authority = "";
  let userInfo = "";
  let user = "";
  let password = "";
  const credentials = USER_INFO.exec(rest);
  if (credentials !== null) {
    user = credentials[1]!;
    password = credentials[2] ?? "";
    userInfo = credentials[2] === undefined ? user : `${user}:${password}`;
    authority += credentials[0];
    rest = rest.slice(credentials[0].length);
  }

  let host: string;
  let isBracketed = false;
  const closing = rest.startsWith("[") ? rest.indexOf("]") : -1;
  if (closing !== -1) {
    host = rest.slice(1, closing);
    isBracketed = true;
    rest = rest.slice(closing + 1);
  } else {
    host = (BARE_IPV6.exec(rest) ?? PLAIN_HOST.exec(rest)!)[0];
    rest = rest.slice(host.length);
  }
  authority += host;

  let port = "";
  const portMatch = PORT.exec(rest);
  if (portMatch !== null) {
    port = portMatch[1]!;
    authority += portMatch[0];
    rest = rest.slice(portMatch[0].length);
  }

  const consumed = uri.length - rest.length;
  const { relative, path, directory, file, query, anchor } = splitRelative(rest);
  const parsed: ParsedUri = {
    // Bracketed hosts aside, upstream reports the part of the input it read.
    source: isBracketed ? uri : uri.slice(0, consumed + relative.length),
    protocol,
    authority,
    userInfo,
    user,
    password,
    host,
    port,
    relative,
    path,
    directory,
    file,
    query,
    anchor,
    pathNames: pathNames(path),
    queryKey: queryKey(query),
  };
  if (isBracketed) parsed.ipv6uri = true;
  return parsed;
}

function splitRelative(text: string): Pick<ParsedUri, "relative" | "path" | "directory" | "file" | "query" | "anchor"> {
  const pathEnd = firstIndexOf(text, "?#");
  const pathPart = text.slice(0, pathEnd);
  let directory = "";
  let file: string;
  if (pathPart.startsWith("/")) {
    const lastSlash = pathPart.lastIndexOf("/");
    const lastSegment = pathPart.slice(lastSlash + 1);
    // A last segment with an extension ("app.js") is a file; otherwise the whole path is the
    // directory. Right after the leading slash, a dot in first position does not count (".env").
    const tested = lastSlash === 0 ? lastSegment.slice(1) : lastSegment;
    const dot = tested.lastIndexOf(".");
    const isFile = dot !== -1 && dot < tested.length - 1;
    directory = isFile ? pathPart.slice(0, lastSlash + 1) : pathPart;
    file = isFile ? lastSegment : "";
  } else {
    // No leading slash (an odd authority, e.g. a non-numeric port): the first segment is the
    // file, and the split stops at the next "/".
    const slash = pathPart.indexOf("/");
    if (slash !== -1) {
      const only = pathPart.slice(0, slash);
      return { relative: only, path: only, directory: "", file: only, query: "", anchor: "" };
    }
    file = pathPart;
  }
  let relative = pathPart;
  let query = "";
  let anchor = "";
  let after = text.slice(pathEnd);
  if (after.startsWith("?")) {
    const hash = after.indexOf("#");
    query = hash === -1 ? after.slice(1) : after.slice(1, hash);
    relative += `?${query}`;
    after = hash === -1 ? "" : after.slice(hash);
  }
  if (after.startsWith("#")) {
    const lineEnd = after.search(LINE_END);
    anchor = lineEnd === -1 ? after.slice(1) : after.slice(1, lineEnd);
    relative += `#${anchor}`;
  }
  return { relative, path: directory + file, directory, file, query, anchor };
}

function firstIndexOf(text: string, characters: string): number {
  for (let index = 0; index < text.length; index++) {
    if (characters.includes(text[index]!)) return index;
  }
  return text.length;
}

function pathNames(path: string): string[] {
  // Runs of 2 to 9 slashes count as one (upstream's rule, kept for identical output).
  const names = path.replace(/\/{2,9}/g, "/").split("/");
  if (path.startsWith("/") || path.length === 0) names.shift();
  if (path.endsWith("/")) names.pop();
  return names;
}

function queryKey(query: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const pair of query.split("&")) {
    const equals = pair.indexOf("=");
    const key = equals === -1 ? pair : pair.slice(0, equals);
    if (key.length === 0) continue;
    const value = equals === -1 ? "" : pair.slice(equals + 1);
    // Upstream's assignment of "__proto__" is a no-op; skipping it also keeps the prototype safe.
    if (key === "__proto__") continue;
    pairs[key] = value;
  }
  return pairs;
}
