import { describe, expect, it } from "@jest/globals";
import * as source from "../../src";

const EXPECTED = ["CHECK_OPTIONS", "FULL_MESSAGES", "brandErrors", "describeValue", "errorCodes", "mergeObjects", "optionChecks", "resolveOptions"];

describe("public exports", () => {
  it("src exports exactly the public values", () => {
    expect(Object.keys(source).sort()).toEqual(EXPECTED);
  });

  it("the CommonJS build exports the same (run after `pnpm build`)", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const built = require("../../dist/index.cjs") as Record<string, unknown>;
    expect(Object.keys(built).sort()).toEqual(EXPECTED);
  });
});
