// The public export list, as an ESM consumer and as a CommonJS consumer see it (the built
// package, resolved through its own exports map).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";

const packageDir = join(__dirname, "..", "..");

function exportedNames(script: string, type: "module" | "commonjs"): string[] {
  const result = spawnSync(process.execPath, [`--input-type=${type}`, "-e", script], { cwd: packageDir, encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as string[];
}

const EXPECTED = [
  "CLUSTER_ADAPTER_ERROR_CODES",
  "ClusterAdapterError",
  "DEFAULT_CLUSTER_ADAPTER_OPTIONS",
  "DEFAULT_CLUSTER_ADAPTER_PRIMARY_OPTIONS",
  "InvalidOptionError",
  "MESSAGE_SOURCE",
  "NodeClusterAdapter",
  "NotAWorkerError",
  "NotPrimaryError",
  "WorkersTimeoutError",
  "createAdapter",
  "resolveClusterAdapterOptions",
  "resolvePrimaryOptions",
  "setupPrimary",
];

describe("exports", () => {
  it("ESM", () => {
    const names = exportedNames(
      `const m = await import("@volley/cluster-adapter"); console.log(JSON.stringify(Object.keys(m).filter((k) => k !== "default").sort()))`,
      "module",
    );
    expect(names).toEqual(EXPECTED);
  });

  it("CommonJS", () => {
    const names = exportedNames(`console.log(JSON.stringify(Object.keys(require("@volley/cluster-adapter")).sort()))`, "commonjs");
    expect(names).toEqual(EXPECTED);
  });
});
