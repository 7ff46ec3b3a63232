import { describe, expect, it } from "@jest/globals";
import {
  DEFAULT_CLUSTER_ADAPTER_OPTIONS,
  DEFAULT_CLUSTER_ADAPTER_WITH_HEARTBEAT_OPTIONS,
  InvalidOptionError,
  resolveClusterAdapterOptions,
  resolveClusterAdapterWithHeartbeatOptions,
  resolveSessionAwareAdapterOptions,
} from "../../src/index";

describe("option resolvers", () => {
  it("return frozen defaults", () => {
    const resolved = resolveClusterAdapterWithHeartbeatOptions();
    expect(resolved).toEqual({ requestsTimeout: 5000, maxBufferedPackets: 10000, heartbeatInterval: 5000, heartbeatTimeout: 10000 });
    expect(resolved).toEqual(DEFAULT_CLUSTER_ADAPTER_WITH_HEARTBEAT_OPTIONS);
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(resolveClusterAdapterOptions()).toEqual(DEFAULT_CLUSTER_ADAPTER_OPTIONS);
  });

  it("never replace a given 0 by a default: they reject it", () => {
    expect(() => resolveClusterAdapterOptions({ requestsTimeout: 0 })).toThrow(InvalidOptionError);
    expect(() => resolveClusterAdapterWithHeartbeatOptions({ heartbeatInterval: 0 })).toThrow(InvalidOptionError);
  });

  it("accept the largest timer delay and reject one past it", () => {
    expect(resolveClusterAdapterOptions({ requestsTimeout: 2_147_483_647 }).requestsTimeout).toBe(2_147_483_647);
    expect(() => resolveClusterAdapterOptions({ requestsTimeout: 2_147_483_648 })).toThrow(
      expect.objectContaining({ code: "VOLLEY_ADAPTER_ERR_INVALID_OPTION", option: "requestsTimeout" }),
    );
  });

  it("reject wrong types, NaN and a heartbeatTimeout not above heartbeatInterval", () => {
    expect(() => resolveClusterAdapterOptions({ requestsTimeout: "5000" as never })).toThrow(InvalidOptionError);
    expect(() => resolveClusterAdapterOptions({ requestsTimeout: Number.NaN })).toThrow(InvalidOptionError);
    expect(() => resolveClusterAdapterOptions(null as never)).toThrow(InvalidOptionError);
    expect(() => resolveClusterAdapterWithHeartbeatOptions({ heartbeatInterval: 100, heartbeatTimeout: 100 })).toThrow(
      expect.objectContaining({ option: "heartbeatTimeout" }),
    );
    expect(resolveClusterAdapterWithHeartbeatOptions({ heartbeatInterval: 100, heartbeatTimeout: 101 }).heartbeatTimeout).toBe(101);
    expect(() => resolveSessionAwareAdapterOptions({ maxBufferedPackets: -1 })).toThrow(InvalidOptionError);
  });
});
