import { once } from "node:events";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import type { ConnectionError } from "@volley/engine-server";
import { Server } from "@volley/server";
import type { Browser, Page } from "playwright-core";
import { launchChromium, openReadyPage } from "./helpers/browser";

// Issue 14, in real Chromium: two pages served from two loopback origins (two ports) load
// the client bundle from a @volley/server whose cors.origin lists only the first. The second
// page's io() is refused over websocket-only and over polling (403: browsers apply no CORS
// to WebSocket, the server checks Origin itself), and the page sees the connect_error; the
// listed origin connects.
type Io = typeof import("@volley/client").io;

const PAGE = (serverUrl: string): string => `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>
<body><script src="${serverUrl}/socket.io/socket.io.js"></script><script>document.body.dataset.ready = "yes";</script></body></html>`;

let browser: Browser;
const closers: Array<() => Promise<void>> = [];
const pages: Page[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});

afterEach(async () => {
  for (const page of pages.splice(0)) await page.close();
  for (const close of closers.splice(0).reverse()) await close();
});

afterAll(async () => {
  await browser?.close();
});

async function listen(server: HttpServer): Promise<string> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A server of one page that loads the client bundle from `serverUrl`: its own origin. */
async function startPageServer(serverUrl: string): Promise<string> {
  const http = createServer((req, res) => {
    if (req.url === "/") res.writeHead(200, { "content-type": "text/html" }).end(PAGE(serverUrl));
    else res.writeHead(404).end();
  });
  const url = await listen(http);
  closers.push(async () => {
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });
  return url;
}

interface Setup {
  serverUrl: string;
  io: Server;
  listed: string;
  other: string;
  /** The server's refusals: [code, context.name, context.origin]. */
  refusals: Array<[number, unknown, unknown]>;
}

/** The Socket.IO server and two page origins; cors.origin lists the first only. */
async function setup(): Promise<Setup> {
  const http = createServer();
  const serverUrl = await listen(http);
  const listed = await startPageServer(serverUrl);
  const other = await startPageServer(serverUrl);
  const io = new Server(http, { cors: { origin: [listed], credentials: true } });
  closers.push(() => io.close());
  const refusals: Setup["refusals"] = [];
  io.engine!.on("connection_error", (error: ConnectionError) => refusals.push([error.code, error.context["name"], error.context["origin"]]));
  io.on("connection", (socket) => {
    socket.on("echo", (value: unknown, ack: (value: unknown) => void) => ack(value));
  });
  return { serverUrl, io, listed, other, refusals };
}

async function openPage(url: string): Promise<Page> {
  const page = await openReadyPage(browser, url);
  pages.push(page);
  return page;
}

/** In the page: io(serverUrl, { transports }) until connect or connect_error (10 s at most). */
function tryConnect(page: Page, serverUrl: string, transports: string[]): Promise<{ connected: boolean; error?: string; transport?: string; echo?: unknown }> {
  return page.evaluate(
    async ([url, transportList]) => {
      const io = (window as unknown as { io: Io }).io;
      const socket = io(url, { transports: transportList as Array<"polling" | "websocket">, reconnection: false, withCredentials: true });
      const outcome = await new Promise<{ connected: boolean; error?: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("neither connect nor connect_error in 10 s")), 10000);
        socket.once("connect", () => {
          clearTimeout(timer);
          resolve({ connected: true });
        });
        socket.once("connect_error", (error: Error) => {
          clearTimeout(timer);
          resolve({ connected: false, error: error.message });
        });
      });
      if (!outcome.connected) {
        socket.close();
        return outcome;
      }
      const echo: unknown = await socket.timeout(5000).emitWithAck("echo", "from the page");
      const transport = socket.io.engine!.transport!.name;
      socket.disconnect();
      return { ...outcome, echo, transport };
    },
    [serverUrl, transports] as const,
  );
}

describe("a page of an origin that cors.origin does not list", () => {
  it.each([
    ["websocket-only", ["websocket"], "websocket error"],
    ["polling", ["polling"], "xhr poll error"],
    ["polling then websocket (the default)", ["polling", "websocket"], "xhr poll error"],
  ])("is refused over %s, and the page sees the connect_error", async (_title, transports, message) => {
    const { serverUrl, io, other, refusals } = await setup();
    let connections = 0;
    io.on("connection", () => connections++);
    const page = await openPage(other);
    await expect(tryConnect(page, serverUrl, transports)).resolves.toEqual({ connected: false, error: message });
    expect(refusals[0]).toEqual([4, "ORIGIN_NOT_ALLOWED", other]);
    expect(connections).toBe(0);
  });
});

describe("a page of the listed origin", () => {
  it.each([
    ["websocket-only", ["websocket"], "websocket"],
    ["polling", ["polling"], "polling"],
  ])("connects over %s", async (_title, transports, transport) => {
    const { serverUrl, listed, refusals } = await setup();
    const page = await openPage(listed);
    await expect(tryConnect(page, serverUrl, transports)).resolves.toEqual({ connected: true, echo: "from the page", transport });
    expect(refusals).toEqual([]);
  });

  it("connects over polling and upgrades to WebSocket", async () => {
    const { serverUrl, io, listed, refusals } = await setup();
    const upgraded = new Promise<string>((resolve) =>
      io.on("connection", (socket) => socket.conn.once("upgrade", (transport: { name: string }) => resolve(transport.name))),
    );
    const page = await openPage(listed);
    const result = await page.evaluate(async (url) => {
      const socket = (window as unknown as { io: Io }).io(url, { reconnection: false, withCredentials: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no upgrade in 10 s")), 10000);
        socket.io.on("open", () =>
          socket.io.engine!.once("upgrade", () => {
            clearTimeout(timer);
            resolve();
          }),
        );
      });
      const echo: unknown = await socket.timeout(5000).emitWithAck("echo", "after the upgrade");
      socket.disconnect();
      return echo;
    }, serverUrl);
    expect(result).toBe("after the upgrade");
    await expect(upgraded).resolves.toBe("websocket");
    expect(refusals).toEqual([]);
  });
});
