import commonjs from "@rollup/plugin-commonjs";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import terser from "@rollup/plugin-terser";
import esbuild from "rollup-plugin-esbuild";
import { createConfig } from "../../tooling/rollup.mjs";

// The self-contained browser bundle, for pages that load it with <script type="module">:
// every dependency inlined (debug's browser build, eventemitter3, the engine parser), minified.
const browserBundle = {
  input: "src/index.browser.ts",
  plugins: [
    nodeResolve({ browser: true, preferBuiltins: false }),
    commonjs(),
    esbuild({ target: "es2022", tsconfig: "tsconfig.json" }),
  ],
  output: [
    {
      file: "dist/engine-client.esm.min.js",
      format: "es",
      sourcemap: true,
      plugins: [terser({ format: { comments: false } })],
    },
    // The same bundle for CommonJS consumers (bundlers that `require` the "./bundle" subpath).
    {
      file: "dist/engine-client.min.cjs",
      format: "cjs",
      exports: "named",
      sourcemap: true,
      plugins: [terser({ format: { comments: false } })],
    },
  ],
};

export default [
  ...createConfig(import.meta.url, { entries: { index: "src/index.ts", "index.browser": "src/index.browser.ts" } }),
  browserBundle,
];
