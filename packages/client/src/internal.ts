// Links between the Manager and its Sockets: methods keyed by module symbols, so that
// neither class reaches into the other's private state and none of it is public API (the
// symbols are not exported from the package; no descriptions, which the bundles would carry).
import type { Packet } from "@volley/parser";

/** `manager[kWrite](packet, compress)`: encodes a packet and hands it to the Engine.IO connection. */
export const kWrite = Symbol();
/** `manager[kRelease]()`: a socket stopped listening; the Manager closes when none is left. */
export const kRelease = Symbol();
/** `manager[kState]()`: what a socket needs of the Manager's state. */
export const kState = Symbol();
/** `manager[kHasNamespace](nsp)`: whether the Manager already has a socket for `nsp` (io() cache). */
export const kHasNamespace = Symbol();
/**
 * `socket[kOnManager](event, ...args)`: what the Manager tells each active socket ("open",
 * "error", "close", and "packet" to the socket of the packet's namespace) by a direct call
 * rather than through listeners on the Manager (no closures per socket, no event dispatch on
 * the receive path).
 */
export const kOnManager = Symbol();

/** What a socket reads of its Manager's state. */
export interface ManagerState {
  readyState: "opening" | "open" | "closed";
  reconnecting: boolean;
  autoConnect: boolean;
}

/** Per-emit flags, immutable: modifiers (`timeout`, `volatile`, `compress`) make new ones. */
export interface EmitFlags {
  readonly volatile: boolean;
  readonly compress: boolean;
  /** The ack timeout of this emit; undefined: the socket's `ackTimeout`. */
  readonly timeout: number | undefined;
}

export const DEFAULT_FLAGS: EmitFlags = Object.freeze({ volatile: false, compress: true, timeout: undefined });

