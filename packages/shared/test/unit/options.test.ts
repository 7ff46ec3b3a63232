import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { mergeObjects, optionChecks, resolveOptions, type OptionCheck } from "../../src";

class BadOption extends Error {
  constructor(
    readonly option: string,
    readonly expected: string,
    readonly value: unknown,
  ) {
    super(`${option} must be ${expected}`);
  }
}

const checks = optionChecks((name, expected, value) => new BadOption(name, expected, value));

function thrown(fn: () => unknown): BadOption {
  try {
    fn();
  } catch (error) {
    return error as BadOption;
  }
  throw new Error("nothing was thrown");
}

describe("optionChecks", () => {
  it("accepts what each check promises and hands the value back", () => {
    expect(checks.boolean("b", false)).toBe(false);
    expect(checks.string("s", "")).toBe("");
    expect(checks.nonEmptyString("s", "x")).toBe("x");
    const object = { a: 1 };
    expect(checks.object("o", object)).toBe(object);
    expect(checks.count("n", 0)).toBe(0);
    expect(checks.count("n", Infinity)).toBe(Infinity);
    expect(checks.is((value) => value === 3, "three")("t", 3)).toBe(3);
  });

  it.each<[string, OptionCheck, unknown, string]>([
    ["boolean", checks.boolean, 0, "a boolean"],
    ["string", checks.string, 1, "a string"],
    ["nonEmptyString", checks.nonEmptyString, "", "a non-empty string"],
    ["object (null)", checks.object, null, "an object"],
    ["object (array)", checks.object, [], "an object"],
    ["count (negative)", checks.count, -1, "an integer >= 0 or Infinity"],
    ["count (fraction)", checks.count, 1.5, "an integer >= 0 or Infinity"],
    ["count (string)", checks.count, "1", "an integer >= 0 or Infinity"],
    ["count (-Infinity)", checks.count, -Infinity, "an integer >= 0 or Infinity"],
  ])("%s refuses a bad value with the package's error", (_name, check, value, expected) => {
    const error = thrown(() => check("opt", value));
    expect(error).toBeInstanceOf(BadOption);
    expect(error).toMatchObject({ option: "opt", expected, value });
  });
});

describe("resolveOptions", () => {
  const table = { flag: checks.boolean, limit: checks.count, name: checks.string, hook: checks.is((v) => typeof v === "function", "a function") };
  const defaults = { flag: true, limit: 10, name: "x" };

  it("applies the defaults with ??, so a user's 0 and false are kept", () => {
    expect(resolveOptions({}, table, defaults)).toEqual({ flag: true, limit: 10, name: "x", hook: undefined });
    expect(resolveOptions({ flag: false, limit: 0, name: "" }, table, defaults)).toMatchObject({ flag: false, limit: 0, name: "" });
    // null takes the default, as with ??
    expect(resolveOptions({ flag: null, limit: null }, table, defaults)).toMatchObject({ flag: true, limit: 10 });
  });

  it("checks the given values and the defaults alike, naming the option with its prefix", () => {
    expect(thrown(() => resolveOptions({ limit: -1 }, table, defaults, "sub."))).toMatchObject({ option: "sub.limit", value: -1 });
    expect(thrown(() => resolveOptions({}, table, { ...defaults, name: 1 as unknown as string }))).toMatchObject({ option: "name" });
  });

  it("leaves an option without a value nor a default undefined, unchecked, but checks a null one", () => {
    const resolved = resolveOptions({}, table, {});
    expect(Object.keys(resolved).sort()).toEqual(["flag", "hook", "limit", "name"]);
    expect(Object.values(resolved)).toEqual([undefined, undefined, undefined, undefined]);
    expect(thrown(() => resolveOptions({ hook: null }, table, defaults))).toMatchObject({ option: "hook", value: null });
  });

  it("reads only the keys of its table", () => {
    expect(resolveOptions({ other: 1 } as object, table, defaults)).not.toHaveProperty("other");
  });
});

describe("mergeObjects", () => {
  it("copies the own enumerable properties of every part, later parts winning, in first-seen key order", () => {
    const inherited = Object.create({ fromProto: 1 }) as Record<string, unknown>;
    inherited["own"] = 2;
    const merged = mergeObjects<Record<string, unknown>>({ a: 1, b: 2 }, inherited, { b: 3, c: undefined });
    expect(merged).toEqual({ a: 1, b: 3, own: 2, c: undefined });
    expect(Object.keys(merged)).toEqual(["a", "b", "own", "c"]);
    expect(merged).not.toHaveProperty("fromProto");
  });

  it("gives objects with the same keys one shared V8 shape with fast properties, as resolveOptions does (run after `pnpm build`)", () => {
    // %HaveSameMap / %HasFastProperties need --allow-natives-syntax: checked in a child process.
    const script = `
      const { mergeObjects, resolveOptions } = require(${JSON.stringify(join(__dirname, "../../dist/index.cjs"))});
      const keys = Array.from({ length: 30 }, (_, i) => "option" + i);
      const checks = Object.fromEntries(keys.map((key) => [key, (_name, value) => value]));
      const made = [];
      for (let i = 0; i < 300; i++) {
        const resolved = resolveOptions({ option3: i }, checks, { option1: true });
        made.push([resolved, mergeObjects(resolved, { extra: i, other: "x" }), mergeObjects({ small: i }, { path: "/" })]);
      }
      const report = [0, 1, 2].map((k) => ({
        fast: made.every((row) => %HasFastProperties(row[k])),
        shared: made.every((row) => %HaveSameMap(row[k], made[0][k])),
      }));
      process.stdout.write(JSON.stringify(report));
    `;
    const output = execFileSync(process.execPath, ["--allow-natives-syntax", "-e", script], { encoding: "utf8", timeout: 20_000 });
    expect(JSON.parse(output)).toEqual([
      { fast: true, shared: true },
      { fast: true, shared: true },
      { fast: true, shared: true },
    ]);
  });
});
