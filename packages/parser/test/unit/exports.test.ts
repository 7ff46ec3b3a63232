// The public surface, as ESM and CommonJS users get it from the built package (run after
// `pnpm build`, as turbo does). A change here is a change of the public API.
import { describe, expect, it } from "@jest/globals";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const INDEX = [
  "DEFAULT_DECODER_OPTIONS",
  "DEFAULT_ENCODER_OPTIONS",
  "DecodeError",
  "DecodeErrorCode",
  "Decoder",
  "EncodeError",
  "EncodeErrorCode",
  "Encoder",
  "InvalidOptionError",
  "OptionRangeError",
  "PARSER_ERROR_CODES",
  "PacketType",
  "ParserError",
  "RESERVED_EVENTS",
  "hasBinary",
  "isBinary",
  "isPacketValid",
  "protocol",
  "toParser",
];
const CONFORMANCE = ["ConformanceError", "parserConformanceCases", "registerParserConformance"];

const names = (file: string): string[] =>
  Object.keys(require(join(__dirname, "../../dist", file)) as object)
    .filter((name) => name !== "__esModule")
    .sort();

describe("exports", () => {
  it.each([
    ["index.cjs", INDEX],
    ["index.js", INDEX],
    ["conformance.cjs", CONFORMANCE],
    ["conformance.js", CONFORMANCE],
  ])("dist/%s exports exactly the public names", (file, expected) => {
    expect(names(file)).toEqual(expected);
  });

  it("matches the source entry points", () => {
    expect(Object.keys(require("../../src")).filter((name) => name !== "__esModule").sort()).toEqual(INDEX);
  });

  it("loads no Node.js built-in, so that browsers can use it", () => {
    const dist = join(__dirname, "../../dist");
    const files = [...readdirSync(dist), ...readdirSync(join(dist, "chunks")).map((file) => `chunks/${file}`)].filter(
      (file) => /\.(c?js)$/.test(file),
    );
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const code = readFileSync(join(dist, file), "utf8");
      const imported = [...code.matchAll(/(?:from\s+|require\()\s*["']([^"']+)["']/g)].map((match) => match[1]);
      expect(imported.filter((name) => !name!.startsWith(".") && name !== "debug" && name !== "eventemitter3" && name !== "@volley/shared")).toEqual([]);
    }
  });

  it("speaks protocol 5", () => {
    expect((require(join(__dirname, "../../dist/index.cjs")) as { protocol: number }).protocol).toBe(5);
  });
});
