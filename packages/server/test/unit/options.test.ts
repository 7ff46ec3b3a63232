import { describe, expect, it } from "@jest/globals";
import { Adapter, SessionAwareAdapter } from "@volley/adapter";
import { Decoder, Encoder } from "@volley/parser";
import {
  DEFAULT_CONNECTION_STATE_RECOVERY,
  DEFAULT_SERVER_OPTIONS,
  InvalidOptionError,
  resolveServerOptions,
} from "../../src";

describe("resolveServerOptions", () => {
  it("applies the documented defaults", () => {
    const resolved = resolveServerOptions();
    expect(resolved.path).toBe("/socket.io");
    expect(resolved.serveClient).toBe(true);
    expect(resolved.adapter).toBe(Adapter);
    expect(resolved.parser.Encoder).toBe(Encoder);
    expect(resolved.parser.Decoder).toBe(Decoder);
    expect(resolved.connectTimeout).toBe(45000);
    expect(resolved.connectionStateRecovery).toBe(false);
    expect(resolved.cleanupEmptyChildNamespaces).toBe(false);
    expect(resolved.maxNamespacesPerConnection).toBe(100);
    expect(resolved.engine.path).toBe("/socket.io");
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(DEFAULT_SERVER_OPTIONS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_CONNECTION_STATE_RECOVERY)).toBe(true);
  });

  it("keeps a 0 (merges with ??, not ||)", () => {
    expect(resolveServerOptions({ connectTimeout: 0 }).connectTimeout).toBe(0);
    expect(resolveServerOptions({ serveClient: false }).serveClient).toBe(false);
  });

  it("connection state recovery: true, partial objects, and the adapter default", () => {
    expect(resolveServerOptions({ connectionStateRecovery: true }).connectionStateRecovery).toEqual({
      maxDisconnectionDuration: 120000,
      skipMiddlewares: true,
    });
    const partial = resolveServerOptions({ connectionStateRecovery: { skipMiddlewares: false } });
    expect(partial.connectionStateRecovery).toEqual({ maxDisconnectionDuration: 120000, skipMiddlewares: false });
    expect(partial.adapter).toBe(SessionAwareAdapter);
    class Custom extends Adapter {}
    expect(resolveServerOptions({ connectionStateRecovery: true, adapter: Custom }).adapter).toBe(Custom);
    expect(resolveServerOptions({ connectionStateRecovery: { maxDisconnectionDuration: 1 } }).connectionStateRecovery).toMatchObject({
      maxDisconnectionDuration: 1,
    });
  });

  it("normalises the path (a trailing slash is dropped)", () => {
    expect(resolveServerOptions({ path: "/io/" }).path).toBe("/io");
    expect(resolveServerOptions({ path: "/" }).path).toBe("/");
  });

  it.each([
    [{ path: "io" }, "path"],
    [{ path: 1 }, "path"],
    [{ serveClient: "no" }, "serveClient"],
    [{ connectTimeout: -1 }, "connectTimeout"],
    [{ connectTimeout: 1.5 }, "connectTimeout"],
    [{ connectTimeout: 2 ** 31 }, "connectTimeout"],
    [{ adapter: "memory" }, "adapter"],
    [{ parser: { Encoder } }, "parser"],
    [{ connectionStateRecovery: "yes" }, "connectionStateRecovery"],
    [{ connectionStateRecovery: { maxDisconnectionDuration: 0 } }, "connectionStateRecovery.maxDisconnectionDuration"],
    [{ connectionStateRecovery: { skipMiddlewares: 1 } }, "connectionStateRecovery.skipMiddlewares"],
    [{ cleanupEmptyChildNamespaces: "true" }, "cleanupEmptyChildNamespaces"],
    [{ maxNamespacesPerConnection: 0 }, "maxNamespacesPerConnection"],
    [{ maxNamespacesPerConnection: 2.5 }, "maxNamespacesPerConnection"],
    [{ maxNamespacesPerConnection: "10" }, "maxNamespacesPerConnection"],
    [{ maxNamespacesPerConnection: Number.NaN }, "maxNamespacesPerConnection"],
  ])("refuses %j (%s)", (options, option) => {
    try {
      resolveServerOptions(options as never);
      throw new Error("no error");
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).option).toBe(option);
      expect((error as InvalidOptionError).code).toBe("VOLLEY_SERVER_ERR_INVALID_OPTION");
    }
  });

  it("takes maxNamespacesPerConnection from 1 on, and Infinity", () => {
    expect(resolveServerOptions({ maxNamespacesPerConnection: 1 }).maxNamespacesPerConnection).toBe(1);
    expect(resolveServerOptions({ maxNamespacesPerConnection: Infinity }).maxNamespacesPerConnection).toBe(Infinity);
  });

  it("accepts connectTimeout at the timer limit and refuses one past it", () => {
    expect(resolveServerOptions({ connectTimeout: 2 ** 31 - 1 }).connectTimeout).toBe(2 ** 31 - 1);
    expect(() => resolveServerOptions({ connectTimeout: 2 ** 31 })).toThrow(InvalidOptionError);
  });

  it("validates engine options with the engine's resolver", () => {
    expect(() => resolveServerOptions({ pingInterval: 0 })).toThrow(/pingInterval/);
    expect(() => resolveServerOptions({ transports: [] })).toThrow(/transports/);
    expect(resolveServerOptions({ pingInterval: 10 }).engine.pingInterval).toBe(10);
  });

  it("refuses options that are not an object", () => {
    expect(() => resolveServerOptions(null as never)).toThrow(InvalidOptionError);
  });
});
