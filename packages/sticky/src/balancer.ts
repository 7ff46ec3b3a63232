// The primary's view of the cluster: which workers may be given connections, which worker
// holds each open session, and the load balancing methods that place new sessions.
import type { LoadBalancingMethod } from "./options";

/** Sessions by worker and workers by session, as the workers report them. */
export class SessionRegistry {
  readonly #workerOf = new Map<string, number>();
  readonly #sessionsOf = new Map<number, Set<string>>();

  /** A worker may be given connections from now on. */
  addWorker(workerId: number): void {
    if (!this.#sessionsOf.has(workerId)) this.#sessionsOf.set(workerId, new Set());
  }

  /** A worker is gone: its sessions went with it. */
  removeWorker(workerId: number): void {
    const sessions = this.#sessionsOf.get(workerId);
    if (sessions === undefined) return;
    for (const sid of sessions) this.#workerOf.delete(sid);
    this.#sessionsOf.delete(workerId);
  }

  /** Whether the worker is ready for connections. */
  hasWorker(workerId: number): boolean {
    return this.#sessionsOf.has(workerId);
  }

  /** The ready workers, in id order. */
  workers(): number[] {
    return [...this.#sessionsOf.keys()].sort((a, b) => a - b);
  }

  open(workerId: number, sid: string): void {
    const sessions = this.#sessionsOf.get(workerId);
    if (sessions === undefined || this.#workerOf.has(sid)) return;
    sessions.add(sid);
    this.#workerOf.set(sid, workerId);
  }

  close(workerId: number, sid: string): void {
    if (this.#workerOf.get(sid) !== workerId) return;
    this.#workerOf.delete(sid);
    this.#sessionsOf.get(workerId)?.delete(sid);
  }

  /** The worker holding the session, if it is known and ready. */
  workerOf(sid: string): number | undefined {
    return this.#workerOf.get(sid);
  }

  /** How many sessions the worker holds. */
  count(workerId: number): number {
    return this.#sessionsOf.get(workerId)?.size ?? 0;
  }

  /** Open sessions by ready worker id. */
  counts(): Map<number, number> {
    return new Map(this.workers().map((id) => [id, this.count(id)]));
  }
}

/** Picks the worker of a new session among the ready ones. */
export class Balancer {
  readonly #method: LoadBalancingMethod;
  readonly #registry: SessionRegistry;
  readonly #random: () => number;
  #turn = 0;

  constructor(method: LoadBalancingMethod, registry: SessionRegistry, random: () => number = Math.random) {
    this.#method = method;
    this.#registry = registry;
    this.#random = random;
  }

  /** The chosen worker id, or undefined when no worker is ready. */
  pick(): number | undefined {
    const workers = this.#registry.workers();
    if (workers.length === 0) return undefined;
    switch (this.#method) {
      case "random":
        return workers[Math.floor(this.#random() * workers.length)];
      case "round-robin":
        return workers[this.#turn++ % workers.length];
      case "least-connection": {
        // ties go round in turn, so that a burst of new sessions (whose opening the workers
        // have not reported yet) spreads over the equally loaded workers
        const start = this.#turn++ % workers.length;
        let best = workers[start]!;
        let bestCount = this.#registry.count(best);
        for (let i = 1; i < workers.length; i++) {
          const id = workers[(start + i) % workers.length]!;
          const count = this.#registry.count(id);
          if (count < bestCount) {
            best = id;
            bestCount = count;
          }
        }
        return best;
      }
    }
  }
}
