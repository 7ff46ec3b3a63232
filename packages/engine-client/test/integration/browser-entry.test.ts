import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import type { Socket as ServerSocket } from "engine.io";
import { WebSocket as WsWebSocket } from "ws";
import {
  Socket as BrowserSocket,
  WebSocket as NativeWebSocketTransport,
  XHR,
  type CloseReason,
  type TransportError,
} from "../../src/index.browser";
import { NodeXMLHttpRequest } from "../helpers/node-xhr";
import { startEngine, type EngineFixture } from "../helpers/servers";
import { collect, waitFor } from "../helpers/wait-for";

// The browser build run in Node.js: XMLHttpRequest over node:http, and `ws` standing in for
// the native WebSocket (same W3C interface). Browser-only behaviour (real XHR, CORS,
// beforeunload in a page) is checked in Chromium by the e2e suite.
const globals = globalThis as Record<string, unknown>;
const saved = {
  XMLHttpRequest: globals["XMLHttpRequest"],
  WebSocket: globals["WebSocket"],
  addEventListener: globals["addEventListener"],
  removeEventListener: globals["removeEventListener"],
};
const page = new EventTarget();

beforeAll(() => {
  globals["XMLHttpRequest"] = NodeXMLHttpRequest;
  globals["WebSocket"] = WsWebSocket;
  globals["addEventListener"] = page.addEventListener.bind(page);
  globals["removeEventListener"] = page.removeEventListener.bind(page);
});

afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete globals[name];
    else globals[name] = value;
  }
});

describe("browser entry: XHR polling and native WebSocket", () => {
  let server: EngineFixture;
  const sockets: BrowserSocket[] = [];
  const create = (options: ConstructorParameters<typeof BrowserSocket>[1] = {}) => {
    const socket = new BrowserSocket(server.url, options);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    server = await startEngine();
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) {
      socket.removeAllListeners();
      socket.close();
    }
  });

  afterAll(async () => {
    await server.close();
  });

  it("opens over XHR, upgrades to the native WebSocket, binary as ArrayBuffer", async () => {
    const client = create({ extraHeaders: { "x-from": "xhr" } });
    expect(client.binaryType).toBe("arraybuffer");
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "open");
    expect(client.transport).toBeInstanceOf(XHR);
    expect(NodeXMLHttpRequest.instances.at(-1)!.headers["x-from"]).toBe("xhr");

    const atClient = collect<unknown>(client, "message", 2);
    serverSocket.send("over polling");
    serverSocket.send(Buffer.from([1, 2]));
    const polled = await atClient;
    expect(polled[0]).toBe("over polling");
    expect(polled[1]).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(polled[1] as ArrayBuffer)]).toEqual([1, 2]);

    await waitFor(client, "upgrade");
    expect(client.transport).toBeInstanceOf(NativeWebSocketTransport);
    const atServer = collect<unknown>(serverSocket, "message", 2);
    client.send("over websocket");
    client.send(new Uint8Array([3, 4]).buffer);
    const received = await atServer;
    expect(received[0]).toBe("over websocket");
    expect(Buffer.from(received[1] as Buffer)).toEqual(Buffer.from([3, 4]));
    const binaryBack = waitFor<[ArrayBuffer]>(client, "message");
    serverSocket.send(Buffer.from([5]));
    expect((await binaryBack)[0]).toBeInstanceOf(ArrayBuffer);
  });

  it("skips headers the browser forbids instead of failing", async () => {
    const client = create({ transports: ["polling"], extraHeaders: { Cookie: "a=1", "x-ok": "1" } });
    await waitFor(client, "open");
    const last = NodeXMLHttpRequest.instances.at(-1)!;
    expect(last.headers["x-ok"]).toBe("1");
    expect(last.headers["Cookie"]).toBeUndefined();
  });

  it("sets withCredentials and the timeout on each XHR", async () => {
    const client = create({ transports: ["polling"], withCredentials: true, requestTimeout: 30_000 });
    await waitFor(client, "open");
    const last = NodeXMLHttpRequest.instances.at(-1)!;
    expect(last.withCredentials).toBe(true);
    expect(last.timeout).toBe(30_000);
  });

  it("closeOnBeforeunload closes the transport silently when the page unloads", async () => {
    const client = create({ transports: ["websocket"], closeOnBeforeunload: true });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "open");
    const reasons: CloseReason[] = [];
    client.on("close", (reason) => reasons.push(reason));
    const serverClosed = waitFor<[string]>(serverSocket, "close");
    page.dispatchEvent(new Event("beforeunload"));
    expect((await serverClosed)[0]).toBe("transport close");
    expect(reasons).toEqual([]);
  });

  it("without closeOnBeforeunload, unloading the page does nothing", async () => {
    const client = create({ transports: ["websocket"] });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "open");
    page.dispatchEvent(new Event("beforeunload"));
    const echo = waitFor<[string]>(serverSocket, "message");
    client.send("still here");
    expect((await echo)[0]).toBe("still here");
  });

  it("removes its beforeunload listener once closed", async () => {
    const added: unknown[] = [];
    const removed: unknown[] = [];
    globals["addEventListener"] = (type: string, listener: EventListener) => {
      if (type === "beforeunload") added.push(listener);
      page.addEventListener(type, listener);
    };
    globals["removeEventListener"] = (type: string, listener: EventListener) => {
      if (type === "beforeunload") removed.push(listener);
      page.removeEventListener(type, listener);
    };
    try {
      const client = create({ transports: ["websocket"], closeOnBeforeunload: true });
      await waitFor(client, "open");
      expect(added).toHaveLength(1);
      client.close();
      expect(removed).toEqual(added);
    } finally {
      globals["addEventListener"] = page.addEventListener.bind(page);
      globals["removeEventListener"] = page.removeEventListener.bind(page);
    }
  });

  it("reports a missing platform API as TRANSPORT_UNAVAILABLE, and tryAllTransports moves on", async () => {
    delete globals["WebSocket"];
    try {
      const failing = create({ transports: ["websocket"] });
      const [error] = await waitFor<[TransportError]>(failing, "error");
      expect(error.code).toBe("VOLLEY_ENGINE_CLIENT_ERR_TRANSPORT_UNAVAILABLE");
      expect(error.message).toBe("transport unavailable: WebSocket is not available");
      expect(failing.readyState).toBe("closed");

      const fallback = create({ transports: ["websocket", "polling"], tryAllTransports: true });
      await waitFor(fallback, "open");
      expect(fallback.transport).toBeInstanceOf(XHR);
    } finally {
      globals["WebSocket"] = WsWebSocket;
    }
  });

  it.each([
    ["polling", false],
    ["websocket", false],
    ["websocket", true],
  ] as const)("sends Blobs over %s (forceBase64: %s), in order with text", async (transport, forceBase64) => {
    const client = create({ transports: [transport], forceBase64 });
    const [serverSocket] = await waitFor<[ServerSocket]>(server.engine, "connection");
    await waitFor(client, "open");
    const atServer = collect<unknown>(serverSocket, "message", 3);
    client.send("before");
    client.send(new Blob([new Uint8Array([1, 2, 3])]));
    client.send("after");
    const received = await atServer;
    expect(received[0]).toBe("before");
    expect(Buffer.from(received[1] as Buffer)).toEqual(Buffer.from([1, 2, 3]));
    expect(received[2]).toBe("after");
  });
});
