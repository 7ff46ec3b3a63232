// A Volley node in a child process (test/helpers/volley-node-process.mjs, on the built
// package), for the tests that kill one for real.
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";

const CHILD_SCRIPT = join(__dirname, "volley-node-process.mjs");

export interface ChildNode {
  readonly process: ChildProcess;
  readonly url: string;
  readonly uid: string;
}

/**
 * Forks a Volley node on `redisPort` in `flavour`, with the cluster's `key`, the adapter's
 * `options` and the server's `serverOptions`; resolves once it listens.
 */
export function forkNode(
  redisPort: number,
  key: string,
  flavour: "classic" | "sharded",
  options: object,
  serverOptions: object = {},
): Promise<ChildNode> {
  const child = fork(CHILD_SCRIPT, [String(redisPort), key, flavour, JSON.stringify(options), JSON.stringify(serverOptions)], {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise<ChildNode>((resolve, reject) => {
    const fail = (reason: string): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${reason}: ${output}`));
    };
    const timer = setTimeout(() => fail("the child node did not start within 10 s"), 10_000);
    child.once("exit", (code) => fail(`the child node exited (${code})`));
    child.once("message", (message: { url: string; uid: string }) => {
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve({ process: child, url: message.url, uid: message.uid });
    });
  });
}

/** SIGKILL by PID; resolves once the process is gone. */
export function killNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  if (child.pid !== undefined) process.kill(child.pid, "SIGKILL");
  return exited;
}
