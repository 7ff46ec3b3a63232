import { createConfig } from "../../tooling/rollup.mjs";

export default createConfig(import.meta.url);
