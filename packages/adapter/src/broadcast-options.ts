// Building, reading and (de)serialising BroadcastOptions. Options are snapshots: the
// adapter copies what it keeps, so a caller reusing its Sets cannot change a broadcast
// after the fact.
import type { BroadcastFlags, BroadcastOptions, Room } from "./types";
import type { SocketWriteOptions } from "./contract";
import { InvalidArgumentError } from "./errors";

/** What {@link createBroadcastOptions} accepts: any iterables of rooms. */
export interface BroadcastOptionsInit {
  rooms?: Iterable<Room>;
  except?: Iterable<Room>;
  flags?: BroadcastFlags;
}

/** BroadcastOptions as plain data (arrays, no undefined), for cluster messages. */
export interface SerializedBroadcastOptions {
  rooms: Room[];
  except: Room[];
  flags: SerializedBroadcastFlags;
}

/** BroadcastFlags as plain data: only the flags that are set. */
export interface SerializedBroadcastFlags {
  volatile?: boolean;
  compress?: boolean;
  local?: boolean;
  timeout?: number;
  broadcast?: boolean;
  binary?: boolean;
}

const EMPTY_ROOMS: ReadonlySet<Room> = new Set();

/**
 * Build frozen BroadcastOptions from iterables (the Sets are fresh copies that nobody else
 * holds).
 * @example createBroadcastOptions({ rooms: ["room1"], except: [socket.id], flags: { volatile: true } })
 */
export function createBroadcastOptions(init: BroadcastOptionsInit = {}): BroadcastOptions {
  return Object.freeze({
    rooms: new Set(init.rooms ?? []),
    except: new Set(init.except ?? []),
    flags: Object.freeze(copyFlags(init.flags)),
  });
}

/** The SocketWriteOptions a broadcast's flags ask for (compress unless told otherwise). */
export function toWriteOptions(flags: Readonly<BroadcastFlags> | undefined): SocketWriteOptions {
  return Object.freeze({
    volatile: flags?.volatile === true,
    compress: flags?.compress !== false,
  });
}

/** Whether the operation stays on this node. */
export function isLocalOnly(opts: BroadcastOptions): boolean {
  return opts.flags?.local === true;
}

/** The rooms to exclude, never undefined. */
export function exceptOf(opts: Pick<BroadcastOptions, "except">): ReadonlySet<Room> {
  return opts.except ?? EMPTY_ROOMS;
}

/** Plain data for a cluster message. */
export function serializeBroadcastOptions(opts: BroadcastOptions): SerializedBroadcastOptions {
  return {
    rooms: [...opts.rooms],
    except: [...exceptOf(opts)],
    flags: copyFlags(opts.flags),
  };
}

/** Back from plain data (already validated by the message parser). */
export function deserializeBroadcastOptions(opts: SerializedBroadcastOptions): BroadcastOptions {
  return createBroadcastOptions(opts);
}

/** Validates an `opts` argument given to the adapter by the server. */
export function checkBroadcastOptions(opts: unknown): asserts opts is BroadcastOptions {
  if (typeof opts !== "object" || opts === null || !(((opts as BroadcastOptions).rooms) instanceof Set)) {
    throw new InvalidArgumentError("broadcast options need a `rooms` Set");
  }
  const { except } = opts as BroadcastOptions;
  if (except !== undefined && !(except instanceof Set)) {
    throw new InvalidArgumentError("broadcast options `except` must be a Set when given");
  }
}

function copyFlags(flags: Readonly<BroadcastFlags> | undefined): SerializedBroadcastFlags {
  const copy: SerializedBroadcastFlags = {};
  if (flags === undefined || flags === null) return copy;
  // Only set keys: plain-data encoders (msgpack) turn undefined into null.
  if (typeof flags.volatile === "boolean") copy.volatile = flags.volatile;
  if (typeof flags.compress === "boolean") copy.compress = flags.compress;
  if (typeof flags.local === "boolean") copy.local = flags.local;
  if (typeof flags.timeout === "number") copy.timeout = flags.timeout;
  if (typeof flags.broadcast === "boolean") copy.broadcast = flags.broadcast;
  if (typeof flags.binary === "boolean") copy.binary = flags.binary;
  return copy;
}
