import { describe, expect, it } from "@jest/globals";
import * as source from "../../src";

const EXPECTED = [
  "DEFAULT_PRIMARY_OPTIONS",
  "DEFAULT_WORKER_OPTIONS",
  "InvalidArgumentError",
  "InvalidOptionError",
  "LOAD_BALANCING_METHODS",
  "STICKY_ERROR_CODES",
  "StickyError",
  "WrongProcessError",
  "resolvePrimaryOptions",
  "resolveWorkerOptions",
  "setupMaster",
  "setupPrimary",
  "setupWorker",
];

describe("public exports", () => {
  it("src exports exactly the public values", () => {
    expect(Object.keys(source).sort()).toEqual(EXPECTED);
    expect(source.setupMaster).toBe(source.setupPrimary);
  });

  it("the CommonJS build exports the same (run after `pnpm build`)", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const built = require("../../dist/index.cjs") as Record<string, unknown>;
    expect(Object.keys(built).sort()).toEqual(EXPECTED);
  });

  it("covers the published @socket.io/sticky exports", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const published = require("@socket.io/sticky") as Record<string, unknown>;
    for (const name of Object.keys(published)) expect(EXPECTED).toContain(name);
  });
});
