// A throwaway PostgreSQL server for one test file: Debian's binaries (any version under
// /usr/lib/postgresql), a fresh cluster in a temp dir, trust auth, on 127.0.0.1 and a free
// port (never the machine's own server on 5432). initdb and postgres refuse to run as root,
// so as root they run as the `postgres` OS user, which owns the temp dir.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { within } from "./nodes";

const DEBIAN_ROOT = "/usr/lib/postgresql";

/** The bin directory of the newest PostgreSQL installed the Debian way. */
export function findPostgresBinDir(): string {
  const versions = existsSync(DEBIAN_ROOT)
    ? readdirSync(DEBIAN_ROOT).filter((version) => existsSync(join(DEBIAN_ROOT, version, "bin", "initdb")))
    : [];
  const newest = versions.sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))[0];
  if (newest === undefined) {
    throw new Error(`PostgreSQL not found under ${DEBIAN_ROOT}/*/bin; install it first, for example: sudo apt-get install -y postgresql`);
  }
  return join(DEBIAN_ROOT, newest, "bin");
}

export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** Stops the server (fast shutdown, bounded) and removes its directory. */
  stop(): Promise<void>;
}

/** The uid and gid to run the binaries with: the `postgres` user when we are root. */
function runAs(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  const entry = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .map((line) => line.split(":"))
    .find((fields) => fields[0] === "postgres");
  if (entry === undefined) throw new Error("running as root, but there is no `postgres` user to run PostgreSQL as");
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Starts a fresh PostgreSQL cluster; resolves once it accepts connections. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBinDir();
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), "volley-pg-"));
  if (user !== undefined) chownSync(dir, user.uid, user.gid);
  const data = join(dir, "data");
  const spawnOptions: SpawnOptions = { ...(user ?? {}), cwd: dir, env: { ...process.env, LC_ALL: "C", LANG: "C" } };
  const init = spawnSync(
    join(bin, "initdb"),
    ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "--encoding=UTF8", "--no-instructions"],
    { ...spawnOptions, encoding: "utf8", timeout: 60_000 },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status ?? init.signal}): ${init.stderr}`);
  }
  const port = await freePort();
  // The test data needs no durability: skip the disk syncs that slow a loaded machine.
  const postgres: ChildProcess = spawn(
    join(bin, "postgres"),
    ["-D", data, "-k", dir, "-p", String(port), "-h", "127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
    { ...spawnOptions, stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  const exited = new Promise<void>((resolve) => postgres.once("exit", () => resolve()));
  // should the test process end without stop(), the server must not outlive it
  const killOnExit = (): void => void postgres.kill("SIGKILL");
  process.once("exit", killOnExit);
  const stop = async (): Promise<void> => {
    process.off("exit", killOnExit);
    if (postgres.exitCode === null && postgres.signalCode === null) {
      postgres.kill("SIGINT"); // fast shutdown: ends the sessions, then exits
      await within(exited, 15_000, "PostgreSQL shutdown").catch(() => {
        postgres.kill("SIGKILL");
        return within(exited, 5_000, "PostgreSQL kill");
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const ready = new Promise<void>((resolve, reject) => {
    const onLog = (chunk: string): void => {
      log += chunk;
      if (!log.includes("ready to accept connections")) return;
      postgres.stderr?.off("data", onLog).resume(); // the rest of its log is not ours to keep
      resolve();
    };
    postgres.stderr?.setEncoding("utf8").on("data", onLog);
    postgres.once("exit", (code, signal) => reject(new Error(`postgres exited (${code ?? signal}) before it was ready:\n${log}`)));
  });
  try {
    await within(ready, 30_000, "PostgreSQL start");
  } catch (error) {
    await stop();
    throw error;
  }
  return { host: "127.0.0.1", port, user: "postgres", database: "postgres", stop };
}
