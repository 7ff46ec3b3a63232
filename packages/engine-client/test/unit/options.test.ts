import { describe, expect, it } from "@jest/globals";
import { DEFAULT_SOCKET_OPTIONS, InvalidOptionError, resolveSocketOptions, type SocketOptions } from "../../src/index";
import { resolveSocketOptions as resolveBrowserSocketOptions } from "../../src/index.browser";

describe("resolveSocketOptions", () => {
  it("applies engine.io-client's defaults", () => {
    const options = resolveSocketOptions();
    expect(options).toMatchObject({
      hostname: "localhost",
      port: "80",
      secure: false,
      query: {},
      path: "/engine.io/",
      addTrailingSlash: true,
      transports: ["polling", "websocket"],
      upgrade: true,
      rememberUpgrade: false,
      tryAllTransports: false,
      transportOptions: {},
      extraHeaders: {},
      withCredentials: false,
      forceBase64: false,
      timestampRequests: undefined,
      timestampParam: "t",
      closeOnBeforeunload: false,
      protocols: [],
      autoUnref: false,
      requestTimeout: 0,
      perMessageDeflate: { threshold: 1024 },
      agent: false,
    });
  });

  it("keeps its defaults frozen", () => {
    expect(Object.isFrozen(DEFAULT_SOCKET_OPTIONS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_SOCKET_OPTIONS.transports)).toBe(true);
    expect(Object.isFrozen(DEFAULT_SOCKET_OPTIONS.perMessageDeflate)).toBe(true);
    expect(() => {
      (DEFAULT_SOCKET_OPTIONS as { path: string }).path = "/x";
    }).toThrow(TypeError);
  });

  it("reads hostname, port, secure and query from the URI", () => {
    expect(resolveSocketOptions("https://example.com:8443/ignored?a=1&b=x%20y")).toMatchObject({
      hostname: "example.com",
      port: "8443",
      secure: true,
      query: { a: "1", b: "x y" },
    });
    expect(resolveSocketOptions("wss://example.com")).toMatchObject({ secure: true, port: "443" });
    expect(resolveSocketOptions("ws://example.com")).toMatchObject({ secure: false, port: "80" });
    expect(resolveSocketOptions("localhost:3000")).toMatchObject({ hostname: "localhost", port: "3000" });
    expect(resolveSocketOptions("http://[::1]:3000")).toMatchObject({ hostname: "::1", port: "3000" });
  });

  it("lets the URI's query win over the query option, and keeps both", () => {
    const options = resolveSocketOptions("http://h/?a=uri", { query: { a: "option", b: 2, c: true } });
    expect(options.query).toEqual({ a: "uri", b: "2", c: "true" });
  });

  it("accepts host, hostname and port options", () => {
    expect(resolveSocketOptions(undefined, { host: "example.org:81" })).toMatchObject({ hostname: "example.org", port: "81" });
    expect(resolveSocketOptions(undefined, { hostname: "h", port: 3000 })).toMatchObject({ hostname: "h", port: "3000" });
    expect(resolveSocketOptions(undefined, { hostname: "h", secure: true })).toMatchObject({ port: "443" });
  });

  it("normalizes the path", () => {
    expect(resolveSocketOptions(undefined, { path: "/socket.io" }).path).toBe("/socket.io/");
    expect(resolveSocketOptions(undefined, { path: "/socket.io/" }).path).toBe("/socket.io/");
    expect(resolveSocketOptions(undefined, { path: "x" }).path).toBe("/x/");
    expect(resolveSocketOptions(undefined, { path: "/x/", addTrailingSlash: false }).path).toBe("/x");
  });

  it("turns perMessageDeflate true into the default threshold and keeps false", () => {
    expect(resolveSocketOptions(undefined, { perMessageDeflate: true }).perMessageDeflate).toEqual({ threshold: 1024 });
    expect(resolveSocketOptions(undefined, { perMessageDeflate: false }).perMessageDeflate).toBe(false);
    expect(resolveSocketOptions(undefined, { perMessageDeflate: { threshold: 0 } }).perMessageDeflate).toEqual({ threshold: 0 });
  });

  it("keeps a user's 0 and false (merges with ??)", () => {
    const options = resolveSocketOptions(undefined, { requestTimeout: 0, upgrade: false, timestampRequests: false });
    expect(options.requestTimeout).toBe(0);
    expect(options.upgrade).toBe(false);
    expect(options.timestampRequests).toBe(false);
  });

  it("accepts the largest timeout and rejects one past it", () => {
    expect(resolveSocketOptions(undefined, { requestTimeout: 2_147_483_647 }).requestTimeout).toBe(2_147_483_647);
    expect(() => resolveSocketOptions(undefined, { requestTimeout: 2_147_483_648 })).toThrow(InvalidOptionError);
  });

  it("accepts port 65535 and rejects 65536", () => {
    expect(resolveSocketOptions(undefined, { port: 65535 }).port).toBe("65535");
    expect(() => resolveSocketOptions(undefined, { port: 65536 })).toThrow(InvalidOptionError);
  });

  const invalid: Array<[string, SocketOptions]> = [
    ["upgrade", { upgrade: "yes" as unknown as boolean }],
    ["transports", { transports: "polling" as never }],
    ["transportImplementations", { transports: ["polling"], transportImplementations: [] }],
    ["useNativeTimers", { useNativeTimers: 1 as unknown as boolean }],
    ["host", { host: "exa mple.com" }],
    ["transports", { transports: [42 as unknown as string] }],
    ["path", { path: 1 as unknown as string }],
    ["port", { port: "http" }],
    ["port", { port: -1 }],
    ["requestTimeout", { requestTimeout: -1 }],
    ["requestTimeout", { requestTimeout: 1.5 }],
    ["timestampParam", { timestampParam: "" }],
    ["extraHeaders.x", { extraHeaders: { x: 1 as unknown as string } }],
    ["query.q", { query: { q: {} as unknown as string } }],
    ["protocols", { protocols: [""] }],
    ["perMessageDeflate.threshold", { perMessageDeflate: { threshold: -1 } }],
    ["agent", { agent: true as unknown as false }],
    ["rememberUpgradeStore", { rememberUpgradeStore: {} as never }],
    ["transportOptions.polling", { transportOptions: { polling: 3 as never } }],
    ["transportOptions.polling.requestTimeout", { transportOptions: { polling: { requestTimeout: -5 } } }],
    ["rejectUnauthorized", { rejectUnauthorized: "no" as unknown as boolean }],
    ["transportOptions.websocket.perMessageDeflate.threshold", { transportOptions: { websocket: { perMessageDeflate: { threshold: -1 } } } }],
  ];

  it.each(invalid)("rejects an invalid %s with a coded error", (option, options) => {
    let error: unknown;
    try {
      resolveSocketOptions(undefined, options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).code).toBe("VOLLEY_ENGINE_CLIENT_ERR_INVALID_OPTION");
    expect((error as InvalidOptionError).option).toBe(option);
    expect((error as Error).message).toContain(`"${option}"`);
  });
});

describe("resolveSocketOptions of the browser entry", () => {
  it("leaves out the options only the Node.js transports read", () => {
    const options = resolveBrowserSocketOptions("https://example.com", {
      perMessageDeflate: false,
      agent: {},
      rejectUnauthorized: false,
      transportOptions: { websocket: { perMessageDeflate: true } },
    });
    expect(options).toMatchObject({ hostname: "example.com", secure: true, path: "/engine.io/" });
    for (const name of ["perMessageDeflate", "agent", "rejectUnauthorized", "tls"]) expect(options).not.toHaveProperty(name);
  });

  it("checks the others as the Node.js entry does", () => {
    expect(() => resolveBrowserSocketOptions(undefined, { requestTimeout: -1 })).toThrow(InvalidOptionError);
    expect(() => resolveBrowserSocketOptions(undefined, { transportOptions: { polling: { timestampParam: "" } } })).toThrow(InvalidOptionError);
  });
});

describe("resolveSocketOptions of the Node.js entry", () => {
  it("gathers the TLS options in tls", () => {
    const options = resolveSocketOptions(undefined, { ca: "CA", rejectUnauthorized: false });
    expect(options.tls).toEqual({ ca: "CA", rejectUnauthorized: false });
    expect(resolveSocketOptions().tls).toEqual({});
  });
});
