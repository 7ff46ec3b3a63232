// Shared rollup config factory: every package builds ESM (.js) + CommonJS (.cjs) from
// the same sources, and bundles its declarations into .d.ts (ESM) and .d.cts (CJS).
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import esbuild from "rollup-plugin-esbuild";
import { dts } from "rollup-plugin-dts";

/**
 * @param {string} configUrl `import.meta.url` of the package's rollup.config.mjs
 * @param {{ entries?: Record<string, string>, browser?: Record<string, string> }} [options]
 *   `entries`: output name -> source file. `browser`: output name -> source file of the
 *   builds behind the package's "browser" export condition, where every relative import of
 *   `x.ts` that has an `x.browser.ts` beside it gets that file instead (see browserVariants).
 */
export function createConfig(configUrl, options = {}) {
  const packageDir = dirname(fileURLToPath(configUrl));
  const pkg = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
  const entries = options.entries ?? { index: "src/index.ts" };
  const dependencyNames = [
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
  ];
  const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
  // A dependency's subpaths ("ws/lib/…", "@volley/parser/conformance") stay external too.
  const external = (id) =>
    builtins.has(id) || dependencyNames.some((name) => id === name || id.startsWith(`${name}/`));
  const input = Object.fromEntries(
    Object.entries(entries).map(([name, file]) => [name, join(packageDir, file)]),
  );

  const browserInput = Object.fromEntries(
    Object.entries(options.browser ?? {}).map(([name, file]) => [name, join(packageDir, file)]),
  );
  const browser = Object.keys(browserInput).length === 0 ? [] : [
    {
      input: browserInput,
      external,
      plugins: [browserVariants(), esbuild({ target: "es2022", tsconfig: join(packageDir, "tsconfig.json") })],
      output: [
        { dir: join(packageDir, "dist"), format: "es", entryFileNames: "[name].js", chunkFileNames: "chunks/[name]-[hash].js", sourcemap: true },
        { dir: join(packageDir, "dist"), format: "cjs", entryFileNames: "[name].cjs", chunkFileNames: "chunks/[name]-[hash].cjs", sourcemap: true, exports: "named" },
      ],
    },
  ];

  return [
    ...browser,
    {
      input,
      external,
      plugins: [esbuild({ target: "es2022", tsconfig: join(packageDir, "tsconfig.json") })],
      output: [
        { dir: join(packageDir, "dist"), format: "es", entryFileNames: "[name].js", chunkFileNames: "chunks/[name]-[hash].js", sourcemap: true },
        { dir: join(packageDir, "dist"), format: "cjs", entryFileNames: "[name].cjs", chunkFileNames: "chunks/[name]-[hash].cjs", sourcemap: true, exports: "named" },
      ],
    },
    {
      input,
      external,
      plugins: [dts({ tsconfig: join(packageDir, "tsconfig.json") })],
      output: [
        { dir: join(packageDir, "dist"), format: "es", entryFileNames: "[name].d.ts", chunkFileNames: "chunks/[name]-[hash].d.ts" },
        { dir: join(packageDir, "dist"), format: "es", entryFileNames: "[name].d.cts", chunkFileNames: "chunks/[name]-[hash].d.cts" },
      ],
    },
  ];
}

/**
 * The browser variants of a package's modules: a relative import that resolves to `x.ts`
 * resolves to `x.browser.ts` instead when that file exists (and is not the importer itself,
 * so a variant may import the module it stands in for). A variant is kept small: it leaves
 * out what only Node.js needs (Buffer paths, fast paths for servers) and shares the rest.
 */
export function browserVariants() {
  return {
    name: "volley-browser-variants",
    async resolveId(source, importer, options) {
      if (!source.startsWith(".") || importer === undefined) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (resolved === null || resolved.external || !resolved.id.endsWith(".ts")) return resolved;
      const variant = resolved.id.replace(/\.ts$/, ".browser.ts");
      return variant !== importer && existsSync(variant) ? variant : resolved;
    },
  };
}
