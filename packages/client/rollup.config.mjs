import { createConfig } from "../../tooling/rollup.mjs";
import { dts } from "rollup-plugin-dts";

const entries = { index: "src/index.ts", "index.browser": "src/index.browser.ts" };
const [code, types] = createConfig(import.meta.url, { entries });
const resolve = (file) => new URL(file, import.meta.url).pathname;

// ESM keeps named exports (and the default export).
const esm = { ...code, output: code.output.filter((output) => output.format === "es") };

// The CommonJS build comes from its own entries, whose default export is io() carrying the
// named exports as properties: emitted as `module.exports = lookup`, so that
// `require("@volley/client")(url)` works as with socket.io-client, and so do named imports.
const [cjsOutput] = code.output.filter((output) => output.format === "cjs");
const cjs = {
  ...code,
  input: { index: resolve("src/cjs.ts"), "index.browser": resolve("src/cjs.browser.ts") },
  output: { ...cjsOutput, exports: "default" },
};

/**
 * The .d.cts of a `module.exports = lookup` module must say `export =` (attw: an `export
 * default` there makes TypeScript expect a `.default`). rollup-plugin-dts bundles the
 * declarations with named exports into `[name].api.d.cts`; this plugin adds the entry's
 * `[name].d.cts`: a function `lookup` (io's two signatures) merged with a namespace that
 * aliases every export of the bundle, then `export = lookup`. CommonJS TypeScript users keep
 * the call, the named values and the named types.
 */
function exportAssignment() {
  return {
    name: "volley-export-assignment",
    // An import alias cannot point at an `export type`: in declarations, a plain export says the same.
    renderChunk: (code) => code.replace(/^export type \{/gm, "export {"),
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== "chunk" || !chunk.isEntry) continue;
        const names = new Set();
        const clause = /^export (?:type )?\{([^}]*)\}(?: from '[^']+')?;\s*$/gm;
        for (const [, list] of chunk.code.matchAll(clause)) {
          for (const item of list.split(",").map((part) => part.trim()).filter(Boolean)) {
            const exported = item.split(/\s+as\s+/).pop();
            if (exported !== "default") names.add(exported);
          }
        }
        for (const name of ["io", "IoOptions", "Socket", "EventsMap", "DefaultEventsMap"]) {
          if (!names.has(name)) throw new Error(`exportAssignment: ${chunk.fileName} does not export ${name}`);
        }
        const api = `./${chunk.fileName.replace(/\.d\.cts$/, ".cjs")}`;
        const generics = "<ListenEvents extends api.EventsMap = api.DefaultEventsMap, EmitEvents extends api.EventsMap = ListenEvents>";
        const source = [
          `import api = require("${api}");`,
          "",
          '/** `io()` itself: `require("@volley/client")(url)`, with every export as a property. */',
          `declare function lookup${generics}(opts?: api.IoOptions): api.Socket<ListenEvents, EmitEvents>;`,
          `declare function lookup${generics}(uri?: string, opts?: api.IoOptions): api.Socket<ListenEvents, EmitEvents>;`,
          "declare namespace lookup {",
          ...[...names].sort().map((name) => `  export import ${name} = api.${name};`),
          "}",
          "export = lookup;",
          "",
        ].join("\n");
        this.emitFile({ type: "asset", fileName: chunk.fileName.replace(/\.api\.d\.cts$/, ".d.cts"), source });
      }
    },
  };
}

const cjsTypes = {
  input: Object.fromEntries(Object.entries(entries).map(([name, file]) => [`${name}.api`, resolve(file)])),
  external: types.external,
  plugins: [dts({ tsconfig: resolve("tsconfig.json") }), exportAssignment()],
  output: { dir: resolve("dist"), format: "es", entryFileNames: "[name].d.cts", chunkFileNames: "chunks/[name]-[hash].d.cts" },
};
const esmTypes = { ...types, output: types.output.filter((output) => output.entryFileNames.endsWith(".d.ts")) };

export default [esm, cjs, esmTypes, cjsTypes];
