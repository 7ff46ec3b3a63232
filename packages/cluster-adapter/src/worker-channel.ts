// The IPC channel of a worker process, shared by the adapters of all its namespaces: one
// `process.on("message")` listener while at least one adapter listens (so that a worker
// whose adapters are closed can exit), dispatching the primary's envelopes by namespace.
// The channel is the process', so this state is too: one per copy of the package.
import { asPrimaryEnvelope, type PrimaryEnvelope, type WorkerEnvelope } from "./wire";
import { NotAWorkerError } from "./errors";

type Receiver = (envelope: PrimaryEnvelope) => void;

const receivers = new Map<string, Set<Receiver>>();
/** Set once the primary sent bytes: the channel has 'advanced' serialization. */
let isBinaryChannel = false;

function onProcessMessage(message: unknown): void {
  const envelope = asPrimaryEnvelope(message);
  if (envelope === undefined) return;
  if (envelope.kind === "deliver" && envelope.payload instanceof Uint8Array) isBinaryChannel = true;
  const forNamespace = receivers.get(envelope.nsp);
  if (forNamespace === undefined) return;
  for (const receive of [...forNamespace]) receive(envelope);
}

/** Whether this worker's channel is known to carry bytes ('advanced' serialization). */
export function hasBinaryChannel(): boolean {
  return isBinaryChannel;
}

/** @throws NotAWorkerError when this process has no IPC channel */
export function checkWorker(): void {
  if (typeof process.send !== "function") throw new NotAWorkerError();
}

/** Calls `receive` with every envelope for namespace `nsp` until the returned function is called. */
export function listen(nsp: string, receive: Receiver): () => void {
  if (receivers.size === 0) process.on("message", onProcessMessage);
  let forNamespace = receivers.get(nsp);
  if (forNamespace === undefined) {
    forNamespace = new Set();
    receivers.set(nsp, forNamespace);
  }
  forNamespace.add(receive);
  return () => {
    if (!forNamespace.delete(receive)) return;
    if (forNamespace.size === 0) receivers.delete(nsp);
    if (receivers.size === 0) process.off("message", onProcessMessage);
  };
}

/** Sends `envelope` to the primary; resolves once it was written to the channel. */
export function sendToPrimary(envelope: WorkerEnvelope): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (process.send === undefined) {
      reject(new NotAWorkerError());
      return;
    }
    try {
      process.send(envelope, undefined, {}, (error: Error | null) => (error === null ? resolve() : reject(error)));
    } catch (error) {
      reject(error as Error);
    }
  });
}
