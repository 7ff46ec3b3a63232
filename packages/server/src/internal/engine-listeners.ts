// The `data` and `close` listeners every Client puts on its Engine.IO socket. Two closures
// per connection cost about 0.15 KB of heap for each idle connection (see bench/REPORT.md);
// instead, each server owns one pair of plain functions, which the engine calls with `this`
// set to the Engine.IO socket, and a map from that socket to its Client.
import type { CloseReason, RawData, Socket as EngineSocket } from "@volley/engine-server";
import { kOnEngineClose, kOnEngineData } from "./symbols";

/** What receives the events of one Engine.IO socket (the Client). */
export interface EngineSocketHandler {
  [kOnEngineData](data: RawData): void;
  [kOnEngineClose](reason: CloseReason, description: unknown): void;
}

/** One per server: routes the events of its Engine.IO sockets to their handlers. */
export class EngineListeners {
  readonly #handlers = new Map<EngineSocket, EngineSocketHandler>();
  readonly #onData: (this: EngineSocket, data: RawData) => void;
  readonly #onClose: (this: EngineSocket, reason: CloseReason, description: unknown) => void;

  constructor() {
    const handlers = this.#handlers;
    this.#onData = function (this: EngineSocket, data: RawData): void {
      handlers.get(this)?.[kOnEngineData](data);
    };
    this.#onClose = function (this: EngineSocket, reason: CloseReason, description: unknown): void {
      const handler = handlers.get(this);
      handlers.delete(this);
      handler?.[kOnEngineClose](reason, description);
    };
  }

  /** Sends the `data` and `close` events of `conn` to `handler` until `conn` closes. */
  attach(conn: EngineSocket, handler: EngineSocketHandler): void {
    this.#handlers.set(conn, handler);
    conn.on("data", this.#onData);
    conn.on("close", this.#onClose);
  }

  /** Forgets `conn` (its handler closed first); its listeners then do nothing. */
  detach(conn: EngineSocket): void {
    this.#handlers.delete(conn);
  }
}
