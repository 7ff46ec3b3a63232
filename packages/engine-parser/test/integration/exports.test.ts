// The built package, as users load it: the same named exports from `import` and `require`
// (dist/index.js and dist/index.cjs, through the package's exports map), and nothing else.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";

const packageDir = join(__dirname, "..", "..");

const EXPECTED_EXPORTS = [
  "ENGINE_PARSER_ERROR_CODES",
  "ERROR_PACKET",
  "EngineParserError",
  "InvalidPacketTypeError",
  "PACKET_TYPES",
  "SEPARATOR",
  "SyncBlobError",
  "createPacketDecoderStream",
  "createPacketEncoderStream",
  "decodePacket",
  "decodePacketV3",
  "decodePayload",
  "decodePayloadV3",
  "encodePacket",
  "encodePacketAsync",
  "encodePacketV3",
  "encodePayload",
  "encodePayloadAsync",
  "encodePayloadV3",
  "protocol",
  "protocolV3",
];

function run(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: packageDir, encoding: "utf8", timeout: 15000 });
}

describe("package exports", () => {
  it("is built (pnpm build runs before the tests)", () => {
    expect(existsSync(join(packageDir, "dist", "index.js"))).toBe(true);
    expect(existsSync(join(packageDir, "dist", "index.cjs"))).toBe(true);
  });

  it("gives ESM importers exactly the public API", () => {
    const out = run([
      "--input-type=module",
      "-e",
      'const m = await import("@volley/engine-parser"); console.log(JSON.stringify(Object.keys(m).sort()));',
    ]);
    expect(JSON.parse(out)).toEqual(EXPECTED_EXPORTS);
  });

  it("gives CommonJS requirers exactly the public API", () => {
    const out = run(["-e", 'console.log(JSON.stringify(Object.keys(require("@volley/engine-parser")).sort()))']);
    expect(JSON.parse(out)).toEqual(EXPECTED_EXPORTS);
  });

  it("works the same from both builds", () => {
    const script = (load: string) =>
      `${load}; const p = m.encodePayload([{ type: "message", data: "hé" }, { type: "message", data: Buffer.from([1]) }]);` +
      ` let c; m.encodePayload([{ type: "ping" }], (x) => (c = x));` +
      ` const s = m.createPacketEncoderStream(); const w = s.writable.getWriter(); w.write({ type: "pong" });` +
      ` s.readable.getReader().read().then(({ value }) => console.log(JSON.stringify([p, m.decodePayload(p, "arraybuffer").map((x) => x.type), m.encodePayloadV3([{ type: "ping" }], false), c, Array.from(value)])));`;
    const esm = run(["--input-type=module", "-e", script('const m = await import("@volley/engine-parser")')]);
    const cjs = run(["-e", script('const m = require("@volley/engine-parser")')]);
    expect(JSON.parse(esm)).toEqual(["4hé\x1ebAQ==", ["message", "message"], "1:2", "2", [1]]);
    expect(cjs).toBe(esm);
  });
});
