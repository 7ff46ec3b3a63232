// What both kinds of measured child (server-child.mjs, client-child.mjs) need: full garbage
// collections before a heap reading, and a CPU profiler switched on over IPC for just the
// measured window.
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
