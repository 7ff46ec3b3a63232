import { describe, expect, it } from "@jest/globals";
import { InvalidOptionError, Manager } from "../../src";
import { DEFAULT_MANAGER_OPTIONS, resolveManagerOptions, resolveSocketOptions } from "../../src/options";

describe("Manager options", () => {
  it("applies socket.io-client's defaults", () => {
    expect(resolveManagerOptions({})).toEqual({
      reconnection: true,
      reconnectionAttempts: Infinity,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
      randomizationFactor: 0.5,
      timeout: 20000,
      autoConnect: true,
      parser: undefined,
    });
    expect(Object.isFrozen(DEFAULT_MANAGER_OPTIONS)).toBe(true);
  });

  it("keeps a 0 or false given by the user (merges with ??)", () => {
    expect(resolveManagerOptions({ reconnectionDelay: 0, randomizationFactor: 0, reconnectionAttempts: 0, timeout: false })).toMatchObject({
      reconnectionDelay: 0,
      randomizationFactor: 0,
      reconnectionAttempts: 0,
      timeout: false,
    });
  });

  it.each([
    ["reconnection", { reconnection: "yes" }],
    ["reconnectionAttempts", { reconnectionAttempts: -1 }],
    ["reconnectionAttempts", { reconnectionAttempts: 1.5 }],
    ["reconnectionDelay", { reconnectionDelay: -1 }],
    ["reconnectionDelay", { reconnectionDelay: Number.NaN }],
    ["reconnectionDelayMax", { reconnectionDelayMax: Infinity }],
    ["randomizationFactor", { randomizationFactor: 1.5 }],
    ["timeout", { timeout: true }],
    ["timeout", { timeout: 2 ** 31 }],
    ["autoConnect", { autoConnect: 1 }],
    ["parser", { parser: { Encoder: 1 } }],
  ])("refuses a bad %s", (option, value) => {
    expect(() => resolveManagerOptions(value as never)).toThrow(InvalidOptionError);
    try {
      resolveManagerOptions(value as never);
    } catch (err) {
      expect((err as InvalidOptionError).option).toBe(option);
      expect((err as InvalidOptionError).code).toBe("VOLLEY_CLIENT_ERR_INVALID_OPTION");
    }
  });

  it("the getter-setters read, validate and chain", () => {
    const manager = new Manager({ autoConnect: false });
    expect(manager.reconnection()).toBe(true);
    expect(manager.reconnection(false).reconnectionAttempts(3).reconnectionDelay(10).reconnectionDelayMax(20).randomizationFactor(0).timeout(false)).toBe(manager);
    expect([
      manager.reconnection(),
      manager.reconnectionAttempts(),
      manager.reconnectionDelay(),
      manager.reconnectionDelayMax(),
      manager.randomizationFactor(),
      manager.timeout(),
    ]).toEqual([false, 3, 10, 20, 0, false]);
    expect(() => manager.randomizationFactor(2)).toThrow(InvalidOptionError);
    expect(manager.opts.path).toBe("/socket.io");
  });
});

describe("Socket options", () => {
  it("defaults and checks", () => {
    expect(resolveSocketOptions()).toEqual({ auth: undefined, retries: 0, ackTimeout: undefined });
    expect(resolveSocketOptions({ auth: { a: 1 }, retries: 2, ackTimeout: 0 })).toEqual({ auth: { a: 1 }, retries: 2, ackTimeout: 0 });
    expect(() => resolveSocketOptions({ auth: "token" as never })).toThrow(InvalidOptionError);
    expect(() => resolveSocketOptions({ retries: -1 })).toThrow(InvalidOptionError);
    expect(() => resolveSocketOptions({ ackTimeout: -5 })).toThrow(InvalidOptionError);
  });
});
