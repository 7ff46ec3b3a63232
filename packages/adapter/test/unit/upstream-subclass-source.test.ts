// The type test of an adapter written for socket.io-adapter exists twice (see
// test/types/upstream-subclass.*.test-d.ts): `pnpm typecheck` compiles one copy against the
// published package and one against ours. This keeps them the same code.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";

const typesDir = join(__dirname, "..", "types");

function source(name: string, specifier: string): string {
  const text = readFileSync(join(typesDir, `upstream-subclass.${name}.test-d.ts`), "utf8");
  const from = `from "${specifier}";`;
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, 'from "<adapter>";');
}

describe("the upstream-subclass type test", () => {
  it("compiles the same code against socket.io-adapter and against @volley/adapter", () => {
    expect(source("volley", "../../src/index")).toBe(source("published", "socket.io-adapter"));
  });
});
