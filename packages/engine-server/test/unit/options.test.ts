import { describe, expect, it } from "@jest/globals";
import { WebSocketServer } from "ws";
import { DEFAULT_SERVER_OPTIONS, InvalidOptionError, resolveAttachOptions, resolveServerOptions, type ServerOptions } from "../../src";

describe("resolveServerOptions", () => {
  it("has engine.io 6's defaults, frozen", () => {
    expect(resolveServerOptions()).toEqual({
      pingTimeout: 20000,
      pingInterval: 25000,
      upgradeTimeout: 10000,
      maxHttpBufferSize: 1e6,
      maxWriteBufferSize: 4e6,
      httpBodyTimeout: 30000,
      wsCloseTimeout: 30000,
      allowRequest: undefined,
      transports: ["polling", "websocket"],
      allowUpgrades: true,
      perMessageDeflate: false,
      httpCompression: { threshold: 1024 },
      wsEngine: DEFAULT_SERVER_OPTIONS.wsEngine,
      initialPacket: undefined,
      cookie: false,
      cors: false,
      checkOrigin: true,
      allowEIO3: false,
      path: "/engine.io",
      addTrailingSlash: true,
      destroyUpgrade: true,
      destroyUpgradeTimeout: 1000,
    });
    expect(Object.isFrozen(DEFAULT_SERVER_OPTIONS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_SERVER_OPTIONS.transports)).toBe(true);
    expect(Object.isFrozen(resolveServerOptions({}))).toBe(true);
  });

  it("uses the built-in WebSocket engine by default, ws's WebSocketServer with perMessageDeflate, a given one always", () => {
    expect(resolveServerOptions().wsEngine).not.toBe(WebSocketServer);
    expect(resolveServerOptions().wsEngine.name).toBe("LeanWebSocketServer");
    expect(resolveServerOptions({ perMessageDeflate: true }).wsEngine).toBe(WebSocketServer);
    class Custom extends WebSocketServer {}
    expect(resolveServerOptions({ wsEngine: Custom as never }).wsEngine).toBe(Custom);
    expect(resolveServerOptions({ wsEngine: Custom as never, perMessageDeflate: true }).wsEngine).toBe(Custom);
  });

  it("keeps given values, including falsy ones (?? not ||)", () => {
    const resolved = resolveServerOptions({ allowUpgrades: false, destroyUpgradeTimeout: 0, httpCompression: false, path: "/x" });
    expect(resolved.allowUpgrades).toBe(false);
    expect(resolved.destroyUpgradeTimeout).toBe(0);
    expect(resolved.httpCompression).toBe(false);
    expect(resolved.path).toBe("/x");
  });

  it("expands cookie: true and merges cookie options over the defaults", () => {
    expect(resolveServerOptions({ cookie: true }).cookie).toEqual({ name: "io", path: "/", httpOnly: true, sameSite: "lax" });
    expect(resolveServerOptions({ cookie: { name: "s", secure: true } }).cookie).toEqual({
      name: "s",
      path: "/",
      httpOnly: true,
      sameSite: "lax",
      secure: true,
    });
  });

  it("expands perMessageDeflate: true to a 1024-byte threshold and keeps given settings", () => {
    expect(resolveServerOptions({ perMessageDeflate: true }).perMessageDeflate).toEqual({ threshold: 1024 });
    expect(resolveServerOptions({ perMessageDeflate: { threshold: 10, serverNoContextTakeover: true } }).perMessageDeflate).toEqual({
      threshold: 10,
      serverNoContextTakeover: true,
    });
    expect(resolveServerOptions({ httpCompression: { level: 1 } }).httpCompression).toEqual({ level: 1, threshold: 1024 });
  });

  it("takes wsCloseTimeout from 1 ms to 2^31 - 1 ms", () => {
    expect(resolveServerOptions({ wsCloseTimeout: 1 }).wsCloseTimeout).toBe(1);
    expect(resolveServerOptions({ wsCloseTimeout: 2 ** 31 - 1 }).wsCloseTimeout).toBe(2 ** 31 - 1);
  });

  it("takes maxWriteBufferSize from 1 byte on", () => {
    expect(resolveServerOptions({ maxWriteBufferSize: 1 }).maxWriteBufferSize).toBe(1);
    expect(resolveServerOptions({ maxWriteBufferSize: 2 ** 40 }).maxWriteBufferSize).toBe(2 ** 40);
  });

  it("removes duplicate transports", () => {
    expect(resolveServerOptions({ transports: ["websocket", "websocket"] }).transports).toEqual(["websocket"]);
  });

  it.each<[string, ServerOptions]>([
    ["pingInterval", { pingInterval: 0 }],
    ["pingInterval", { pingInterval: -5 }],
    ["pingInterval", { pingInterval: 1.5 }],
    ["pingInterval", { pingInterval: 2 ** 31 }],
    ["pingTimeout", { pingTimeout: "20s" as never }],
    ["upgradeTimeout", { upgradeTimeout: Number.NaN }],
    ["maxHttpBufferSize", { maxHttpBufferSize: 0 }],
    ["maxHttpBufferSize", { maxHttpBufferSize: Number.POSITIVE_INFINITY }],
    ["maxWriteBufferSize", { maxWriteBufferSize: 0 }],
    ["maxWriteBufferSize", { maxWriteBufferSize: 1.5 }],
    ["maxWriteBufferSize", { maxWriteBufferSize: "4MB" as never }],
    ["httpBodyTimeout", { httpBodyTimeout: 0 }],
    ["wsCloseTimeout", { wsCloseTimeout: 0 }],
    ["wsCloseTimeout", { wsCloseTimeout: 2 ** 31 }],
    ["wsCloseTimeout", { wsCloseTimeout: "30s" as never }],
    ["allowRequest", { allowRequest: "yes" as never }],
    ["transports", { transports: [] }],
    ["transports", { transports: ["polling", "webtransport" as never] }],
    ["transports", { transports: "polling" as never }],
    ["allowUpgrades", { allowUpgrades: 1 as never }],
    ["perMessageDeflate", { perMessageDeflate: "yes" as never }],
    ["perMessageDeflate.threshold", { perMessageDeflate: { threshold: -1 } }],
    ["httpCompression", { httpCompression: 5 as never }],
    ["httpCompression.threshold", { httpCompression: { threshold: 1.5 } }],
    ["wsEngine", { wsEngine: {} as never }],
    ["cookie", { cookie: "io" as never }],
    ["cookie.name", { cookie: { name: "" } }],
    ["cors", { cors: "yes" as never }],
    ["checkOrigin", { checkOrigin: "no" as never }],
    ["allowEIO3", { allowEIO3: "true" as never }],
    ["path", { path: "engine.io" }],
    ["addTrailingSlash", { addTrailingSlash: 0 as never }],
    ["destroyUpgrade", { destroyUpgrade: "no" as never }],
    ["destroyUpgradeTimeout", { destroyUpgradeTimeout: -1 }],
  ])("refuses a bad %s", (option, options) => {
    let error: unknown;
    try {
      resolveServerOptions(options);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).option).toBe(option);
    expect((error as InvalidOptionError).code).toBe("VOLLEY_ENGINE_SERVER_ERR_INVALID_OPTION");
  });

  it("takes cors: true for the cors package's defaults (every origin), as engine.io", () => {
    expect(resolveServerOptions({ cors: true }).cors).toEqual({});
    expect(resolveServerOptions({ cors: false }).cors).toBe(false);
  });

  it("checks origins unless checkOrigin is false", () => {
    expect(resolveServerOptions({}).checkOrigin).toBe(true);
    expect(resolveServerOptions({ checkOrigin: false }).checkOrigin).toBe(false);
  });

  it("takes any initialPacket as engine.io sends it: string form, nothing when falsy", () => {
    expect(resolveServerOptions({ initialPacket: 42 }).initialPacket).toBe("42");
    expect(resolveServerOptions({ initialPacket: { an: "object" } }).initialPacket).toBe("[object Object]");
    expect(resolveServerOptions({ initialPacket: 0 }).initialPacket).toBeUndefined();
    expect(resolveServerOptions({ initialPacket: "" }).initialPacket).toBeUndefined();
    const bytes = Buffer.from([1]);
    expect(resolveServerOptions({ initialPacket: bytes }).initialPacket).toBe(bytes);
  });

  it("refuses a non-object", () => {
    expect(() => resolveServerOptions(null as never)).toThrow(InvalidOptionError);
  });
});

describe("resolveAttachOptions", () => {
  it("falls back to the server's values and validates", () => {
    const base = resolveServerOptions({ path: "/base", destroyUpgradeTimeout: 5 });
    expect(resolveAttachOptions({}, base)).toEqual({ path: "/base", addTrailingSlash: true, destroyUpgrade: true, destroyUpgradeTimeout: 5 });
    expect(resolveAttachOptions({ path: "/x", destroyUpgrade: false }, base)).toMatchObject({ path: "/x", destroyUpgrade: false });
    expect(() => resolveAttachOptions({ path: "x" }, base)).toThrow(InvalidOptionError);
  });
});
