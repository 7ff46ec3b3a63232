// The kit's options at their limits, and the export list of @volley/adapter/conformance
// from both builds (require and import).
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "@jest/globals";
import {
  adapterConformanceCases,
  DEFAULT_ADAPTER_CONFORMANCE_OPTIONS,
  resolveAdapterConformanceOptions,
} from "@volley/adapter/conformance";
import { volleyHarness } from "./helpers/cluster";

const MAX_TIMER = 2 ** 31 - 1;
const invalidOption = (option: string) => expect.objectContaining({ code: "VOLLEY_ADAPTER_ERR_INVALID_OPTION", option });

describe("adapter conformance options", () => {
  it("has frozen defaults", () => {
    expect(DEFAULT_ADAPTER_CONFORMANCE_OPTIONS).toEqual({ timeoutMs: 5000, ackTimeoutMs: 500, requestsTimeoutMs: 5000, connectionStateRecovery: true });
    expect(Object.isFrozen(DEFAULT_ADAPTER_CONFORMANCE_OPTIONS)).toBe(true);
    expect(resolveAdapterConformanceOptions()).toEqual(DEFAULT_ADAPTER_CONFORMANCE_OPTIONS);
  });

  it.each(["timeoutMs", "ackTimeoutMs", "requestsTimeoutMs"] as const)("%s: 1 and 2^31-1 ms are accepted, 0, 2^31, 1.5 and NaN are not", (name) => {
    expect(resolveAdapterConformanceOptions({ [name]: 1 })[name]).toBe(1);
    expect(resolveAdapterConformanceOptions({ [name]: MAX_TIMER })[name]).toBe(MAX_TIMER);
    for (const bad of [0, MAX_TIMER + 1, 1.5, Number.NaN, "100"]) {
      expect(() => resolveAdapterConformanceOptions({ [name]: bad as number })).toThrow(invalidOption(name));
    }
  });

  it("connectionStateRecovery: false makes the recovery cases not applicable", () => {
    expect(() => resolveAdapterConformanceOptions({ connectionStateRecovery: "yes" as unknown as boolean })).toThrow(invalidOption("connectionStateRecovery"));
    const cases = adapterConformanceCases(volleyHarness(3, () => undefined), { connectionStateRecovery: false });
    const recovery = cases.filter((c) => c.needsRecovery);
    expect(recovery.length).toBe(3);
    expect(recovery.every((c) => !c.applicable && /connection state recovery/.test(c.notApplicableReason ?? ""))).toBe(true);
    expect(cases.filter((c) => !c.needsRecovery).every((c) => c.applicable)).toBe(true);
  });

  it("without moveClient() in the harness, the case that recovers on another node is not applicable", () => {
    const { moveClient: _moveClient, ...harness } = volleyHarness(3, () => undefined);
    const cases = adapterConformanceCases(harness);
    expect(cases.filter((c) => !c.applicable).map((c) => [c.needsMoveClient, c.notApplicableReason])).toEqual([
      [true, "needs harness.moveClient() to send a client to another node"],
    ]);
    expect(() => adapterConformanceCases({ ...harness, moveClient: "no" as never })).toThrow(invalidOption("moveClient"));
  });

  it("rejects a harness without nodes, createCluster or connect", () => {
    const harness = volleyHarness(1, () => undefined);
    expect(() => adapterConformanceCases({ ...harness, nodes: 1.5 })).toThrow(invalidOption("nodes"));
    expect(() => adapterConformanceCases({ ...harness, createCluster: undefined as never })).toThrow(invalidOption("createCluster"));
    expect(() => adapterConformanceCases({ ...harness, connect: undefined as never })).toThrow(invalidOption("connect"));
  });
});

describe("@volley/adapter/conformance exports", () => {
  const expected = [
    "ConformanceError",
    "DEFAULT_ADAPTER_CONFORMANCE_OPTIONS",
    "adapterConformanceCases",
    "registerAdapterConformance",
    "resolveAdapterConformanceOptions",
  ];

  it.each([
    ["require", "console.log(JSON.stringify(Object.keys(require('@volley/adapter/conformance')).sort()))", []],
    ["import", "import('@volley/adapter/conformance').then((m) => console.log(JSON.stringify(Object.keys(m).sort())))", ["--input-type=module"]],
  ] as const)("the same names from %s", (_kind, script, flags) => {
    const output = execFileSync(process.execPath, [...flags, "-e", script], { cwd: __dirname, encoding: "utf8" });
    expect(JSON.parse(output)).toEqual(expected);
  });
});
