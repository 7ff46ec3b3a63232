// Differential tests (issue 7, drop-in compatibility): the protocol revision rules, the order
// of the request checks and CORS, each scenario run against the published engine.io and this
// package, comparing what a client and a `connection_error` listener observe.
import { describe, expect, it } from "@jest/globals";
import { httpRequest, upgradeRequest, type Endpoint } from "../helpers";
import { observeEach, type Flavour, type Peer } from "../helpers/peers";

// The WebSocket engine plays no part in these requests: engine.io against the default server.
const PAIR: readonly Flavour[] = ["engine.io", "volley"];

interface Refusal {
  code: unknown;
  message: unknown;
  context: unknown;
}

/** Records the `connection_error` events of a server as plain data. */
function recordRefusals(peer: Peer): Refusal[] {
  const refusals: Refusal[] = [];
  peer.engine.on("connection_error", (err: Refusal) => {
    refusals.push({ code: err.code, message: err.message, context: err.context });
  });
  return refusals;
}

/** Opens a polling session by hand with the given query; returns its sid. */
async function pollingSession(peer: Endpoint, query: string): Promise<string> {
  const res = await httpRequest(peer, `/engine.io/?${query}&transport=polling`);
  const match = /"sid":"([^"]+)"/.exec(res.text);
  if (res.status !== 200 || match === null) throw new Error(`handshake failed: ${res.status} ${res.text}`);
  return match[1]!;
}

describe("the protocol revision of a request (engine.io: v4 only with EIO=4, v3 otherwise)", () => {
  it("with allowEIO3, a handshake without EIO opens a v3 session", async () => {
    const seen = await observeEach(PAIR, { allowEIO3: true }, async (peer) => {
      const connection = new Promise<number>((resolve) => peer.engine.once("connection", (socket: { protocol: number }) => resolve(socket.protocol)));
      const res = await httpRequest(peer, "/engine.io/?transport=polling");
      return {
        status: res.status,
        // a v3 payload: "<length>:<packet>", the open packet first
        isV3Payload: /^\d+:0\{/.test(res.text),
        protocol: await connection,
      };
    });
    expect(seen.volley).toEqual(seen["engine.io"]);
    expect(seen.volley).toEqual({ status: 200, isV3Payload: true, protocol: 3 });
  });

  it.each([
    ["without EIO", ""],
    ["with EIO=3", "&EIO=3"],
  ])("without allowEIO3, a handshake %s is refused with code 5 and context.protocol 3 (a number)", async (_label, eio) => {
    const seen = await observeEach(PAIR, {}, async (peer) => {
      const refusals = recordRefusals(peer);
      const res = await httpRequest(peer, `/engine.io/?transport=polling${eio}`);
      return { status: res.status, body: JSON.parse(res.text) as unknown, refusals };
    });
    expect(seen.volley).toEqual(seen["engine.io"]);
    expect(seen.volley).toEqual({
      status: 400,
      body: { code: 5, message: "Unsupported protocol version" },
      refusals: [{ code: 5, message: "Unsupported protocol version", context: { protocol: 3 } }],
    });
  });

  it.each([
    ["EIO=3", "&EIO=3"],
    ["no EIO", ""],
  ])("a request with the sid of a v4 session and %s is refused: PROTOCOL_MISMATCH, the session goes on", async (_label, eio) => {
    const seen = await observeEach(PAIR, { allowEIO3: true }, async (peer) => {
      const sid = await pollingSession(peer, "EIO=4");
      const refusals = recordRefusals(peer);
      const get = await httpRequest(peer, `/engine.io/?transport=polling&sid=${sid}${eio}`);
      const post = await httpRequest(peer, `/engine.io/?transport=polling&sid=${sid}${eio}`, { method: "POST", body: "1:4x" });
      return {
        statuses: [get.status, post.status],
        bodies: [JSON.parse(get.text) as unknown, JSON.parse(post.text) as unknown],
        refusals,
        open: peer.engine.clients[sid]?.readyState,
      };
    });
    expect(seen.volley).toEqual(seen["engine.io"]);
    const refusal = { code: 3, message: "Bad request", context: { name: "PROTOCOL_MISMATCH", protocol: 3, previousProtocol: 4 } };
    expect(seen.volley).toEqual({
      statuses: [400, 400],
      bodies: [{ code: 3, message: "Bad request" }, { code: 3, message: "Bad request" }],
      refusals: [refusal, refusal],
      open: "open",
    });
  });

  it("a request with EIO=4 and the sid of a v3 session is refused the same way", async () => {
    const seen = await observeEach(PAIR, { allowEIO3: true }, async (peer) => {
      const sid = await pollingSession(peer, "EIO=3");
      const refusals = recordRefusals(peer);
      const res = await httpRequest(peer, `/engine.io/?EIO=4&transport=polling&sid=${sid}`);
      return { status: res.status, refusals };
    });
    expect(seen.volley).toEqual(seen["engine.io"]);
    expect(seen.volley).toEqual({
      status: 400,
      refusals: [{ code: 3, message: "Bad request", context: { name: "PROTOCOL_MISMATCH", protocol: 4, previousProtocol: 3 } }],
    });
  });

  it("a WebSocket with the sid of a v4 session and EIO=3 is refused before any 101", async () => {
    const seen = await observeEach(PAIR, { allowEIO3: true }, async (peer) => {
      const sid = await pollingSession(peer, "EIO=4");
      const refusals = recordRefusals(peer);
      const res = await upgradeRequest(peer, `/engine.io/?EIO=3&transport=websocket&sid=${sid}`);
      return { status: res.status, refusals, open: peer.engine.clients[sid]?.readyState };
    });
    expect(seen.volley).toEqual(seen["engine.io"]);
    expect(seen.volley).toEqual({
      status: 400,
      refusals: [{ code: 3, message: "Bad request", context: { name: "PROTOCOL_MISMATCH", protocol: 3, previousProtocol: 4 } }],
      open: "open",
    });
  });
});

describe("the order of the checks: the first failing one gives the code", () => {
  it.each([
    // an unknown sid is reported before an invalid EIO
    ["unknown sid, invalid EIO", "/engine.io/?EIO=abc&transport=polling&sid=nope", "GET", 1],
    // the method of a handshake before its protocol
    ["POST handshake, v3 without allowEIO3", "/engine.io/?EIO=3&transport=polling", "POST", 2],
    // the transport before everything
    ["unknown transport, no EIO", "/engine.io/?transport=pigeon", "GET", 0],
  ])("%s", async (_label, path, method, code) => {
    const seen = await observeEach(PAIR, {}, async (peer) => {
      const refusals = recordRefusals(peer);
      const res = await httpRequest(peer, path, { method, body: method === "POST" ? "4x" : undefined });
      return { status: res.status, code: (JSON.parse(res.text) as { code: number }).code, refusals: refusals.map((r) => r.code) };
    });
    expect(seen.volley).toEqual(seen["engine.io"]);
    expect(seen.volley).toEqual({ status: 400, code, refusals: [code] });
  });

  it("allowRequest is asked before the protocol revision is checked", async () => {
    let asked: string[] = [];
    const allowRequest = (req: { url?: string }, fn: (err: string | null, ok: boolean) => void): void => {
      asked.push(req.url ?? "");
      fn("go away", !(req.url ?? "").includes("refuse"));
    };
    const seen = await observeEach(PAIR, { allowRequest }, async (peer) => {
      asked = [];
      const refusals = recordRefusals(peer);
      const refused = await httpRequest(peer, "/engine.io/?transport=polling&refuse");
      const allowed = await httpRequest(peer, "/engine.io/?transport=polling");
      return {
        statuses: [refused.status, allowed.status],
        bodies: [JSON.parse(refused.text) as unknown, JSON.parse(allowed.text) as unknown],
        refusals,
        asked: asked.length,
      };
    });
    expect(seen.volley).toEqual(seen["engine.io"]);
    expect(seen.volley).toEqual({
      statuses: [403, 400],
      bodies: [{ code: 4, message: "go away" }, { code: 5, message: "Unsupported protocol version" }],
      refusals: [
        { code: 4, message: "Forbidden", context: { message: "go away" } },
        { code: 5, message: "Unsupported protocol version", context: { protocol: 3 } },
      ],
      asked: 2,
    });
  });
});

describe("cors", () => {
  const ORIGIN = "https://app.example";

  it("cors: true allows every origin (the cors package's defaults), preflight included", async () => {
    const seen = await observeEach(PAIR, { cors: true }, async (peer) => {
      const handshake = await httpRequest(peer, "/engine.io/?EIO=4&transport=polling", { headers: { Origin: ORIGIN } });
      const preflight = await httpRequest(peer, "/engine.io/?EIO=4&transport=polling", {
        method: "OPTIONS",
        headers: { Origin: ORIGIN, "Access-Control-Request-Method": "POST" },
      });
      return {
        handshake: [handshake.status, handshake.headers["access-control-allow-origin"]],
        preflight: [preflight.status, preflight.headers["access-control-allow-origin"], preflight.headers["access-control-allow-methods"]],
      };
    });
    expect(seen.volley).toEqual(seen["engine.io"]);
    expect(seen.volley).toEqual({ handshake: [200, "*"], preflight: [204, "*", "GET,HEAD,PUT,PATCH,POST,DELETE"] });
  });

  it("cors: false adds no CORS header, and a preflight is a refused handshake (code 2)", async () => {
    const seen = await observeEach(PAIR, { cors: false }, async (peer) => {
      const handshake = await httpRequest(peer, "/engine.io/?EIO=4&transport=polling", { headers: { Origin: ORIGIN } });
      const preflight = await httpRequest(peer, "/engine.io/?EIO=4&transport=polling", {
        method: "OPTIONS",
        headers: { Origin: ORIGIN, "Access-Control-Request-Method": "POST" },
      });
      return {
        handshake: [handshake.status, handshake.headers["access-control-allow-origin"]],
        preflight: [preflight.status, (JSON.parse(preflight.text) as { code: number }).code],
      };
    });
    expect(seen.volley).toEqual(seen["engine.io"]);
    expect(seen.volley).toEqual({ handshake: [200, undefined], preflight: [400, 2] });
  });
});
