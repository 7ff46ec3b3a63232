import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";

const EXPECTED = [
  "AckTimeoutError",
  "CLIENT_ERROR_CODES",
  "ClientError",
  "ConnectRefusedError",
  "ConnectTimeoutError",
  "DEFAULT_MANAGER_OPTIONS",
  "DEFAULT_SOCKET_OPTIONS",
  "EmitOperator",
  "Fetch",
  "InvalidOptionError",
  "Manager",
  "NodePolling",
  "NodeWebSocket",
  "ReservedEventError",
  "Socket",
  "SocketDisconnectedError",
  "UnsupportedServerError",
  "WebSocket",
  "XHR",
  "connect",
  "default",
  "io",
  "protocol",
];
const BROWSER_ONLY_MISSING = ["NodePolling", "NodeWebSocket"];

const dir = join(__dirname, "..", "..");
const run = (args: string[]): string => execFileSync(process.execPath, args, { cwd: dir, encoding: "utf8" });

describe("the built package", () => {
  it.each([
    ["import", `import("@volley/client").then((m) => console.log(JSON.stringify(Object.keys(m).sort())))`],
    ["require", `console.log(JSON.stringify(Object.keys(require("@volley/client")).sort()))`],
  ])("exports the same names through %s", (_mode, script) => {
    expect(JSON.parse(run(["-e", script]))).toEqual([...EXPECTED].sort());
  });

  it("the browser build exports the same names, without the Node.js transports", () => {
    const expected = EXPECTED.filter((name) => !BROWSER_ONLY_MISSING.includes(name)).sort();
    const esm = run(["--conditions=browser", "--input-type=module", "-e", `import("@volley/client").then((m) => console.log(JSON.stringify(Object.keys(m).sort())))`]);
    const cjs = run(["--conditions=browser", "-e", `console.log(JSON.stringify(Object.keys(require("@volley/client")).sort()))`]);
    expect(JSON.parse(esm)).toEqual(expected);
    expect(JSON.parse(cjs)).toEqual(expected);
  });

  it("require() gives io() itself, callable, with io, connect and default being the same function", () => {
    const script = `
      const lookup = require("@volley/client");
      const socket = lookup("http://127.0.0.1:1/admin", { autoConnect: false });
      console.log(JSON.stringify({
        callable: typeof lookup,
        socket: socket instanceof lookup.Socket,
        manager: socket.io instanceof lookup.Manager,
        aliases: lookup.io === lookup.connect && lookup.default === lookup.io,
        protocol: lookup.protocol,
      }));`;
    expect(JSON.parse(run(["-e", script]))).toEqual({ callable: "function", socket: true, manager: true, aliases: true, protocol: 5 });
  });

  // socket.io-client's io() carries Manager, Socket, io and connect in every build, its ESM
  // bundle included: so does ours (the browser build and socket.io.esm.min.js too).
  it.each([
    ["the ESM build", [], "@volley/client"],
    ["the ESM browser build", ["--conditions=browser"], "@volley/client"],
    ["socket.io.esm.min.js", [], "@volley/client/dist/socket.io.esm.min.js"],
  ])("%s: io carries Manager, Socket, io and connect", (_name, flags, specifier) => {
    const script = `import(${JSON.stringify(specifier)}).then((m) => console.log(JSON.stringify([
      m.io.Manager === m.Manager, m.io.Socket === m.Socket, m.io.io === m.io, m.io.connect === m.io, m.default === m.io,
    ])))`;
    expect(JSON.parse(run([...flags, "--input-type=module", "-e", script]))).toEqual([true, true, true, true, true]);
  });

  it("the ESM default export is io()", () => {
    const script = `import("@volley/client").then((m) => console.log(m.default === m.io && m.connect === m.io))`;
    expect(run(["-e", script]).trim()).toBe("true");
  });
});
