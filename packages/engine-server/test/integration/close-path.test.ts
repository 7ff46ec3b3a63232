// The close path, side by side with the references: ws (the alternative WebSocket engine)
// for the built-in engine, engine.io for the sessions. A raw TCP client writes frames and a
// close frame (or a faulty frame) in one write, and reads every byte that comes back.
import { once, EventEmitter } from "node:events";
import { createServer, type Server as HttpServer } from "node:http";
import { connect, type AddressInfo, type Socket as NetSocket } from "node:net";
import type { Duplex } from "node:stream";
import { afterEach, describe, expect, it } from "@jest/globals";
import { WebSocket, WebSocketServer } from "ws";
import { CloseReasonTooLongError, EngineServerError, InvalidCloseCodeError, type WebSocketLike, type WebSocketServerLike } from "../../src";
import { LeanWebSocketServer } from "../../src/internal/websocket/lean-server";
import type { LeanWebSocket } from "../../src/internal/websocket/lean-websocket";
import { waitFor, waitUntil, within } from "../helpers";
import { clientFrame } from "../helpers/client-frames";
import { nextConnection, observeEach, type Flavour, type PeerSocket } from "../helpers/peers";

const WAIT_MS = 5000;
const KEY = "dGhlIHNhbXBsZSBub25jZQ==";

interface Frame {
  opcode: number;
  text: string;
}

/** A WebSocket client written by hand: the handshake, then every server frame, as received. */
class RawClient {
  readonly socket: NetSocket;
  readonly frames: Frame[] = [];
  status = 0;
  readonly headers: string[] = [];
  /** Resolves when the server ends its side. */
  readonly ended: Promise<void>;
  #buffer = Buffer.alloc(0);
  #headRead = false;
  readonly #changes = new EventEmitter();

  constructor(port: number) {
    this.socket = connect({ host: "127.0.0.1", port, allowHalfOpen: true });
    this.socket.on("error", () => {});
    this.socket.on("data", (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#parse();
      this.#changes.emit("change");
    });
    this.ended = new Promise((resolve) => this.socket.once("end", () => resolve()));
    this.socket.once("end", () => this.#changes.emit("change"));
  }

  /** Writes the upgrade request; resolves once the response head is read. */
  async handshake(path: string): Promise<void> {
    await within(once(this.socket, "connect"), WAIT_MS, "TCP connect");
    this.socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${KEY}\r\n\r\n`,
    );
    await this.until(() => this.#headRead, "the response head");
  }

  /** Resolves when `predicate()` holds, checked on each chunk received and at the end; bounded. */
  until(predicate: () => boolean, what: string): Promise<void> {
    return waitUntil(this.#changes, "change", predicate, WAIT_MS, what);
  }

  /** Every frame up to the server's close frame, once the server ended the connection. */
  async framesUntilEnd(): Promise<Frame[]> {
    await within(this.ended, WAIT_MS, "the server to end the connection");
    return this.frames.splice(0);
  }

  #parse(): void {
    if (!this.#headRead) {
      const end = this.#buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const [statusLine = "", ...lines] = this.#buffer.subarray(0, end).toString("latin1").split("\r\n");
      this.status = Number(statusLine.split(" ")[1]);
      this.headers.push(...lines);
      this.#buffer = this.#buffer.subarray(end + 4);
      this.#headRead = true;
    }
    for (;;) {
      const buffer = this.#buffer;
      if (buffer.length < 2) return;
      let length = buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      }
      if (buffer.length < offset + length) return;
      const opcode = buffer[0]! & 0x0f;
      const payload = buffer.subarray(offset, offset + length);
      this.frames.push({ opcode, text: opcode === 0x8 ? closeText(payload) : payload.toString("utf8") });
      this.#buffer = buffer.subarray(offset + length);
    }
  }
}

/** A close frame's payload as "code reason" ("1005" when empty). */
function closeText(payload: Buffer): string {
  if (payload.length < 2) return "1005";
  return `${payload.readUInt16BE(0)}${payload.length > 2 ? " " + payload.subarray(2).toString() : ""}`;
}

const text = (payload: string): Buffer => clientFrame({ opcode: 0x1, payload });
function closeFrame(code: number): Buffer {
  const payload = Buffer.alloc(2);
  payload.writeUInt16BE(code, 0);
  return clientFrame({ opcode: 0x8, payload });
}
/** A ping of 5 bytes whose length is written in the 16-bit form (126, then 5). */
function overlongPing(): Buffer {
  const key = Buffer.from([1, 2, 3, 4]);
  const payload = Buffer.from("hello").map((byte, i) => byte ^ key[i % 4]!);
  return Buffer.concat([Buffer.from([0x89, 0x80 | 126, 0, 5]), key, payload]);
}

let clients: RawClient[] = [];
afterEach(() => {
  for (const client of clients) client.socket.destroy();
  clients = [];
});

// ---------------------------------------------------------------------------------------
// The built-in engine and ws's WebSocketServer, with the same handler

type Engine = "ws" | "built-in";
const ENGINES: readonly Engine[] = ["ws", "built-in"];

interface EngineServer {
  port: number;
  /** The server side of each connection, in order. */
  accepted: Array<WebSocketLike>;
  close(): Promise<void>;
}

async function startEngine(engine: Engine, handler: (ws: WebSocketLike) => void): Promise<EngineServer> {
  const http: HttpServer = createServer();
  const accepted: Array<WebSocketLike> = [];
  const sockets = new Set<Duplex>();
  const options = { noServer: true, clientTracking: false, perMessageDeflate: false, maxPayload: 1000 } as const;
  const wss: WebSocketServerLike =
    engine === "ws" ? (new WebSocketServer(options) as unknown as WebSocketServerLike) : new LeanWebSocketServer(options);
  http.on("upgrade", (req, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    wss.handleUpgrade(req, socket, head, (ws: WebSocketLike) => {
      accepted.push(ws);
      ws.on("error", () => {}); // a protocol error is the test's subject, not a failure
      handler(ws);
    });
  });
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  return {
    port: (http.address() as AddressInfo).port,
    accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

async function eachEngine<T>(handler: (ws: WebSocketLike) => void, scenario: (server: EngineServer) => Promise<T>): Promise<Record<Engine, T>> {
  const observed: Partial<Record<Engine, T>> = {};
  for (const engine of ENGINES) {
    const server = await startEngine(engine, handler);
    try {
      observed[engine] = await scenario(server);
    } finally {
      await server.close();
    }
  }
  return observed as Record<Engine, T>;
}

const echo = (ws: WebSocketLike): void => {
  ws.on("message", (data) => ws.send(`re:${String(data)}`, {}));
};

/** Opens a connection, writes `bytes` in one write, returns every frame until the server ended. */
async function exchange(server: EngineServer, bytes: Buffer): Promise<Frame[]> {
  const client = new RawClient(server.port);
  clients.push(client);
  await client.handshake("/");
  expect(client.status).toBe(101);
  client.socket.write(bytes);
  return client.framesUntilEnd();
}

describe("the built-in engine's close path, beside ws's", () => {
  it("frames and a close frame in one write: the answers to the frames, then the close frame", async () => {
    const observed = await eachEngine(echo, (server) => exchange(server, Buffer.concat([text("a"), text("b"), closeFrame(1000)])));
    expect(observed["built-in"]).toEqual(observed.ws);
    expect(observed.ws).toEqual([
      { opcode: 0x1, text: "re:a" },
      { opcode: 0x1, text: "re:b" },
      { opcode: 0x8, text: "1000" },
    ]);
  });

  it("a frame and a faulty frame in one write: the answer, then close 1002", async () => {
    const observed = await eachEngine(echo, (server) => exchange(server, Buffer.concat([text("a"), clientFrame({ opcode: 0x3 }), text("never read")])));
    expect(observed["built-in"]).toEqual(observed.ws);
    expect(observed.ws).toEqual([
      { opcode: 0x1, text: "re:a" },
      { opcode: 0x8, text: "1002" },
    ]);
  });

  it("a ping whose length uses the 16-bit form is refused with 1002, no pong", async () => {
    const observed = await eachEngine(echo, (server) => exchange(server, overlongPing()));
    expect(observed["built-in"]).toEqual(observed.ws);
    expect(observed.ws).toEqual([{ opcode: 0x8, text: "1002" }]);
  });

  it("close() with a code an endpoint may not send throws a TypeError, as ws; nothing reaches the wire", async () => {
    const codes = [1004, 1005, 1006, 1015, 999, 2999, 5000, 0, -1, "1000"];
    const observed = await eachEngine(echo, async (server) => {
      const client = new RawClient(server.port);
      clients.push(client);
      await client.handshake("/");
      const ws = server.accepted[0]!;
      const thrown = codes.map((code) => {
        try {
          ws.close(code as number);
          return "nothing";
        } catch (error) {
          return error instanceof TypeError ? "TypeError" : String(error);
        }
      });
      let reason: string;
      try {
        ws.close(1000, "x".repeat(124));
        reason = "nothing";
      } catch (error) {
        reason = error instanceof RangeError ? "RangeError" : String(error);
      }
      // nothing went out, the connection is still open: a message is answered
      const state = ws.readyState;
      client.socket.write(text("still open?"));
      await client.until(() => client.frames.length > 0, "an answer");
      return { thrown, reason, state, frames: client.frames.splice(0) };
    });
    expect(observed["built-in"]).toEqual(observed.ws);
    expect(observed.ws).toEqual({
      thrown: codes.map(() => "TypeError"),
      reason: "RangeError",
      state: 1,
      frames: [{ opcode: 0x1, text: "re:still open?" }],
    });
  });

  it("the argument errors are catalogue errors (instanceof, codes), and still TypeError/RangeError", async () => {
    const server = await startEngine("built-in", () => {});
    try {
      const client = new RawClient(server.port);
      clients.push(client);
      await client.handshake("/");
      const ws = server.accepted[0] as LeanWebSocket;
      expect(() => ws.close(1005)).toThrow(InvalidCloseCodeError);
      expect(() => ws.close(1006)).toThrow(EngineServerError);
      expect(() => ws.close(1000, "é".repeat(62))).toThrow(CloseReasonTooLongError);
      // stricter than ws, which writes 1000 for 1000.5
      expect(() => ws.close(1000.5)).toThrow(InvalidCloseCodeError);
      expect(ws.readyState).toBe(1);
    } finally {
      await server.close();
    }
  });
});

// ---------------------------------------------------------------------------------------
// Sessions: engine.io (on ws) and this package (on its built-in engine)

const SESSION_FLAVOURS: readonly Flavour[] = ["engine.io", "volley"];

/** Opens a WebSocket session by hand; answers every message with "re:" + it; writes `bytes` in one write. */
async function sessionExchange(port: number, socketPromise: Promise<PeerSocket>, bytes: Buffer): Promise<Frame[]> {
  const client = new RawClient(port);
  clients.push(client);
  await client.handshake("/engine.io/?EIO=4&transport=websocket");
  const socket = await socketPromise;
  socket.on("message", (data: unknown) => socket.send(`re:${String(data)}`));
  await client.until(() => client.frames.length > 0, "the open packet");
  expect(client.frames.shift()!.text[0]).toBe("0");
  client.socket.write(bytes);
  return client.framesUntilEnd();
}

describe("a session's answers are written before the close frame, as engine.io (on ws) writes them", () => {
  it("a message and a close frame in one write", async () => {
    const observed = await observeEach(SESSION_FLAVOURS, {}, (peer) =>
      sessionExchange(peer.port, nextConnection(peer.engine), Buffer.concat([text("4a"), closeFrame(1000)])),
    );
    expect(observed.volley).toEqual(observed["engine.io"]);
    expect(observed.volley).toEqual([
      { opcode: 0x1, text: "4re:a" },
      { opcode: 0x8, text: "1000" },
    ]);
  });

  it("messages and a close frame in one write: every answer (engine.io writes the first only)", async () => {
    // engine.io holds the second answer until the first one's write completes, by which
    // time its WebSocket is closing: it is lost there, not here
    const observed = await observeEach(SESSION_FLAVOURS, {}, (peer) =>
      sessionExchange(peer.port, nextConnection(peer.engine), Buffer.concat([text("4a"), text("4b"), closeFrame(1000)])),
    );
    expect(observed["engine.io"]).toEqual([
      { opcode: 0x1, text: "4re:a" },
      { opcode: 0x8, text: "1000" },
    ]);
    expect(observed.volley).toEqual([
      { opcode: 0x1, text: "4re:a" },
      { opcode: 0x1, text: "4re:b" },
      { opcode: 0x8, text: "1000" },
    ]);
  });

  it("a message and a faulty frame in one write", async () => {
    const observed = await observeEach(SESSION_FLAVOURS, {}, (peer) =>
      sessionExchange(peer.port, nextConnection(peer.engine), Buffer.concat([text("4a"), clientFrame({ opcode: 0x3 })])),
    );
    expect(observed.volley).toEqual(observed["engine.io"]);
    expect(observed.volley).toEqual([
      { opcode: 0x1, text: "4re:a" },
      { opcode: 0x8, text: "1002" },
    ]);
  });
});

describe("a failing WebSocket transport: the session's close, then the transport's (as engine.io)", () => {
  it("a message over maxHttpBufferSize", async () => {
    const observed = await observeEach(["engine.io", "volley", "volley+ws"], { maxHttpBufferSize: 100 }, async (peer) => {
      const connection = nextConnection(peer.engine);
      const ws = new WebSocket(`ws://127.0.0.1:${peer.port}/engine.io/?EIO=4&transport=websocket`);
      ws.on("error", () => {});
      try {
        const socket = await connection;
        const order: string[] = [];
        const transportClosed = waitFor(socket.transport, "close");
        const sessionClosed = waitFor<[string]>(socket, "close");
        socket.transport.on("close", () => order.push("transport close"));
        socket.on("close", (reason: string) => order.push(`session close: ${reason}`));
        await waitFor(ws, "open");
        ws.send("4" + "x".repeat(200));
        await Promise.all([transportClosed, sessionClosed]);
        return order;
      } finally {
        ws.terminate();
      }
    });
    expect(observed.volley).toEqual(observed["engine.io"]);
    expect(observed["volley+ws"]).toEqual(observed["engine.io"]);
    expect(observed.volley).toEqual(["session close: transport error", "transport close"]);
  });
});
