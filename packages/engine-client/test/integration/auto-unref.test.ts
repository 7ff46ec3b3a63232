import { afterEach, describe, expect, it } from "@jest/globals";
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { Socket as ServerSocket } from "engine.io";
import { sidOf, startEngine, type EngineFixture } from "../helpers/servers";
import { waitFor } from "../helpers/wait-for";

const CHILD = join(__dirname, "..", "fixtures", "auto-unref-child.cjs");

/** Runs the child to completion (bounded): its exit code and output. */
function runChild(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the child did not exit within ${timeoutMs} ms (stdout: ${stdout}, stderr: ${stderr})`));
    }, timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("autoUnref (Node.js)", () => {
  let server: EngineFixture;

  afterEach(async () => {
    await server.close();
  });

  it.each([["polling"], ["websocket"]])("lets a process with an open %s connection exit", async (transport) => {
    // pingInterval far longer than the bound: only unref'ed handles let the child exit in time.
    server = await startEngine({ pingInterval: 60_000, pingTimeout: 60_000 });
    const connected = waitFor<[ServerSocket]>(server.engine, "connection", 10_000);
    const result = await runChild([server.url, transport], 10_000);
    const [serverSocket] = await connected;
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(`open ${transport}\n`);
    expect(result.code).toBe(0);
    expect(sidOf(serverSocket)).toEqual(expect.any(String));
  });
});
