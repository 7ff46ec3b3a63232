// Shared rollup config factory: every package builds ESM (.js) + CommonJS (.cjs) from
// the same sources, and bundles its declarations into .d.ts (ESM) and .d.cts (CJS).
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import esbuild from "rollup-plugin-esbuild";
import { dts } from "rollup-plugin-dts";

/**
 * @param {string} configUrl `import.meta.url` of the package's rollup.config.mjs
 * @param {{ entries?: Record<string, string> }} [options] output name -> source file
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

  return [
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
