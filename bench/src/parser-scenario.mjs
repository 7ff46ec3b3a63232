// The parser scenario: a fresh parser child per implementation and round (parser-child.mjs),
// which times encode + decode round trips of each input and checks what came back.
import { fileURLToPath } from "node:url";
import { PARSER_INPUTS } from "./parser-inputs.mjs";
import { ServerProcess } from "./server-process.mjs";

const PARSER_CHILD = fileURLToPath(new URL("./parser-child.mjs", import.meta.url));

/** Resolves with `{ [input key]: { chars, ops, cpuMicros, wallMs } }`. */
export async function runParser(kind, config) {
  const child = await ServerProcess.start(kind, { script: PARSER_CHILD, role: "parser" });
  try {
    // warm-up (a quarter) + measured window per input, and room for a busy machine
    const bound = PARSER_INPUTS.length * config.parserMs * 10 + config.stallMs;
    const profile = config.cpuProfile === undefined ? undefined : `${config.cpuProfile}-parser`;
    const { results } = await child.request("parser", { ms: config.parserMs, profile }, bound);
    return results;
  } finally {
    await child.stop();
  }
}
