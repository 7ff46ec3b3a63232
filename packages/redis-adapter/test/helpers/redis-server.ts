// A real redis-server process for the tests, on a free loopback port, without persistence.
// It never touches a Redis already running on 6379: the port is one the OS gave us.
import { spawn, type ChildProcess } from "node:child_process";
import { createConnection, createServer } from "node:net";

const REDIS_SERVER = process.env["REDIS_SERVER"] ?? "/usr/bin/redis-server";
const START_TIMEOUT_MS = 10_000;

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /**
   * Stops the process by PID and waits for its exit: SIGTERM by default (Redis shuts down
   * cleanly), or SIGKILL (a crash: connections are cut without a word).
   */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts it again on the same port (after stop()). */
  start(): Promise<void>;
  /** Whether the process is running. */
  readonly running: boolean;
}

/** A port the OS considers free now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts redis-server on a free port and resolves once it answers PING. */
export async function startRedisServer(): Promise<RedisServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      let child: ChildProcess | undefined = await spawnRedis(port);
      const server: RedisServer = {
        port,
        url: `redis://127.0.0.1:${port}`,
        get running() {
          return child !== undefined;
        },
        async stop(signal = "SIGTERM") {
          const current = child;
          child = undefined;
          if (current !== undefined) await kill(current, signal);
        },
        async start() {
          if (child === undefined) child = await spawnRedis(port);
        },
      };
      return server;
    } catch (error) {
      lastError = error; // the port was taken meanwhile: try another
    }
  }
  throw lastError;
}

/**
 * Spawns redis-server on `port` (loopback, no persistence, `extraArgs` added) and resolves
 * with the process once it answers PING.
 */
export function spawnRedis(port: number, extraArgs: readonly string[] = []): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "notice", ...extraArgs],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise<ChildProcess>((resolve, reject) => {
    let output = "";
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`redis-server did not start on ${port}: ${output}`)), START_TIMEOUT_MS);
    child.once("error", fail);
    child.once("exit", (code) => fail(new Error(`redis-server exited (${code}) on ${port}: ${output}`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes("Ready to accept connections")) return;
      child.stdout?.removeAllListeners("data");
      child.stdout?.resume();
      ping(port).then(
        () => {
          clearTimeout(timer);
          child.removeAllListeners("exit");
          child.removeAllListeners("error");
          resolve(child);
        },
        (error: Error) => fail(error),
      );
    });
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  });
}

/** Sends PING over a raw connection and resolves on +PONG. */
export function ping(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no PONG from ${port}`));
    }, 2000);
    let reply = "";
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      if (!reply.includes("\r\n")) return;
      clearTimeout(timer);
      socket.destroy();
      if (reply.startsWith("+PONG")) resolve();
      else reject(new Error(`unexpected reply to PING: ${reply}`));
    });
    socket.write("PING\r\n");
  });
}

/** Stops `child` by PID (SIGTERM, SIGKILL after 5 s) and resolves once it exited. */
export function kill(child: ChildProcess, signal: "SIGTERM" | "SIGKILL" = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.pid !== undefined) process.kill(child.pid, signal);
  });
}
