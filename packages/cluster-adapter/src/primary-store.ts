// What the primary keeps for connection state recovery, per namespace: the sessions of
// sockets that disconnected, and the recoverable broadcasts in the order the primary
// relayed them (which is the order every worker delivered them: see NodeClusterAdapter).
// Both are bounded by count (maxBufferedPackets) and age (maxDisconnectionDuration). The
// primary keeps payloads as they arrived and decodes none of them.
import type { Payload } from "./wire";

/** Limits of the primary's recovery store. */
export interface RecoveryLimits {
  /** How many broadcast packets each namespace's log keeps; the oldest are dropped first. */
  readonly maxBufferedPackets: number;
  /** How long (ms) a session and a packet are kept. */
  readonly maxDisconnectionDuration: number;
}

interface Stored {
  readonly payload: Payload;
  readonly at: number;
}

/** A session and the packets broadcast after the client's offset, as the primary keeps them. */
export interface StoredRecovery {
  readonly session: Payload;
  readonly packets: Array<{ offset: string; payload: Payload }>;
}

class NamespaceLog {
  // Maps keep insertion order: the first key is the oldest, dropped first.
  readonly packets = new Map<string, Stored>();
  readonly sessions = new Map<string, Stored>();
}

export class RecoveryStore {
  readonly #limits: RecoveryLimits;
  readonly #logs = new Map<string, NamespaceLog>();

  constructor(limits: RecoveryLimits) {
    this.#limits = limits;
  }

  /** How many packets and sessions are kept for namespace `nsp`. */
  sizes(nsp: string): { packets: number; sessions: number } {
    const log = this.#logs.get(nsp);
    return { packets: log?.packets.size ?? 0, sessions: log?.sessions.size ?? 0 };
  }

  record(nsp: string, offset: string, payload: Payload): void {
    const log = this.#log(nsp);
    log.packets.set(offset, { payload, at: Date.now() });
    while (log.packets.size > this.#limits.maxBufferedPackets) this.#dropOldest(log.packets);
    this.#prune(log);
  }

  saveSession(nsp: string, pid: string, payload: Payload): void {
    const log = this.#log(nsp);
    log.sessions.delete(pid); // re-inserted last: the map stays in time order
    log.sessions.set(pid, { payload, at: Date.now() });
    this.#prune(log);
  }

  /**
   * The session of `pid` with the packets after `offset`, or null when the session is
   * unknown or expired, or `offset` is no longer (or never was) in the log. A session is
   * restored at most once.
   */
  restore(nsp: string, pid: string, offset: string): StoredRecovery | null {
    const log = this.#logs.get(nsp);
    if (log === undefined) return null;
    this.#prune(log);
    const session = log.sessions.get(pid);
    if (session === undefined || !log.packets.has(offset)) return null;
    log.sessions.delete(pid);
    const packets: Array<{ offset: string; payload: Payload }> = [];
    let isAfter = false;
    for (const [packetOffset, packet] of log.packets) {
      if (isAfter) packets.push({ offset: packetOffset, payload: packet.payload });
      else if (packetOffset === offset) isAfter = true;
    }
    return { session: session.payload, packets };
  }

  clear(): void {
    this.#logs.clear();
  }

  #log(nsp: string): NamespaceLog {
    let log = this.#logs.get(nsp);
    if (log === undefined) {
      log = new NamespaceLog();
      this.#logs.set(nsp, log);
    }
    return log;
  }

  /** Drops what is older than maxDisconnectionDuration (from the oldest: stops at the first young one). */
  #prune(log: NamespaceLog): void {
    const threshold = Date.now() - this.#limits.maxDisconnectionDuration;
    for (const map of [log.packets, log.sessions]) {
      for (const [key, stored] of map) {
        if (stored.at >= threshold) break;
        map.delete(key);
      }
    }
  }

  #dropOldest(map: Map<string, Stored>): void {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
}
