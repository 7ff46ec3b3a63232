// Differential tests (issue 7, drop-in compatibility): a second WebSocket for a session is
// accepted, then closed, and the session goes on (what the public engine.io-protocol test
// suite expects); invalid requests are still refused before any 101. Run against the
// published engine.io and this package with its built-in WebSocket engine and with ws's.
import { describe, expect, it } from "@jest/globals";
import type { WebSocket } from "ws";
import { eioHandshake, nextMessages, openWebSocket, upgradeRequest, waitFor, waitUntil, closeWebSocket } from "../helpers";
import { FLAVOURS, observeEach, type Peer, type PeerSocket } from "../helpers/peers";

/** Sessions echo what they receive. */
function echo(peer: Peer): void {
  peer.engine.on("connection", (socket: PeerSocket) => socket.on("message", (data: unknown) => socket.send(data)));
}

/** A polling session by hand, and a WebSocket that probed it (`2probe` answered). */
async function probe(peer: Peer): Promise<{ sid: string; ws: WebSocket }> {
  const { sid } = await eioHandshake(peer);
  const ws = await openWebSocket(peer, `EIO=4&transport=websocket&sid=${sid}`);
  ws.send("2probe");
  const [pong] = await nextMessages(ws, 1);
  if (pong !== "3probe") throw new Error(`unexpected probe answer ${String(pong)}`);
  return { sid, ws };
}

/** Sends `5` (upgrade) on the probed WebSocket; resolves once the session moved to it. */
function upgradeWith5(peer: Peer, sid: string, ws: WebSocket): Promise<void> {
  const session = peer.engine.clients[sid]!;
  const upgraded = waitUntil(session, "upgrade", () => session.transport.name === "websocket", 5000, "the upgrade");
  ws.send("5");
  return upgraded;
}

/** Opens a second WebSocket for `sid`; reports whether it opened (101) and its close code. */
async function secondWebSocket(peer: Peer, sid: string): Promise<{ opened: boolean; closeCode: number }> {
  const ws = await openWebSocket(peer, `EIO=4&transport=websocket&sid=${sid}`);
  const [code] = await waitFor<[number]>(ws, "close");
  return { opened: true, closeCode: code };
}

/** The session still answers over its first WebSocket. */
async function stillEchoes(ws: WebSocket): Promise<unknown> {
  ws.send("4still here");
  return (await nextMessages(ws, 1))[0];
}

const EXPECTED = { second: { opened: true, closeCode: 1005 }, refusals: 0, echo: "4still here", transport: "websocket", open: "open" };

describe("a second WebSocket for a session is accepted, then closed; the session goes on", () => {
  it("after the upgrade", async () => {
    const seen = await observeEach(FLAVOURS, {}, async (peer) => {
      echo(peer);
      const { sid, ws } = await probe(peer);
      await upgradeWith5(peer, sid, ws);
      let refusals = 0;
      peer.engine.on("connection_error", () => refusals++);
      const second = await secondWebSocket(peer, sid);
      const answer = await stillEchoes(ws);
      const session = peer.engine.clients[sid];
      const state = { transport: session?.transport.name, open: session?.readyState };
      await closeWebSocket(ws);
      return { second, refusals, echo: answer, ...state };
    });
    expect(seen.volley).toEqual(seen["engine.io"]);
    expect(seen["volley+ws"]).toEqual(seen["engine.io"]);
    expect(seen.volley).toEqual(EXPECTED);
  });

  it("while an upgrade is in progress (probed, no `5` yet): the upgrade then completes", async () => {
    const seen = await observeEach(FLAVOURS, {}, async (peer) => {
      echo(peer);
      const { sid, ws } = await probe(peer);
      let refusals = 0;
      peer.engine.on("connection_error", () => refusals++);
      const second = await secondWebSocket(peer, sid);
      await upgradeWith5(peer, sid, ws);
      const answer = await stillEchoes(ws);
      const session = peer.engine.clients[sid];
      const state = { transport: session?.transport.name, open: session?.readyState };
      await closeWebSocket(ws);
      return { second, refusals, echo: answer, ...state };
    });
    expect(seen.volley).toEqual(seen["engine.io"]);
    expect(seen["volley+ws"]).toEqual(seen["engine.io"]);
    expect(seen.volley).toEqual(EXPECTED);
  });
});

describe("invalid upgrade requests are refused before any 101", () => {
  it.each([
    ["an unknown sid", "EIO=4&transport=websocket&sid=nope", 1],
    ["an unknown transport", "EIO=4&transport=pigeon", 0],
    ["no transport", "EIO=4", 0],
  ])("%s: 400, and a connection_error with its code", async (_label, query, code) => {
    const seen = await observeEach(FLAVOURS, {}, async (peer) => {
      const codes: unknown[] = [];
      peer.engine.on("connection_error", (err: { code: unknown }) => codes.push(err.code));
      const res = await upgradeRequest(peer, `/engine.io/?${query}`);
      return { status: res.status, codes };
    });
    expect(seen.volley).toEqual(seen["engine.io"]);
    expect(seen["volley+ws"]).toEqual(seen["engine.io"]);
    expect(seen.volley).toEqual({ status: 400, codes: [code] });
  });

  // Stricter than engine.io, which answers 101 to these and then writes its error on the
  // WebSocket connection: a client sees a plain HTTP refusal here.
  it.each([
    ["an invalid EIO", "EIO=abc&transport=websocket", 5],
    ["no EIO (allowEIO3 off)", "transport=websocket", 5],
  ])("%s: 400, code 5 (engine.io: 101, then its error)", async (_label, query, code) => {
    const seen = await observeEach(["volley", "volley+ws"], {}, async (peer) => {
      const res = await upgradeRequest(peer, `/engine.io/?${query}`);
      return { status: res.status, body: JSON.parse(res.body) as unknown };
    });
    expect(seen["volley+ws"]).toEqual(seen.volley);
    expect(seen.volley).toEqual({ status: 400, body: { code, message: "Unsupported protocol version" } });
  });
});
