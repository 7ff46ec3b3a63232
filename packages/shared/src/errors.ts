// How every error catalogue of the Volley packages makes `instanceof` hold across copies of a
// package (its ESM and CommonJS builds in one process, two installed versions): a catalogue
// class is branded with a symbol registered with Symbol.for, every instance carries the
// brands of its classes, and `instanceof` on a catalogue class checks its brand, not the
// class identity. A user's subclass of a catalogue class gets the ordinary prototype check,
// so that its instanceof does not accept every sibling.

/** Where a catalogue class keeps its brand: an own static property, which a user's subclass lacks. */
const kBrand = Symbol.for("volley.error-brand");

/** A class of an error catalogue. */
export type ErrorClass = abstract new (...args: never[]) => Error;

function hasInstance(this: ErrorClass, value: unknown): boolean {
  if (!Object.hasOwn(this, kBrand)) return Function.prototype[Symbol.hasInstance].call(this, value);
  const brand = (this as unknown as Record<symbol, symbol>)[kBrand]!;
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

function define(target: object, key: PropertyKey, value: unknown): void {
  Object.defineProperty(target, key, { value });
}

function brand(errorClass: ErrorClass, name: string): symbol {
  const symbol = Symbol.for(name);
  define(errorClass, kBrand, symbol);
  define(errorClass, Symbol.hasInstance, hasInstance);
  define(errorClass.prototype, symbol, true);
  return symbol;
}

/**
 * Brands the catalogue of the package `scope` (e.g. "engine-client"): `base` with
 * `Symbol.for("volley.<scope>.error")`, each class of `classes` with
 * `Symbol.for("volley.<scope>.<its name in kebab case>")` ("InvalidOptionError":
 * "invalid-option-error"). Every class of `classes` carries the base brand too, even one
 * that extends `TypeError` or `RangeError` rather than `base`.
 */
export function brandErrors(scope: string, base: ErrorClass, classes: readonly ErrorClass[]): void {
  const baseBrand = brand(base, `volley.${scope}.error`);
  for (const errorClass of classes) {
    brand(errorClass, `volley.${scope}.${errorClass.name.replace(/\B[A-Z]/g, "-$&").toLowerCase()}`);
    define(errorClass.prototype, baseBrand, true);
  }
}

/**
 * The frozen code map of an error catalogue: every name keyed to `<prefix><name>`, e.g.
 * `errorCodes("VOLLEY_CLIENT_ERR_", ["ACK_TIMEOUT"])` is
 * `{ ACK_TIMEOUT: "VOLLEY_CLIENT_ERR_ACK_TIMEOUT" }`, typed with the literal codes.
 */
export function errorCodes<const P extends string, const N extends readonly string[]>(
  prefix: P,
  names: N,
): { readonly [K in N[number]]: `${P}${K}` } {
  return Object.freeze(Object.fromEntries(names.map((name) => [name, prefix + name]))) as {
    readonly [K in N[number]]: `${P}${K}`;
  };
}

/**
 * A short description of a value received where something else was expected, for error
 * messages: a string quoted (cut at 40 characters), "an array", "a function", "an object",
 * or the value itself (numbers, booleans, null, undefined…).
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return "an array";
  if (typeof value === "function") return "a function";
  if (typeof value === "object" && value !== null) return "an object";
  return String(value);
}
