// A cluster in a child process (test/fixtures/cluster.cjs), driven over IPC. Every wait is
// bounded; stop() ends the primary and its workers, by SIGKILL if they linger.
import { fork, type ChildProcess } from "node:child_process";
import { EventEmitter, once } from "node:events";
import { join } from "node:path";

export interface ClusterSettings {
  workers?: number;
  serialization?: "json" | "advanced";
  /** @volley/sticky's loadBalancingMethod. */
  method?: "least-connection" | "round-robin" | "random";
  /** maxDisconnectionDuration of connection state recovery (ms); unset: off. */
  recoveryMs?: number;
  /** Whether a worker that exits is replaced (default true). */
  replace?: boolean;
  adapterOptions?: Record<string, unknown>;
  primaryOptions?: Record<string, unknown>;
  /** Whether the primary calls setupPrimary() (default true). */
  relay?: boolean;
  /** The sticky package: "volley" (@volley/sticky, the default) or "socket.io" (@socket.io/sticky). */
  sticky?: "volley" | "socket.io";
  /** "conformance": workers of test/fixtures/conformance-worker.cjs, each on a port of its own. */
  mode?: "sticky" | "conformance";
}

export interface WorkerExit {
  workerId: number;
  code: number | null;
  signal: string | null;
}

type FixtureMessage =
  | { type: "listening"; port: number }
  | { type: "worker-ready"; workerId: number; pid: number; port?: number }
  | ({ type: "worker-exit" } & WorkerExit)
  | { type: "reply"; id: number; result: unknown };

const FIXTURE = join(__dirname, "..", "fixtures", "cluster.cjs");

/** Rejects after `ms` with `what` in the message, unless `promise` settles first. */
export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class TestCluster extends EventEmitter {
  /** Ready workers: id -> pid. */
  readonly workers = new Map<number, number>();
  /** Conformance mode: the port each ready worker listens on. */
  readonly ports = new Map<number, number>();
  port = 0;
  readonly #child: ChildProcess;
  readonly #exited: Promise<unknown>;
  /** The asks waiting for a reply: failed at once when the cluster exits. */
  readonly #pending = new Set<(error: Error) => void>();
  #nextId = 1;

  private constructor(child: ChildProcess) {
    super();
    this.#child = child;
    this.#exited = once(child, "exit");
    child.once("exit", () => {
      for (const fail of [...this.#pending]) fail(new Error("the cluster stopped"));
    });
    child.on("message", (message: FixtureMessage) => {
      if (message.type === "worker-ready") {
        this.workers.set(message.workerId, message.pid);
        if (message.port !== undefined) this.ports.set(message.workerId, message.port);
      }
      if (message.type === "worker-exit") this.workers.delete(message.workerId);
      this.emit(message.type, message);
    });
  }

  /** Starts a cluster and waits until every worker is ready (sees all the others). */
  static async start(settings: ClusterSettings = {}): Promise<TestCluster> {
    const workers = settings.workers ?? 3;
    const child = fork(FIXTURE, [], {
      env: {
        ...process.env,
        CLUSTER_WORKERS: String(workers),
        CLUSTER_SERIALIZATION: settings.serialization ?? "json",
        CLUSTER_METHOD: settings.method ?? "least-connection",
        CLUSTER_REPLACE: settings.replace === false ? "0" : "1",
        CLUSTER_ADAPTER_OPTIONS: JSON.stringify(settings.adapterOptions ?? {}),
        CLUSTER_PRIMARY_OPTIONS: JSON.stringify(settings.primaryOptions ?? {}),
        CLUSTER_MODE: settings.mode ?? "sticky",
        CLUSTER_STICKY: settings.sticky ?? "volley",
        CLUSTER_RELAY: settings.relay === false ? "0" : "1",
        ...(settings.recoveryMs === undefined ? {} : { CLUSTER_RECOVERY: String(settings.recoveryMs) }),
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const cluster = new TestCluster(child);
    try {
      await within(20_000, "cluster start", new Promise<void>((resolve, reject) => {
        child.once("exit", (code) => reject(new Error(`cluster exited early (${code})`)));
        cluster.on("listening", (message: { port: number }) => {
          cluster.port = message.port;
        });
        cluster.on("worker-ready", () => {
          if (cluster.workers.size === workers) resolve();
        });
      }));
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The ids of the ready workers, in order. */
  get ids(): number[] {
    return [...this.workers.keys()].sort((a, b) => a - b);
  }

  /** Has worker `workerId` run operation `op` of the fixture, and returns its reply (`args` must not use the key `id`). */
  op<T>(workerId: number, op: string, args: Record<string, unknown> = {}, ms = 15_000): Promise<T> {
    return this.#ask<T>({ cmd: "op", workerId, op, ...args }, ms);
  }

  /** The adapters the primary's relay knows, by worker id. */
  async adapters(): Promise<Map<number, number>> {
    return new Map(await this.#ask<Array<[number, number]>>({ cmd: "adapters" }));
  }

  /** How many packets and sessions the primary keeps for the recovery of namespace "/". */
  recoverySizes(): Promise<{ packets: number; sessions: number }> {
    return this.#ask({ cmd: "recoverySizes" });
  }

  /** Kills a worker with SIGKILL and resolves once the primary saw it exit. */
  async kill(workerId: number): Promise<void> {
    const exited = this.nextExit(workerId);
    await this.#ask({ cmd: "kill", workerId });
    await exited;
  }

  /** Resolves when worker `workerId` exits. */
  nextExit(workerId: number, ms = 10_000): Promise<WorkerExit> {
    return within(
      ms,
      `worker ${workerId} to exit`,
      new Promise<WorkerExit>((resolve) => {
        const onExit = (message: WorkerExit): void => {
          if (message.workerId !== workerId) return;
          this.off("worker-exit", onExit);
          resolve(message);
        };
        this.on("worker-exit", onExit);
      }),
    );
  }

  /** Resolves when worker `workerId` receives the fixture's "ping-all" server-side event. */
  nextAsked(workerId: number, ms = 10_000): Promise<void> {
    return within(
      ms,
      `worker ${workerId} to be asked`,
      new Promise<void>((resolve) => {
        const onAsked = (message: { workerId: number }): void => {
          if (message.workerId !== workerId) return;
          this.off("asked", onAsked);
          resolve();
        };
        this.on("asked", onAsked);
      }),
    );
  }

  /** Resolves with the id of the next worker that becomes ready. */
  nextReady(ms = 15_000): Promise<number> {
    return within(ms, "a worker to become ready", once(this, "worker-ready").then(([message]) => (message as { workerId: number }).workerId));
  }

  /** Whether the primary is still running. */
  get isRunning(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Asks the primary to stop its workers and exit; SIGKILL after `gracefulMs`. */
  async stop(gracefulMs = 10_000): Promise<void> {
    if (!this.isRunning) return;
    this.#child.send({ cmd: "stop" });
    try {
      await within(gracefulMs, "cluster stop", this.#exited);
    } catch {
      this.#child.kill("SIGKILL");
      await this.#exited;
    }
  }

  #ask<T>(command: Record<string, unknown>, ms = 5000): Promise<T> {
    if (!this.isRunning) return Promise.reject(new Error("the cluster stopped"));
    const id = this.#nextId++;
    let fail: (error: Error) => void = () => undefined;
    const reply = new Promise<T>((resolve, reject) => {
      const onReply = (message: { id: number; result: T }): void => {
        if (message.id !== id) return;
        this.off("reply", onReply);
        resolve(message.result);
      };
      fail = (error) => {
        this.off("reply", onReply);
        reject(error);
      };
      this.#pending.add(fail);
      this.on("reply", onReply);
    });
    try {
      this.#child.send({ ...command, id });
    } catch (error) {
      fail(error as Error);
    }
    return within(ms, `reply to ${String(command["cmd"])} ${String(command["op"] ?? "")}`, reply).finally(() => this.#pending.delete(fail));
  }
}
