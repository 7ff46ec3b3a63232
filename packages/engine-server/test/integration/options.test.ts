import { once } from "node:events";
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { gunzipSync, inflateSync } from "node:zlib";
import { afterEach, describe, expect, it } from "@jest/globals";
import { WebSocketServer } from "ws";
import { attach, listen, type Socket, type WebSocketServerConstructorOptions, type WebSocketServerLike } from "../../src";
import {
  closeWebSocket,
  eioHandshake,
  eioPoll,
  httpRequest,
  nextMessages,
  openWebSocket,
  startServer,
  upgradeRequest,
  within,
  waitFor,
  waitUntil,
  wsHandshake,
  type TestServer,
} from "../helpers";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("handshake", () => {
  it("announces sid, upgrades, pingInterval, pingTimeout and maxPayload (defaults)", async () => {
    server = await startServer();
    const { open, response } = await eioHandshake(server);
    expect(open).toEqual({
      sid: expect.any(String),
      upgrades: ["websocket"],
      pingInterval: 25000,
      pingTimeout: 20000,
      maxPayload: 1e6,
    });
    expect(open.sid).toMatch(/^[\w-]{20}$/);
    expect(response.headers["content-type"]).toBe("text/plain; charset=UTF-8");
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(server.engine.clientsCount).toBe(1);
    expect(server.engine.clients[open.sid]?.readyState).toBe("open");
  });

  it("announces the configured values", async () => {
    server = await startServer({ pingInterval: 1234, pingTimeout: 4321, maxHttpBufferSize: 777 });
    const { open } = await eioHandshake(server);
    expect(open).toMatchObject({ pingInterval: 1234, pingTimeout: 4321, maxPayload: 777 });
  });

  it("initialPacket is sent right after the open packet (polling and websocket)", async () => {
    server = await startServer({ initialPacket: "welcome" });
    const { response } = await eioHandshake(server);
    expect(response.text.split("\x1e")[1]).toBe("4welcome");
    const { ws } = await wsHandshake(server);
    expect(await nextMessages(ws, 1)).toEqual(["4welcome"]);
    await closeWebSocket(ws);
  });

  it("transports: ['polling'] offers no upgrade and refuses websocket", async () => {
    server = await startServer({ transports: ["polling"] });
    const { open } = await eioHandshake(server);
    expect(open.upgrades).toEqual([]);
    const res = await upgradeRequest(server, "/engine.io/?EIO=4&transport=websocket");
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ code: 0, message: "Transport unknown" });
  });

  it("allowUpgrades: false offers no upgrade and refuses one", async () => {
    server = await startServer({ allowUpgrades: false });
    const { open, sid } = await eioHandshake(server);
    expect(open.upgrades).toEqual([]);
    const res = await upgradeRequest(server, `/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).code).toBe(3);
  });

  it("a websocket-only session offers no upgrade", async () => {
    server = await startServer();
    const ws = await openWebSocket(server, "EIO=4&transport=websocket");
    const [open] = await nextMessages(ws, 1);
    expect(JSON.parse((open as string).slice(1)).upgrades).toEqual([]);
    await closeWebSocket(ws);
  });
});

describe("allowRequest", () => {
  it("refuses a polling handshake with 403, code 4 and its message", async () => {
    const seen: string[] = [];
    server = await startServer({
      allowRequest: (req, fn) => {
        seen.push(req.url ?? "");
        fn(req.headers["x-token"] === "ok" ? null : "bad token", req.headers["x-token"] === "ok");
      },
    });
    const error = waitFor<[{ code: number; context: { message?: string } }]>(server.engine, "connection_error");
    const refused = await httpRequest(server, "/engine.io/?EIO=4&transport=polling");
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text)).toEqual({ code: 4, message: "bad token" });
    expect((await error)[0].code).toBe(4);
    const allowed = await httpRequest(server, "/engine.io/?EIO=4&transport=polling", { headers: { "x-token": "ok" } });
    expect(allowed.status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it("refuses a websocket handshake with 403 before any 101", async () => {
    // the answer comes on a later turn of the event loop, as an asynchronous check would give it
    server = await startServer({ allowRequest: (_req, fn) => setImmediate(() => fn(undefined, false)) });
    const res = await upgradeRequest(server, "/engine.io/?EIO=4&transport=websocket");
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toEqual({ code: 4, message: "Forbidden" });
  });

  it("is not asked for requests of an existing session", async () => {
    let calls = 0;
    server = await startServer({
      allowRequest: (_req, fn) => {
        calls++;
        fn(null, true);
      },
    });
    const { sid } = await eioHandshake(server);
    server.engine.clients[sid]!.send("x");
    await eioPoll(server, sid);
    expect(calls).toBe(1);
  });

  it("a throwing allowRequest refuses with 403", async () => {
    server = await startServer({
      allowRequest: () => {
        throw new Error("boom");
      },
    });
    const res = await httpRequest(server, "/engine.io/?EIO=4&transport=polling");
    expect(res.status).toBe(403);
  });
});

describe("generateId", () => {
  it("may be overridden, synchronously or with a Promise", async () => {
    server = await startServer();
    let n = 0;
    server.engine.generateId = () => (n++ % 2 === 0 ? `custom-${n}` : Promise.resolve(`async-${n}`));
    expect((await eioHandshake(server)).sid).toBe("custom-1");
    expect((await eioHandshake(server)).sid).toBe("async-2");
    const { ws, sid } = await wsHandshake(server);
    expect(sid).toBe("custom-3");
    await closeWebSocket(ws);
  });

  it("a rejected, empty or duplicate id refuses the handshake with 400, code 3", async () => {
    server = await startServer();
    const ids: Array<() => string | Promise<string>> = [
      () => Promise.reject(new Error("no id")),
      () => "",
      () => "same",
      () => "same",
    ];
    server.engine.generateId = () => ids.shift()!();
    const first = await httpRequest(server, "/engine.io/?EIO=4&transport=polling");
    expect(first.status).toBe(400);
    expect(JSON.parse(first.text)).toEqual({ code: 3, message: "Bad request" });
    expect((await httpRequest(server, "/engine.io/?EIO=4&transport=polling")).status).toBe(400);
    expect((await httpRequest(server, "/engine.io/?EIO=4&transport=polling")).status).toBe(200);
    const duplicate = await upgradeRequest(server, "/engine.io/?EIO=4&transport=websocket");
    expect(duplicate.status).toBe(400);
  });
});

describe("cookie", () => {
  it("is off by default", async () => {
    server = await startServer();
    const { response } = await eioHandshake(server);
    expect(response.headers["set-cookie"]).toBeUndefined();
  });

  it("true: io=<sid>; Path=/; HttpOnly; SameSite=Lax on the handshake only (not Secure over plain http)", async () => {
    server = await startServer({ cookie: true });
    const { response, sid } = await eioHandshake(server);
    expect(response.headers["set-cookie"]).toEqual([`io=${sid}; Path=/; HttpOnly; SameSite=Lax`]);
    server.engine.clients[sid]!.send("x");
    const poll = await eioPoll(server, sid);
    expect(poll.headers["set-cookie"]).toBeUndefined();
  });

  it("custom options, also on a websocket handshake", async () => {
    server = await startServer({ cookie: { name: "sess", path: "/app", maxAge: 60 } });
    const { response, sid } = await eioHandshake(server);
    expect(response.headers["set-cookie"]).toEqual([`sess=${sid}; Max-Age=60; Path=/app; HttpOnly; SameSite=Lax`]);
    const connection = waitFor<[Socket]>(server.engine, "connection");
    const upgrade = await upgradeRequest(server, "/engine.io/?EIO=4&transport=websocket");
    expect(upgrade.status).toBe(101);
    const [socket] = await connection;
    expect(upgrade.headers["set-cookie"]).toEqual([`sess=${socket.id}; Max-Age=60; Path=/app; HttpOnly; SameSite=Lax`]);
  });
});

describe("headers events", () => {
  it("initial_headers on the handshake, headers on every response, over polling and websocket", async () => {
    server = await startServer();
    const initial: string[] = [];
    const every: string[] = [];
    server.engine.on("initial_headers", (headers, req) => {
      initial.push(req.url ?? "");
      headers["X-Initial"] = "yes";
    });
    server.engine.on("headers", (headers, req) => {
      every.push(req.url ?? "");
      headers["X-Every"] = "yes";
    });
    const { response, sid } = await eioHandshake(server);
    expect(response.headers["x-initial"]).toBe("yes");
    expect(response.headers["x-every"]).toBe("yes");
    server.engine.clients[sid]!.send("x");
    const poll = await eioPoll(server, sid);
    expect(poll.headers["x-initial"]).toBeUndefined();
    expect(poll.headers["x-every"]).toBe("yes");
    expect(initial).toHaveLength(1);
    expect(every).toHaveLength(2);
    const upgrade = await upgradeRequest(server, "/engine.io/?EIO=4&transport=websocket");
    expect(upgrade.status).toBe(101);
    expect(upgrade.headers["x-initial"]).toBe("yes");
    expect(upgrade.headers["x-every"]).toBe("yes");
  });
});

describe("httpCompression", () => {
  const big = "x".repeat(2000);

  it.each([
    ["gzip", gunzipSync],
    ["deflate", inflateSync],
  ] as const)("compresses responses over the threshold with %s", async (encoding, decode) => {
    server = await startServer();
    const { sid } = await eioHandshake(server);
    server.engine.clients[sid]!.send(big);
    const res = await eioPoll(server, sid, { "Accept-Encoding": encoding });
    expect(res.headers["content-encoding"]).toBe(encoding);
    expect(Number(res.headers["content-length"])).toBe(res.body.length);
    expect(decode(res.body).toString()).toBe("4" + big);
  });

  it("prefers gzip, honours q=0, and leaves small responses alone", async () => {
    server = await startServer({ httpCompression: { threshold: 100 } });
    const { sid } = await eioHandshake(server);
    const socket = server.engine.clients[sid]!;
    // bodies of 99 bytes (below the threshold) and 100 bytes (at it)
    socket.send("x".repeat(98));
    const small = await eioPoll(server, sid, { "Accept-Encoding": "gzip" });
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(small.text).toBe("4" + "x".repeat(98));
    socket.send("x".repeat(99));
    const atThreshold = await eioPoll(server, sid, { "Accept-Encoding": "deflate, gzip" });
    expect(atThreshold.headers["content-encoding"]).toBe("gzip");
    socket.send(big);
    const refused = await eioPoll(server, sid, { "Accept-Encoding": "gzip;q=0, deflate;q=0" });
    expect(refused.headers["content-encoding"]).toBeUndefined();
    socket.send(big);
    const none = await eioPoll(server, sid, { "Accept-Encoding": "identity" });
    expect(none.headers["content-encoding"]).toBeUndefined();
  });

  it("false, or compress: false on every packet, sends plain responses", async () => {
    server = await startServer({ httpCompression: false });
    const { sid } = await eioHandshake(server);
    server.engine.clients[sid]!.send(big);
    expect((await eioPoll(server, sid, { "Accept-Encoding": "gzip" })).headers["content-encoding"]).toBeUndefined();
    await server.close();
    server = await startServer();
    const second = await eioHandshake(server);
    server.engine.clients[second.sid]!.send(big, { compress: false });
    expect((await eioPoll(server, second.sid, { "Accept-Encoding": "gzip" })).headers["content-encoding"]).toBeUndefined();
  });
});

describe("perMessageDeflate", () => {
  it("is off by default", async () => {
    server = await startServer();
    const res = await upgradeRequest(server, "/engine.io/?EIO=4&transport=websocket", {
      "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits",
    });
    expect(res.status).toBe(101);
    expect(res.headers["sec-websocket-extensions"]).toBeUndefined();
  });

  it("true negotiates permessage-deflate and messages still arrive", async () => {
    server = await startServer({ perMessageDeflate: true });
    const res = await upgradeRequest(server, "/engine.io/?EIO=4&transport=websocket", {
      "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits",
    });
    expect(res.headers["sec-websocket-extensions"]).toContain("permessage-deflate");
    const { ws, sid } = await wsHandshake(server);
    const big = "y".repeat(5000);
    server.engine.clients[sid]!.send(big);
    expect(await nextMessages(ws, 1)).toEqual(["4" + big]);
    await closeWebSocket(ws);
  });
});

describe("wsEngine", () => {
  it("uses the given ws-compatible server class with noServer and maxPayload", async () => {
    const created: WebSocketServerConstructorOptions[] = [];
    class CountingServer extends WebSocketServer {
      constructor(options: WebSocketServerConstructorOptions) {
        super(options);
        created.push(options);
      }
    }
    server = await startServer({ wsEngine: CountingServer, maxHttpBufferSize: 1234 });
    const { ws } = await wsHandshake(server);
    // ws's own class (a subclass here): autoPong off, the transport answers pings
    expect(created).toEqual([
      { noServer: true, clientTracking: false, perMessageDeflate: false, maxPayload: 1234, closeTimeout: 30000, autoPong: false },
    ]);
    await closeWebSocket(ws);
  });

  it("another ws-compatible class gets no autoPong and keeps answering pings its own way", async () => {
    const created: WebSocketServerConstructorOptions[] = [];
    /** Not ws's class: hands the upgrades to a ws server of its own, made with the options it got. */
    class WrappingServer implements WebSocketServerLike {
      readonly #inner: WebSocketServer;
      constructor(options: WebSocketServerConstructorOptions) {
        created.push(options);
        this.#inner = new WebSocketServer(options);
      }
      handleUpgrade(...args: Parameters<WebSocketServerLike["handleUpgrade"]>): void {
        this.#inner.handleUpgrade(args[0], args[1], args[2], (websocket, req) => args[3](websocket, req));
      }
      close(callback?: (err?: Error) => void): void {
        this.#inner.close(callback);
      }
    }
    server = await startServer({ wsEngine: WrappingServer });
    const { ws } = await wsHandshake(server);
    expect(created).toEqual([{ noServer: true, clientTracking: false, perMessageDeflate: false, maxPayload: 1e6, closeTimeout: 30000 }]);
    // ws (autoPong on) answers, once: the transport does not answer too
    const pongs: string[] = [];
    ws.on("pong", (data: Buffer) => pongs.push(data.toString()));
    ws.ping("p1");
    ws.ping("p2");
    await waitUntil(ws, "pong", () => pongs.length >= 2, 5000, "2 pongs");
    server.engine.clients[Object.keys(server.engine.clients)[0]!]!.send("after");
    expect(await nextMessages(ws, 1)).toEqual(["4after"]);
    expect(pongs).toEqual(["p1", "p2"]);
    await closeWebSocket(ws);
  });
});

describe("path and addTrailingSlash", () => {
  it("serves a custom path only", async () => {
    server = await startServer({ path: "/custom" });
    expect((await httpRequest(server, "/custom/?EIO=4&transport=polling")).status).toBe(200);
    const arrived = waitFor(server.http, "request");
    const other = httpRequest(server, "/engine.io/?EIO=4&transport=polling");
    // not ours and no other listener: nobody answers; end the wait with the server close
    await arrived;
    await server.close();
    server = undefined;
    await expect(other).rejects.toThrow();
  });

  it("addTrailingSlash: false also matches the bare path", async () => {
    server = await startServer({ addTrailingSlash: false });
    expect((await httpRequest(server, "/engine.io?EIO=4&transport=polling")).status).toBe(200);
    expect((await httpRequest(server, "/engine.io/?EIO=4&transport=polling")).status).toBe(200);
  });
});

describe("cors", () => {
  it("answers preflights and adds headers when configured", async () => {
    server = await startServer({ cors: { origin: "https://example.com", credentials: true } });
    const preflight = await httpRequest(server, "/engine.io/?EIO=4&transport=polling", {
      method: "OPTIONS",
      headers: { Origin: "https://example.com", "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe("https://example.com");
    expect(preflight.headers["access-control-allow-credentials"]).toBe("true");
    const { response } = await eioHandshake(server);
    expect(response.headers["access-control-allow-origin"]).toBe("https://example.com");
    const upgrade = await upgradeRequest(server, "/engine.io/?EIO=4&transport=websocket", { Origin: "https://example.com" });
    expect(upgrade.status).toBe(101);
    expect(upgrade.headers["access-control-allow-origin"]).toBe("https://example.com");
  });

  it("adds no CORS headers by default", async () => {
    server = await startServer();
    const { response } = await eioHandshake(server);
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("middlewares", () => {
  it("run on every HTTP request and every upgrade, in order", async () => {
    server = await startServer();
    const seen: string[] = [];
    server.engine.use((req, res, next) => {
      seen.push(`a ${req.method}`);
      res.setHeader("X-Middleware", "a");
      next();
    });
    server.engine.use(async (_req, _res, next) => {
      seen.push("b");
      await Promise.resolve();
      next();
    });
    const { response } = await eioHandshake(server);
    expect(response.headers["x-middleware"]).toBe("a");
    const upgrade = await upgradeRequest(server, "/engine.io/?EIO=4&transport=websocket");
    expect(upgrade.status).toBe(101);
    expect(upgrade.headers["x-middleware"]).toBe("a");
    expect(seen).toEqual(["a GET", "b", "a GET", "b"]);
  });

  it("may refuse a request or an upgrade by answering it", async () => {
    server = await startServer();
    server.engine.use((req, res, next) => {
      if (req.headers.authorization === undefined) {
        res.writeHead(401, { "Content-Type": "text/plain" });
        res.end("who are you?");
        return;
      }
      next();
    });
    const refused = await httpRequest(server, "/engine.io/?EIO=4&transport=polling");
    expect(refused.status).toBe(401);
    expect(refused.text).toBe("who are you?");
    const upgrade = await upgradeRequest(server, "/engine.io/?EIO=4&transport=websocket");
    expect(upgrade.status).toBe(401);
    expect(upgrade.body).toBe("who are you?");
    expect(server.engine.clientsCount).toBe(0);
    const allowed = await httpRequest(server, "/engine.io/?EIO=4&transport=polling", { headers: { Authorization: "x" } });
    expect(allowed.status).toBe(200);
  });

  it("after an upgrade, the WebSocket's TCP socket keeps no listener of the middlewares' response", async () => {
    const closeListeners = async (withMiddleware: boolean): Promise<number> => {
      const sockets: Duplex[] = [];
      server = await startServer({}, (http) => http.on("upgrade", (_req, socket: Duplex) => sockets.push(socket)));
      if (withMiddleware) server.engine.use((_req, res, next) => {
        res.setHeader("X-Middleware", "a");
        next();
      });
      const { ws } = await wsHandshake(server);
      const count = sockets[0]!.listenerCount("close");
      await closeWebSocket(ws);
      await server.close();
      return count;
    };
    const without = await closeListeners(false);
    expect(await closeListeners(true)).toBe(without);
    // the response still reports a connection closed while the middlewares run
    const sockets: Duplex[] = [];
    const current = await startServer({}, (http) => http.on("upgrade", (_req, socket: Duplex) => sockets.push(socket)));
    server = current;
    let release: (() => void) | undefined;
    let middlewareRan: () => void = () => undefined;
    const ran = new Promise<void>((resolve) => (middlewareRan = resolve));
    const closedDuringMiddleware = new Promise<void>((resolve) => {
      current.engine.use((_req, res, next) => {
        (res as unknown as NodeJS.EventEmitter).once("close", () => resolve());
        release = next;
        middlewareRan();
      });
    });
    const pending = upgradeRequest(current, "/engine.io/?EIO=4&transport=websocket").catch(() => undefined);
    await within(ran, 5000, "the middleware to run");
    sockets[0]!.destroy();
    await within(closedDuringMiddleware, 5000, "close on the middlewares' response");
    release!();
    await pending;
  });

  it("a failing middleware refuses with 400, code 3 (MIDDLEWARE_FAILURE)", async () => {
    server = await startServer();
    server.engine.use((_req, _res, next) => next(new Error("nope")));
    const error = waitFor<[{ code: number; context: { name?: string } }]>(server.engine, "connection_error");
    const res = await httpRequest(server, "/engine.io/?EIO=4&transport=polling");
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ code: 3, message: "Bad request" });
    expect((await error)[0].context.name).toBe("MIDDLEWARE_FAILURE");
    const upgrade = await upgradeRequest(server, "/engine.io/?EIO=4&transport=websocket");
    expect(upgrade.status).toBe(400);
  });
});

describe("attach() and listen()", () => {
  it("attach(httpServer, options) returns a working server", async () => {
    const http = createServer();
    const engine = attach(http, { path: "/rt", pingInterval: 111 });
    http.listen(0, "127.0.0.1");
    await once(http, "listening");
    const port = (http.address() as AddressInfo).port;
    const res = await fetch(`http://127.0.0.1:${port}/rt/?EIO=4&transport=polling`);
    expect(await res.text()).toContain('"pingInterval":111');
    engine.close();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });

  it("listen(port) creates an http server answering 501 elsewhere", async () => {
    const engine = listen(0, {});
    await once(engine.httpServer!, "listening");
    const port = (engine.httpServer!.address() as AddressInfo).port;
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(501);
    expect((await fetch(`http://127.0.0.1:${port}/engine.io/?EIO=4&transport=polling`)).status).toBe(200);
    expect(engine.clientsCount).toBe(1);
    engine.httpServer!.closeAllConnections();
    await new Promise((resolve) => engine.httpServer!.close(resolve));
    // closing the http server closes the engine
    expect(engine.clientsCount).toBe(0);
  });
});

describe("handleRequest / handleUpgrade without attach", () => {
  it("routes requests given by hand", async () => {
    const { Server } = await import("../../src");
    const engine = new Server();
    const http = createServer((req, res) => engine.handleRequest(req, res));
    http.on("upgrade", (req: IncomingMessage, socket, head: Buffer) => engine.handleUpgrade(req, socket, head));
    http.listen(0, "127.0.0.1");
    await once(http, "listening");
    const port = (http.address() as AddressInfo).port;
    const res = await fetch(`http://127.0.0.1:${port}/anything?EIO=4&transport=polling`);
    expect(res.status).toBe(200);
    const { WebSocket } = await import("ws");
    const ws = new WebSocket(`ws://127.0.0.1:${port}/x?EIO=4&transport=websocket`);
    const [open] = await waitFor<[Buffer]>(ws, "message");
    expect(open.toString()[0]).toBe("0");
    expect(engine.clientsCount).toBe(2);
    await closeWebSocket(ws);
    engine.close();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });
});

describe("a handshake abandoned while its id is being made", () => {
  it("opens no session", async () => {
    server = await startServer();
    let release: (id: string) => void = () => undefined;
    const called = new Promise<void>((resolveCalled) => {
      server!.engine.generateId = () =>
        new Promise<string>((resolve) => {
          release = resolve;
          resolveCalled();
        });
    });
    const responses: ServerResponse[] = [];
    server.http.on("request", (_req, res: ServerResponse) => responses.push(res));
    const req = request({ host: "127.0.0.1", port: server.port, path: "/engine.io/?EIO=4&transport=polling", agent: false });
    req.on("error", () => undefined);
    req.end();
    await called;
    const serverSideClosed = waitFor(responses[0]!, "close");
    req.destroy();
    await serverSideClosed;
    release("late-id");
    await new Promise((resolve) => setImmediate(resolve));
    expect(server.engine.clientsCount).toBe(0);
  });
});
