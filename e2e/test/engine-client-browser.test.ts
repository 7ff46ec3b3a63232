import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import type { Browser, Page } from "playwright-core";
import { launchChromium, openReadyPage } from "./helpers/browser";
import { startEnginePageServer, type EnginePageServer } from "./helpers/engine-page";

// The self-contained browser bundle of @volley/engine-client in real Chromium: XHR
// long-polling and the native WebSocket against @volley/engine-server.
let browser: Browser;
const servers: EnginePageServer[] = [];
let page: Page | undefined;

beforeAll(async () => {
  browser = await launchChromium();
});

afterEach(async () => {
  await page?.close();
  page = undefined;
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

afterAll(async () => {
  await browser?.close();
});

async function serve(options: Parameters<typeof startEnginePageServer>[0] = {}): Promise<EnginePageServer> {
  const server = await startEnginePageServer(options);
  servers.push(server);
  return server;
}

async function openPage(url: string): Promise<Page> {
  page = await openReadyPage(browser, url);
  return page;
}

type Received = { kind: "text"; value: string } | { kind: "arraybuffer" | "other"; value: number[] };

describe.each([
  ["polling", ["polling"]],
  ["websocket", ["websocket"]],
  ["polling upgraded to websocket", ["polling", "websocket"]],
])("binary and text over %s", (_title, transports) => {
  it("keeps order for text, Uint8Array, Blob and ArrayBuffer both ways; binary arrives as ArrayBuffer", async () => {
    const server = await serve();
    const atServer: Array<string | number[]> = [];
    server.engine.on("connection", (socket) => {
      socket.on("message", (data) => {
        atServer.push(typeof data === "string" ? data : [...new Uint8Array(data as ArrayBuffer)]);
        socket.send(data); // echo
      });
    });
    const browserPage = await openPage(server.url);

    const echoed = await browserPage.evaluate(async (transportList) => {
      const { Socket } = (window as unknown as { engine: typeof import("@volley/engine-client") }).engine;
      const socket = new Socket({ transports: transportList as Array<"polling" | "websocket"> });
      const received: Received[] = [];
      const done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${received.length} echoes`)), 10000);
        socket.on("message", (data: unknown) => {
          if (typeof data === "string") received.push({ kind: "text", value: data });
          else if (data instanceof ArrayBuffer) received.push({ kind: "arraybuffer", value: [...new Uint8Array(data)] });
          else received.push({ kind: "other", value: [] });
          if (received.length === 5) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      await new Promise<void>((resolve) => socket.once("open", () => resolve()));
      socket.send("first");
      socket.send(new Uint8Array([1, 2, 3]));
      socket.send(new Blob([new Uint8Array([4, 5])]));
      socket.send(new Uint8Array([6, 255]).buffer);
      socket.send("last");
      await done;
      socket.close();
      return received;
    }, transports);

    expect(atServer).toEqual(["first", [1, 2, 3], [4, 5], [6, 255], "last"]);
    expect(echoed).toEqual([
      { kind: "text", value: "first" },
      { kind: "arraybuffer", value: [1, 2, 3] },
      { kind: "arraybuffer", value: [4, 5] },
      { kind: "arraybuffer", value: [6, 255] },
      { kind: "text", value: "last" },
    ]);
  });
});

describe("transport choice", () => {
  it('transports: ["websocket"] makes no XHR and upgrade: false opens no WebSocket', async () => {
    const server = await serve();
    server.engine.on("connection", (socket) => socket.on("message", (data) => socket.send(data)));
    const browserPage = await openPage(server.url);
    const xhrs: string[] = [];
    const websockets: string[] = [];
    browserPage.on("request", (request) => {
      if (request.url().includes("/engine.io/") && request.resourceType() !== "websocket") xhrs.push(request.url());
    });
    browserPage.on("websocket", (websocket) => websockets.push(websocket.url()));

    const transportNames = await browserPage.evaluate(async () => {
      const { Socket } = (window as unknown as { engine: typeof import("@volley/engine-client") }).engine;
      const connect = (options: ConstructorParameters<typeof Socket>[0]) =>
        new Promise<string>((resolve) => {
          const socket = new Socket(options);
          socket.once("open", () => {
            // Give an upgrade its chance: a ping/pong round trip later nothing must have changed.
            socket.send("probe-done?");
            socket.once("message", () => {
              const name = socket.transport!.name;
              socket.close();
              resolve(name);
            });
          });
        });
      const websocketOnly = await connect({ transports: ["websocket"] });
      return { websocketOnly, noUpgrade: await connect({ upgrade: false }) };
    });

    expect(transportNames).toEqual({ websocketOnly: "websocket", noUpgrade: "polling" });
    // The websocket-only socket made no XHR; the upgrade: false socket opened no WebSocket,
    // so the only WebSocket is the first socket's.
    expect(websockets).toHaveLength(1);
    expect(xhrs.length).toBeGreaterThan(0);
    expect(xhrs.every((url) => url.includes("transport=polling"))).toBe(true);
    // every polling request the server saw was one of these XHRs (the last one, the closing
    // POST, may still be on its way when close() returns: at most as many, not exactly)
    const polled = server.requests.filter((r) => r.url.includes("transport=polling")).length;
    expect(polled).toBeGreaterThan(0);
    expect(polled).toBeLessThanOrEqual(xhrs.length);
  });
});

describe("cross-origin", () => {
  it("sends the session cookie only with withCredentials, and extraHeaders trigger a CORS preflight", async () => {
    const pageServer = await serve();
    const pageOrigin = pageServer.url;
    const apiServer = await serve({
      cookie: true,
      cors: { origin: pageOrigin, credentials: true, allowedHeaders: ["x-volley-test"] },
    });
    apiServer.engine.on("connection", (socket) => socket.on("message", (data) => socket.send(data)));
    const browserPage = await openPage(pageOrigin);

    const run = (withCredentials: boolean) =>
      browserPage.evaluate(
        async ({ url, withCredentials }) => {
          const { Socket } = (window as unknown as { engine: typeof import("@volley/engine-client") }).engine;
          const socket = new Socket(url, {
            transports: ["polling"],
            withCredentials,
            extraHeaders: { "x-volley-test": "yes" },
          });
          await new Promise<void>((resolve, reject) => {
            socket.once("open", () => resolve());
            socket.once("error", reject);
          });
          // A message and its echo: a POST and a GET after the handshake, each carrying the
          // cookie if the browser keeps and sends it.
          const echoed = new Promise<void>((resolve) => socket.once("message", () => resolve()));
          socket.send("hello");
          await echoed;
          const id = socket.id;
          socket.close();
          return id;
        },
        { url: apiServer.url, withCredentials },
      );

    const withCookieSid = await run(true);
    const afterHandshake = (sid: string | null | undefined) =>
      apiServer.requests.filter((r) => r.method !== "OPTIONS" && typeof sid === "string" && r.url.includes(`sid=${sid}`));
    expect(afterHandshake(withCookieSid).map((r) => r.method)).toEqual(expect.arrayContaining(["GET", "POST"]));
    expect(afterHandshake(withCookieSid).every((r) => r.cookie?.includes(`io=${withCookieSid}`))).toBe(true);
    expect(apiServer.requests.some((r) => r.method === "OPTIONS")).toBe(true);

    // A fresh context has no cookie from the first run; without credentials none is stored or sent.
    await browserPage.context().clearCookies();
    const withoutCookieSid = await run(false);
    expect(afterHandshake(withoutCookieSid).map((r) => r.method)).toEqual(expect.arrayContaining(["GET", "POST"]));
    expect(afterHandshake(withoutCookieSid).every((r) => r.cookie === undefined)).toBe(true);
  });
});
