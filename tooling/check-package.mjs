// `pnpm lint` for one package: publint (package.json and files) and
// @arethetypeswrong/cli (types resolve for every module resolution mode).
// Run from the package's folder after its build.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const toolingDir = dirname(fileURLToPath(import.meta.url));
const bin = (name) => join(toolingDir, "..", "node_modules", ".bin", name);

function run(command, args) {
  const result = spawnSync(command, args, { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run(bin("publint"), ["--strict"]);
run(bin("attw"), ["--pack", ".", "--profile", "node16", "--format", "table-flipped"]);
