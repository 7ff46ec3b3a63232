import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
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

describe("the CommonJS module", () => {
  const dir = join(__dirname, "..", "..");
  const node = (script: string): unknown =>
    JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8" }));

  it("is callable as socket.io's: require(pkg)(options) gives a Server, beside the named exports", () => {
    const probe = (pkg: string): string => `
      const m = require("${pkg}");
      // not attached: no engine, nothing to close
      const io = m({ serveClient: false });
      console.log(JSON.stringify([typeof m, io instanceof m.Server, typeof m.Namespace, typeof m.Socket, "default" in m]));`;
    expect(node(probe("socket.io"))).toEqual(["function", true, "function", "function", false]);
    expect(node(probe("@volley/server"))).toEqual(node(probe("socket.io")));
  });

  it("keeps named exports only on the import side", () => {
    const keys = node(`import("@volley/server").then((m) => console.log(JSON.stringify(["default" in m, typeof m.Server])))`);
    expect(keys).toEqual([false, "function"]);
  });

  it(
    "has types (dist/index.d.cts) that a CommonJS TypeScript consumer compiles against",
    () => {
      const tsc = join(dirname(require.resolve("typescript")), "..", "bin", "tsc");
      const fixture = join(__dirname, "..", "fixtures", "cjs-consumer", "tsconfig.json");
      // throws with tsc's diagnostics if the consumer does not compile
      execFileSync(process.execPath, [tsc, "-p", fixture], { cwd: dir, encoding: "utf8" });
    },
    180_000,
  );
});
