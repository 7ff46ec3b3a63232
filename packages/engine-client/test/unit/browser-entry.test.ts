import { describe, expect, it } from "@jest/globals";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

// Reads the built files (jest runs after `pnpm build`): the browser entry and everything it
// pulls in must import no Node.js built-in and not `ws`.
const DIST = join(__dirname, "..", "..", "dist");
const FORBIDDEN = /^(node:.*|ws|http|https|net|tls|zlib|url|buffer|stream|events|crypto|fs|path|os|child_process)(\/.*)?$/;

/** The module specifiers a built file imports or requires. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bimport\s*(?:[^'"()]*?\bfrom\s*)?["']([^"']+)["']/g,
    /\bexport\s*[^'"()]*?\bfrom\s*["']([^"']+)["']/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** Every external specifier reachable from `entry`, following relative imports. */
function externalImports(entry: string): Set<string> {
  const external = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
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
  it.each(["index.browser.js", "index.browser.cjs"])("%s imports no Node.js module", (file) => {
    const imports = externalImports(join(DIST, file));
    expect([...imports].filter((specifier) => FORBIDDEN.test(specifier))).toEqual([]);
    expect([...imports].sort()).toEqual(["@volley/engine-parser", "@volley/shared", "debug", "eventemitter3"]);
  });

  it("the Node entry does use the Node transports (so the check above can fail)", () => {
    const imports = externalImports(join(DIST, "index.js"));
    expect(imports).toContain("ws");
    expect(imports).toContain("node:http");
  });

  it.each(["engine-client.esm.min.js", "engine-client.min.cjs"])("the self-contained bundle %s imports nothing", (file) => {
    const bundle = join(DIST, file);
    expect(existsSync(bundle)).toBe(true);
    const source = readFileSync(bundle, "utf8");
    expect(specifiers(source)).toEqual([]);
    expect(/\bSocket\b/.test(source)).toBe(true);
  });
});
