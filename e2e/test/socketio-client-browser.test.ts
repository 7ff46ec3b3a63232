import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "./helpers/browser";
import { startSocketIoPageServer, type SocketIoPageServer } from "./helpers/socketio-page";

// The browser bundles of @volley/client in real Chromium against @volley/server, which
// serves them at /socket.io/socket.io.js and its siblings.
type Io = typeof import("@volley/client").io;
let browser: Browser;
let server: SocketIoPageServer | undefined;
let page: Page | undefined;

beforeAll(async () => {
  browser = await launchChromium();
});

afterEach(async () => {
  await page?.close();
  page = undefined;
  await server?.close();
  server = undefined;
});

afterAll(async () => {
  await browser?.close();
});

/** Serves the pages and opens `path`; resolves once its bundle is loaded. */
async function open(path: string, options?: Parameters<typeof startSocketIoPageServer>[0]) {
  server = await startSocketIoPageServer(options);
  page = await browser.newPage();
  const errors: string[] = [];
  const websockets: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("websocket", (websocket) => websockets.push(websocket.url()));
  await page.goto(server.url + path);
  await page.locator("body[data-ready=yes]").waitFor({ state: "attached", timeout: 10000 });
  return { page, server, errors, websockets };
}

const pollingRequests = (pageServer: SocketIoPageServer) => pageServer.requests.filter((r) => r.url.includes("transport=polling"));

describe.each([
  ["UMD", "/umd"],
  ["UMD minified", "/min"],
  ["ESM", "/esm"],
  ["websocket-only", "/websocket"],
])("the %s bundle", (_title, path) => {
  it("connects and exchanges an event with an acknowledgement", async () => {
    const { page: browserPage, server: pageServer, errors } = await open(path);
    const result = await browserPage.evaluate(async () => {
      const io = (window as unknown as { io: Io }).io;
      const socket = io();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no connect in 10 s")), 10000);
        socket.once("connect", () => {
          clearTimeout(timer);
          resolve();
        });
      });
      const reply = await socket.timeout(5000).emitWithAck("echo", "hello", 42);
      // Wait for the upgrade, if any (the websocket-only bundle starts on WebSocket).
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no upgrade in 10 s")), 10000);
        const check = (): void => {
          if (socket.io.engine!.transport!.name !== "websocket") return;
          clearTimeout(timer);
          resolve();
        };
        socket.io.engine!.on("upgrade", check);
        check();
      });
      const transport = socket.io.engine!.transport!.name;
      socket.disconnect();
      return { reply, transport };
    });
    expect(result).toEqual({ reply: ["hello", 42], transport: "websocket" });
    if (path === "/websocket") expect(pollingRequests(pageServer)).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe("transports", () => {
  it("upgrades from long-polling to WebSocket in the browser", async () => {
    const { page: browserPage, server: pageServer, websockets } = await open("/umd");
    const upgraded = new Promise<string>((resolve) => {
      pageServer.io.on("connection", (socket) => socket.conn.once("upgrade", (transport: { name: string }) => resolve(transport.name)));
    });
    const transports = await browserPage.evaluate(async () => {
      const socket = (window as unknown as { io: Io }).io();
      const seen: string[] = [];
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no upgrade in 10 s; saw ${seen.join(", ")}`)), 10000);
        socket.io.on("open", () => {
          seen.push(socket.io.engine!.transport!.name);
          socket.io.engine!.on("upgrade", (transport: { name: string }) => {
            seen.push(transport.name);
            clearTimeout(timer);
            resolve();
          });
        });
      });
      const reply = await socket.timeout(5000).emitWithAck("echo", "after the upgrade");
      socket.disconnect();
      return { seen, reply };
    });
    expect(transports).toEqual({ seen: ["polling", "websocket"], reply: ["after the upgrade"] });
    await expect(upgraded).resolves.toBe("websocket");
    expect(pollingRequests(pageServer).length).toBeGreaterThan(0);
    expect(websockets).toHaveLength(1);
  });

  it('works with transports: ["polling"] alone, opening no WebSocket', async () => {
    const { page: browserPage, server: pageServer, websockets } = await open("/umd");
    const result = await browserPage.evaluate(async () => {
      const socket = (window as unknown as { io: Io }).io({ transports: ["polling"] });
      const replies: unknown[] = [];
      for (let i = 0; i < 3; i++) replies.push(await socket.timeout(5000).emitWithAck("echo", i));
      const transport = socket.io.engine!.transport!.name;
      socket.disconnect();
      return { replies, transport };
    });
    expect(result).toEqual({ replies: [[0], [1], [2]], transport: "polling" });
    expect(websockets).toEqual([]);
    expect(pollingRequests(pageServer).length).toBeGreaterThan(0);
  });
});

describe.each([["websocket"], ["polling"]])("binary over %s", (transport) => {
  it("round-trips ArrayBuffer, Blob and typed arrays (views at an offset included), nested in objects", async () => {
    const { page: browserPage, server: pageServer } = await open("/umd");
    const atServer = new Promise<unknown>((resolve) => {
      pageServer.io.on("connection", (socket) =>
        socket.on("record", (value: unknown, ack: () => void) => {
          resolve(toBytes(value));
          ack();
        }),
      );
    });
    const echoed = await browserPage.evaluate(async (transportName) => {
      const socket = (window as unknown as { io: Io }).io({ transports: [transportName as "websocket" | "polling"] });
      const payload = {
        arrayBuffer: new Uint8Array([1, 2, 3]).buffer,
        blob: new Blob([new Uint8Array([4, 5])]),
        uint8: new Uint8Array([6, 7]),
        view: new Uint8Array(new Uint8Array([0, 0, 8, 9, 10, 0]).buffer, 2, 3),
        float32: new Float32Array([1.5, -2]),
        nested: [{ deep: new Uint16Array([513]) }, "text", 7],
      };
      const [reply] = (await socket.timeout(5000).emitWithAck("echo", payload)) as [Record<string, unknown>];
      await socket.timeout(5000).emitWithAck("record", payload);
      // What came back: every binary value is an ArrayBuffer.
      const describe = (value: unknown): unknown =>
        value instanceof ArrayBuffer
          ? { ArrayBuffer: [...new Uint8Array(value)] }
          : Array.isArray(value)
            ? value.map(describe)
            : typeof value === "object" && value !== null
              ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, describe(inner)]))
              : value;
      return describe(reply);
    }, transport);
    const bytes = (...values: number[]) => ({ ArrayBuffer: values });
    const expected = {
      arrayBuffer: bytes(1, 2, 3),
      blob: bytes(4, 5),
      uint8: bytes(6, 7),
      view: bytes(8, 9, 10),
      float32: bytes(...new Uint8Array(new Float32Array([1.5, -2]).buffer)),
      nested: [{ deep: bytes(1, 2) }, "text", 7],
    };
    expect(echoed).toEqual(expected);
    // The server got Buffers with the same bytes.
    await expect(atServer).resolves.toEqual(expected);
  });
});

/** The server's view of a payload: Buffers as { ArrayBuffer: bytes }, to compare with the page's. */
function toBytes(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return { ArrayBuffer: [...value] };
  if (Array.isArray(value)) return value.map(toBytes);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toBytes(inner)]));
  return value;
}

describe("a Web Worker", () => {
  it("connects with the UMD bundle loaded by importScripts", async () => {
    const { page: browserPage, server: pageServer } = await open("/worker");
    const result = await browserPage.evaluate(
      () =>
        new Promise<unknown>((resolve, reject) => {
          const worker = new Worker("/worker.js");
          const timer = setTimeout(() => reject(new Error("no answer from the worker in 10 s")), 10000);
          worker.onmessage = (event) => {
            clearTimeout(timer);
            worker.terminate();
            resolve(event.data);
          };
          worker.onerror = (event) => {
            clearTimeout(timer);
            reject(new Error(event.message));
          };
        }),
    );
    expect(result).toEqual({ id: expect.any(String), text: "from a worker", bytes: [1, 2, 3], global: "undefined" });
    expect(pollingRequests(pageServer).length).toBeGreaterThan(0);
  });
});
