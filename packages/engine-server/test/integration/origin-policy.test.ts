// The origin policy (issue 14): when `cors.origin` restricts origins, a polling request or a
// WebSocket upgrade whose Origin the policy does not allow is refused with 403 before anything
// is created (before any 101), with both WebSocket engines; requests without Origin, and every
// origin when the policy does not restrict, pass; a session's Origin may not change.
import { afterEach, describe, expect, it } from "@jest/globals";
import type { CorsOptions, CorsOptionsDelegate } from "cors";
import { WebSocket, WebSocketServer } from "ws";
import { ConnectionError, type ServerOptions } from "../../src";
import {
  closeWebSocket,
  eioHandshake,
  eioPoll,
  eioPush,
  httpRequest,
  pendingGet,
  startServer,
  upgradeRequest,
  waitFor,
  within,
  type RawResponse,
  type TestServer,
} from "../helpers";

const GOOD = "https://good.example";
const ALSO_GOOD = "https://also-good.example";
const EVIL = "https://evil.example";
const HANDSHAKE = "/engine.io/?EIO=4&transport=polling";
const WS_HANDSHAKE = "/engine.io/?EIO=4&transport=websocket";
const FORBIDDEN_BODY = { code: 4, message: "Forbidden" };

let server: TestServer | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) await closeWebSocket(ws);
  await server?.close();
  server = undefined;
});

/** The engines a WebSocket upgrade can meet: the built-in one and ws's. */
const ENGINES: ReadonlyArray<[string, ServerOptions]> = [
  ["the built-in engine", {}],
  ["the ws engine", { wsEngine: WebSocketServer }],
];

/** Each form of `cors` whose origin restricts to GOOD (and ALSO_GOOD where a list can say so). */
const RESTRICTING: ReadonlyArray<[string, CorsOptions | CorsOptionsDelegate]> = [
  ["a string", { origin: GOOD }],
  ["a list", { origin: ["https://other.example", GOOD, /^https:\/\/also-good\.example$/] }],
  ["a RegExp", { origin: /^https:\/\/(also-)?good\.example$/ }],
  ["a global RegExp (its lastIndex reset at each test)", { origin: /^https:\/\/(also-)?good\.example$/g }],
  ["a function", { origin: (origin, callback) => callback(null, origin === GOOD || origin === ALSO_GOOD) }],
  ["a function answering a list", { origin: (_origin, callback) => callback(null, [GOOD, ALSO_GOOD]) }],
  ["a delegate", ((_req, callback) => callback(null, { origin: [GOOD, ALSO_GOOD] })) as CorsOptionsDelegate],
];

/** Each form of `cors` that lets every origin in. */
const OPEN: ReadonlyArray<[string, ServerOptions]> = [
  ['origin "*"', { cors: { origin: "*" } }],
  ["origin true", { cors: { origin: true } }],
  ["origin false (no CORS header)", { cors: { origin: false } }],
  ["cors: true", { cors: true }],
  ["cors options without origin", { cors: { credentials: true } }],
  ["cors unset", {}],
  ["cors: false", { cors: false }],
];

/** Records the server's `connection_error` events. */
function refusals(target: TestServer): ConnectionError[] {
  const seen: ConnectionError[] = [];
  target.engine.on("connection_error", (error) => seen.push(error));
  return seen;
}

/** A raw WebSocket with the given Origin (none when undefined); resolves once open. */
async function openWebSocketFrom(target: TestServer, query: string, origin: string | undefined): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${target.port}/engine.io/?${query}`, origin === undefined ? {} : { origin });
  sockets.push(ws);
  await waitFor(ws, "open");
  return ws;
}

function expectForbidden(response: { status: number; body?: string | Buffer; text?: string }): void {
  expect(response.status).toBe(403);
  const body = response.text ?? String(response.body);
  expect(JSON.parse(body)).toEqual(FORBIDDEN_BODY);
}

describe.each(RESTRICTING)("cors.origin as %s", (_form, cors) => {
  it("a polling handshake from another origin: 403, code 4, ORIGIN_NOT_ALLOWED, no session", async () => {
    server = await startServer({ cors });
    const errors = refusals(server);
    const response = await httpRequest(server, HANDSHAKE, { headers: { Origin: EVIL } });
    expectForbidden(response);
    // the CORS headers never grant it (a fixed origin is written as the cors package does)
    expect([undefined, GOOD]).toContain(response.headers["access-control-allow-origin"]);
    expect(server.engine.clientsCount).toBe(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ConnectionError);
    expect(errors[0]!.code).toBe(4);
    expect(errors[0]!.context).toEqual({ name: "ORIGIN_NOT_ALLOWED", origin: EVIL });
    expect(errors[0]!.req.headers.origin).toBe(EVIL);
  });

  it("a polling handshake from the allowed origin, and one without Origin, pass", async () => {
    server = await startServer({ cors });
    const errors = refusals(server);
    const allowed = await httpRequest(server, HANDSHAKE, { headers: { Origin: GOOD } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers["access-control-allow-origin"]).toBe(GOOD);
    const { sid } = await eioHandshake(server);
    expect(server.engine.clients[sid]).toBeDefined();
    expect(server.engine.clientsCount).toBe(2);
    expect(errors).toEqual([]);
  });

  describe.each(ENGINES)("with %s", (_engine, engineOptions) => {
    it("a WebSocket handshake from another origin: 403 before any 101, no session", async () => {
      server = await startServer({ cors, ...engineOptions });
      const errors = refusals(server);
      const response = await upgradeRequest(server, WS_HANDSHAKE, { Origin: EVIL });
      expectForbidden(response);
      expect(server.engine.clientsCount).toBe(0);
      expect(errors.map((error) => [error.code, error.context["name"]])).toEqual([[4, "ORIGIN_NOT_ALLOWED"]]);
    });

    it("a WebSocket handshake from the allowed origin, and one without Origin, open sessions", async () => {
      server = await startServer({ cors, ...engineOptions });
      const errors = refusals(server);
      const allowed = await upgradeRequest(server, WS_HANDSHAKE, { Origin: GOOD });
      expect(allowed.status).toBe(101);
      const ws = await openWebSocketFrom(server, "EIO=4&transport=websocket", GOOD);
      const bare = await openWebSocketFrom(server, "EIO=4&transport=websocket", undefined);
      expect([ws.readyState, bare.readyState]).toEqual([WebSocket.OPEN, WebSocket.OPEN]);
      expect(errors).toEqual([]);
    });
  });
});

describe.each(OPEN)("with %s", (_form, options) => {
  it("every origin passes: polling and both WebSocket engines", async () => {
    for (const [, engineOptions] of ENGINES) {
      server = await startServer({ ...options, ...engineOptions });
      const errors = refusals(server);
      const polling = await httpRequest(server, HANDSHAKE, { headers: { Origin: EVIL } });
      expect(polling.status).toBe(200);
      const upgrade = await upgradeRequest(server, WS_HANDSHAKE, { Origin: EVIL });
      expect(upgrade.status).toBe(101);
      expect(errors).toEqual([]);
      await server.close();
      server = undefined;
    }
  });
});

describe("checkOrigin: false", () => {
  it("serves every origin as engine.io does, with the CORS headers alone saying who may read", async () => {
    for (const [, engineOptions] of ENGINES) {
      server = await startServer({ cors: { origin: [GOOD] }, checkOrigin: false, ...engineOptions });
      const errors = refusals(server);
      const polling = await httpRequest(server, HANDSHAKE, { headers: { Origin: EVIL } });
      expect(polling.status).toBe(200);
      expect(polling.headers["access-control-allow-origin"]).toBeUndefined();
      expect(polling.headers["vary"]).toBe("Origin");
      const upgrade = await upgradeRequest(server, WS_HANDSHAKE, { Origin: EVIL });
      expect(upgrade.status).toBe(101);
      expect(errors).toEqual([]);
      await server.close();
      server = undefined;
    }
  });

  it("lets a session's Origin change", async () => {
    server = await startServer({ cors: { origin: [GOOD, ALSO_GOOD] }, checkOrigin: false });
    const { sid } = await handshakeFrom(server, GOOD);
    expect((await eioPush(server, sid, "4hi", { Origin: ALSO_GOOD })).status).toBe(200);
  });
});

/** A polling handshake with an Origin; returns the sid. */
async function handshakeFrom(target: TestServer, origin: string): Promise<{ sid: string; response: RawResponse }> {
  const response = await httpRequest(target, HANDSHAKE, { headers: { Origin: origin } });
  expect(response.status).toBe(200);
  const open = JSON.parse(response.text.split("\x1e")[0]!.slice(1)) as { sid: string };
  return { sid: open.sid, response };
}

describe("the requests of a session", () => {
  const cors = { origin: [GOOD, ALSO_GOOD] };

  it("a poll or a POST from a refused origin: 403, the session goes on", async () => {
    server = await startServer({ cors });
    const errors = refusals(server);
    const { sid } = await handshakeFrom(server, GOOD);
    expectForbidden(await eioPoll(server, sid, { Origin: EVIL }));
    expectForbidden(await eioPush(server, sid, "4stolen", { Origin: EVIL }));
    expect(errors.map((error) => error.context["name"])).toEqual(["ORIGIN_NOT_ALLOWED", "ORIGIN_NOT_ALLOWED"]);
    const socket = server.engine.clients[sid]!;
    expect(socket.readyState).toBe("open");
    const received: unknown[] = [];
    socket.on("message", (data) => received.push(data));
    expect((await eioPush(server, sid, "4mine", { Origin: GOOD })).status).toBe(200);
    expect(received).toEqual(["mine"]);
  });

  it("an Origin that changes, even to another allowed one: 403, ORIGIN_CHANGED", async () => {
    server = await startServer({ cors });
    const errors = refusals(server);
    const { sid } = await handshakeFrom(server, GOOD);
    expectForbidden(await eioPush(server, sid, "4hi", { Origin: ALSO_GOOD }));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe(4);
    expect(errors[0]!.context).toEqual({ name: "ORIGIN_CHANGED", origin: ALSO_GOOD, sessionOrigin: GOOD });
    expect(server.engine.clients[sid]!.readyState).toBe("open");
  });

  it("requests without Origin pass (a same-origin GET carries none); a session opened without one takes the first it sees", async () => {
    server = await startServer({ cors });
    const errors = refusals(server);
    const { sid } = await eioHandshake(server);
    expect((await eioPush(server, sid, "4a")).status).toBe(200);
    expect((await eioPush(server, sid, "4b", { Origin: ALSO_GOOD })).status).toBe(200);
    expectForbidden(await eioPush(server, sid, "4c", { Origin: GOOD }));
    expect((await eioPush(server, sid, "4d")).status).toBe(200);
    expect(errors.map((error) => error.context)).toEqual([{ name: "ORIGIN_CHANGED", origin: GOOD, sessionOrigin: ALSO_GOOD }]);
  });

  it("a refused request does not bind the session's Origin", async () => {
    server = await startServer({ cors });
    const { sid } = await eioHandshake(server);
    // refused before the session is looked at: a wrong transport
    const wrong = await httpRequest(server, `/engine.io/?EIO=4&transport=websocket&sid=${sid}`, { headers: { Origin: ALSO_GOOD } });
    expect(wrong.status).toBe(400);
    expect((await eioPush(server, sid, "4ok", { Origin: GOOD })).status).toBe(200);
  });

  describe.each(ENGINES)("the upgrade of a polling session, with %s", (_engine, engineOptions) => {
    it("from a refused origin: 403 before any 101, the session stays on polling", async () => {
      server = await startServer({ cors, ...engineOptions });
      const errors = refusals(server);
      const { sid } = await handshakeFrom(server, GOOD);
      const response = await upgradeRequest(server, `${WS_HANDSHAKE}&sid=${sid}`, { Origin: EVIL });
      expectForbidden(response);
      expect(errors.map((error) => error.context["name"])).toEqual(["ORIGIN_NOT_ALLOWED"]);
      const socket = server.engine.clients[sid]!;
      expect(socket.transport.name).toBe("polling");
      expect(socket.upgrading).toBe(false);
      expect((await eioPush(server, sid, "4still here", { Origin: GOOD })).status).toBe(200);
    });

    it("from another allowed origin: 403, ORIGIN_CHANGED", async () => {
      server = await startServer({ cors, ...engineOptions });
      const errors = refusals(server);
      const { sid } = await handshakeFrom(server, GOOD);
      expectForbidden(await upgradeRequest(server, `${WS_HANDSHAKE}&sid=${sid}`, { Origin: ALSO_GOOD }));
      expect(errors.map((error) => error.context["name"])).toEqual(["ORIGIN_CHANGED"]);
    });

    it("from the session's origin: upgrades", async () => {
      server = await startServer({ cors, ...engineOptions });
      const errors = refusals(server);
      const { sid } = await handshakeFrom(server, GOOD);
      const socket = server.engine.clients[sid]!;
      const polled = eioPoll(server, sid, { Origin: GOOD });
      await pendingGet(socket);
      const ws = await openWebSocketFrom(server, `EIO=4&transport=websocket&sid=${sid}`, GOOD);
      const probed = new Promise<string>((resolve) => ws.once("message", (data: Buffer) => resolve(data.toString())));
      ws.send("2probe");
      await expect(within(probed, 5000, "3probe")).resolves.toBe("3probe");
      expect((await polled).text).toBe("6");
      const upgraded = waitFor(socket, "upgrade");
      ws.send("5");
      await upgraded;
      expect(socket.transport.name).toBe("websocket");
      expect(errors).toEqual([]);
    });
  });
});

describe("the origin check runs before the middlewares and the handshake", () => {
  it("a refused origin reaches neither a middleware nor allowRequest", async () => {
    const seen: string[] = [];
    server = await startServer({
      cors: { origin: GOOD },
      allowRequest: (_req, callback) => {
        seen.push("allowRequest");
        callback(null, true);
      },
    });
    server.engine.use((_req, _res, next) => {
      seen.push("middleware");
      next();
    });
    expectForbidden(await httpRequest(server, HANDSHAKE, { headers: { Origin: EVIL } }));
    expectForbidden(await upgradeRequest(server, WS_HANDSHAKE, { Origin: EVIL }));
    expect(seen).toEqual([]);
    expect((await httpRequest(server, HANDSHAKE, { headers: { Origin: GOOD } })).status).toBe(200);
    expect(seen).toEqual(["middleware", "allowRequest"]);
  });

  it("an origin function that fails refuses the request as a middleware failure (400, code 3)", async () => {
    server = await startServer({ cors: { origin: (_origin, callback) => callback(new Error("policy store down")) } });
    const errors = refusals(server);
    const response = await httpRequest(server, HANDSHAKE, { headers: { Origin: GOOD } });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toEqual({ code: 3, message: "Bad request" });
    expect(errors[0]!.context["name"]).toBe("MIDDLEWARE_FAILURE");
  });

  it("a delegate that throws refuses the request as a middleware failure, the server goes on", async () => {
    let calls = 0;
    server = await startServer({
      cors: (_req, callback) => {
        calls++;
        if (calls === 1) throw new Error("delegate bug");
        callback(null, { origin: GOOD });
      },
    });
    const errors = refusals(server);
    const first = await upgradeRequest(server, WS_HANDSHAKE, { Origin: GOOD });
    expect(first.status).toBe(400);
    expect(errors[0]!.context["name"]).toBe("MIDDLEWARE_FAILURE");
    expect((await upgradeRequest(server, WS_HANDSHAKE, { Origin: GOOD })).status).toBe(101);
  });

  it("a preflight is answered by the CORS headers: the allowed origin's grants, a refused one's grants nothing", async () => {
    server = await startServer({ cors: { origin: [GOOD], credentials: true } });
    const preflight = (origin: string): Promise<RawResponse> =>
      httpRequest(server!, HANDSHAKE, { method: "OPTIONS", headers: { Origin: origin, "Access-Control-Request-Method": "POST" } });
    const allowed = await preflight(GOOD);
    expect(allowed.status).toBe(204);
    expect(allowed.headers["access-control-allow-origin"]).toBe(GOOD);
    const refused = await preflight(EVIL);
    expect(refused.headers["access-control-allow-origin"]).toBeUndefined();
    expect(server.engine.clientsCount).toBe(0);
  });

  it("a preflight that an origin function refuses gets 403, as any request", async () => {
    server = await startServer({ cors: { origin: (origin, callback) => callback(null, origin === GOOD) } });
    const errors = refusals(server);
    const refused = await httpRequest(server, HANDSHAKE, { method: "OPTIONS", headers: { Origin: EVIL, "Access-Control-Request-Method": "POST" } });
    expectForbidden(refused);
    expect(errors.map((error) => error.context["name"])).toEqual(["ORIGIN_NOT_ALLOWED"]);
    const allowed = await httpRequest(server, HANDSHAKE, { method: "OPTIONS", headers: { Origin: GOOD, "Access-Control-Request-Method": "POST" } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers["access-control-allow-origin"]).toBe(GOOD);
  });
});

describe("server.originPolicy", () => {
  it("is the one object that decides, for the CORS headers and for the check", async () => {
    server = await startServer({ cors: { origin: [GOOD] } });
    const decisions: unknown[] = [];
    const policy = server.engine.originPolicy;
    const handle = policy.handle.bind(policy);
    policy.handle = (req, res, done) =>
      handle(req, res, (err, decision) => {
        decisions.push(decision);
        done(err, decision);
      });
    expectForbidden(await upgradeRequest(server, WS_HANDSHAKE, { Origin: EVIL }));
    expect((await httpRequest(server, HANDSHAKE, { headers: { Origin: GOOD } })).status).toBe(200);
    expect(decisions).toEqual([
      { origin: EVIL, restricted: true, allowed: false },
      { origin: GOOD, restricted: true, allowed: true },
    ]);
  });
});
