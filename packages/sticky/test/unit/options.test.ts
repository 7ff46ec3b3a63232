import { describe, expect, it } from "@jest/globals";
import {
  DEFAULT_PRIMARY_OPTIONS,
  DEFAULT_WORKER_OPTIONS,
  InvalidOptionError,
  STICKY_ERROR_CODES,
  StickyError,
  resolvePrimaryOptions,
  resolveWorkerOptions,
} from "../../src";

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("did not throw");
}

describe("options", () => {
  it("defaults as @socket.io/sticky (least-connection) and Node.js (16 KiB heads, 60 s)", () => {
    expect(resolvePrimaryOptions(undefined)).toEqual({ loadBalancingMethod: "least-connection", maxHeaderSize: 16384, headersTimeout: 60000, sessionLookupTimeout: 1000 });
    expect(resolvePrimaryOptions({})).toEqual(DEFAULT_PRIMARY_OPTIONS);
    expect(resolveWorkerOptions(undefined)).toEqual(DEFAULT_WORKER_OPTIONS);
    expect(Object.isFrozen(DEFAULT_PRIMARY_OPTIONS) && Object.isFrozen(DEFAULT_WORKER_OPTIONS)).toBe(true);
    expect(Object.isFrozen(resolvePrimaryOptions({ loadBalancingMethod: "random" }))).toBe(true);
  });

  it.each(["random", "round-robin", "least-connection"] as const)("accepts loadBalancingMethod %s", (method) => {
    expect(resolvePrimaryOptions({ loadBalancingMethod: method }).loadBalancingMethod).toBe(method);
  });

  it("refuses an unknown loadBalancingMethod with a TypeError carrying a code", () => {
    const error = thrown(() => resolvePrimaryOptions({ loadBalancingMethod: "fastest" as never }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toBeInstanceOf(StickyError);
    expect(error).toMatchObject({
      code: STICKY_ERROR_CODES.INVALID_OPTION,
      option: "loadBalancingMethod",
      message: 'option loadBalancingMethod must be one of "random", "round-robin", "least-connection", got "fastest"',
    });
  });

  it("refuses unknown options, non-objects and sizes or timeouts that are not positive integers", () => {
    expect(thrown(() => resolvePrimaryOptions({ loadBalancingMetod: "random" } as never))).toMatchObject({ code: STICKY_ERROR_CODES.INVALID_OPTION, option: "loadBalancingMetod" });
    expect(thrown(() => resolvePrimaryOptions("random" as never))).toMatchObject({ option: "options" });
    expect(thrown(() => resolveWorkerOptions(null as never))).toMatchObject({ option: "options" });
    for (const value of [0, -1, 1.5, "10", Number.NaN]) {
      expect(thrown(() => resolvePrimaryOptions({ maxHeaderSize: value as never }))).toMatchObject({ option: "maxHeaderSize" });
      expect(thrown(() => resolveWorkerOptions({ headersTimeout: value as never }))).toMatchObject({ option: "headersTimeout" });
      expect(thrown(() => resolvePrimaryOptions({ sessionLookupTimeout: value as never }))).toMatchObject({ option: "sessionLookupTimeout" });
    }
    expect(resolveWorkerOptions({ maxHeaderSize: 1, headersTimeout: 1 })).toEqual({ maxHeaderSize: 1, headersTimeout: 1 });
  });
});
