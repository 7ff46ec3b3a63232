// The Redis of the cluster benchmark: a redis-server process of our own on a loopback port
// the OS gave us (never a Redis already running, never 6379), without persistence, stopped
// by its PID. Its CPU time (`INFO cpu`) gives the Redis CPU per broadcast.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { createConnection, createServer } from "node:net";

const REDIS_SERVER = process.env.REDIS_SERVER ?? "redis-server";
const START_TIMEOUT_MS = 10000;

/** A port the OS considers free now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The version `redis-server --version` prints, or "?" */
export function redisServerVersion() {
  try {
    const out = execFileSync(REDIS_SERVER, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return /v=(\S+)/.exec(out)?.[1] ?? "?";
  } catch {
    return "?";
  }
}

/** A running redis-server of ours. */
export class RedisServer {
  #child;
  port;
  url;

  constructor(child, port) {
    this.#child = child;
    this.port = port;
    this.url = `redis://127.0.0.1:${port}`;
  }

  /** Starts redis-server on a free port; resolves once it said it accepts connections. */
  static async start() {
    let lastError;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      try {
        return new RedisServer(await spawnRedis(port), port);
      } catch (err) {
        lastError = err; // the port was taken meanwhile, or redis-server is missing
        if (err.code === "ENOENT") break;
      }
    }
    if (lastError?.code === "ENOENT") {
      throw new Error(`${REDIS_SERVER} not found: install it (Debian: apt-get install redis-server) or set REDIS_SERVER to its path`);
    }
    throw lastError;
  }

  /** Its CPU time so far in µs (user + system, all its threads), from `INFO cpu`. */
  async cpuMicros() {
    const info = await command(this.port, "INFO cpu");
    const seconds = (name) => Number(new RegExp(`^${name}:([0-9.]+)`, "m").exec(info)?.[1]);
    return (seconds("used_cpu_user") + seconds("used_cpu_sys")) * 1e6;
  }

  /** SIGTERM by PID, SIGKILL after 5 s; resolves once it exited. */
  async stop() {
    const child = this.#child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    const force = setTimeout(() => child.kill("SIGKILL"), 5000);
    process.kill(child.pid, "SIGTERM");
    await exited;
    clearTimeout(force);
  }
}

function spawnRedis(port) {
  const child = spawn(
    REDIS_SERVER,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "notice"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let output = "";
    const fail = (err) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error(`redis-server did not start on ${port}: ${output}`)), START_TIMEOUT_MS);
    child.once("error", fail);
    child.once("exit", (code) => fail(new Error(`redis-server exited (${code}) on ${port}: ${output}`)));
    child.stderr.on("data", (chunk) => (output = (output + chunk).slice(-2000)));
    child.stdout.on("data", (chunk) => {
      output = (output + chunk).slice(-2000);
      if (!output.includes("Ready to accept connections")) return;
      child.stdout.removeAllListeners("data");
      child.stdout.resume(); // keep draining its log
      ping(port).then(() => {
        clearTimeout(timer);
        child.removeAllListeners("exit");
        child.removeAllListeners("error");
        resolve(child);
      }, fail);
    });
  });
}

/** Sends `line` (an inline command) over a raw connection; resolves with the whole reply once it arrived. */
function command(port, line) {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${line} from ${port}`));
    }, 2000);
    let reply = "";
    const done = (err) => {
      clearTimeout(timer);
      socket.destroy();
      if (err === undefined) resolve(reply);
      else reject(err);
    };
    socket.once("error", done);
    socket.on("data", (chunk) => {
      reply += chunk;
      // a simple reply is one line; a bulk reply "$<length>" is followed by that many bytes
      const head = /^\$(\d+)\r\n/.exec(reply);
      if (head !== null ? Buffer.byteLength(reply) >= head[0].length + Number(head[1]) + 2 : reply.includes("\r\n")) {
        if (reply.startsWith("-")) done(new Error(`${line}: ${reply.trim()}`));
        else done();
      }
    });
    socket.write(`${line}\r\n`);
  });
}

/** Resolves once redis-server on `port` answers PING with PONG. */
async function ping(port) {
  const reply = await command(port, "PING");
  if (!reply.startsWith("+PONG")) throw new Error(`unexpected reply to PING: ${reply}`);
}
