// A sticky cluster in child processes (test/fixtures/cluster.cjs), driven over IPC. Every
// wait is bounded; stop() ends the primary and its workers, by SIGKILL if they linger.
import { fork, type ChildProcess } from "node:child_process";
import { EventEmitter, once } from "node:events";
import { join } from "node:path";

/**
 * The sticky package and Socket.IO server under test: "volley" (@volley/sticky and
 * @volley/server), "socketio" (@socket.io/sticky and socket.io), or "volley+socket.io"
 * (@volley/sticky driving the published socket.io server).
 */
export type Impl = "volley" | "socketio" | "volley+socket.io";

export interface WorkerInfo {
  workerId: number;
  pid: number;
}

type FixtureMessage =
  | { type: "listening"; port: number }
  | { type: "worker-ready"; workerId: number; pid: number }
  | { type: "worker-exit"; workerId: number }
  | { type: "reply"; id: number; counts?: Array<[number, number]> | null };

const FIXTURE = join(__dirname, "..", "fixtures", "cluster.cjs");

/** Rejects after `ms` with `what` in the message, unless `promise` settles first. */
export function within<T>(ms: number, what: string | (() => string), promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    // `what` may be a function, to describe the state at the moment of the timeout
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${typeof what === "function" ? what() : what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `check` every 20 ms until it returns true, for at most `ms`. */
export async function waitUntil(ms: number, what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export class Cluster extends EventEmitter {
  readonly workers = new Map<number, WorkerInfo>();
  port = 0;
  readonly #child: ChildProcess;
  #nextId = 1;
  #exited: Promise<unknown>;

  private constructor(child: ChildProcess) {
    super();
    this.#child = child;
    this.#exited = once(child, "exit");
    child.on("message", (message: FixtureMessage) => {
      if (message.type === "worker-ready") this.workers.set(message.workerId, { workerId: message.workerId, pid: message.pid });
      if (message.type === "worker-exit") this.workers.delete(message.workerId);
      this.emit(message.type, message);
    });
  }

  /** Starts a cluster and waits until every worker is ready. */
  static async start(impl: Impl, method: string, workers = 3, workerOptions: Record<string, unknown> = {}): Promise<Cluster> {
    const child = fork(FIXTURE, [], {
      env: {
        ...process.env,
        STICKY_IMPL: impl === "socketio" ? "socketio" : "volley",
        STICKY_SERVER: impl === "volley" ? "volley" : "socketio",
        STICKY_METHOD: method,
        STICKY_WORKERS: String(workers),
        STICKY_WORKER_OPTIONS: JSON.stringify(workerOptions),
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const cluster = new Cluster(child);
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

  /** Open sessions by worker id, as the primary's router counts them. */
  async counts(): Promise<Map<number, number>> {
    const reply = await this.#ask({ cmd: "counts" });
    return new Map(reply.counts ?? []);
  }

  /** Kills a worker with SIGKILL (the fixture forks a replacement). */
  async kill(workerId: number): Promise<void> {
    await this.#ask({ cmd: "kill", workerId });
  }

  /** Waits for the next worker to become ready. */
  nextReady(ms = 15_000): Promise<WorkerInfo> {
    return within(ms, "a worker to become ready", once(this, "worker-ready").then(([message]) => message as WorkerInfo));
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.send({ cmd: "stop" });
    try {
      await within(10_000, "cluster stop", this.#exited);
    } catch {
      this.#child.kill("SIGKILL");
      await this.#exited;
    }
  }

  async #ask(command: Record<string, unknown>): Promise<{ counts?: Array<[number, number]> | null }> {
    const id = this.#nextId++;
    const reply = new Promise<{ counts?: Array<[number, number]> | null }>((resolve) => {
      const onReply = (message: { id: number; counts?: Array<[number, number]> | null }): void => {
        if (message.id !== id) return;
        this.removeListener("reply", onReply);
        resolve(message);
      };
      this.on("reply", onReply);
    });
    this.#child.send({ ...command, id });
    return within(5000, `reply to ${String(command["cmd"])}`, reply);
  }
}
