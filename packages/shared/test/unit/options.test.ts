import { describe, expect, it } from "@jest/globals";
import { optionChecks, resolveOptions, type OptionCheck } from "../../src";

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
