import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const exampleDir = path.join(__dirname, "..", "..");

export interface AppReady {
  type: "ready";
  url: string;
  ownPortUrl: string;
  isVolleyServer: boolean;
  socketIoOfPlatform: string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The application running in a child process (see app-process.mjs). */
export class AppProcess {
  readonly child: ChildProcess;
  readonly ready: AppReady;
  readonly #exit: Promise<Exit>;
  readonly #log: { text: string };

  private constructor(child: ChildProcess, ready: AppReady, exit: Promise<Exit>, log: { text: string }) {
    this.child = child;
    this.ready = ready;
    this.#exit = exit;
    this.#log = log;
  }

  /** What the app printed (Nest logs warnings and errors only). */
  get output(): string {
    return this.#log.text;
  }

  /** Starts it; `env` is added to this process's environment (REDIS_URL). */
  static async start(env: Record<string, string> = {}, timeoutMs = 30000): Promise<AppProcess> {
    if (!existsSync(path.join(exampleDir, "dist", "app.js"))) {
      throw new Error("examples/nestjs/dist is missing: run `pnpm build` (turbo builds it before `test`)");
    }
    const child = fork(path.join(__dirname, "app-process.mjs"), [], {
      cwd: exampleDir,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const log = { text: "" };
    child.stdout?.on("data", (chunk: Buffer) => (log.text += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (log.text += chunk.toString()));
    const exit = new Promise<Exit>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    const ready = await new Promise<AppReady>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`the app did not start in ${timeoutMs} ms:\n${log.text}`)), timeoutMs);
      const onMessage = (message: unknown): void => {
        if ((message as { type?: unknown }).type !== "ready") return;
        clearTimeout(timer);
        child.off("message", onMessage);
        resolve(message as AppReady);
      };
      const fail = (error: Error): void => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.kill();
        reject(error);
      };
      child.on("message", onMessage);
      // (after `ready`, the promise is settled and this changes nothing)
      void exit.then(({ code, signal }) => fail(new Error(`the app exited (${code ?? signal}) before it was ready:\n${log.text}`)));
    });
    return new AppProcess(child, ready, exit, log);
  }

  /**
   * Asks the app to close (`app.close()`) and resolves with how its process ended: it ends by
   * itself only once every server and connection is closed. Killed after `timeoutMs`.
   */
  async close(timeoutMs = 15000): Promise<Exit> {
    if (this.child.connected) this.child.send("close");
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
    const result = await Promise.race([this.#exit, deadline]);
    clearTimeout(timer);
    if (result !== "timeout") return result;
    this.child.kill("SIGKILL");
    await this.#exit;
    throw new Error(`the app did not exit within ${timeoutMs} ms of app.close():\n${this.output}`);
  }
}
