import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

// Reads the built files (jest runs after the build): the browser entry and what it pulls in
// must import no Node.js built-in.
const DIST = join(__dirname, "..", "..", "dist");
const FORBIDDEN = /^(node:.*|ws|http|https|net|tls|zlib|url|buffer|stream|events|crypto|fs|path|os|child_process)(\/.*)?$/;

function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bimport\s*(?:[^'"()]*?\bfrom\s*)?["']([^"']+)["']/g,
    /\bexport\s*[^'"()]*?\bfrom\s*["']([^"']+)["']/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

function externalImports(entry: string): Set<string> {
  const external = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of specifiers(readFileSync(file, "utf8"))) {
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier));
      else external.add(specifier);
    }
  };
  visit(entry);
  return external;
}

describe("browser entry (built files)", () => {
  it.each(["index.browser.js", "index.browser.cjs", "index.js", "index.cjs"])("%s imports no Node.js module", (file) => {
    const imports = externalImports(join(DIST, file));
    expect([...imports].filter((specifier) => FORBIDDEN.test(specifier))).toEqual([]);
    // The platform's transports come from @volley/engine-client's own browser/node conditions.
    expect([...imports].sort()).toEqual(["@volley/engine-client", "@volley/parser", "@volley/shared", "debug", "eventemitter3"]);
  });

  it("the package marks itself side-effect free and maps the browser condition", () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as {
      sideEffects: boolean;
      exports: { ".": { browser: { import: { default: string } } } };
    };
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.exports["."].browser.import.default).toBe("./dist/index.browser.js");
  });
});
