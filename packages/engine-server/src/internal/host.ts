import type { OutgoingHttpHeaders } from "node:http";
import type { ResolvedServerOptions } from "../options";
import type { Server } from "../server";
import type { Socket } from "../socket";
import type { HeartbeatQueues } from "./heartbeat";
import type { EngineRequest } from "./request";

/** What sessions and transports need from their server (one object per server). */
export interface EngineHost {
  readonly server: Server;
  readonly opts: ResolvedServerOptions;
  /** Heartbeat deadlines of the server's sessions (one timer per queue, not per session). */
  readonly heartbeats: HeartbeatQueues;
  /** Emits `initial_headers` (with the cookie) for a handshake, then `headers`. */
  emitHeaders(headers: OutgoingHttpHeaders, req: EngineRequest): void;
  /** Forgets a closed session. */
  removeSession(socket: Socket): void;
}
