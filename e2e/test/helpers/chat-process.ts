import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface ChatProcess {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const require = createRequire(__filename);
const chatMain = join(dirname(require.resolve("@volley/example-chat/package.json")), "src", "main.js");

/** Runs the chat example exactly as `pnpm start` does, on `port` (by default one chosen by the OS). */
export async function startChatProcess({ port = 0, timeoutMs = 15000 }: { port?: number; timeoutMs?: number } = {}): Promise<ChatProcess> {
  const child = spawn(process.execPath, [chatMain], {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`chat server did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    function fail(error: Error) {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    }
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => fail(new Error(`chat server exited with ${code}:\n${output}`)));
  });
  return { url, port: Number(new URL(url).port), stop: () => stopProcess(child) };
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
