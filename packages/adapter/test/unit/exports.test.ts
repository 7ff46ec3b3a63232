// The public export list, as an ESM consumer and as a CommonJS consumer see it (the
// built package, resolved through its own exports map).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";

const packageDir = join(__dirname, "..", "..");

function exportedNames(script: string, type: "module" | "commonjs"): string[] {
  const result = spawnSync(process.execPath, [`--input-type=${type}`, "-e", script], {
    cwd: packageDir,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as string[];
}

const EXPECTED = [
  "ADAPTER_ERROR_CODES",
  "Adapter",
  "AdapterClosedError",
  "AdapterError",
  "ClusterAdapter",
  "ClusterAdapterWithHeartbeat",
  "DEFAULT_CLUSTER_ADAPTER_OPTIONS",
  "DEFAULT_CLUSTER_ADAPTER_WITH_HEARTBEAT_OPTIONS",
  "DEFAULT_SESSION_AWARE_ADAPTER_OPTIONS",
  "EMITTER_UID",
  "InvalidArgumentError",
  "InvalidClusterMessageError",
  "InvalidOptionError",
  "MessageType",
  "PublishError",
  "RequestTimeoutError",
  "SessionAwareAdapter",
  "createBroadcastOptions",
  "createEmitterUid",
  "createOffsetGenerator",
  "isEmitterUid",
  "isRecoverable",
  "parseClusterMessage",
  "resolveClusterAdapterOptions",
  "resolveClusterAdapterWithHeartbeatOptions",
  "resolveSessionAwareAdapterOptions",
];

describe("public exports", () => {
  it("are the same named exports from import and require", () => {
    const esm = exportedNames(
      'import("@volley/adapter").then((m) => console.log(JSON.stringify(Object.keys(m).sort())))',
      "module",
    );
    const cjs = exportedNames(
      'console.log(JSON.stringify(Object.keys(require("@volley/adapter")).sort()))',
      "commonjs",
    );
    expect(esm).toEqual(EXPECTED);
    expect(cjs).toEqual(EXPECTED);
  });
});
