import { CHECK_OPTIONS, FULL_MESSAGES, mergeObjects, optionChecks, resolveOptions, type OptionCheck } from "@volley/shared";
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
  /** Node.js build only (its WebSocket transport reads it): absent in the browser builds. */
  perMessageDeflate: false | { threshold: number };
  /** Node.js build only (its transports read it): absent in the browser builds. */
  agent: false | object;
  useNativeTimers: boolean;
  /** The TLS options given. Node.js build only (its transports read them): absent in the browser builds. */
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

export const { is, boolean, string, nonEmptyString, object } = optionChecks((name, expected, value) => new InvalidOptionError(name, expected, value));

const milliseconds = is<number>(
  (value) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 2_147_483_647,
  "an integer number of milliseconds from 0 to 2147483647",
);
const checkPort = is((value) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535, "an integer from 0 to 65535");
export const anything: OptionCheck = (_name, value) => value;

const queryValue = is((value) => ["string", "number", "boolean"].includes(typeof value), "a string, number or boolean");

/** An object of strings, numbers and booleans (the values become strings), or a query string. */
export const checkQuery: OptionCheck<Record<string, string>> = (name, value) => {
  if (typeof value === "string") return decodeQuery(value);
  const query: Record<string, string> = {};
  for (const [key, item] of Object.entries(object(name, value))) {
    if (item !== undefined) query[key] = String(queryValue(`${name}.${key}`, item));
  }
  return query;
};

const checkHeaders: OptionCheck<Record<string, string>> = (name, value) => {
  if (CHECK_OPTIONS) for (const [key, item] of Object.entries(object(name, value))) string(`${name}.${key}`, item);
  return { ...(value as Record<string, string>) };
};

const checkProtocols: OptionCheck<string[]> = (name, value) => [
  ...is<string[]>(
    (list) => Array.isArray(list) && list.every((item) => typeof item === "string" && item.length > 0),
    "a string or an array of non-empty strings",
  )(name, typeof value === "string" ? [value] : value),
];

/** The checks of the options a transport reads, by name. */
export type TransportOptionChecks = { readonly [K in keyof TransportOverrides]?: OptionCheck };

/**
 * The options every platform's transports read (a transport may override them through
 * `transportOptions`), each with its check: the same checks validate them on the socket and
 * in the overrides, and the socket picks them for each transport it creates. The Node.js
 * build adds those only its transports read (node/options.ts); browser builds leave them out.
 */
export const TRANSPORT_OPTION_CHECKS: TransportOptionChecks = {
  path: string,
  query: checkQuery,
  extraHeaders: checkHeaders,
  withCredentials: boolean,
  forceBase64: boolean,
  timestampRequests: boolean,
  timestampParam: nonEmptyString,
  requestTimeout: milliseconds,
  protocols: checkProtocols,
};

/** The checks of the Socket constructor's options, for transports that read `transportChecks`. */
function socketOptionChecks(transportChecks: TransportOptionChecks): Record<string, OptionCheck> {
  return {
    ...transportChecks,
    // read with the URI's query, below
    query: anything,
    addTrailingSlash: boolean,
    upgrade: boolean,
    rememberUpgrade: boolean,
    tryAllTransports: boolean,
    closeOnBeforeunload: boolean,
    autoUnref: boolean,
    useNativeTimers: boolean,
    transports: is(
      (list) => Array.isArray(list) && list.every((item) => typeof item === "string" || typeof item === "function"),
      "an array of transport names or classes",
    ),
    rememberUpgradeStore: is(
      (store) => typeof (store as RememberUpgradeStore)?.get === "function" && typeof (store as RememberUpgradeStore).set === "function",
      "an object with get() and set() (a Map fits)",
    ),
    // checked here, applied per transport by the socket
    transportOptions: !CHECK_OPTIONS ? anything : (name: string, value: unknown) => {
      for (const [transport, overrides] of Object.entries(object(name, value))) {
        resolveOptions(object(`${name}.${transport}`, overrides), transportChecks, {}, `${name}.${transport}.`);
      }
      return value;
    },
  };
}

/**
 * Applies defaults to the options of the Socket constructor and checks them. `uri`, when
 * given, sets hostname, port, secure and query. Throws {@link InvalidOptionError}.
 * The options only the Node.js transports read (TLS, `agent`, `perMessageDeflate`) are
 * resolved by the Node.js build only: the browser builds leave them out of the result.
 */
export function resolveSocketOptions(uri?: string, opts?: SocketOptions): ResolvedSocketOptions {
  return resolveSocketOptionsFor(TRANSPORT_OPTION_CHECKS, uri, opts);
}

/** {@link resolveSocketOptions} for transports that read the options of `transportChecks`. */
export function resolveSocketOptionsFor(
  transportChecks: TransportOptionChecks,
  uri?: string,
  opts: SocketOptions = {},
): ResolvedSocketOptions {
  object("options", opts);
  const parsed = uri === undefined ? undefined : parseOrThrow("uri", string("uri", uri));
  // engine.io-client reads only the host name of `host`; its port is read here too.
  const fromHost = opts.host === undefined ? undefined : parseOrThrow("host", string("host", opts.host));
  if (CHECK_OPTIONS && opts.transports !== undefined && opts.transportImplementations !== undefined) {
    throw new InvalidOptionError("transportImplementations", FULL_MESSAGES ? "left out when transports is given" : "", opts.transportImplementations);
  }
  const resolved = resolveOptions(
    { ...opts, transports: opts.transportImplementations ?? opts.transports },
    socketOptionChecks(transportChecks),
    DEFAULT_SOCKET_OPTIONS as object,
  ) as unknown as ResolvedSocketOptions;

  const secure = boolean("secure", parsed?.secure ?? opts.secure ?? isPageSecure());
  const explicitHostname = parsed?.hostname ?? opts.hostname ?? fromHost?.hostname;
  const explicitPort = nonEmpty(parsed?.port) ?? opts.port ?? nonEmpty(fromHost?.port);
  const port = explicitPort ?? (explicitHostname === undefined ? pagePort() : undefined) ?? (secure ? "443" : "80");
  return mergeObjects<ResolvedSocketOptions>(resolved, {
    secure,
    hostname: explicitHostname === undefined ? pageHostname() : nonEmptyString("hostname", explicitHostname),
    port: String(checkPort("port", typeof port === "string" && /^\d+$/.test(port) ? Number(port) : port)),
    query: { ...checkQuery("query", opts.query ?? {}), ...parsed?.query },
    path: normalizePath(resolved.path, resolved.addTrailingSlash),
    transports: [...resolved.transports],
  });
}

export function normalizePath(path: string, addTrailingSlash: boolean): string {
  const withoutSlash = path.endsWith("/") ? path.slice(0, -1) : path;
  const absolute = withoutSlash.startsWith("/") ? withoutSlash : `/${withoutSlash}`;
  return addTrailingSlash ? `${absolute}/` : absolute;
}

function parseOrThrow(name: string, uri: string): ParsedUri {
  // unchecked, a URI that `URL` refuses throws URL's own TypeError
  if (!CHECK_OPTIONS) return parseUri(uri);
  try {
    return parseUri(uri);
  } catch {
    throw new InvalidOptionError(name, FULL_MESSAGES ? "a valid URI or host" : "", uri);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.length === 0 ? undefined : value;
}
