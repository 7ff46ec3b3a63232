import type { Packet } from "@volley/parser";
import type { AdapterNamespace } from "./contract";
import { Adapter } from "./in-memory-adapter";
import { createOffsetGenerator } from "./offset";
import {
  resolveSessionAwareAdapterOptions,
  type ResolvedSessionAwareAdapterOptions,
  type SessionAwareAdapterOptions,
} from "./options";
import { isRecoverable, SessionStore } from "./session-store";
import type { BroadcastOptions, Offset, PrivateSessionId, Session, SessionToPersist } from "./types";

/**
 * The in-memory adapter plus connection state recovery: every recoverable broadcast (an
 * event without ack, not volatile) gets an offset appended as its last argument and is kept
 * in a bounded buffer; sessions of sockets that disconnected unexpectedly are kept for
 * `maxDisconnectionDuration` and restored with the packets their rooms missed.
 */
export class SessionAwareAdapter extends Adapter {
  /** The resolved options. */
  readonly options: ResolvedSessionAwareAdapterOptions;
  readonly #store: SessionStore;
  readonly #nextOffset: () => Offset = createOffsetGenerator();

  constructor(nsp: AdapterNamespace, options?: SessionAwareAdapterOptions) {
    super(nsp);
    this.options = resolveSessionAwareAdapterOptions(options, nsp.connectionStateRecovery);
    this.#store = new SessionStore(this.options);
  }

  override close(): void | Promise<void> {
    this.#store.close();
    return super.close();
  }

  override persistSession(session: SessionToPersist): void {
    this.#store.save(session);
  }

  override restoreSession(pid: PrivateSessionId, offset: Offset): Promise<Session | null> {
    return Promise.resolve(this.#store.restore(pid, offset));
  }

  override broadcast(packet: Packet, opts: BroadcastOptions): void | Promise<void> {
    if (isRecoverable(packet, opts)) {
      const offset = this.#nextOffset();
      const data = [...packet.data, offset];
      this.#store.record(offset, data, opts);
      return super.broadcast({ ...packet, data }, opts);
    }
    return super.broadcast(packet, opts);
  }
}
