import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { brandErrors, describeValue, errorCodes } from "../../src";

const packageDir = join(__dirname, "../..");

/** A toy catalogue, as a package defines one: a base, a subclass, and a TypeError that is one of the catalogue too. */
function catalogue(scope: string) {
  class ToyError extends Error {}
  class NotFoundError extends ToyError {}
  class BadInputError extends ToyError {}
  class InvalidThingError extends TypeError {}
  brandErrors(scope, ToyError, [NotFoundError, BadInputError, InvalidThingError]);
  return { ToyError, NotFoundError, BadInputError, InvalidThingError };
}

describe("brandErrors", () => {
  it("tells the classes apart, and every error is one of the base", () => {
    const { ToyError, NotFoundError, BadInputError, InvalidThingError } = catalogue("toy");
    const made = [new NotFoundError(), new BadInputError(), new InvalidThingError()];
    const classes = [NotFoundError, BadInputError, InvalidThingError];
    made.forEach((error, i) => {
      expect(error).toBeInstanceOf(ToyError);
      classes.forEach((errorClass, j) => expect(error instanceof errorClass).toBe(i === j));
    });
    expect(new InvalidThingError()).toBeInstanceOf(TypeError);
    expect(new ToyError()).not.toBeInstanceOf(NotFoundError);
    expect(new Error("plain")).not.toBeInstanceOf(ToyError);
    expect(null).not.toBeInstanceOf(ToyError);
    expect("NotFoundError").not.toBeInstanceOf(NotFoundError);
  });

  it("registers the brands with Symbol.for: volley.<scope>.error and the class name in kebab case", () => {
    const { ToyError, NotFoundError, InvalidThingError } = catalogue("toy");
    const lookalike = new Error("from another copy");
    expect(lookalike).not.toBeInstanceOf(ToyError);
    Object.defineProperty(lookalike, Symbol.for("volley.toy.error"), { value: true });
    expect(lookalike).toBeInstanceOf(ToyError);
    expect(lookalike).not.toBeInstanceOf(NotFoundError);
    Object.defineProperty(lookalike, Symbol.for("volley.toy.not-found-error"), { value: true });
    expect(lookalike).toBeInstanceOf(NotFoundError);
    expect(lookalike).not.toBeInstanceOf(InvalidThingError);
    // the brands live on the prototypes: an error has no own property more than before
    expect(Object.getOwnPropertySymbols(new NotFoundError())).toEqual([]);
  });

  it("makes instanceof hold between two copies of a catalogue (two builds of one package)", () => {
    const first = catalogue("copies");
    const second = catalogue("copies");
    expect(first.NotFoundError).not.toBe(second.NotFoundError);
    expect(new first.NotFoundError()).toBeInstanceOf(second.NotFoundError);
    expect(new first.NotFoundError()).toBeInstanceOf(second.ToyError);
    expect(new second.InvalidThingError()).toBeInstanceOf(first.ToyError);
    expect(new first.NotFoundError()).not.toBeInstanceOf(second.BadInputError);
    // another package's catalogue is another scope
    expect(new first.NotFoundError()).not.toBeInstanceOf(catalogue("other").NotFoundError);
  });

  it("gives a user's subclass the ordinary instanceof, not its parent's brand", () => {
    const { ToyError, NotFoundError } = catalogue("toy");
    class MyNotFound extends NotFoundError {}
    expect(new MyNotFound()).toBeInstanceOf(MyNotFound);
    expect(new MyNotFound()).toBeInstanceOf(NotFoundError);
    expect(new MyNotFound()).toBeInstanceOf(ToyError);
    expect(new NotFoundError()).not.toBeInstanceOf(MyNotFound);
  });

  it("holds between the built ESM and CommonJS files loaded in one process", () => {
    // A real Node.js process: jest would run dist/index.js through its own CommonJS transform.
    const script = `
      import { createRequire } from "node:module";
      const esm = await import("./dist/index.js");
      const cjs = createRequire(import.meta.url)("./dist/index.cjs");
      const make = (api) => {
        class E extends Error {}
        class A extends E {}
        api.brandErrors("dual", E, [A]);
        return { E, A };
      };
      const one = make(esm);
      const two = make(cjs);
      console.log(JSON.stringify([esm.brandErrors !== cjs.brandErrors, new one.A() instanceof two.A, new two.A() instanceof one.E, new one.E() instanceof two.A]));
    `;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: packageDir, encoding: "utf8", timeout: 10_000 });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual([true, true, true, false]);
  });
});

describe("describeValue", () => {
  it("describes what was received without dumping it", () => {
    expect(describeValue("x")).toBe('"x"');
    expect(describeValue("a".repeat(40))).toBe(JSON.stringify("a".repeat(40)));
    expect(describeValue("a".repeat(41))).toBe(JSON.stringify(`${"a".repeat(40)}…`));
    expect(describeValue([1])).toBe("an array");
    expect(describeValue(() => 1)).toBe("a function");
    expect(describeValue({ secret: 1 })).toBe("an object");
    expect(describeValue(null)).toBe("null");
    expect(describeValue(undefined)).toBe("undefined");
    expect(describeValue(-1.5)).toBe("-1.5");
    expect(describeValue(false)).toBe("false");
    expect(describeValue(10n)).toBe("10");
    expect(describeValue(Symbol("s"))).toBe("Symbol(s)");
  });
});

describe("errorCodes", () => {
  it("keys every name to prefix + name, in a frozen map", () => {
    const codes = errorCodes("VOLLEY_TOY_ERR_", ["NOT_FOUND", "BAD_INPUT"]);
    expect(codes).toEqual({ NOT_FOUND: "VOLLEY_TOY_ERR_NOT_FOUND", BAD_INPUT: "VOLLEY_TOY_ERR_BAD_INPUT" });
    expect(Object.keys(codes)).toEqual(["NOT_FOUND", "BAD_INPUT"]);
    expect(Object.isFrozen(codes)).toBe(true);
    // the literal types: a wrong code does not type-check
    const code: "VOLLEY_TOY_ERR_NOT_FOUND" = codes.NOT_FOUND;
    expect(code).toBe("VOLLEY_TOY_ERR_NOT_FOUND");
  });
});
