// The public export list, as ESM and CommonJS consumers see it (the built package, resolved
// through its own exports map), for the Node.js entry and the browser entry.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";

const packageDir = join(__dirname, "..", "..");

function exportedNames(script: string, type: "module" | "commonjs", conditions: string[] = []): string[] {
  const result = spawnSync(process.execPath, [...conditions.map((name) => `--conditions=${name}`), `--input-type=${type}`, "-e", script], {
    cwd: packageDir,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as string[];
}

const ESM = 'import("@volley/engine-client").then((m) => console.log(JSON.stringify(Object.keys(m).sort())))';
const CJS = 'console.log(JSON.stringify(Object.keys(require("@volley/engine-client")).sort()))';

const BROWSER = [
  "BaseSocket",
  "BaseWebSocket",
  "CookieJar",
  "DEFAULT_SOCKET_OPTIONS",
  "ENGINE_CLIENT_ERROR_CODES",
  "EngineClientError",
  "Fetch",
  "InvalidMessageError",
  "InvalidOptionError",
  "NodeWebSocket",
  "NodeXHR",
  "ParseError",
  "Polling",
  "ProbeError",
  "Socket",
  "SocketWithUpgrade",
  "SocketWithoutUpgrade",
  "Transport",
  "TransportError",
  "WebSocket",
  "XHR",
  "installTimerFunctions",
  "nextTick",
  "parse",
  "protocol",
  "resolveSocketOptions",
  "transports",
];
// The Node.js entry adds the Node polling transport under its own name (NodeXHR is its alias).
const NODE = [...BROWSER, "NodePolling"].sort();

describe("public exports", () => {
  it("are the same named exports from import and require (Node.js entry)", () => {
    expect(exportedNames(ESM, "module")).toEqual(NODE);
    expect(exportedNames(CJS, "commonjs")).toEqual(NODE);
  });

  it("are the same named exports from import and require (browser entry)", () => {
    expect(exportedNames(ESM, "module", ["browser"])).toEqual(BROWSER);
    expect(exportedNames(CJS, "commonjs", ["browser"])).toEqual(BROWSER);
  });
});
