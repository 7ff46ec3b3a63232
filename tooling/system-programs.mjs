// System programs the test suite runs for real. When one is missing, it is installed
// with apt-get when we are root on Debian, otherwise the run stops naming the package.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** program path -> Debian package that provides it; a `*` stands for one directory (a version) */
export const SYSTEM_PROGRAMS = [
  { path: "/usr/bin/chromium", debianPackage: "chromium", usedBy: "e2e (browser bundle in real Chromium)" },
  { path: "/usr/bin/redis-server", debianPackage: "redis-server", usedBy: "@volley/redis-adapter and tests/ecosystem (tests start their own redis-server)" },
  { path: "/usr/bin/redis-cli", debianPackage: "redis-tools", usedBy: "@volley/redis-adapter (the Redis Cluster tests form their cluster with redis-cli)" },
  { path: "/usr/lib/postgresql/*/bin/initdb", debianPackage: "postgresql", usedBy: "tests/ecosystem (the postgres-adapter tests start their own PostgreSQL)" },
];

/** Whether `path` exists; a `*` segment matches any one directory (Debian versions PostgreSQL's). */
export function isInstalled(path) {
  const star = path.indexOf("/*/");
  if (star === -1) return existsSync(path);
  const parent = path.slice(0, star);
  const rest = path.slice(star + 3);
  if (!existsSync(parent)) return false;
  return readdirSync(parent).some((entry) => isInstalled(join(parent, entry, rest)));
}

export function ensureSystemPrograms(programs = SYSTEM_PROGRAMS) {
  const missing = programs.filter((program) => !isInstalled(program.path));
  if (missing.length === 0) return;
  const packages = missing.map((program) => program.debianPackage);
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || !existsSync("/usr/bin/apt-get")) {
    throw new Error(
      `Missing system programs: ${missing.map((p) => `${p.path} (${p.usedBy})`).join(", ")}.\n` +
        `Install them first, for example: sudo apt-get install -y ${packages.join(" ")}`,
    );
  }
  console.log(`> installing ${packages.join(", ")} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = spawnSync("apt-get", ["update"], { stdio: "inherit", env });
  const install = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", ...packages], { stdio: "inherit", env });
  const stillMissing = missing.filter((program) => !isInstalled(program.path));
  if (update.status !== 0 || install.status !== 0 || stillMissing.length > 0) {
    throw new Error(`apt-get could not install ${packages.join(" ")}; install it by hand and run again.`);
  }
}
