// Connection state recovery storage of one node: the sessions of sockets that disconnected
// unexpectedly, and a bounded buffer of the broadcast packets (by offset) that a
// reconnecting client may have missed. Both expire after maxDisconnectionDuration.
import { PacketType, type Packet } from "@volley/parser";
import { exceptOf } from "./broadcast-options";
import type { BroadcastOptions, Offset, PrivateSessionId, Room, Session, SessionToPersist } from "./types";

/** How often expired sessions and packets are dropped, at most. */
const PRUNE_INTERVAL_MS = 60_000;

interface StoredSession {
  readonly session: SessionToPersist;
  readonly disconnectedAt: number;
}

interface StoredPacket {
  readonly data: unknown[];
  readonly rooms: ReadonlySet<Room>;
  readonly except: ReadonlySet<Room>;
  readonly emittedAt: number;
  /** Packets of its origin were lost just before it (they never reached this node). */
  readonly gapBefore: boolean;
}

export interface SessionStoreLimits {
  readonly maxDisconnectionDuration: number;
  readonly maxBufferedPackets: number;
}

/**
 * Whether a broadcast is kept for recovery: an event (with an array payload), that expects
 * no acknowledgement and that may not be dropped.
 */
export function isRecoverable(packet: Packet, opts: BroadcastOptions): packet is Packet & { data: unknown[] } {
  return (
    (packet.type === PacketType.EVENT || packet.type === PacketType.BINARY_EVENT) &&
    packet.id === undefined &&
    opts.flags?.volatile !== true &&
    Array.isArray(packet.data)
  );
}

export class SessionStore {
  readonly #limits: SessionStoreLimits;
  readonly #sessions = new Map<PrivateSessionId, StoredSession>();
  // A Map keeps insertion order: the first key is the oldest packet, dropped first.
  readonly #packets = new Map<Offset, StoredPacket>();
  readonly #timer: NodeJS.Timeout;

  constructor(limits: SessionStoreLimits) {
    this.#limits = limits;
    this.#timer = setInterval(() => this.prune(), Math.min(PRUNE_INTERVAL_MS, limits.maxDisconnectionDuration));
    // Expiry is also checked on read; this timer only frees memory, it must not keep a process alive.
    this.#timer.unref();
  }

  /** How many packets the buffer holds. */
  get bufferedPackets(): number {
    return this.#packets.size;
  }

  /** How many sessions are kept. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  save(session: SessionToPersist): void {
    this.#sessions.set(session.pid, {
      session: { sid: session.sid, pid: session.pid, rooms: [...session.rooms], data: session.data },
      disconnectedAt: Date.now(),
    });
  }

  /**
   * Records a broadcast packet whose `data` already ends with `offset`. `gapBefore`: some
   * packets of the same origin, numbered before it, never reached this node; no session
   * whose client left before this packet is restored from here any more.
   */
  record(offset: Offset, data: unknown[], opts: BroadcastOptions, gapBefore = false): void {
    this.#packets.set(offset, {
      data,
      rooms: new Set(opts.rooms),
      except: new Set(exceptOf(opts)),
      emittedAt: Date.now(),
      gapBefore,
    });
    while (this.#packets.size > this.#limits.maxBufferedPackets) {
      const oldest = this.#packets.keys().next();
      if (oldest.done === true) break;
      this.#packets.delete(oldest.value);
    }
  }

  /**
   * The session of `pid` with the packets broadcast after `offset` that its rooms match,
   * or null when the session is unknown or expired, `offset` is no longer (or never was)
   * in the buffer, or packets after it are known to be missing here. A session is restored
   * at most once.
   */
  restore(pid: PrivateSessionId, offset: Offset): Session | null {
    const stored = this.#sessions.get(pid);
    if (stored === undefined) return null;
    const threshold = Date.now() - this.#limits.maxDisconnectionDuration;
    if (stored.disconnectedAt < threshold) {
      this.#sessions.delete(pid);
      return null;
    }
    const anchor = this.#packets.get(offset);
    if (anchor === undefined || anchor.emittedAt < threshold) return null;
    const { session } = stored;
    const rooms = new Set(session.rooms);
    const missedPackets: unknown[][] = [];
    let afterOffset = false;
    for (const [packetOffset, packet] of this.#packets) {
      if (afterOffset) {
        // Whatever rooms they were for: the lost packets may have been for this client.
        if (packet.gapBefore) return null;
        if (matches(packet, rooms, session.sid)) missedPackets.push(packet.data);
      } else if (packetOffset === offset) {
        afterOffset = true;
      }
    }
    this.#sessions.delete(pid);
    return { ...session, rooms: [...session.rooms], missedPackets };
  }

  /** Drops expired sessions and packets. */
  prune(): void {
    const threshold = Date.now() - this.#limits.maxDisconnectionDuration;
    for (const [pid, stored] of this.#sessions) {
      if (stored.disconnectedAt < threshold) this.#sessions.delete(pid);
    }
    for (const [offset, packet] of this.#packets) {
      if (packet.emittedAt >= threshold) break;
      this.#packets.delete(offset);
    }
  }

  close(): void {
    clearInterval(this.#timer);
    this.#sessions.clear();
    this.#packets.clear();
  }
}

function matches(packet: StoredPacket, rooms: ReadonlySet<Room>, sid: string): boolean {
  if (packet.except.has(sid)) return false;
  for (const room of rooms) if (packet.except.has(room)) return false;
  if (packet.rooms.size === 0) return true;
  for (const room of rooms) if (packet.rooms.has(room)) return true;
  return false;
}
