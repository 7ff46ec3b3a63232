import { describe, expect, it } from "@jest/globals";
import {
  createAdapter,
  DEFAULT_CLUSTER_ADAPTER_OPTIONS,
  DEFAULT_CLUSTER_ADAPTER_PRIMARY_OPTIONS,
  InvalidOptionError,
  resolveClusterAdapterOptions,
  resolvePrimaryOptions,
} from "../../src/index";

describe("options", () => {
  it("has @socket.io/cluster-adapter's names and defaults", () => {
    expect(resolveClusterAdapterOptions()).toEqual({
      requestsTimeout: 5000,
      heartbeatInterval: 5000,
      heartbeatTimeout: 10_000,
      maxBufferedPackets: 10_000,
    });
    expect(Object.isFrozen(DEFAULT_CLUSTER_ADAPTER_OPTIONS)).toBe(true);
  });

  it("keeps the values given", () => {
    expect(resolveClusterAdapterOptions({ requestsTimeout: 1, heartbeatInterval: 10, heartbeatTimeout: 11, maxBufferedPackets: 1 })).toEqual({
      requestsTimeout: 1,
      heartbeatInterval: 10,
      heartbeatTimeout: 11,
      maxBufferedPackets: 1,
    });
  });

  it.each([
    [{ requestsTimeout: 0 }, "requestsTimeout"],
    [{ requestsTimeout: 2 ** 31 }, "requestsTimeout"],
    [{ heartbeatInterval: "1s" }, "heartbeatInterval"],
    [{ heartbeatInterval: 100, heartbeatTimeout: 100 }, "heartbeatTimeout"],
    [{ maxBufferedPackets: 0 }, "maxBufferedPackets"],
    [{ maxBufferedPackets: 1.5 }, "maxBufferedPackets"],
    [{ requestTimeout: 100 }, "requestTimeout"],
    [null, "options"],
    [[], "options"],
  ])("rejects %j, naming %s, with this package's error", (options, option) => {
    let thrown: unknown;
    try {
      createAdapter(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidOptionError);
    expect((thrown as InvalidOptionError).option).toBe(option);
    expect((thrown as InvalidOptionError).code).toBe("VOLLEY_CLUSTER_ADAPTER_ERR_INVALID_OPTION");
  });

  it("explains the bound it checks", () => {
    expect(() => resolveClusterAdapterOptions({ heartbeatInterval: 100, heartbeatTimeout: 50 })).toThrow(
      'option "heartbeatTimeout" must be larger than heartbeatInterval (100), got 50',
    );
  });

  it("the largest timer delay is accepted, one more is not", () => {
    expect(resolveClusterAdapterOptions({ requestsTimeout: 2 ** 31 - 1 }).requestsTimeout).toBe(2 ** 31 - 1);
    expect(() => resolveClusterAdapterOptions({ requestsTimeout: 2 ** 31 })).toThrow(InvalidOptionError);
  });
});

describe("setupPrimary options", () => {
  it("has defaults and keeps the values given", () => {
    expect(resolvePrimaryOptions()).toEqual({ maxBufferedPackets: 10_000, maxDisconnectionDuration: 120_000 });
    expect(Object.isFrozen(DEFAULT_CLUSTER_ADAPTER_PRIMARY_OPTIONS)).toBe(true);
    expect(resolvePrimaryOptions({ maxBufferedPackets: 1, maxDisconnectionDuration: 1 })).toEqual({ maxBufferedPackets: 1, maxDisconnectionDuration: 1 });
  });

  it.each([
    [{ maxBufferedPackets: 0 }, "maxBufferedPackets"],
    [{ maxBufferedPackets: 2.5 }, "maxBufferedPackets"],
    [{ maxDisconnectionDuration: 0 }, "maxDisconnectionDuration"],
    [{ maxDisconnectionDuration: "2m" }, "maxDisconnectionDuration"],
    [{ maxBufferedPacket: 3 }, "maxBufferedPacket"],
    [null, "options"],
  ])("rejects %j, naming %s", (options, option) => {
    expect(() => resolvePrimaryOptions(options as never)).toThrow(InvalidOptionError);
    try {
      resolvePrimaryOptions(options as never);
    } catch (error) {
      expect((error as InvalidOptionError).option).toBe(option);
    }
  });
});
