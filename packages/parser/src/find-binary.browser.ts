// What "./find-binary" resolves to in the browser build: the same answer and the same
// errors from the walk that replaceBinary runs (it meets the same values in the same order,
// calls toJSON the same way, and bounds the depth the same way), so the browser bundle
// carries one walk instead of two; the copy it makes is thrown away.
import { replaceBinary } from "./deconstruct";
import type { BinaryData } from "./packet";

/**
 * Whether `data` holds binary values. Throws an EncodeError when `data` nests deeper than
 * `maxDepth` or is circular.
 */
export function findBinary(data: unknown, maxDepth: number): boolean {
  const attachments: BinaryData[] = [];
  replaceBinary(data, attachments, maxDepth);
  return attachments.length > 0;
}
