import type { ResolvedServerOptions } from "../options";
import type { Socket } from "../socket";
import { DeadlineQueue } from "./deadline-queue";
import { kHeartbeatTimeout, kPing } from "./symbols";

/**
 * The heartbeat deadlines of every session of one server. A session is in at most one of
 * them at a time (its `Deadline` moves from one to the other).
 */
export interface HeartbeatQueues {
  /** v4: the next ping is due pingInterval after the last pong (or the open). */
  readonly ping: DeadlineQueue<Socket>;
  /** v4: the pong is due pingTimeout after the ping. */
  readonly pong: DeadlineQueue<Socket>;
  /** v3: the client's ping is due pingInterval + pingTimeout after its last one. */
  readonly clientPing: DeadlineQueue<Socket>;
}

export function createHeartbeatQueues(opts: ResolvedServerOptions): HeartbeatQueues {
  return {
    ping: new DeadlineQueue(opts.pingInterval, pingSession),
    pong: new DeadlineQueue(opts.pingTimeout, timeOutSession),
    clientPing: new DeadlineQueue(opts.pingInterval + opts.pingTimeout, timeOutSession),
  };
}

function pingSession(socket: Socket): void {
  socket[kPing]();
}

function timeOutSession(socket: Socket): void {
  socket[kHeartbeatTimeout]();
}
