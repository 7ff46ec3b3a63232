// `io()`: the entry point of socket.io-client's API. One Manager per server is cached, so
// that `io("https://host/a")` and `io("https://host/b")` share one connection. The cache is
// the documented behaviour of io(), hence module state; `forceNew` / `multiplex: false`
// bypass it, and `new Manager()` never touches it.
import createDebug from "debug";
import { kHasNamespace } from "./internal";
import { Manager } from "./manager";
import { DEFAULT_MANAGER_OPTIONS, type ManagerOptions, type SocketOptions } from "./options";
import { Socket } from "./socket";
import type { DefaultEventsMap, EventsMap } from "./typed-events";
import { parseUrl } from "./url";

const debug = createDebug("volley:client:io");

const managers = new Map<string, Manager>();

/** Options of `io()`: the Manager's (with the Engine.IO client's) and the Socket's. */
export type IoOptions = ManagerOptions & SocketOptions;

/**
 * Connects to a namespace of a Socket.IO server and returns its socket. The URL's path is
 * the namespace and its query string is sent with the connection; without a URL, the page's
 * (or Web Worker's) location is used. Namespaces of the same server share one connection,
 * unless `forceNew` or `multiplex: false` is given, or the namespace is already open.
 *
 * @example
 * const socket = io("https://example.com/chat?room=1", { auth: { token } });
 * const same = io(); // the page's server, namespace "/"
 */
export function io<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>(
  opts?: IoOptions,
): Socket<ListenEvents, EmitEvents>;
export function io<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>(
  uri?: string,
  opts?: IoOptions,
): Socket<ListenEvents, EmitEvents>;
export function io<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>(
  uri?: string | IoOptions,
  opts?: IoOptions,
): Socket<ListenEvents, EmitEvents> {
  if (typeof uri === "object" && uri !== null) {
    opts = uri;
    uri = undefined;
  }
  const options: IoOptions = opts ?? {};
  const parsed = parseUrl(uri, options.path ?? DEFAULT_MANAGER_OPTIONS.path);
  const cached = managers.get(parsed.id);
  const isNewConnection =
    options.forceNew === true || options.multiplex === false || (cached !== undefined && cached[kHasNamespace](parsed.nsp));
  let manager: Manager;
  if (isNewConnection) {
    debug("new Manager for %s", parsed.source);
    manager = new Manager(parsed.source, options);
  } else if (cached === undefined) {
    debug("new cached Manager for %s", parsed.id);
    manager = new Manager(parsed.source, options);
    managers.set(parsed.id, manager);
  } else {
    manager = cached;
  }
  return manager.socket(parsed.nsp, options) as unknown as Socket<ListenEvents, EmitEvents>;
}

/** Alias of {@link io}. */
export const connect: typeof io = io;

// As socket.io-client's io(), in every build: it carries Manager, Socket, io and connect.
io.Manager = Manager;
io.Socket = Socket;
io.io = io;
io.connect = io;
