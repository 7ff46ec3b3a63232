/**
 * Whether `a` and `b` are the same JSON value, stricter than toEqual: leaves compared with
 * Object.is (so -0 differs from 0), keys compared in order (Object.keys), prototypes
 * compared, and no extra properties on arrays.
 */
export function sameJSONValue(a: unknown, b: unknown): boolean {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return Object.is(a, b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  if (Array.isArray(a) && (!Array.isArray(b) || a.length !== b.length)) return false;
  for (let i = 0; i < keysA.length; i++) {
    const key = keysA[i] as string;
    if (key !== keysB[i]) return false;
    if (!sameJSONValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}
