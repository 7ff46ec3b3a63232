// When a worker dies while a socket sent to it waits for the worker's acknowledgement,
// Node.js keeps that socket's handle open in the primary for good: it closes it on the ACK,
// or on a disconnect that it postpones until its queue of sends drains, which never happens
// once the channel is gone. The client's connection would hang. No public call reaches it,
// so this closes the handle Node.js keeps as the channel's pending message.
import type { ChildProcess } from "node:child_process";

interface PendingMessage {
  handle?: { close?: () => void } | null;
}

/** Closes the handle of a send still waiting for its acknowledgement on a dead channel. */
export function releasePendingHandle(child: ChildProcess): void {
  const pending = (child as unknown as { _pendingMessage?: PendingMessage | null })._pendingMessage;
  const handle = pending?.handle;
  if (handle && typeof handle.close === "function") {
    try {
      handle.close();
    } catch {
      // already closed
    }
    pending.handle = null;
  }
}
