import { describe, expect, it } from "@jest/globals";
import { isPrimaryToWorkerMessage, isWorkerToPrimaryMessage } from "../../src/messages";

describe("IPC messages", () => {
  it("recognises the primary's messages to workers", () => {
    expect(isPrimaryToWorkerMessage({ type: "volley:sticky:connection", data: "R0VU" })).toBe(true);
    expect(isPrimaryToWorkerMessage({ type: "volley:sticky:probe" })).toBe(true);
    expect(isPrimaryToWorkerMessage({ type: "volley:sticky:connection" })).toBe(false);
    expect(isPrimaryToWorkerMessage({ type: "sticky:connection", data: "x" })).toBe(false);
    expect(isPrimaryToWorkerMessage("volley:sticky:probe")).toBe(false);
    expect(isPrimaryToWorkerMessage(null)).toBe(false);
  });

  it("recognises the workers' messages to the primary, and ignores other users of the channel", () => {
    expect(isWorkerToPrimaryMessage({ type: "volley:sticky:ready" })).toBe(true);
    expect(isWorkerToPrimaryMessage({ type: "volley:sticky:session-open", sid: "a" })).toBe(true);
    expect(isWorkerToPrimaryMessage({ type: "volley:sticky:session-close", sid: "a" })).toBe(true);
    expect(isWorkerToPrimaryMessage({ type: "volley:sticky:return", data: "" })).toBe(true);
    expect(isWorkerToPrimaryMessage({ type: "volley:sticky:session-open" })).toBe(false);
    expect(isWorkerToPrimaryMessage({ type: "volley:sticky:return", data: 1 })).toBe(false);
    expect(isWorkerToPrimaryMessage({ type: "sticky:connection", data: "a" })).toBe(false);
    expect(isWorkerToPrimaryMessage({ fixture: "ready" })).toBe(false);
    expect(isWorkerToPrimaryMessage(undefined)).toBe(false);
  });
});
