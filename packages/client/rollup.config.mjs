import { createConfig } from "../../tooling/rollup.mjs";

export default createConfig(import.meta.url, { entries: { index: "src/index.ts", "index.browser": "src/index.browser.ts" } });
