// The messages the primary and its workers exchange over the cluster's IPC channel. Every
// message has a `type` under the "volley:sticky:" prefix so that other users of the channel
// (a cluster adapter, the application) are told apart; bytes travel as base64 because the
// channel's default serialization is JSON.

/** Primary → worker, with the client's socket: the first request on it belongs to this worker. */
export interface ConnectionMessage {
  readonly type: "volley:sticky:connection";
  /** The bytes the primary (or the worker that gave the socket back) already read, base64. */
  readonly data: string;
}

/** Primary → worker: answer with a {@link ReadyMessage} if sticky routing is set up (for workers forked before `setupPrimary()`). */
export interface ProbeMessage {
  readonly type: "volley:sticky:probe";
}

/** Worker → primary: the worker's sticky routing is set up and it may be given connections. */
export interface ReadyMessage {
  readonly type: "volley:sticky:ready";
}

/** Worker → primary: an Engine.IO session was opened on this worker. */
export interface SessionOpenMessage {
  readonly type: "volley:sticky:session-open";
  readonly sid: string;
}

/** Worker → primary: an Engine.IO session of this worker was closed. */
export interface SessionCloseMessage {
  readonly type: "volley:sticky:session-close";
  readonly sid: string;
}

/**
 * Worker → primary, with the client's socket: the next request on this keep-alive
 * connection belongs to another session (or to a new one); the primary routes it again.
 */
export interface ReturnMessage {
  readonly type: "volley:sticky:return";
  /** The bytes of the next request the worker already read, base64. */
  readonly data: string;
}

/** What a worker receives. */
export type PrimaryToWorkerMessage = ConnectionMessage | ProbeMessage;
/** What the primary receives. */
export type WorkerToPrimaryMessage = ReadyMessage | SessionOpenMessage | SessionCloseMessage | ReturnMessage;
/** Every sticky message. */
export type StickyMessage = PrimaryToWorkerMessage | WorkerToPrimaryMessage;

const WORKER_TO_PRIMARY = new Set<string>([
  "volley:sticky:ready",
  "volley:sticky:session-open",
  "volley:sticky:session-close",
  "volley:sticky:return",
]);

/** Whether an IPC message received by the primary is one of ours, with the fields its type needs. */
export function isWorkerToPrimaryMessage(value: unknown): value is WorkerToPrimaryMessage {
  if (typeof value !== "object" || value === null) return false;
  const { type } = value as { type?: unknown };
  if (typeof type !== "string" || !WORKER_TO_PRIMARY.has(type)) return false;
  if (type === "volley:sticky:ready") return true;
  if (type === "volley:sticky:return") return typeof (value as { data?: unknown }).data === "string";
  return typeof (value as { sid?: unknown }).sid === "string";
}

/** Whether an IPC message received by a worker is one of ours. */
export function isPrimaryToWorkerMessage(value: unknown): value is PrimaryToWorkerMessage {
  if (typeof value !== "object" || value === null) return false;
  const { type, data } = value as { type?: unknown; data?: unknown };
  return (type === "volley:sticky:connection" && typeof data === "string") || type === "volley:sticky:probe";
}
