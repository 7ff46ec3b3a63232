import { describe, expect, it } from "@jest/globals";
import * as source from "../../src";

const EXPECTED = [
  "CloseReasonTooLongError",
  "ConnectionError",
  "DEFAULT_SERVER_OPTIONS",
  "ENGINE_SERVER_ERROR_CODES",
  "ERROR_CODES",
  "ERROR_MESSAGES",
  "EngineServerError",
  "FrameError",
  "InvalidCloseCodeError",
  "InvalidOptionError",
  "OriginPolicy",
  "Server",
  "Socket",
  "TRANSPORT_ERROR_CODES",
  "Transport",
  "TransportError",
  "attach",
  "listen",
  "parser",
  "protocol",
  "randomId",
  "resolveAttachOptions",
  "resolveServerOptions",
  "transports",
];

describe("public exports", () => {
  it("src exports exactly the public values", () => {
    expect(Object.keys(source).sort()).toEqual(EXPECTED);
  });

  it("the CommonJS build (what require() users get) exports the same (run after `pnpm build`)", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const built = require("../../dist/index.cjs") as Record<string, unknown>;
    expect(Object.keys(built).sort()).toEqual(EXPECTED);
    expect(built["protocol"]).toBe(4);
  });
});
