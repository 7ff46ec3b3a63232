// What `@volley/shared` resolves to in the minified browser bundles: the same module with
// two build-time differences (see the README, "Browser bundles"), FULL_MESSAGES and CHECK_OPTIONS:
// - FULL_MESSAGES is false: long error messages give way to the code and values;
// - CHECK_OPTIONS is false and the option checks accept every value as it is: defaults,
//   merging and normalization (resolveOptions, the packages' own conversions) are unchanged,
//   only the type and range checks (their tests and their expectation texts) are left out.
import type { OptionCheck, OptionChecks } from "@volley/shared";

export * from "@volley/shared";

export const FULL_MESSAGES = false;

export const CHECK_OPTIONS = false;

const accept: OptionCheck<never> = (_name, value) => value as never;

/** Checks that accept any value: the packages' tables keep their shape, and cost nothing. */
export function optionChecks(): OptionChecks {
  return { is: () => accept, boolean: accept, string: accept, nonEmptyString: accept, object: accept, count: accept };
}
