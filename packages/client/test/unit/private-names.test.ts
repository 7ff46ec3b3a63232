// scripts/private-names.mjs renames the private members of each class in the minified
// bundles. The bundle tests run what it made of the bundled classes; this runs it on what
// they lack (a class nested in another that reaches the outer one's members, a class
// expression as superclass, get/set pairs, static members, `#x in o`) and checks that the
// renamed code does what the original does.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";

const packageDir = join(__dirname, "../..");

const SAMPLE = `
class Outer {
  #alpha = 1;
  #beta = 2;
  static #gamma = 3;
  get #delta() { return this.#alpha; }
  set #delta(value) { this.#alpha = value; }
  make() {
    return new (class Inner extends (class { #zeta = 9; zeta() { return this.#zeta; } }) {
      #beta = "inner";
      #epsilon = 5;
      read(outer) { return [this.#beta, this.#epsilon, #alpha in outer, #beta in outer, this.zeta(), outer.#delta]; }
    })().read(this);
  }
  both() {
    this.#delta = 7;
    return [this.#alpha, this.#beta, this.#delta, Outer.#gamma, "#alpha", #gamma in Outer];
  }
}
`;

/** Runs the plugin on `code` in a Node.js process (it is an ES module, jest runs CommonJS). */
function rename(code: string): { code: string; error?: string } {
  const script = `
    import { parseAst } from "rollup/parseAst";
    import { privateNames } from "./scripts/private-names.mjs";
    const code = ${JSON.stringify(code)};
    try {
      const out = privateNames.transform.handler.call({ parse: (text) => parseAst(text) }, code);
      console.log(JSON.stringify({ code: out?.code ?? code }));
    } catch (error) {
      console.log(JSON.stringify({ code, error: error.message }));
    }
  `;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: packageDir, encoding: "utf8", timeout: 10_000 });
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as { code: string; error?: string };
}

/** What the sample's methods return, run from `code`. */
function run(code: string): unknown {
  return new Function(`${code}\nreturn [new Outer().make(), new Outer().both()];`)();
}

describe("scripts/private-names.mjs", () => {
  it("renames every private member to a short name, in place, and the code does the same", () => {
    const { code, error } = rename(SAMPLE);
    expect(error).toBeUndefined();
    expect(code).toHaveLength(SAMPLE.length);
    expect(code.split("\n").map((line) => line.length)).toEqual(SAMPLE.split("\n").map((line) => line.length));
    expect(code).toContain('"#alpha"'); // strings are left alone
    const names = new Set(code.replace('"#alpha"', "").match(/#\w+/g));
    // Outer's four, then Inner's two: neither Inner nor its superclass is nested in the other,
    // so both start after Outer's names (#e)
    expect([...names].sort()).toEqual(["#a", "#b", "#c", "#d", "#e", "#f"]);
    expect(run(code)).toEqual(run(SAMPLE));
    expect(run(SAMPLE)).toEqual([["inner", 5, true, false, 9, 1], [7, 2, 7, 3, "#alpha", true]]);
  });

  it("gives a nested class names of its own, apart from those of its enclosing class", () => {
    const { code } = rename("class A { #x = 1; #y = 2; f() { return class B { #z = 3; g(a) { return a.#x + this.#z; } }; } }");
    expect(code).toBe("class A { #a = 1; #b = 2; f() { return class B { #c = 3; g(a) { return a.#a + this.#c; } }; } }");
  });

  it("stops the build on a private name no enclosing class declares", () => {
    // not valid JavaScript, but the parser takes it: the plugin must not guess
    const { error } = rename("class A { f(o) { return o.#missing; } }");
    expect(error).toMatch(/#missing/);
  });
});
