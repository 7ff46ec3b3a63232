import { createConfig } from "../../tooling/rollup.mjs";

// The "browser" export condition (dist/index.browser.*): the same API and output, built with
// the browser variants of its modules (src/node-buffer.browser.ts: no Buffer paths).
export default createConfig(import.meta.url, { browser: { "index.browser": "src/index.ts" } });
