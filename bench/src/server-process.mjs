// The runner's handle on one measured child (a server, or the clients of the client
// benchmark): start it, ask it things over IPC (every request bounded), stop it and make sure
// it is gone.
import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const SERVER_CHILD = fileURLToPath(new URL("./server-child.mjs", import.meta.url));

export class ServerProcess {
  #child;
  #nextId = 0;
  #pending = new Map();
  #exited = false;
  #stderr = "";
  kind;
  /** "server" or "clients": what the child is, for messages. */
  role;
  port = 0;

  constructor(kind, child, role) {
    this.kind = kind;
    this.role = role;
    this.#child = child;
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => {
      this.#stderr = (this.#stderr + chunk).slice(-4000);
      process.stderr.write(`[${kind} ${role}] ${chunk}`);
    });
    child.on("message", (msg) => {
      const waiter = this.#pending.get(msg.id);
      if (waiter === undefined) return;
      this.#pending.delete(msg.id);
      if (msg.error !== undefined) waiter.reject(new Error(`${kind} ${role}: ${msg.error}`));
      else waiter.resolve(msg);
    });
    child.on("exit", (code, signal) => {
      this.#exited = true;
      for (const waiter of this.#pending.values()) {
        waiter.reject(new Error(`${kind} ${role} exited (code ${code}, signal ${signal}) ${this.#stderr}`));
      }
      this.#pending.clear();
    });
  }

  /**
   * Forks the child `script` (the server child by default) for `kind` and waits for its
   * "ready" message (with the port, for a server). `args` go after `kind` on its command line.
   */
  static async start(kind, { timeoutMs = 15000, script = SERVER_CHILD, role = "server", execArgv = [], args = [] } = {}) {
    const child = fork(script, [kind, ...args], {
      execArgv: ["--expose-gc", ...execArgv],
      stdio: ["ignore", "inherit", "pipe", "ipc"],
    });
    const server = new ServerProcess(kind, child, role);
    const ready = new Promise((resolve, reject) => {
      child.on("message", (msg) => msg.type === "ready" && resolve(msg));
      child.once("exit", (code) => reject(new Error(`${kind} ${role} exited with code ${code} before it was ready`)));
    });
    const { port } = await withTimeout(ready, timeoutMs, `${kind} ${role} start`).catch(async (err) => {
      await server.kill();
      throw err;
    });
    server.port = port;
    return server;
  }

  /** Sends `{ type, ...body }` and resolves with the reply; rejects after `timeoutMs`. */
  request(type, body = {}, timeoutMs = 30000) {
    if (this.#exited) return Promise.reject(new Error(`${this.kind} ${this.role} is not running`));
    const id = ++this.#nextId;
    const reply = new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    this.#child.send({ id, type, ...body });
    return withTimeout(reply, timeoutMs, `${this.kind} ${this.role} reply to "${type}"`).finally(() => this.#pending.delete(id));
  }

  /** The child's CPU time used so far, in µs (user + system). */
  async cpuMicros() {
    const { cpu } = await this.request("cpu");
    return cpu.user + cpu.system;
  }

  /** The child's heap in use after full garbage collections, in bytes. */
  async heapUsed() {
    const { heapUsed } = await this.request("heap");
    return heapUsed;
  }

  /** Asks the child to close, waits for the process to exit; kills it if it does not. */
  async stop(timeoutMs = 10000) {
    if (this.#exited) return;
    const exited = once(this.#child, "exit");
    try {
      await this.request("close", {}, timeoutMs);
      await withTimeout(exited, timeoutMs, `${this.kind} ${this.role} exit`);
    } catch (err) {
      process.stderr.write(`${err.message}; killing it\n`);
      await this.kill();
    }
  }

  /** Kills this child (SIGKILL) and waits for its exit. */
  async kill() {
    if (this.#exited) return;
    const exited = once(this.#child, "exit");
    this.#child.kill("SIGKILL");
    await exited;
  }
}

/** Rejects with "`what` timed out" if `promise` has not settled within `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
