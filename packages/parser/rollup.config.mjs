import { fileURLToPath } from "node:url";
import { createConfig } from "../../tooling/rollup.mjs";

const [code, types] = createConfig(import.meta.url, {
  entries: { index: "src/index.ts", conformance: "src/conformance.ts" },
});

const smallPayload = fileURLToPath(new URL("src/small-payload.ts", import.meta.url));
const browserSmallPayload = fileURLToPath(new URL("src/small-payload.browser.ts", import.meta.url));

/** `./small-payload` resolves to the browser stand-in (no fast paths; see that file). */
const withoutFastPaths = {
  name: "volley-parser-browser",
  async resolveId(source, importer, options) {
    if (!source.endsWith("/small-payload")) return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    return resolved?.id === smallPayload ? browserSmallPayload : resolved;
  },
};

// The "browser" export condition: the same API and wire output, built without the
// small-payload fast paths (types: the same declarations as the main entry).
const browser = {
  ...code,
  input: { "index.browser": fileURLToPath(new URL("src/index.ts", import.meta.url)) },
  plugins: [withoutFastPaths, ...code.plugins],
};

export default [code, types, browser];
