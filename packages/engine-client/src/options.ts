import { InvalidOptionError } from "./errors";
import type { TransportCtor } from "./transport";
import { decodeQuery, isPageSecure, pageHostname, pagePort, parseUri, type ParsedUri } from "./url";

/** TLS options handed to Node's https / ws (ignored in browsers). */
export interface TlsOptions {
  /** Certificate, private key and CA certificates in PFX or PKCS12 format. */
  pfx?: string | Uint8Array;
  /** Private key in PEM format. */
  key?: string | Uint8Array;
  /** Passphrase for `key` or `pfx`. */
  passphrase?: string;
  /** Public x509 certificate in PEM format. */
  cert?: string | Uint8Array;
  /** Trusted certificate authorities in PEM format. */
  ca?: string | Uint8Array | Array<string | Uint8Array>;
  /** Cipher suites, in OpenSSL cipher list format. */
  ciphers?: string;
  /**
   * Whether the server certificate is checked against the CAs.
   * @default true
   */
  rejectUnauthorized?: boolean;
}

/** A memory of which servers accepted a WebSocket, for `rememberUpgrade`. A `Map` fits. */
export interface RememberUpgradeStore {
  get(key: string): boolean | undefined;
  set(key: string, value: boolean): unknown;
}

/** Per-message deflate settings of the Node.js WebSocket transport. */
export interface PerMessageDeflateOptions {
  /**
   * Messages smaller than this many bytes are sent uncompressed.
   * @default 1024
   */
  threshold?: number;
}

/** The options a transport may override through `transportOptions`. */
export interface TransportOverrides extends TlsOptions {
  path?: string;
  query?: Record<string, string | number | boolean>;
  extraHeaders?: Record<string, string>;
  withCredentials?: boolean;
  forceBase64?: boolean;
  timestampRequests?: boolean;
  timestampParam?: string;
  requestTimeout?: number;
  protocols?: string | string[];
  perMessageDeflate?: boolean | PerMessageDeflateOptions;
  agent?: false | object;
}

/** Options of the {@link Socket} constructor (names and defaults of engine.io-client 6). */
export interface SocketOptions extends TlsOptions {
  /**
   * The host to connect to, `hostname[:port]` (an alternative to the URI).
   * @default undefined
   */
  host?: string;
  /**
   * The hostname to connect to.
   * @default location.hostname in a browser, "localhost" elsewhere
   */
  hostname?: string;
  /**
   * The port to connect to.
   * @default location.port in a browser, else 443 when secure and 80 otherwise
   */
  port?: string | number;
  /**
   * Whether to use TLS (https / wss).
   * @default true when the page is served over https, false otherwise
   */
  secure?: boolean;
  /**
   * Extra query parameters of every request, as an object or as a query string.
   * @default {}
   */
  query?: Record<string, string | number | boolean> | string;
  /**
   * The path the server listens on.
   * @default "/engine.io"
   */
  path?: string;
  /**
   * Whether a trailing slash is added to `path` ("/engine.io/").
   * @default true
   */
  addTrailingSlash?: boolean;
  /**
   * The transports to try, in order: names ("polling", "websocket") or transport classes.
   * "webtransport" is skipped (not implemented); a list that leaves no transport makes the
   * socket emit `error` ("No transports available") on the next tick.
   * @default ["polling", "websocket"]
   */
  transports?: ReadonlyArray<TransportName | TransportCtor>;
  /**
   * Transport classes to use instead of `transports` (engine.io-client 6.6's name for
   * `transports` given as classes), e.g. `[Fetch, WebSocket]`. Not together with `transports`.
   * @default undefined
   */
  transportImplementations?: readonly TransportCtor[];
  /**
   * Whether to upgrade from HTTP long-polling to WebSocket when the server allows it.
   * @default true
   */
  upgrade?: boolean;
  /**
   * Whether to open straight with WebSocket when a WebSocket already worked with this server
   * (as recorded in `rememberUpgradeStore`).
   * @default false
   */
  rememberUpgrade?: boolean;
  /**
   * Where `rememberUpgrade` records successful WebSocket connections, keyed by server URL.
   * Share one store between sockets (a `Map` fits) so a reconnection benefits from it.
   * @default a store private to the socket
   */
  rememberUpgradeStore?: RememberUpgradeStore;
  /**
   * Whether to try the next transport of `transports` when one fails to connect.
   * @default false
   */
  tryAllTransports?: boolean;
  /**
   * Per-transport overrides, keyed by transport name, e.g. `{ polling: { extraHeaders } }`.
   * @default {}
   */
  transportOptions?: Record<string, TransportOverrides>;
  /**
   * Headers added to every HTTP request and to the WebSocket handshake (Node.js; browsers
   * only allow them on polling requests).
   * @default {}
   */
  extraHeaders?: Record<string, string>;
  /**
   * Whether cross-site requests carry credentials. In Node.js this enables a cookie jar per
   * socket, so cookies set by the server (sticky sessions) are sent back.
   * @default false
   */
  withCredentials?: boolean;
  /**
   * Whether binary data is sent base64-encoded in text frames (asks the server for the same).
   * @default false
   */
  forceBase64?: boolean;
  /**
   * Whether a cache-busting parameter is added to each request URL.
   * @default undefined (on for polling, off for WebSocket)
   */
  timestampRequests?: boolean;
  /**
   * The name of the cache-busting query parameter.
   * @default "t"
   */
  timestampParam?: string;
  /**
   * Whether to close the connection silently when the page unloads (browsers), so that no
   * "transport close" reaches the application.
   * @default false
   */
  closeOnBeforeunload?: boolean;
  /**
   * WebSocket subprotocols.
   * @default []
   */
  protocols?: string | string[];
  /**
   * Whether timers and sockets are unref'ed so that an open connection does not keep the
   * Node.js process alive.
   * @default false
   */
  autoUnref?: boolean;
  /**
   * Timeout of each HTTP long-polling request (and of the WebSocket handshake in Node.js), in
   * milliseconds; 0 disables it. Keep it above the server's pingInterval.
   * @default 0
   */
  requestTimeout?: number;
  /**
   * Whether the socket's timers (heartbeat, deferred events) use the timer functions present
   * when the package loaded, so that a fake clock installed later does not affect them.
   * @default false
   */
  useNativeTimers?: boolean;
  /**
   * Per-message deflate of the Node.js WebSocket transport; `false` disables it.
   * @default { threshold: 1024 }
   */
  perMessageDeflate?: boolean | PerMessageDeflateOptions;
  /**
   * The `http.Agent` of the Node.js transports; `false` uses Node's global agent.
   * @default false
   */
  agent?: false | object;
}

/** The options as the socket uses them: defaults applied, values checked. */
export interface ResolvedSocketOptions {
  hostname: string;
  port: string;
  secure: boolean;
  query: Record<string, string>;
  path: string;
  addTrailingSlash: boolean;
  transports: ReadonlyArray<string | TransportCtor>;
  upgrade: boolean;
  rememberUpgrade: boolean;
  rememberUpgradeStore: RememberUpgradeStore | undefined;
  tryAllTransports: boolean;
  transportOptions: Readonly<Record<string, TransportOverrides>>;
  extraHeaders: Readonly<Record<string, string>>;
  withCredentials: boolean;
  forceBase64: boolean;
  timestampRequests: boolean | undefined;
  timestampParam: string;
  closeOnBeforeunload: boolean;
  protocols: readonly string[];
  autoUnref: boolean;
  requestTimeout: number;
  perMessageDeflate: false | { threshold: number };
  agent: false | object;
  useNativeTimers: boolean;
  tls: Readonly<TlsOptions>;
}

/**
 * A transport name: "polling" and "websocket" here; "webtransport" is accepted and skipped;
 * any other string names a transport class given in `transports`.
 */
export type TransportName = "polling" | "websocket" | "webtransport" | (string & {});

/** The defaults of every option that has a fixed default. */
export const DEFAULT_SOCKET_OPTIONS = Object.freeze({
  path: "/engine.io",
  addTrailingSlash: true,
  transports: Object.freeze(["polling", "websocket"]) as readonly string[],
  upgrade: true,
  rememberUpgrade: false,
  tryAllTransports: false,
  transportOptions: Object.freeze({}) as Readonly<Record<string, TransportOverrides>>,
  extraHeaders: Object.freeze({}) as Readonly<Record<string, string>>,
  withCredentials: false,
  forceBase64: false,
  timestampRequests: undefined as boolean | undefined,
  timestampParam: "t",
  closeOnBeforeunload: false,
  protocols: Object.freeze([]) as readonly string[],
  autoUnref: false,
  requestTimeout: 0,
  perMessageDeflate: Object.freeze({ threshold: 1024 }),
  agent: false as const,
  useNativeTimers: false,
});

const TLS_KEYS = ["pfx", "key", "passphrase", "cert", "ca", "ciphers", "rejectUnauthorized"] as const;

/**
 * Applies defaults to the options of the Socket constructor and checks them. `uri`, when
 * given, sets hostname, port, secure and query. Throws {@link InvalidOptionError}.
 */
export function resolveSocketOptions(uri?: string, opts: SocketOptions = {}): ResolvedSocketOptions {
  if (typeof opts !== "object" || opts === null) throw new InvalidOptionError("options", "an object", opts);
  const parsed = uri === undefined ? undefined : parseOrThrow("uri", checkString("uri", uri));
  // engine.io-client reads only the host name of `host`; its port is read here too.
  const fromHost = opts.host === undefined ? undefined : parseOrThrow("host", checkString("host", opts.host));

  const secure = checkBoolean("secure", parsed?.secure ?? opts.secure ?? isPageSecure());
  const explicitHostname = parsed?.hostname ?? opts.hostname ?? fromHost?.hostname;
  const hostname = explicitHostname === undefined ? pageHostname() : checkNonEmptyString("hostname", explicitHostname);
  const explicitPort = nonEmpty(parsed?.port) ?? opts.port ?? nonEmpty(fromHost?.port);
  const portOfPage = explicitHostname === undefined ? pagePort() : undefined;
  const port = checkPort(explicitPort ?? portOfPage ?? (secure ? "443" : "80"));

  const queryOption = opts.query ?? {};
  const query = { ...checkQuery("query", queryOption), ...(parsed?.query ?? {}) };

  const addTrailingSlash = checkBoolean("addTrailingSlash", opts.addTrailingSlash ?? DEFAULT_SOCKET_OPTIONS.addTrailingSlash);
  const path = normalizePath(checkString("path", opts.path ?? DEFAULT_SOCKET_OPTIONS.path), addTrailingSlash);

  if (opts.transports !== undefined && opts.transportImplementations !== undefined) {
    throw new InvalidOptionError("transportImplementations", "left out when transports is given", opts.transportImplementations);
  }
  const transports = opts.transportImplementations ?? opts.transports ?? DEFAULT_SOCKET_OPTIONS.transports;
  if (!Array.isArray(transports)) {
    throw new InvalidOptionError("transports", "an array of transport names or classes", transports);
  }
  for (const transport of transports) {
    if (typeof transport !== "string" && typeof transport !== "function") {
      throw new InvalidOptionError("transports", "an array of transport names or classes", transport);
    }
  }

  const store = opts.rememberUpgradeStore;
  if (store !== undefined && (typeof store?.get !== "function" || typeof store?.set !== "function")) {
    throw new InvalidOptionError("rememberUpgradeStore", "an object with get() and set() (a Map fits)", store);
  }

  const transportOptions = opts.transportOptions ?? DEFAULT_SOCKET_OPTIONS.transportOptions;
  checkObject("transportOptions", transportOptions);
  for (const [name, overrides] of Object.entries(transportOptions)) {
    checkObject(`transportOptions.${name}`, overrides);
    checkTransportOverrides(name, overrides);
  }

  const tls: TlsOptions = {};
  for (const key of TLS_KEYS) {
    if (opts[key] !== undefined) (tls as Record<string, unknown>)[key] = opts[key];
  }
  if (tls.rejectUnauthorized !== undefined) checkBoolean("rejectUnauthorized", tls.rejectUnauthorized);

  return {
    hostname,
    port,
    secure,
    query,
    path,
    addTrailingSlash,
    transports: [...transports],
    upgrade: checkBoolean("upgrade", opts.upgrade ?? DEFAULT_SOCKET_OPTIONS.upgrade),
    rememberUpgrade: checkBoolean("rememberUpgrade", opts.rememberUpgrade ?? DEFAULT_SOCKET_OPTIONS.rememberUpgrade),
    rememberUpgradeStore: store,
    tryAllTransports: checkBoolean("tryAllTransports", opts.tryAllTransports ?? DEFAULT_SOCKET_OPTIONS.tryAllTransports),
    transportOptions,
    extraHeaders: checkHeaders("extraHeaders", opts.extraHeaders ?? DEFAULT_SOCKET_OPTIONS.extraHeaders),
    withCredentials: checkBoolean("withCredentials", opts.withCredentials ?? DEFAULT_SOCKET_OPTIONS.withCredentials),
    forceBase64: checkBoolean("forceBase64", opts.forceBase64 ?? DEFAULT_SOCKET_OPTIONS.forceBase64),
    timestampRequests:
      opts.timestampRequests === undefined ? undefined : checkBoolean("timestampRequests", opts.timestampRequests),
    timestampParam: checkNonEmptyString("timestampParam", opts.timestampParam ?? DEFAULT_SOCKET_OPTIONS.timestampParam),
    closeOnBeforeunload: checkBoolean(
      "closeOnBeforeunload",
      opts.closeOnBeforeunload ?? DEFAULT_SOCKET_OPTIONS.closeOnBeforeunload,
    ),
    protocols: checkProtocols("protocols", opts.protocols ?? DEFAULT_SOCKET_OPTIONS.protocols),
    autoUnref: checkBoolean("autoUnref", opts.autoUnref ?? DEFAULT_SOCKET_OPTIONS.autoUnref),
    requestTimeout: checkTimeout("requestTimeout", opts.requestTimeout ?? DEFAULT_SOCKET_OPTIONS.requestTimeout),
    perMessageDeflate: checkDeflate("perMessageDeflate", opts.perMessageDeflate ?? DEFAULT_SOCKET_OPTIONS.perMessageDeflate),
    agent: checkAgent("agent", opts.agent ?? DEFAULT_SOCKET_OPTIONS.agent),
    useNativeTimers: checkBoolean("useNativeTimers", opts.useNativeTimers ?? DEFAULT_SOCKET_OPTIONS.useNativeTimers),
    tls,
  };
}

/** Checks one transport's overrides; used when a transport is created. */
export function checkTransportOverrides(name: string, overrides: TransportOverrides): void {
  const prefix = `transportOptions.${name}.`;
  if (overrides.path !== undefined) checkString(prefix + "path", overrides.path);
  if (overrides.query !== undefined) checkQuery(prefix + "query", overrides.query);
  if (overrides.extraHeaders !== undefined) checkHeaders(prefix + "extraHeaders", overrides.extraHeaders);
  if (overrides.requestTimeout !== undefined) checkTimeout(prefix + "requestTimeout", overrides.requestTimeout);
  if (overrides.protocols !== undefined) checkProtocols(prefix + "protocols", overrides.protocols);
  if (overrides.perMessageDeflate !== undefined) checkDeflate(prefix + "perMessageDeflate", overrides.perMessageDeflate);
  if (overrides.timestampParam !== undefined) checkNonEmptyString(prefix + "timestampParam", overrides.timestampParam);
  for (const key of ["withCredentials", "forceBase64", "timestampRequests", "rejectUnauthorized"] as const) {
    if (overrides[key] !== undefined) checkBoolean(prefix + key, overrides[key]);
  }
}

export function normalizePath(path: string, addTrailingSlash: boolean): string {
  const withoutSlash = path.endsWith("/") ? path.slice(0, -1) : path;
  const absolute = withoutSlash.startsWith("/") ? withoutSlash : `/${withoutSlash}`;
  return addTrailingSlash ? `${absolute}/` : absolute;
}

export function checkDeflate(name: string, value: unknown): false | { threshold: number } {
  if (value === false) return false;
  if (value === true) return { threshold: DEFAULT_SOCKET_OPTIONS.perMessageDeflate.threshold };
  checkObject(name, value);
  const threshold = (value as PerMessageDeflateOptions).threshold ?? DEFAULT_SOCKET_OPTIONS.perMessageDeflate.threshold;
  if (typeof threshold !== "number" || !Number.isFinite(threshold) || threshold < 0) {
    throw new InvalidOptionError(`${name}.threshold`, "a number >= 0", threshold);
  }
  return { ...(value as object), threshold };
}

export function checkQuery(name: string, value: unknown): Record<string, string> {
  if (typeof value === "string") return decodeQuery(value);
  checkObject(name, value);
  const query: Record<string, string> = {};
  for (const [key, item] of Object.entries(value as object)) {
    if (item === undefined) continue;
    if (typeof item !== "string" && typeof item !== "number" && typeof item !== "boolean") {
      throw new InvalidOptionError(`${name}.${key}`, "a string, number or boolean", item);
    }
    query[key] = String(item);
  }
  return query;
}

function checkHeaders(name: string, value: unknown): Record<string, string> {
  checkObject(name, value);
  for (const [key, item] of Object.entries(value as object)) {
    if (typeof item !== "string") throw new InvalidOptionError(`${name}.${key}`, "a string", item);
  }
  return { ...(value as Record<string, string>) };
}

function checkProtocols(name: string, value: unknown): string[] {
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || list.some((item) => typeof item !== "string" || item.length === 0)) {
    throw new InvalidOptionError(name, "a string or an array of non-empty strings", value);
  }
  return [...(list as string[])];
}

function checkTimeout(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 2_147_483_647) {
    throw new InvalidOptionError(name, "an integer number of milliseconds from 0 to 2147483647", value);
  }
  return value;
}

function checkPort(value: unknown): string {
  const port = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidOptionError("port", "an integer from 0 to 65535", value);
  }
  return String(port);
}

function checkAgent(name: string, value: unknown): false | object {
  if (value === false || (typeof value === "object" && value !== null)) return value;
  throw new InvalidOptionError(name, "false or an http.Agent", value);
}

function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new InvalidOptionError(name, "a boolean", value);
  return value;
}

function checkString(name: string, value: unknown): string {
  if (typeof value !== "string") throw new InvalidOptionError(name, "a string", value);
  return value;
}

function checkNonEmptyString(name: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) throw new InvalidOptionError(name, "a non-empty string", value);
  return value;
}

function checkObject(name: string, value: unknown): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(name, "an object", value);
  }
}

function parseOrThrow(name: string, uri: string): ParsedUri {
  try {
    return parseUri(uri);
  } catch {
    throw new InvalidOptionError(name, "a valid URI or host", uri);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.length === 0 ? undefined : value;
}
