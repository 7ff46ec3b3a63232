// The primary's side: relays what each worker's adapter publishes to the other workers,
// routes each response to the worker that asked, and tells the workers at once when one of
// them exits, so that nobody waits for it until its heartbeat times out. It decodes no
// payload: a malformed message from a worker is dropped, and nothing a worker sends or
// does (dying mid-send included) can throw in the primary.
import cluster, { type Worker } from "node:cluster";
import createDebug from "debug";
import { NotPrimaryError } from "./errors";
import { resolvePrimaryOptions, type ClusterAdapterPrimaryOptions } from "./options";
import { RecoveryStore } from "./primary-store";
import {
  asWorkerEnvelope,
  MESSAGE_SOURCE,
  payloadFor,
  type Payload,
  type PrimaryEnvelope,
  type PublishEnvelope,
  type ResponseEnvelope,
} from "./wire";

const debug = createDebug("volley:cluster-adapter:primary");

/** What {@link setupPrimary} returns. */
export interface ClusterAdapterPrimary {
  /** How many adapters (one per namespace per worker) the primary knows, by worker id. */
  adapterCounts(): Map<number, number>;
  /** How many packets and sessions the primary keeps for connection state recovery of namespace `nsp`. */
  recoverySizes(nsp: string): { packets: number; sessions: number };
  /** Stops relaying: the workers' adapters then see each other as down after `heartbeatTimeout`. */
  close(): void;
}

interface WorkerState {
  /** Whether the worker's channel carries bytes ('advanced' serialization). */
  readonly isBinaryChannel: boolean;
  /** Its adapters: uid -> namespace. */
  readonly adapters: Map<string, string>;
}

function ignoreError(): void {}

/**
 * Relays the cluster adapter's messages between the workers, and keeps what connection
 * state recovery needs (see {@link ClusterAdapterPrimaryOptions}). Call it once in the
 * primary, before or after forking (workers forked before are known from their first message).
 *
 * @throws NotPrimaryError outside the primary process; InvalidOptionError for a bad option
 * @example
 * if (cluster.isPrimary) {
 *   setupPrimary();
 *   for (let i = 0; i < os.availableParallelism(); i++) cluster.fork();
 * }
 */
export function setupPrimary(options?: ClusterAdapterPrimaryOptions): ClusterAdapterPrimary {
  if (!cluster.isPrimary) throw new NotPrimaryError();
  const recovery = new RecoveryStore(resolvePrimaryOptions(options));
  const workers = new Map<number, WorkerState>();
  /** Adapter uid -> the id of the worker it lives in. */
  const owners = new Map<string, number>();

  const stateOf = (worker: Worker): WorkerState => {
    let state = workers.get(worker.id);
    if (state === undefined) {
      // The settings a worker was forked with are the ones now, unless changed since: a
      // worker that receives the wrong form still decodes it (bytes and text both work).
      state = { isBinaryChannel: cluster.settings.serialization === "advanced", adapters: new Map() };
      workers.set(worker.id, state);
    }
    return state;
  };

  const send = (worker: Worker | undefined, envelope: PrimaryEnvelope): void => {
    if (worker === undefined || !worker.isConnected()) return;
    try {
      worker.send(envelope, undefined, ignoreError);
    } catch (error) {
      debug("could not send to worker %d: %s", worker.id, (error as Error).message);
    }
  };

  const formsOf = (payload: Payload): ((worker: Worker) => Payload) => {
    // each form made once, whatever the number of workers
    const forms = new Map<boolean, Payload>();
    return (worker) => {
      const isBinaryChannel = stateOf(worker).isBinaryChannel;
      let form = forms.get(isBinaryChannel);
      if (form === undefined) {
        form = payloadFor(payload, isBinaryChannel);
        forms.set(isBinaryChannel, form);
      }
      return form;
    };
  };

  const deliver = (from: Worker, envelope: PublishEnvelope | ResponseEnvelope): void => {
    const payloadOf = formsOf(envelope.payload);
    const to = (worker: Worker | undefined): void => {
      if (worker === undefined) return;
      send(worker, {
        source: MESSAGE_SOURCE,
        kind: "deliver",
        nsp: envelope.nsp,
        uid: envelope.uid,
        workerId: from.id,
        payload: payloadOf(worker),
      });
    };
    if (envelope.kind === "response") {
      const requester = owners.get(envelope.to);
      // A response to a worker that is gone has nobody to go to.
      if (requester !== undefined) to(cluster.workers?.[requester]);
      return;
    }
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker !== undefined && worker.id !== from.id) to(worker);
    }
  };

  const onMessage = (worker: Worker, message: unknown): void => {
    const envelope = asWorkerEnvelope(message);
    if (envelope === undefined) return;
    const state = stateOf(worker);
    if (!state.adapters.has(envelope.uid)) {
      state.adapters.set(envelope.uid, envelope.nsp);
      owners.set(envelope.uid, worker.id);
    }
    const { nsp, uid } = envelope;
    switch (envelope.kind) {
      case "publish":
        if (envelope.isLocal !== true) deliver(worker, envelope);
        if (envelope.offset !== undefined) {
          // A recoverable broadcast: recorded in the order relayed, then delivered by its sender.
          recovery.record(nsp, envelope.offset, envelope.payload);
          send(worker, { source: MESSAGE_SOURCE, kind: "echo", nsp, uid, workerId: worker.id, offset: envelope.offset });
        }
        return;
      case "response":
        deliver(worker, envelope);
        return;
      case "session":
        recovery.saveSession(nsp, envelope.pid, envelope.payload);
        return;
      case "restore": {
        const found = recovery.restore(nsp, envelope.pid, envelope.offset);
        const isBinaryChannel = state.isBinaryChannel;
        send(worker, {
          source: MESSAGE_SOURCE,
          kind: "restored",
          nsp,
          uid,
          workerId: worker.id,
          requestId: envelope.requestId,
          session: found === null ? null : payloadFor(found.session, isBinaryChannel),
          packets: (found?.packets ?? []).map(({ offset, payload }) => ({ offset, payload: payloadFor(payload, isBinaryChannel) })),
        });
        return;
      }
    }
  };

  const onGone = (worker: Worker): void => {
    const state = workers.get(worker.id);
    if (state === undefined) return;
    workers.delete(worker.id);
    debug("worker %d is gone with %d adapters", worker.id, state.adapters.size);
    for (const [uid, nsp] of state.adapters) {
      owners.delete(uid);
      for (const other of Object.values(cluster.workers ?? {})) {
        if (other !== undefined && other.id !== worker.id) {
          send(other, { source: MESSAGE_SOURCE, kind: "gone", nsp, uid, workerId: worker.id });
        }
      }
    }
  };

  const onFork = (worker: Worker): void => void stateOf(worker);

  cluster.on("fork", onFork);
  cluster.on("message", onMessage);
  // The channel closing is enough: a worker that cannot receive can answer nothing.
  cluster.on("disconnect", onGone);
  cluster.on("exit", onGone);
  return {
    adapterCounts: () => new Map([...workers].map(([id, state]) => [id, state.adapters.size])),
    recoverySizes: (nsp) => recovery.sizes(nsp),
    close() {
      cluster.off("fork", onFork);
      cluster.off("message", onMessage);
      cluster.off("disconnect", onGone);
      cluster.off("exit", onGone);
      workers.clear();
      owners.clear();
      recovery.clear();
    },
  };
}
