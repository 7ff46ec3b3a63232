import { createConfig } from "../../tooling/rollup.mjs";

// The "browser" export condition (dist/index.browser.*): the same API and wire output,
// built with the browser variants of its modules (src/*.browser.ts: small-payload without
// the fast paths); types: the same declarations as the main entry.
export default createConfig(import.meta.url, {
  entries: { index: "src/index.ts", conformance: "src/conformance.ts" },
  browser: { "index.browser": "src/index.ts" },
});
