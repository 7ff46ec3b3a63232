import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";

const EXPECTED = [
  "AckTimeoutError",
  "Adapter",
  "BroadcastOperator",
  "CLIENT_BUNDLE_UNAVAILABLE_BODY",
  "CONNECT_ERROR_MESSAGES",
  "Client",
  "DEFAULT_CONNECTION_STATE_RECOVERY",
  "DEFAULT_SERVER_OPTIONS",
  "InvalidArgumentError",
  "InvalidOptionError",
  "Namespace",
  "ParentNamespace",
  "ProtocolViolationError",
  "RECOVERABLE_DISCONNECT_REASONS",
  "RESERVED_EVENTS",
  "RemoteSocket",
  "ReservedEventError",
  "SERVER_ERROR_CODES",
  "Server",
  "ServerError",
  "SessionAwareAdapter",
  "Socket",
  "SocketDisconnectedError",
  "SocketEmitter",
  "resolveServerOptions",
];

describe("the built package", () => {
  const dir = join(__dirname, "..", "..");
  it.each([
    ["import", `import("@volley/server").then((m) => console.log(JSON.stringify(Object.keys(m).sort())))`],
    ["require", `console.log(JSON.stringify(Object.keys(require("@volley/server")).sort()))`],
  ])("exports the same names through %s", (_mode, script) => {
    const out = execFileSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8" });
    expect(JSON.parse(out)).toEqual([...EXPECTED].sort());
  });
});
