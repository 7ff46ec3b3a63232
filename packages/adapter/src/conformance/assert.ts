// Small assertions for the conformance kit, so that it runs under any test framework (or
// none): each throws a ConformanceError that says what differed.

/** Thrown (or rejected with) by a conformance case that failed. */
export class ConformanceError extends Error {
  override name = "ConformanceError";
}

export function fail(message: string): never {
  throw new ConformanceError(message);
}

export function check(condition: boolean, message: string): asserts condition {
  if (!condition) fail(message);
}

/** Compares two plain JSON-like values (what travels through a cluster). */
export function checkEqual(actual: unknown, expected: unknown, what: string): void {
  const a = canonical(actual);
  const e = canonical(expected);
  if (a !== e) fail(`${what}: expected ${e}, got ${a}`);
}

/** Compares two collections as multisets (order is free across nodes). */
export function checkSameItems(actual: readonly unknown[], expected: readonly unknown[], what: string): void {
  checkEqual([...actual].map(canonical).sort(), [...expected].map(canonical).sort(), what);
}

/** JSON with sorted object keys and Sets as sorted arrays, for comparisons and messages. */
export function canonical(value: unknown): string {
  return JSON.stringify(normalize(value)) ?? String(value);
}

function normalize(value: unknown): unknown {
  if (value instanceof Set) return [...value].map(normalize).sort((x, y) => (canonical(x) < canonical(y) ? -1 : 1));
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : 1));
    return Object.fromEntries(entries.map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}
