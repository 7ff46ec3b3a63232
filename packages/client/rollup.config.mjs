import { existsSync, readFileSync } from "node:fs";
import commonjs from "@rollup/plugin-commonjs";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import terser from "@rollup/plugin-terser";
import esbuild from "rollup-plugin-esbuild";
import { dts } from "rollup-plugin-dts";
import { PacketType } from "@volley/parser";
import { createConfig } from "../../tooling/rollup.mjs";
import { privateNames } from "./scripts/private-names.mjs";

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

// The self-contained browser bundles, served by @volley/server under /socket.io/ (the file
// names are socket.io's). Every dependency is inlined; no Node.js built-in is polyfilled.

/**
 * Resolves `specifier` to `target` for every importer but `target` itself (which imports the
 * real module to re-export it), nor files beside it: how a bundle swaps the parser or the engine client.
 */
function swap(specifier, target) {
  const file = resolve(target);
  const folder = file.slice(0, file.lastIndexOf("/") + 1);
  return {
    name: `volley-swap-${specifier}`,
    resolveId(source, importer) {
      if (source !== specifier || importer?.startsWith(folder)) return null;
      return file;
    },
  };
}

/** `debug` resolves to a no-op factory: the minified bundles log nothing and carry no log text. */
const noDebug = swap("debug", "src/bundle/no-debug.ts");

/**
 * `PacketType.EVENT` and the like become their numbers, as esbuild does for an enum used in
 * the file that declares it (each module is compiled alone, so the siblings' and this
 * package's modules read the enum object). The values come from @volley/parser itself; the
 * number is padded with spaces to the length of the name so the source maps stay exact.
 */
const packetTypes = {
  name: "volley-inline-packet-types",
  transform(code) {
    const names = Object.keys(PacketType).filter((key) => Number.isNaN(Number(key)));
    const pattern = new RegExp(`(?<![\\w$.])PacketType\\.(${names.join("|")})\\b`, "g");
    if (!pattern.test(code)) return null;
    const inlined = code.replace(pattern, (match, name) => String(PacketType[name]).padEnd(match.length));
    return { code: inlined, map: null };
  },
};

/**
 * What the minified bundles build with: no logs, `@volley/shared` with its build-time
 * switches for production (short error messages, no option checks; src/bundle/lean-shared.ts),
 * the packet types inlined, and each class's private members renamed to one letter
 * (scripts/private-names.mjs).
 */
const lean = [noDebug, swap("@volley/shared", "src/bundle/lean-shared.ts"), packetTypes, privateNames];

// Safe transforms only: unsafe_arrows and unsafe_methods turn functions that never use
// `this` nor get constructed into arrows and methods; keep_fargs: false drops unused
// parameters (nothing reads a function's length); pure_getters: reading a property has no
// side effect (the same assumption as the tree-shaking below), so a read whose value is
// unused goes. Not unsafe_comps nor unsafe_math: NaN and float comparisons are meant as
// written; nor booleans_as_integers (`connected` and the like must stay booleans); nor
// unsafe, whose `String(x)` -> `x + ""` calls valueOf before toString and throws on symbols.
// Three settings for gzip rather than raw bytes (measured: about 90 B less gzip for 120 B
// more raw), none of them a transform that could change what runs: sequences: false keeps
// statements apart rather than joining them with commas (repeated statements compress
// better than one long expression each), hoist_funs moves function declarations to the top
// of their scope (where the language hoists them anyway), and inline: 1 inlines only
// simple functions, with no parameters nor variables (fewer copies of a body at call sites).
const minify = terser({
  ecma: 2020,
  compress: {
    passes: 3,
    unsafe_arrows: true,
    unsafe_methods: true,
    keep_fargs: false,
    pure_getters: true,
    ecma: 2020,
    sequences: false,
    hoist_funs: true,
    inline: 1,
    // `void 0` (128 of them) becomes a one-letter local: see `minified` below
    unsafe_undefined: true,
  },
  // error classes keep their names (err.name is read by users and in tests, and the
  // catalogues' brands are named after them)
  keep_classnames: /Error$/,
  format: { comments: false, ecma: 2020, wrap_func_args: false },
});

/**
 * The output options of the minified bundles. `intro` declares a local `undefined` at the
 * top of the bundle's scope, which terser's unsafe_undefined writes in place of each
 * `void 0` under a one-letter name (as scripts once took an `undefined` parameter). It is
 * safe: nothing assigns it (TypeScript refuses an assignment to `undefined`), and a `var`
 * holds undefined from the start of its scope, so no code can read it before it is set.
 */
const minified = { plugins: [minify], intro: "var undefined;" };

/** `eventemitter3` resolves to an ES module with its API and behaviour (see src/bundle/emitter.ts). */
const emitter = swap("eventemitter3", "src/bundle/emitter.ts");

// Reading a property has no side effect in these sources (no getter is read for its effect),
// which lets rollup drop the calls to no-debug's loggers with their arguments
// (`debug("…", this.#transport.name)`): the minified bundles carry no log text.
const treeshake = { propertyReadSideEffects: false };

/**
 * Loads the built files of the sibling packages with their source maps, so that the bundles'
 * maps point at the original TypeScript sources (and the size attribution can name them).
 */
const siblingMaps = {
  name: "volley-sibling-maps",
  load(id) {
    if (!/\/packages\/[^/]+\/dist\/.+\.js$/.test(id) || !existsSync(`${id}.map`)) return null;
    return { code: readFileSync(id, "utf8"), map: readFileSync(`${id}.map`, "utf8") };
  },
};

function bundle(input, plugins, output) {
  return {
    input: resolve(input),
    treeshake,
    plugins: [
      ...plugins,
      siblingMaps,
      emitter,
      nodeResolve({ browser: true, preferBuiltins: false }),
      commonjs({ strictRequires: false }),
      esbuild({ target: "es2022", tsconfig: resolve("tsconfig.json") }),
    ],
    output: output.map((o) => ({ sourcemap: true, ...o, file: resolve(`dist/${o.file}`) })),
  };
}

// A classic script that defines the global `io` (socket.io's bundles are UMD; in this
// "type": "module" package a .js file is an ES module for Node.js and bundlers, so the
// CommonJS branch of a UMD wrapper could never run: publint rightly flags it).
const umd = { format: "iife", name: "io", exports: "default" };
const bundles = [
  // with the debug logs (set localStorage.debug = "volley:*" before loading it)
  bundle("src/cjs.browser.ts", [swap("debug", "src/bundle/console-debug.ts")], [{ ...umd, file: "socket.io.js" }]),
  bundle("src/cjs.browser.ts", lean, [{ ...umd, file: "socket.io.min.js", ...minified }]),
  bundle("src/index.browser.ts", lean, [{ format: "es", file: "socket.io.esm.min.js", ...minified }]),
  bundle(
    "src/cjs.browser.ts",
    [...lean, swap("@volley/parser", "src/msgpack-parser/as-default.ts")],
    [{ ...umd, file: "socket.io.msgpack.min.js", ...minified }],
  ),
  bundle(
    "src/bundle/websocket.ts",
    [...lean, swap("@volley/engine-client", "src/bundle/websocket-engine.ts")],
    [{ ...umd, file: "socket.io.websocket.min.js", ...minified }],
  ),
];

export default [esm, cjs, esmTypes, cjsTypes, ...bundles];
