// Connection state recovery on the worker's side: the session a worker rebuilds from what
// the primary sent back (which broadcasts are recorded is @volley/adapter's isRecoverable).
import { MessageType, parseClusterMessage, type Session, type SessionToPersist } from "@volley/adapter";
import createDebug from "debug";
import type { PayloadCodec, RestoredEnvelope } from "./wire";

const debug = createDebug("volley:cluster-adapter:recovery");

/** Whether a broadcast to `rooms` except `except` reaches socket `sid`, member of `socketRooms`. */
function matches(rooms: readonly string[], except: readonly string[] | undefined, socketRooms: ReadonlySet<string>, sid: string): boolean {
  const excluded = new Set(except);
  if (excluded.has(sid)) return false;
  for (const room of socketRooms) if (excluded.has(room)) return false;
  return rooms.length === 0 || rooms.some((room) => socketRooms.has(room));
}

/**
 * The session the primary sent, with the missed packets its rooms match, in the primary's
 * order; null when the primary had none, or when any part is unreadable (a recovery with a
 * gap would break the promise of every missed packet).
 */
export function sessionFromPrimary(codec: PayloadCodec, envelope: RestoredEnvelope): Session | null {
  if (envelope.session === null) return null;
  try {
    const session = codec.decode(envelope.session) as SessionToPersist;
    const rooms = new Set(session.rooms);
    const missedPackets: unknown[][] = [];
    for (const { offset, payload } of envelope.packets) {
      const message = parseClusterMessage(codec.decode(payload));
      if (message.type !== MessageType.BROADCAST || !Array.isArray(message.data.packet.data)) continue;
      if (matches(message.data.opts.rooms, message.data.opts.except, rooms, session.sid)) {
        missedPackets.push([...message.data.packet.data, offset]);
      }
    }
    return { sid: session.sid, pid: session.pid, rooms: [...session.rooms], data: session.data, missedPackets };
  } catch (error) {
    debug("unreadable session from the primary: %s", (error as Error).message);
    return null;
  }
}
