// What the measured children (server-child.mjs, client-child.mjs, probe-child.mjs) need: full
// garbage collections before a heap reading, a CPU profiler switched on over IPC for just the
// measured window, and a way to answer the runner's requests.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";

/** Heap in use after full garbage collections, in bytes (needs --expose-gc). */
export function heapAfterGc() {
  // two passes: the first may only queue finalizers / weak callbacks
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

/** The CPU profiler of this process, on only between `start()` and `stop(file)`. */
export class WindowProfiler {
  #session;

  #post(method, params = {}) {
    return new Promise((resolve, reject) => this.#session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));
  }

  /** Starts sampling every 100 µs. */
  async start() {
    this.#session = new Session();
    this.#session.connect();
    await this.#post("Profiler.enable");
    await this.#post("Profiler.setSamplingInterval", { interval: 100 });
    await this.#post("Profiler.start");
  }

  /** Stops sampling and writes the .cpuprofile of the window to `file`. */
  async stop(file) {
    const { profile } = await this.#post("Profiler.stop");
    this.#session.disconnect();
    this.#session = undefined;
    writeFileSync(file, JSON.stringify(profile));
    return file;
  }
}

/**
 * Answers the runner's IPC requests `{ id, type, ...}` with `{ id, ...body }`, the body being
 * what `handlers[type](msg)` returns or resolves with; a throw or a rejection is answered as
 * `{ id, error }`. After answering a "close" request the child leaves the IPC channel, and it
 * exits whenever the runner goes away.
 */
export function answerRequests(handlers) {
  process.on("message", (msg) => {
    const handler = handlers[msg.type];
    const answer = (body) => {
      process.send({ id: msg.id, ...body });
      if (msg.type === "close") process.disconnect(); // once the reply is on its way
    };
    if (handler === undefined) return answer({ error: `unknown request ${JSON.stringify(msg.type)}` });
    new Promise((resolve) => resolve(handler(msg))).then(
      (body) => answer(body ?? {}),
      (err) => answer({ error: err?.message ?? String(err) }),
    );
  });
  process.on("disconnect", () => process.exit(0));
}
