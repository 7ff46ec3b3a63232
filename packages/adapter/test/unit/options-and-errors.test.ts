import { describe, expect, it } from "@jest/globals";
import {
  ADAPTER_ERROR_CODES,
  AdapterClosedError,
  AdapterError,
  DEFAULT_CLUSTER_ADAPTER_OPTIONS,
  DEFAULT_CLUSTER_ADAPTER_WITH_HEARTBEAT_OPTIONS,
  InvalidArgumentError,
  InvalidClusterMessageError,
  InvalidOptionError,
  PublishError,
  RequestTimeoutError,
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

describe("error catalogue", () => {
  const errors: AdapterError[] = [
    new InvalidOptionError("x", "a number", "y"),
    new InvalidArgumentError("bad"),
    new RequestTimeoutError(1, 2),
    new InvalidClusterMessageError("bad"),
    new PublishError(new Error("down")),
    new AdapterClosedError(),
  ];

  it("has one class per code, named after it", () => {
    expect(errors.map((error) => error.code).sort()).toEqual(Object.values(ADAPTER_ERROR_CODES).sort());
    for (const error of errors) {
      expect(error).toBeInstanceOf(AdapterError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(error.constructor.name);
      expect((error.constructor as typeof AdapterError).code).toBe(error.code);
    }
  });

  it("instanceof checks the code, and works for a copy from another bundle", () => {
    const timeout = new RequestTimeoutError(1, 3);
    expect(timeout).toBeInstanceOf(RequestTimeoutError);
    expect(timeout).not.toBeInstanceOf(PublishError);
    expect(timeout.message).toBe("timeout reached: only 1 responses received out of 3");
    const foreign = Object.assign(new Error("x"), { code: "VOLLEY_ADAPTER_ERR_REQUEST_TIMEOUT" });
    Object.defineProperty(foreign, Symbol.for("volley.adapter.error"), { value: true });
    expect(foreign).toBeInstanceOf(RequestTimeoutError);
    expect(foreign).toBeInstanceOf(AdapterError);
    expect(new Error("plain")).not.toBeInstanceOf(AdapterError);
  });

  it("keeps the cause of a publish failure", () => {
    const cause = new Error("connection refused");
    const error = new PublishError(cause);
    expect(error.cause).toBe(cause);
    expect(error.message).toContain("connection refused");
  });
});
