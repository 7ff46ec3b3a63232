import { afterEach, describe, expect, it } from "@jest/globals";
import { decodePayloadV3, encodePayloadV3 } from "@volley/engine-parser";
import type { RawData, Socket } from "../../src";
import { closeWebSocket, httpRequest, nextMessages, openWebSocket, startServer, waitFor, waitUntil, type TestServer } from "../helpers";

// Engine.IO v3 (Socket.IO 2 clients) spoken by hand, following the v3 protocol text:
// payloads are `<length>:<packet>`, base64 binary is `b<type><base64>` (with b64=1), XHR2
// clients get binary payloads, binary frames start with the type byte, the client pings.

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const V3 = "/engine.io/?EIO=3&transport=polling";

async function handshakeV3(query = ""): Promise<{ sid: string; open: Record<string, unknown>; text: string }> {
  const res = await httpRequest(server, `${V3}${query}`);
  expect(res.status).toBe(200);
  const match = /^(\d+):0(.*)$/s.exec(res.text);
  if (match === null) throw new Error(`not a v3 open payload: ${res.text}`);
  const open = JSON.parse(match[2]!.slice(0, Number(match[1]) - 1)) as Record<string, unknown>;
  return { sid: open["sid"] as string, open, text: res.text };
}

const poll = (sid: string, query = "") => httpRequest(server, `${V3}&sid=${sid}${query}`);
const push = (sid: string, body: string | Buffer, contentType = "text/plain;charset=UTF-8") =>
  httpRequest(server, `${V3}&sid=${sid}`, { method: "POST", body, headers: { "Content-Type": contentType } });

describe("allowEIO3", () => {
  it("handshakes a v3 client with a length-prefixed payload", async () => {
    server = await startServer({ allowEIO3: true, pingInterval: 300, pingTimeout: 200 });
    const connection = waitFor<[Socket]>(server.engine, "connection");
    const { open, text } = await handshakeV3("&b64=1");
    // one packet: its length in characters, a colon, then the packet
    const colon = text.indexOf(":");
    expect(Number(text.slice(0, colon))).toBe(text.length - colon - 1);
    expect(open).toMatchObject({ upgrades: ["websocket"], pingInterval: 300, pingTimeout: 200 });
    const [socket] = await connection;
    expect(socket.protocol).toBe(3);
  });

  it("reads and writes text payloads, base64 binary with b64=1", async () => {
    server = await startServer({ allowEIO3: true });
    const { sid } = await handshakeV3("&b64=1");
    const socket = server.engine.clients[sid]!;
    const received: RawData[] = [];
    socket.on("message", (data) => received.push(data));
    expect((await push(sid, "6:4hello2:4é")).text).toBe("ok");
    expect(received).toEqual(["hello", "é"]);
    expect((await push(sid, "6:b4AQID")).text).toBe("ok");
    expect(received[2]).toEqual(Buffer.from([1, 2, 3]));
    socket.send("hi");
    socket.send(Buffer.from([1, 2, 3]));
    const res = await poll(sid, "&b64=1");
    expect(res.headers["content-type"]).toBe("text/plain; charset=UTF-8");
    expect(res.text).toBe("3:4hi6:b4AQID");
  });

  it("writes XHR2 binary payloads to clients without b64, and reads them", async () => {
    server = await startServer({ allowEIO3: true });
    const { sid } = await handshakeV3();
    const socket = server.engine.clients[sid]!;
    socket.send("text");
    socket.send(Buffer.from([9, 8]));
    const res = await poll(sid);
    expect(res.headers["content-type"]).toBe("application/octet-stream");
    const packets = decodePayloadV3(res.body, "nodebuffer");
    expect(packets.map((p) => [p.type, p.data])).toEqual([
      ["message", "text"],
      ["message", Buffer.from([9, 8])],
    ]);
    const received = waitFor<[RawData]>(socket, "message");
    const body = Buffer.from(encodePayloadV3([{ type: "message", data: Buffer.from([5, 6, 7]) }], true) as Uint8Array);
    expect((await push(sid, body, "application/octet-stream")).text).toBe("ok");
    expect((await received)[0]).toEqual(Buffer.from([5, 6, 7]));
  });

  it("answers the client's pings with pongs", async () => {
    server = await startServer({ allowEIO3: true });
    const { sid } = await handshakeV3("&b64=1");
    const heartbeat = waitFor(server.engine.clients[sid]!, "heartbeat");
    await push(sid, "1:2");
    await heartbeat;
    expect((await poll(sid, "&b64=1")).text).toBe("1:3");
  });

  it("closes a v3 session that stops pinging after pingInterval + pingTimeout", async () => {
    server = await startServer({ allowEIO3: true, pingInterval: 50, pingTimeout: 50 });
    // measured from before the handshake: the session opens after that, so it cannot time
    // out sooner (measured from the handshake's answer, a slow loopback shortened the wait)
    const started = Date.now();
    const { sid } = await handshakeV3("&b64=1");
    const [reason] = await waitFor<[string]>(server.engine.clients[sid]!, "close");
    expect(reason).toBe("ping timeout");
    expect(Date.now() - started).toBeGreaterThanOrEqual(99);
  });

  it("garbage v3 payloads close the session with a parse error", async () => {
    server = await startServer({ allowEIO3: true });
    const { sid } = await handshakeV3("&b64=1");
    const closed = waitFor<[string]>(server.engine.clients[sid]!, "close");
    expect((await push(sid, "99:4short")).status).toBe(400);
    expect((await closed)[0]).toBe("parse error");
  });

  it("speaks v3 over websocket: binary frames start with the type byte", async () => {
    server = await startServer({ allowEIO3: true });
    const ws = await openWebSocket(server, "EIO=3&transport=websocket");
    const [open] = await nextMessages(ws, 1);
    const sid = (JSON.parse((open as string).slice(1)) as { sid: string }).sid;
    const socket = server.engine.clients[sid]!;
    expect(socket.protocol).toBe(3);
    const received: RawData[] = [];
    socket.on("message", (data) => received.push(data));
    ws.send(Buffer.from([4, 1, 2, 3]));
    ws.send("4text");
    await waitUntil(socket, "message", () => received.length === 2, 5000, "2 messages");
    expect(received).toEqual([Buffer.from([1, 2, 3]), "text"]);
    ws.send("2");
    expect(await nextMessages(ws, 1)).toEqual(["3"]);
    socket.send(Buffer.from([7]));
    socket.send("back");
    expect(await nextMessages(ws, 2)).toEqual([Buffer.from([4, 7]), "4back"]);
    await closeWebSocket(ws);
  });

  it("upgrades a v3 polling session to websocket", async () => {
    server = await startServer({ allowEIO3: true });
    const { sid } = await handshakeV3("&b64=1");
    const socket = server.engine.clients[sid]!;
    const ws = await openWebSocket(server, `EIO=3&transport=websocket&sid=${sid}`);
    ws.send("2probe");
    expect(await nextMessages(ws, 1)).toEqual(["3probe"]);
    const upgraded = waitFor(socket, "upgrade");
    ws.send("5");
    await upgraded;
    socket.send("over ws");
    expect(await nextMessages(ws, 1)).toEqual(["4over ws"]);
    await closeWebSocket(ws);
  });

  it("refuses a v4 request on a v3 session (protocol mismatch): 400, code 3", async () => {
    server = await startServer({ allowEIO3: true });
    const { sid } = await handshakeV3("&b64=1");
    const res = await httpRequest(server, `/engine.io/?EIO=4&transport=polling&sid=${sid}`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ code: 3, message: "Bad request" });
  });

  it("refuses JSONP polling (the j parameter), which is not implemented: 400, code 3", async () => {
    server = await startServer({ allowEIO3: true });
    const error = waitFor<[{ context: { name?: string } }]>(server.engine, "connection_error");
    const res = await httpRequest(server, `${V3}&j=0`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ code: 3, message: "Bad request" });
    expect((await error)[0].context.name).toBe("JSONP_UNSUPPORTED");
  });

  it("v4 clients keep working next to v3 ones", async () => {
    server = await startServer({ allowEIO3: true });
    await handshakeV3("&b64=1");
    const res = await httpRequest(server, "/engine.io/?EIO=4&transport=polling");
    expect(res.text[0]).toBe("0");
  });
});
