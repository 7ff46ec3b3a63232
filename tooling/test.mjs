#!/usr/bin/env node
// `pnpm test`: makes sure the system programs the tests use are there, builds and checks
// every package (publint, attw), type-checks the graph (tsc -b), runs all jest projects in one run, and ends
// with one line "N passed, M failed". Exits non-zero when anything failed.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureSystemPrograms } from "./system-programs.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const extraJestArgs = process.argv.slice(2);

function finish(passed, failed) {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

function step(title, command, args) {
  console.log(`\n> ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n${title} failed (exit ${result.status ?? result.signal}).`);
    finish(0, 1);
  }
}

try {
  ensureSystemPrograms();
} catch (error) {
  console.error(`\n${error instanceof Error ? error.message : String(error)}`);
  finish(0, 1);
}

step("build and package checks (publint, attw)", bin("turbo"), [
  "run", "build", "lint", "--output-logs=errors-only", "--concurrency=2",
]);
// One type-check of the whole graph through the solution tsconfig.json (project references).
step("typecheck (tsc -b)", bin("tsc"), ["-b"]);

const resultsFile = join(root, ".jest-results.json");
rmSync(resultsFile, { force: true });
console.log("\n> jest");
const jest = spawnSync(
  bin("jest"),
  ["--ci", "--json", `--outputFile=${resultsFile}`, ...extraJestArgs],
  { cwd: root, stdio: "inherit", env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? "0" } },
);
if (!existsSync(resultsFile)) {
  console.error(`jest wrote no results (exit ${jest.status ?? jest.signal}).`);
  finish(0, 1);
}
const results = JSON.parse(readFileSync(resultsFile, "utf8"));
// A suite that failed to load counts as a failure even though none of its tests ran.
const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
if (results.numTotalTests === 0) {
  console.error("jest ran no test.");
  finish(0, 1);
}
finish(results.numPassedTests, jest.status !== 0 && failed === 0 ? 1 : failed);
