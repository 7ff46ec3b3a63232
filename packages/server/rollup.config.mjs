import { createConfig } from "../../tooling/rollup.mjs";
import { callableCommonJs, callableCommonJsTypes } from "./build/callable-cjs.mjs";

// The shared factory, with the CommonJS outputs made callable as socket.io's module is
// (see build/callable-cjs.mjs); the ESM outputs are left as they are.
const [code, types] = createConfig(import.meta.url);
for (const output of code.output) {
  if (output.format === "cjs") output.plugins = [...(output.plugins ?? []), callableCommonJs()];
}
for (const output of types.output) {
  if (output.entryFileNames.endsWith(".d.cts")) output.plugins = [...(output.plugins ?? []), callableCommonJsTypes(import.meta.url)];
}

export default [code, types];
