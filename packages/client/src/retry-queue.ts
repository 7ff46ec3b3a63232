// At-least-once delivery (`retries`): emits go out one at a time, each waiting for its
// acknowledgement; a missing ack (timeout, disconnection) sends the same packet again, up to
// `retries` more times. The server may therefore see a packet twice.
import createDebug from "debug";
import type { EmitFlags } from "./internal";

const debug = createDebug("volley:client:retry");

type AckCallback = (err: Error | null, ...args: unknown[]) => void;

interface QueuedEmit {
  /** `[event, ...data, internalAck]`, reused by every try. */
  readonly args: unknown[];
  readonly flags: EmitFlags;
  tryCount: number;
  pending: boolean;
}

/** Sends `args` bypassing the queue; the last argument is an ack taking an error first. */
export type QueueSend = (args: unknown[], flags: EmitFlags) => void;

export class RetryQueue {
  readonly #retries: number;
  readonly #send: QueueSend;
  readonly #canSend: () => boolean;
  readonly #entries: QueuedEmit[] = [];

  constructor(retries: number, send: QueueSend, canSend: () => boolean) {
    this.#retries = retries;
    this.#send = send;
    this.#canSend = canSend;
  }

  /** Queues an emit; `args` is `[event, ...data, ack?]`. */
  push(args: unknown[], flags: EmitFlags): void {
    const last = args[args.length - 1];
    const ack = typeof last === "function" ? (args.pop() as AckCallback) : undefined;
    const entry: QueuedEmit = { args, flags, tryCount: 0, pending: false };
    args.push((err: Error | null, ...response: unknown[]) => {
      if (entry !== this.#entries[0]) return; // an answer to a try that was already given up
      if (err !== null) debug("try %d of packet failed: %s", entry.tryCount, err.message);
      // A failed try is made again until the retries are spent; an answer (or the last error) settles.
      if (err === null || entry.tryCount > this.#retries) {
        this.#entries.shift();
        ack?.(err, ...response);
      }
      entry.pending = false;
      this.drain();
    });
    this.#entries.push(entry);
    this.drain();
  }

  /** Sends the first queued emit unless it is in flight; `force` sends it again (after a reconnection). */
  drain(force = false): void {
    const entry = this.#entries[0];
    if (entry === undefined || !this.#canSend()) return;
    if (entry.pending && !force) return;
    entry.pending = true;
    entry.tryCount++;
    // A copy: the socket takes the ack off the array it is given.
    this.#send([...entry.args], entry.flags);
  }
}
