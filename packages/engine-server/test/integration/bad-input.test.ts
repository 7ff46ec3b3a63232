import { once } from "node:events";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "@jest/globals";
import { WebSocketServer } from "ws";
import type { Socket as ClientSocket } from "engine.io-client";
import { ConnectionError, TRANSPORT_ERROR_CODES, TransportError, type ServerOptions, type Socket } from "../../src";
import {
  closeClient,
  closeWebSocket,
  createClient,
  eioHandshake,
  eioPoll,
  eioPush,
  httpRequest,
  nextMessages,
  openWebSocket,
  pendingGet,
  startServer,
  upgradeRequest,
  waitFor,
  waitUntil,
  wsHandshake,
  type TestServer,
} from "../helpers";

let server: TestServer;
let bystander: ClientSocket;

/** A server whose sessions echo, plus one open websocket client that must survive each case. */
async function setup(options: ServerOptions = {}): Promise<void> {
  server = await startServer(options);
  server.engine.on("connection", (socket: Socket) => socket.on("message", (data) => socket.send(data)));
  bystander = createClient(server, { transports: ["websocket"] });
  await waitFor(bystander as never, "open");
}

async function expectBystanderAlive(): Promise<void> {
  const reply = waitFor<[string]>(bystander as never, "message");
  bystander.send("still here");
  expect((await reply)[0]).toBe("still here");
  expect(server.engine.clients[bystander.id!]?.readyState).toBe("open");
}

function nextClose(sid: string): Promise<[string, (TransportError | Error)?]> {
  const socket = server.engine.clients[sid];
  if (socket === undefined) throw new Error(`no session ${sid}`);
  return waitFor(socket, "close");
}

function nextConnectionError(): Promise<[ConnectionError]> {
  return waitFor<[ConnectionError]>(server.engine, "connection_error");
}

afterEach(async () => {
  await closeClient(bystander);
  await server.close();
});

describe("refused requests (HTTP errors with Engine.IO codes)", () => {
  it("unknown transport: 400, code 0", async () => {
    await setup();
    const error = nextConnectionError();
    const res = await httpRequest(server, "/engine.io/?EIO=4&transport=carrier-pigeon");
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ code: 0, message: "Transport unknown" });
    const [err] = await error;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.code).toBe(0);
    expect(err.message).toBe("Transport unknown");
    expect(err.req.url).toContain("carrier-pigeon");
    expect(err.context).toEqual({ transport: "carrier-pigeon" });
    await expectBystanderAlive();
  });

  it("a transport that is not enabled is unknown: 400, code 0", async () => {
    await setup({ transports: ["websocket"] });
    const res = await httpRequest(server, "/engine.io/?EIO=4&transport=polling");
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ code: 0, message: "Transport unknown" });
    await expectBystanderAlive();
  });

  it("unknown sid: 400, code 1", async () => {
    await setup();
    const error = nextConnectionError();
    const res = await httpRequest(server, "/engine.io/?EIO=4&transport=polling&sid=nope");
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ code: 1, message: "Session ID unknown" });
    expect((await error)[0].context).toEqual({ sid: "nope" });
    await expectBystanderAlive();
  });

  it("a sid named like an Object.prototype member is unknown too", async () => {
    await setup();
    for (const sid of ["__proto__", "constructor", "toString"]) {
      const res = await httpRequest(server, `/engine.io/?EIO=4&transport=polling&sid=${sid}`);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toEqual({ code: 1, message: "Session ID unknown" });
    }
    await expectBystanderAlive();
  });

  it("bad handshake method: 400, code 2", async () => {
    await setup();
    const res = await httpRequest(server, "/engine.io/?EIO=4&transport=polling", { method: "POST", body: "4x" });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ code: 2, message: "Bad handshake method" });
    await expectBystanderAlive();
  });

  it.each([
    ["missing", ""],
    ["invalid", "&EIO=abc"],
    ["future", "&EIO=5"],
    ["v3 while allowEIO3 is false", "&EIO=3"],
  ])("%s EIO: 400, code 5", async (_label, eio) => {
    await setup();
    const res = await httpRequest(server, `/engine.io/?transport=polling${eio}`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ code: 5, message: "Unsupported protocol version" });
    await expectBystanderAlive();
  });

  it("a websocket transport without an upgrade: 400, code 3", async () => {
    await setup();
    const res = await httpRequest(server, "/engine.io/?EIO=4&transport=websocket");
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ code: 3, message: "Bad request" });
    await expectBystanderAlive();
  });

  it("an origin header with invalid characters: 400, code 3", async () => {
    await setup();
    // Node's own parser refuses such headers on the wire; a request routed by other code may carry one
    const front = createServer((req, res) => {
      req.headers.origin = "https://a\x01b";
      server.engine.handleRequest(req, res);
    });
    front.listen(0, "127.0.0.1");
    await once(front, "listening");
    const error = nextConnectionError();
    const res = await fetch(`http://127.0.0.1:${(front.address() as AddressInfo).port}/engine.io/?EIO=4&transport=polling`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 3, message: "Bad request" });
    expect((await error)[0].context.name).toBe("INVALID_ORIGIN");
    front.closeAllConnections();
    front.close();
    await expectBystanderAlive();
  });

  it("an unknown HTTP method on a session: 400, code 3, never 500, the session stays open", async () => {
    await setup();
    const { sid } = await eioHandshake(server);
    for (const method of ["PUT", "DELETE", "PATCH", "OPTIONS"]) {
      const res = await httpRequest(server, `/engine.io/?EIO=4&transport=polling&sid=${sid}`, { method });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toEqual({ code: 3, message: "Bad request" });
    }
    expect(server.engine.clients[sid]?.readyState).toBe("open");
    await eioPush(server, sid, "4hi");
    expect((await eioPoll(server, sid)).text).toBe("4hi");
    await expectBystanderAlive();
  });

  it("a polling request on a session upgraded to websocket: 400, code 3", async () => {
    await setup();
    const res = await httpRequest(server, `/engine.io/?EIO=4&transport=polling&sid=${bystander.id}`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ code: 3, message: "Bad request" });
    await expectBystanderAlive();
  });
});

describe("polling sessions closed for bad behaviour", () => {
  it("two concurrent GETs: 400 for the second, close packet for the first, session closed", async () => {
    await setup();
    const { sid } = await eioHandshake(server);
    const closed = nextClose(sid);
    const first = eioPoll(server, sid);
    await pendingGet(server.engine.clients[sid]!);
    const second = await eioPoll(server, sid);
    expect(second.status).toBe(400);
    expect(JSON.parse(second.text)).toEqual({ code: 3, message: "Bad request" });
    expect((await first).text).toBe("1");
    const [reason, description] = await closed;
    expect(reason).toBe("transport error");
    expect((description as TransportError).code).toBe(TRANSPORT_ERROR_CODES.POLL_OVERLAP);
    expect(server.engine.clients[sid]).toBeUndefined();
    await expectBystanderAlive();
  });

  it("two concurrent POSTs: 400 for the second, session closed", async () => {
    await setup();
    const { sid } = await eioHandshake(server);
    const closed = nextClose(sid);
    // a POST whose body is still arriving
    const slow = request({
      host: "127.0.0.1",
      port: server.port,
      method: "POST",
      path: `/engine.io/?EIO=4&transport=polling&sid=${sid}`,
      headers: { "Content-Length": 10, "Content-Type": "text/plain" },
      agent: false,
    });
    slow.on("error", () => undefined);
    const arrived = waitFor(server.http, "request");
    slow.write("4he");
    await arrived;
    const second = await eioPush(server, sid, "4second");
    expect(second.status).toBe(400);
    const [reason, description] = await closed;
    expect(reason).toBe("transport error");
    expect((description as TransportError).code).toBe(TRANSPORT_ERROR_CODES.POST_OVERLAP);
    slow.destroy();
    await expectBystanderAlive();
  });

  it("a POST body at maxHttpBufferSize is accepted, one byte more gets 413 and closes the session", async () => {
    await setup({ maxHttpBufferSize: 100 });
    const { sid, open } = await eioHandshake(server);
    expect(open.maxPayload).toBe(100);
    const atLimit = "4" + "a".repeat(99);
    const received = waitFor<[string]>(server.engine.clients[sid]!, "message");
    const ok = await eioPush(server, sid, atLimit);
    expect(ok.status).toBe(200);
    expect(ok.text).toBe("ok");
    expect((await received)[0]).toBe("a".repeat(99));

    const closed = nextClose(sid);
    const tooLarge = await eioPush(server, sid, "4" + "a".repeat(100));
    expect(tooLarge.status).toBe(413);
    const [reason, description] = await closed;
    expect(reason).toBe("transport error");
    expect((description as TransportError).code).toBe(TRANSPORT_ERROR_CODES.PAYLOAD_TOO_LARGE);
    await expectBystanderAlive();
  });

  it("counts bytes, not characters, and also without a Content-Length (chunked)", async () => {
    await setup({ maxHttpBufferSize: 100 });
    const { sid } = await eioHandshake(server);
    // "é" is two bytes: 1 + 2 * 50 = 101 bytes
    const closed = nextClose(sid);
    const res = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: server.port,
          method: "POST",
          path: `/engine.io/?EIO=4&transport=polling&sid=${sid}`,
          headers: { "Transfer-Encoding": "chunked", "Content-Type": "text/plain" },
          agent: false,
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.write("4" + "é".repeat(25));
      req.end("é".repeat(25));
    });
    expect(res).toBe(413);
    expect((await closed)[0]).toBe("transport error");
    await expectBystanderAlive();
  });

  it("a POST whose declared body never arrives gets 408 after httpBodyTimeout and closes the session", async () => {
    await setup({ httpBodyTimeout: 100 });
    const { sid } = await eioHandshake(server);
    const closed = nextClose(sid);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: server.port,
          method: "POST",
          path: `/engine.io/?EIO=4&transport=polling&sid=${sid}`,
          headers: { "Content-Length": 50, "Content-Type": "text/plain" },
          agent: false,
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.write("4abc"); // and nothing more
    });
    expect(status).toBe(408);
    const [reason, description] = await closed;
    expect(reason).toBe("transport error");
    expect((description as TransportError).code).toBe(TRANSPORT_ERROR_CODES.BODY_TIMEOUT);
    expect(server.engine.clients[sid]).toBeUndefined();
    await expectBystanderAlive();
  });

  it("a binary (octet-stream) POST body on v4: 400 and the session closed", async () => {
    await setup();
    const { sid } = await eioHandshake(server);
    const closed = nextClose(sid);
    const res = await eioPush(server, sid, Buffer.from([4, 1, 2]), { "Content-Type": "application/octet-stream" });
    expect(res.status).toBe(400);
    expect((await closed)[0]).toBe("transport error");
    await expectBystanderAlive();
  });

  it.each([["garbage"], ["4ok\x1e9nine"], [""], ["bZZZ$"]])("garbage payload %j: 400 and a parse error close", async (body) => {
    await setup();
    const { sid } = await eioHandshake(server);
    const closed = nextClose(sid);
    const res = await eioPush(server, sid, body);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ code: 3, message: "Bad request" });
    expect((await closed)[0]).toBe("parse error");
    await expectBystanderAlive();
  });

  it("a ping from a v4 client is a heartbeat in the wrong direction: transport error", async () => {
    await setup();
    const { sid } = await eioHandshake(server);
    const closed = nextClose(sid);
    await eioPush(server, sid, "2");
    const [reason, description] = await closed;
    expect(reason).toBe("transport error");
    expect((description as TransportError).code).toBe(TRANSPORT_ERROR_CODES.HEARTBEAT_DIRECTION);
    await expectBystanderAlive();
  });

  it("a client aborting its pending GET closes its session", async () => {
    await setup();
    const { sid } = await eioHandshake(server);
    const closed = nextClose(sid);
    const req = request({ host: "127.0.0.1", port: server.port, path: `/engine.io/?EIO=4&transport=polling&sid=${sid}`, agent: false });
    req.on("error", () => undefined);
    req.end();
    await pendingGet(server.engine.clients[sid]!);
    req.destroy();
    const [reason, description] = await closed;
    expect(reason).toBe("transport error");
    expect((description as TransportError).code).toBe(TRANSPORT_ERROR_CODES.REQUEST_ABORTED);
    await expectBystanderAlive();
  });
});

describe("websocket sessions closed for bad behaviour", () => {
  it("a frame at maxHttpBufferSize is accepted, one byte more closes the session (1009)", async () => {
    await setup({ maxHttpBufferSize: 100 });
    const { ws, sid } = await wsHandshake(server);
    const received = waitFor<[string]>(server.engine.clients[sid]!, "message");
    ws.send("4" + "a".repeat(99));
    expect((await received)[0]).toBe("a".repeat(99));
    const closed = nextClose(sid);
    const wsClosed = waitFor<[number]>(ws, "close");
    ws.send("4" + "a".repeat(100));
    const [reason, description] = await closed;
    expect(reason).toBe("transport error");
    expect((description as TransportError).code).toBe(TRANSPORT_ERROR_CODES.MESSAGE_TOO_LARGE);
    expect((await wsClosed)[0]).toBe(1009);
    await expectBystanderAlive();
  });

  it("a binary frame over the limit closes the session too", async () => {
    await setup({ maxHttpBufferSize: 100 });
    const { ws, sid } = await wsHandshake(server);
    const received = waitFor<[Buffer]>(server.engine.clients[sid]!, "message");
    ws.send(Buffer.alloc(100, 7));
    expect((await received)[0]).toEqual(Buffer.alloc(100, 7));
    const closed = nextClose(sid);
    ws.send(Buffer.alloc(101, 7));
    expect((await closed)[0]).toBe("transport error");
    await closeWebSocket(ws);
    await expectBystanderAlive();
  });

  it("a garbage text frame: parse error close", async () => {
    await setup();
    const { ws, sid } = await wsHandshake(server);
    const closed = nextClose(sid);
    ws.send("9garbage");
    expect((await closed)[0]).toBe("parse error");
    await closeWebSocket(ws);
    await expectBystanderAlive();
  });

  // a second WebSocket for a session: see engine-io-compat.test.ts (accepted, then closed)

  it.each([
    ["bad EIO", "EIO=9&transport=websocket", 400, 5],
    ["missing EIO", "transport=websocket", 400, 5],
    ["unknown transport", "EIO=4&transport=nope", 400, 0],
    ["polling transport on an upgrade", "EIO=4&transport=polling", 400, 3],
    ["unknown sid", "EIO=4&transport=websocket&sid=unknown", 400, 1],
  ])("an upgrade with a %s is refused with its HTTP error, never a 101", async (_label, query, status, code) => {
    await setup();
    const res = await upgradeRequest(server, `/engine.io/?${query}`);
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body).code).toBe(code);
    await expectBystanderAlive();
  });

  it("an upgrade that never completes is cancelled after upgradeTimeout; the session stays on polling", async () => {
    await setup({ upgradeTimeout: 400 });
    const { sid } = await eioHandshake(server);
    const ws = await openWebSocket(server, `EIO=4&transport=websocket&sid=${sid}`);
    const session = server.engine.clients[sid]!;
    const poll = eioPoll(server, sid);
    ws.send("2probe");
    expect(await nextMessages(ws, 1)).toEqual(["3probe"]);
    expect((await poll).text).toBe("6"); // the pending GET is released with a noop
    // no "5": the server gives up
    await waitFor(ws, "close", 2000);
    expect(session.upgrading).toBe(false);
    expect(session.upgraded).toBe(false);
    expect(session.readyState).toBe("open");
    expect(session.transport.name).toBe("polling");
    await eioPush(server, sid, "4still polling");
    expect((await eioPoll(server, sid)).text).toBe("4still polling");
    await expectBystanderAlive();
  });
});

describe("heartbeat", () => {
  it("a polling client that stops answering pings is closed with 'ping timeout'", async () => {
    await setup({ pingInterval: 50, pingTimeout: 50 });
    const { sid } = await eioHandshake(server);
    const closed = nextClose(sid);
    expect((await eioPoll(server, sid)).text).toBe("2");
    expect((await closed)[0]).toBe("ping timeout");
    expect(server.engine.clients[sid]).toBeUndefined();
    await expectBystanderAlive();
  });

  it("a websocket client that stops answering pings is closed with 'ping timeout'", async () => {
    await setup({ pingInterval: 50, pingTimeout: 50 });
    const { ws, sid } = await wsHandshake(server);
    expect(await nextMessages(ws, 1)).toEqual(["2"]);
    const closed = nextClose(sid);
    expect((await closed)[0]).toBe("ping timeout");
    await closeWebSocket(ws);
  });

  it("a client answering pings stays open across several intervals", async () => {
    await setup({ pingInterval: 30, pingTimeout: 2000 });
    const { ws, sid } = await wsHandshake(server);
    const session = server.engine.clients[sid]!;
    let heartbeats = 0;
    session.on("heartbeat", () => heartbeats++);
    ws.on("message", (data) => {
      if (data.toString() === "2") ws.send("3");
    });
    await waitUntil(session, "heartbeat", () => heartbeats >= 4, 5000, "4 heartbeats");
    expect(session.readyState).toBe("open");
    await closeWebSocket(ws);
  });
});

describe("requests that are not ours", () => {
  it("a request to another path is left to the http server's other listeners", async () => {
    server = await startServer({}, (http) => {
      http.on("request", (req, res) => {
        res.writeHead(200, { "Content-Type": "text/plain" });
        res.end(`other: ${req.url}`);
      });
    });
    bystander = createClient(server, { transports: ["websocket"] });
    await waitFor(bystander as never, "open");
    const res = await httpRequest(server, "/somewhere/else");
    expect(res.status).toBe(200);
    expect(res.text).toBe("other: /somewhere/else");
    // and a path that only starts like ours
    const res2 = await httpRequest(server, "/engine.iox?EIO=4&transport=polling");
    expect(res2.text).toBe("other: /engine.iox?EIO=4&transport=polling");
  });

  it("an unhandled upgrade for another path is destroyed after destroyUpgradeTimeout", async () => {
    await setup({ destroyUpgradeTimeout: 50 });
    const socket = connect(server.port, "127.0.0.1");
    socket.write("GET /elsewhere HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    await waitFor(socket, "close", 3000);
    expect(Buffer.concat(chunks).length).toBe(0);
    await expectBystanderAlive();
  });

  it("an upgrade for another path answered by another listener is not destroyed", async () => {
    const other = new WebSocketServer({ noServer: true });
    server = await startServer({ destroyUpgradeTimeout: 50 }, (http) => {
      http.on("upgrade", (req, socket, head) => {
        if (req.url === "/other") other.handleUpgrade(req, socket, head, (ws) => ws.send("from other"));
      });
    });
    bystander = createClient(server, { transports: ["websocket"] });
    await waitFor(bystander as never, "open");
    const { WebSocket } = await import("ws");
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/other`);
    const [message] = await waitFor<[Buffer]>(ws, "message");
    expect(message.toString()).toBe("from other");
    // still open well after destroyUpgradeTimeout (50 ms): the point of the test is this
    // late answer, sent at twice that, past the server's destroy timer
    const echoed = waitFor<[Buffer]>(ws, "message", 5000);
    const PAST_DESTROY_TIMEOUT_MS = 100;
    other.clients.forEach((peer) => setTimeout(() => peer.send("later"), PAST_DESTROY_TIMEOUT_MS));
    expect((await echoed)[0].toString()).toBe("later");
    await closeWebSocket(ws);
    other.close();
  });

  it("with destroyUpgrade false, an unanswered upgrade is left open", async () => {
    server = await startServer({ destroyUpgrade: false, destroyUpgradeTimeout: 10 }, (http) => {
      http.on("upgrade", (req, socket) => {
        // the point of the test: an answer later than destroyUpgradeTimeout (10 ms)
        const LATE_ANSWER_MS = 60;
        if (req.url === "/late") setTimeout(() => socket.end("HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\n\r\n"), LATE_ANSWER_MS);
      });
    });
    bystander = createClient(server, { transports: ["websocket"] });
    await waitFor(bystander as never, "open");
    const res = await upgradeRequest(server, "/late");
    expect(res.status).toBe(418);
  });
});
