// The built-in WebSocket engine (the default wsEngine) against raw TCP clients that write
// the handshake and the frames by hand, so that every byte on the wire is the test's choice.
import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server as HttpServer } from "node:http";
import { connect, type AddressInfo, type Socket as NetSocket } from "node:net";
import type { Duplex } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from "@jest/globals";
import type { Socket as ClientSocket } from "engine.io-client";
import { WebSocket } from "ws";
import { ConnectionError, type Socket } from "../../src";
import { LeanWebSocketServer } from "../../src/internal/websocket/lean-server";
import { CLOSE_TIMEOUT_MS, type LeanWebSocket } from "../../src/internal/websocket/lean-websocket";
import { closeClient, createClient, eioHandshake, startServer, waitFor, within, type TestServer } from "../helpers";
import { clientFrame } from "../helpers/client-frames";

const PATH = "/engine.io/?EIO=4&transport=websocket";
const RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ=="; // RFC 6455 §1.3's example key …
const RFC_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="; // … and the accept value it gives
const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/** Every wait of this file is bounded by this. */
const WAIT_MS = 5000;

// ---------------------------------------------------------------------------------------
// Client frames, built by hand (masked, RFC 6455 §5.2)

const textFrame = (payload: string | Buffer, fin = true): Buffer => clientFrame({ opcode: 0x1, payload, fin });
const continuationFrame = (payload: string | Buffer, fin = true): Buffer => clientFrame({ opcode: 0x0, payload, fin });

function closeFrame(code: number, reason: string | Buffer = ""): Buffer {
  const head = Buffer.alloc(2);
  head.writeUInt16BE(code, 0);
  return clientFrame({ opcode: 0x8, payload: Buffer.concat([head, typeof reason === "string" ? Buffer.from(reason) : reason]) });
}

// ---------------------------------------------------------------------------------------
// A raw client: the handshake request, then the server's (unmasked) frames as they come

interface ServerFrame {
  fin: boolean;
  opcode: number;
  /** Whether the server set the mask bit (it must not). */
  masked: boolean;
  payload: Buffer;
}

interface HandshakeResponse {
  status: number;
  statusLine: string;
  headers: IncomingHttpHeaders;
  /** Header lines as sent, in order. */
  rawHeaders: string[];
}

function handshakeRequest(method: string, path: string, headers: Record<string, string | undefined>): string {
  const all: Record<string, string | undefined> = {
    Host: "127.0.0.1",
    Connection: "Upgrade",
    Upgrade: "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": RFC_KEY,
    ...headers,
  };
  let head = `${method} ${path} HTTP/1.1\r\n`;
  for (const [name, value] of Object.entries(all)) if (value !== undefined) head += `${name}: ${value}\r\n`;
  return head + "\r\n";
}

function parseHead(head: string): HandshakeResponse {
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers: IncomingHttpHeaders = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(" ")[1]), statusLine, headers, rawHeaders: lines };
}

class RawClient {
  readonly socket: NetSocket;
  response: HandshakeResponse | undefined;
  /** The bytes of a refusal's body (everything after its head), once the server ended. */
  body = Buffer.alloc(0);
  #buffer = Buffer.alloc(0);
  readonly #frames: ServerFrame[] = [];
  #wake: (() => void) | undefined;
  #headWaiter: { resolve: (r: HandshakeResponse) => void; reject: (e: Error) => void } | undefined;
  /** Resolves when the server ends its side of the TCP connection. */
  readonly serverEnded: Promise<void>;
  /** Resolves when the TCP socket is fully closed. */
  readonly closed: Promise<void>;
  #isClosed = false;
  #hasServerEnded = false;

  constructor(port: number) {
    this.socket = connect({ host: "127.0.0.1", port, allowHalfOpen: true });
    this.socket.setNoDelay(true);
    this.socket.on("error", () => {}); // a reset is something tests look at, not a failure
    this.socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    this.serverEnded = new Promise((resolve) =>
      this.socket.once("end", () => {
        this.#hasServerEnded = true;
        resolve();
      }),
    );
    this.closed = new Promise((resolve) =>
      this.socket.once("close", () => {
        this.#isClosed = true;
        this.#headWaiter?.reject(new Error("connection closed before a response head"));
        this.#wake?.();
        resolve();
      }),
    );
  }

  /** Writes the handshake request (plus `extra` bytes in the same write); resolves with the response head. */
  async handshake(
    {
      method = "GET",
      path = PATH,
      headers = {},
      extra,
      writesAfter = [],
    }: { method?: string; path?: string; headers?: Record<string, string | undefined>; extra?: Buffer; writesAfter?: Buffer[] } = {},
  ): Promise<HandshakeResponse> {
    await within(once(this.socket, "connect"), WAIT_MS, "TCP connect");
    const head = Buffer.from(handshakeRequest(method, path, headers));
    const response = new Promise<HandshakeResponse>((resolve, reject) => (this.#headWaiter = { resolve, reject }));
    this.socket.write(extra === undefined ? head : Buffer.concat([head, extra]));
    for (const bytes of writesAfter) this.socket.write(bytes); // separate writes, before any answer
    return within(response, WAIT_MS, "handshake response");
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  #onData(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    if (this.response === undefined) {
      const end = this.#buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      this.response = parseHead(this.#buffer.subarray(0, end).toString("latin1"));
      this.#buffer = this.#buffer.subarray(end + 4);
      this.#headWaiter?.resolve(this.response);
      this.#headWaiter = undefined;
    }
    if (this.response.status !== 101) {
      this.body = this.#buffer;
      return;
    }
    this.#parseFrames();
    this.#wake?.();
  }

  #parseFrames(): void {
    for (;;) {
      const buffer = this.#buffer;
      if (buffer.length < 2) return;
      let length = buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffer.length < 10) return;
        length = Number(buffer.readBigUInt64BE(2));
        offset = 10;
      }
      const masked = (buffer[1]! & 0x80) !== 0;
      if (masked) offset += 4;
      if (buffer.length < offset + length) return;
      this.#frames.push({ fin: (buffer[0]! & 0x80) !== 0, opcode: buffer[0]! & 0x0f, masked, payload: Buffer.from(buffer.subarray(offset, offset + length)) });
      this.#buffer = buffer.subarray(offset + length);
    }
  }

  /** The next frame from the server (bounded). */
  async nextFrame(timeoutMs = WAIT_MS): Promise<ServerFrame> {
    const deadline = Date.now() + timeoutMs;
    while (this.#frames.length === 0) {
      if (this.#isClosed) throw new Error("connection closed while waiting for a frame");
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("timed out waiting for a frame");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          this.#wake = undefined;
          resolve();
        };
      });
    }
    return this.#frames.shift()!;
  }

  /** The next frame, which must be a text frame holding an Engine.IO packet. */
  async nextText(): Promise<string> {
    const frame = await this.nextFrame();
    expect(frame).toMatchObject({ fin: true, opcode: 0x1, masked: false });
    return frame.payload.toString("utf8");
  }

  /** The next frame, which must be a close frame; returns its code (1005 when empty) and reason. */
  async nextClose(): Promise<{ code: number; reason: string }> {
    const frame = await this.nextFrame();
    expect(frame).toMatchObject({ fin: true, opcode: 0x8, masked: false });
    if (frame.payload.length === 0) return { code: 1005, reason: "" };
    return { code: frame.payload.readUInt16BE(0), reason: frame.payload.subarray(2).toString("utf8") };
  }

  /** Frames received and not yet taken. */
  get pending(): readonly ServerFrame[] {
    return this.#frames;
  }

  get hasServerEnded(): boolean {
    return this.#hasServerEnded;
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

const acceptFor = (key: string): string => createHash("sha1").update(key + GUID).digest("base64");

// ---------------------------------------------------------------------------------------
// One server per describe block; every raw client is destroyed after each test

let clients: RawClient[] = [];

function rawClient(server: TestServer): RawClient {
  const client = new RawClient(server.port);
  clients.push(client);
  return client;
}

afterEach(async () => {
  const open = clients;
  clients = [];
  for (const client of open) client.destroy();
  await within(Promise.all(open.map((client) => client.closed)), WAIT_MS, "raw clients to close");
});

/** Opens an Engine.IO session over a raw WebSocket; returns the client, its sid and its server-side socket. */
async function openSession(server: TestServer, options: Parameters<RawClient["handshake"]>[0] = {}): Promise<{ client: RawClient; sid: string; session: Socket }> {
  const client = rawClient(server);
  const response = await client.handshake(options);
  expect(response.status).toBe(101);
  const open = await client.nextText();
  expect(open[0]).toBe("0");
  const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
  const session = server.engine.clients[sid];
  if (session === undefined) throw new Error(`no session ${sid}`);
  return { client, sid, session };
}

/** A server whose sessions echo every message. */
async function echoServer(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const server = await startServer(options);
  server.engine.on("connection", (socket: Socket) => socket.on("message", (data) => socket.send(data)));
  return server;
}

describe("the default wsEngine", () => {
  it("is the built-in engine when perMessageDeflate is off", async () => {
    const server = await startServer();
    try {
      expect(server.engine.opts.wsEngine).toBe(LeanWebSocketServer);
    } finally {
      await server.close();
    }
  });
});

describe("opening handshake", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await echoServer();
  });
  afterAll(async () => {
    await server.close();
  });

  /** Sends a handshake that must be refused; returns the response and its body once the server closed. */
  async function refused(options: Parameters<RawClient["handshake"]>[0]): Promise<HandshakeResponse & { body: string }> {
    const client = rawClient(server);
    const response = await client.handshake(options);
    await within(client.serverEnded, WAIT_MS, "the server to end a refused handshake");
    expect(Number(response.headers["content-length"])).toBe(client.body.length);
    expect(response.headers.connection).toBe("close");
    expect(server.engine.clientsCount).toBe(0);
    return { ...response, body: client.body.toString("utf8") };
  }

  it("a missing Sec-WebSocket-Key: 400 with a plain-text reason", async () => {
    const response = await refused({ headers: { "Sec-WebSocket-Key": undefined } });
    expect(response.status).toBe(400);
    expect(response.headers["content-type"]).toBe("text/plain");
    expect(response.body).toBe("missing or invalid Sec-WebSocket-Key header");
  });

  it.each([
    ["too short", "c2hvcnQ="],
    ["not base64 of 16 bytes", "this is not a key at all!"],
    ["17 bytes", Buffer.alloc(17, 1).toString("base64")],
  ])("an invalid Sec-WebSocket-Key (%s): 400", async (_name, key) => {
    const response = await refused({ headers: { "Sec-WebSocket-Key": key } });
    expect(response.status).toBe(400);
    expect(response.body).toBe("missing or invalid Sec-WebSocket-Key header");
  });

  it("Sec-WebSocket-Version 12: 426 naming the versions it speaks", async () => {
    const response = await refused({ headers: { "Sec-WebSocket-Version": "12" } });
    expect(response.status).toBe(426);
    expect(response.headers["sec-websocket-version"]).toBe("13, 8");
    expect(response.body).toBe("unsupported WebSocket version");
  });

  it("a missing Sec-WebSocket-Version: 426", async () => {
    const response = await refused({ headers: { "Sec-WebSocket-Version": undefined } });
    expect(response.status).toBe(426);
  });

  it("an Upgrade header naming another protocol: 400", async () => {
    const response = await refused({ headers: { Upgrade: "h2c" } });
    expect(response.status).toBe(400);
    expect(response.body).toBe("missing or invalid Upgrade header");
  });

  it("an invalid Sec-WebSocket-Protocol: 400", async () => {
    const response = await refused({ headers: { "Sec-WebSocket-Protocol": "chat, bad name" } });
    expect(response.status).toBe(400);
    expect(response.body).toBe("invalid Sec-WebSocket-Protocol header");
  });

  it.each<[string, Parameters<RawClient["handshake"]>[0], number, string]>([
    ["a missing Sec-WebSocket-Key", { headers: { "Sec-WebSocket-Key": undefined } }, 400, "INVALID_WEBSOCKET_KEY"],
    ["an Upgrade header naming another protocol", { headers: { Upgrade: "h2c" } }, 400, "INVALID_UPGRADE_HEADER"],
    ["Sec-WebSocket-Version 12", { headers: { "Sec-WebSocket-Version": "12" } }, 426, "UNSUPPORTED_WEBSOCKET_VERSION"],
    ["an invalid Sec-WebSocket-Protocol", { headers: { "Sec-WebSocket-Protocol": "chat, bad name" } }, 400, "INVALID_WEBSOCKET_PROTOCOL"],
  ])("%s: connection_error with code 3 (bad request), as the server's own refusals", async (_name, options, status, name) => {
    const errors: ConnectionError[] = [];
    const onError = (err: ConnectionError): void => void errors.push(err);
    server.engine.on("connection_error", onError);
    try {
      const response = await refused(options);
      expect(response.status).toBe(status);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(ConnectionError);
      expect(errors[0]).toMatchObject({ code: 3, message: "Bad request", context: { name, status } });
      expect(errors[0]!.req.headers.upgrade).toBeDefined();
    } finally {
      server.engine.off("connection_error", onError);
    }
  });

  it("a POST handshake without a sid is refused earlier by Engine.IO: 400, code 2 (bad handshake method)", async () => {
    const errors: unknown[] = [];
    server.engine.once("connection_error", (err) => errors.push(err));
    const response = await refused({ method: "POST" });
    expect(response.status).toBe(400);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(response.body)).toEqual({ code: 2, message: "Bad handshake method" });
    expect(errors).toHaveLength(1);
  });

  it("a POST upgrade of a polling session reaches the WebSocket engine: 405", async () => {
    const { sid } = await eioHandshake(server);
    const client = rawClient(server);
    const response = await client.handshake({ method: "POST", path: `${PATH}&sid=${sid}` });
    await within(client.serverEnded, WAIT_MS, "the server to end a refused handshake");
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("GET");
    expect(client.body.toString()).toBe("WebSocket handshake must be a GET request");
    // the polling session is untouched
    expect(server.engine.clients[sid]?.transport.name).toBe("polling");
    server.engine.clients[sid]?.close();
  });

  it("a refused POST upgrade of a session: connection_error with code 2 (bad handshake method)", async () => {
    const { sid } = await eioHandshake(server);
    const errors: ConnectionError[] = [];
    const onError = (err: ConnectionError): void => void errors.push(err);
    server.engine.on("connection_error", onError);
    try {
      const client = rawClient(server);
      const response = await client.handshake({ method: "POST", path: `${PATH}&sid=${sid}` });
      await within(client.serverEnded, WAIT_MS, "the server to end a refused handshake");
      expect(response.status).toBe(405);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: 2, message: "Bad handshake method", context: { name: "WEBSOCKET_METHOD_NOT_ALLOWED", status: 405, method: "POST" } });
    } finally {
      server.engine.off("connection_error", onError);
      server.engine.clients[sid]?.close(true);
    }
  });

  it("101 with the Sec-WebSocket-Accept of RFC 6455's example key", async () => {
    const { client, session } = await openSession(server);
    expect(client.response!.statusLine).toBe("HTTP/1.1 101 Switching Protocols");
    expect(client.response!.headers.upgrade).toBe("websocket");
    expect(client.response!.headers.connection).toBe("Upgrade");
    expect(client.response!.headers["sec-websocket-accept"]).toBe(RFC_ACCEPT);
    expect(client.response!.headers["sec-websocket-protocol"]).toBeUndefined();
    expect(client.response!.headers["sec-websocket-extensions"]).toBeUndefined();
    session.close();
  });

  it("the 101 and the open packet leave in one write to the TCP socket", async () => {
    // what the socket hands to the operating system: each _write / _writev call, as latin1 text
    const writes: string[] = [];
    const text = (chunk: Buffer | string): string => (typeof chunk === "string" ? chunk : chunk.toString("latin1"));
    const own = await startServer({}, (http) => {
      http.prependListener("upgrade", (_req, socket: Duplex & Record<"_write" | "_writev", (...args: never[]) => unknown>) => {
        const write = socket._write.bind(socket) as (chunk: Buffer | string, encoding: string, callback: () => void) => void;
        const writev = socket._writev.bind(socket) as (chunks: Array<{ chunk: Buffer | string }>, callback: () => void) => void;
        Object.assign(socket, {
          _write: (chunk: Buffer | string, encoding: string, callback: () => void) => {
            writes.push(text(chunk));
            write(chunk, encoding, callback);
          },
          _writev: (chunks: Array<{ chunk: Buffer | string }>, callback: () => void) => {
            writes.push(chunks.map(({ chunk }) => text(chunk)).join(""));
            writev(chunks, callback);
          },
        });
      });
    });
    let client: RawClient | undefined;
    try {
      const opened = await openSession(own);
      client = opened.client;
      expect(writes[0]).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n[^]*\r\n\r\n\x81.0\{"sid":"/);
      expect(writes[0]).toContain(`0{"sid":"${opened.session.id}"`);
      expect(writes).toHaveLength(1);
    } finally {
      client?.destroy();
      await within(client?.closed ?? Promise.resolve(), WAIT_MS, "the raw client to close");
      await own.close();
    }
  });

  it("101 with the Sec-WebSocket-Accept of a random key, computed as RFC 6455 §4.2.2 says", async () => {
    const key = randomBytes(16).toString("base64");
    const { client, session } = await openSession(server, { headers: { "Sec-WebSocket-Key": key } });
    expect(client.response!.headers["sec-websocket-accept"]).toBe(acceptFor(key));
    session.close();
  });

  it("the first subprotocol the client offers is chosen", async () => {
    const { client, session } = await openSession(server, { headers: { "Sec-WebSocket-Protocol": "chat, superchat" } });
    expect(client.response!.headers["sec-websocket-protocol"]).toBe("chat");
    session.close();
  });

  it("a ws client accepts the handshake and sees its subprotocol", async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${PATH}`, ["volley", "other"]);
    const messages: string[] = [];
    ws.on("message", (data: Buffer) => messages.push(data.toString()));
    try {
      await waitFor(ws, "open");
      expect(ws.protocol).toBe("volley");
      const reply = waitFor<[Buffer]>(ws, "message");
      ws.send("4hello");
      await reply;
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(messages).toContain("4hello");
    } finally {
      const closed = waitFor(ws, "close");
      ws.close();
      await closed;
    }
  });

  it("headers set by the engine's initial_headers and headers events appear in the 101", async () => {
    const onInitial = (headers: Record<string, unknown>): void => {
      headers["X-Initial"] = "first";
    };
    const onHeaders = (headers: Record<string, unknown>): void => {
      headers["X-Every"] = "always";
      headers["X-Many"] = ["one", "two"];
      // a line break would let a header value write headers of its own: it is dropped
      headers["X-Evil"] = "a\r\nX-Injected: yes";
    };
    server.engine.on("initial_headers", onInitial);
    server.engine.on("headers", onHeaders);
    try {
      const { client, session } = await openSession(server);
      const raw = client.response!.rawHeaders;
      expect(raw).toContain("X-Initial: first");
      expect(raw).toContain("X-Every: always");
      expect(raw).toContain("X-Many: one");
      expect(raw).toContain("X-Many: two");
      expect(raw.join("\n")).not.toMatch(/X-Injected|X-Evil/i);
      // the connection works after it
      client.send(textFrame("4after headers"));
      expect(await client.nextText()).toBe("4after headers");
      session.close();
    } finally {
      server.engine.off("initial_headers", onInitial);
      server.engine.off("headers", onHeaders);
    }
  });

  it("frames sent right behind the handshake are read when allowRequest answers later", async () => {
    const later = await echoServer({ allowRequest: (_req, answer) => setImmediate(() => answer(null, true)) });
    try {
      const client = rawClient(later);
      // the second write reaches the server before the 101 is written
      const response = await client.handshake({ extra: textFrame("4waited"), writesAfter: [textFrame("4and this")] });
      expect(response.status).toBe(101);
      expect((await client.nextText())[0]).toBe("0");
      expect(await client.nextText()).toBe("4waited");
      expect(await client.nextText()).toBe("4and this");
    } finally {
      // upgraded sockets are not the http server's any more: close() would wait for this one
      for (const client of clients) client.destroy();
      await later.close();
    }
  });

  it("frames sent in the same TCP write as the handshake request are read", async () => {
    const received: string[] = [];
    const onConnection = (socket: Socket): void => {
      socket.on("message", (data) => received.push(String(data)));
    };
    server.engine.on("connection", onConnection);
    try {
      const extra = Buffer.concat([textFrame("4early"), textFrame("4bird", false), continuationFrame(" gets it")]);
      const { client, session } = await openSession(server, { extra });
      // the echo server answers both, in order, right behind the open packet
      expect(await client.nextText()).toBe("4early");
      expect(await client.nextText()).toBe("4bird gets it");
      expect(received).toEqual(["early", "bird gets it"]);
      session.close();
    } finally {
      server.engine.off("connection", onConnection);
    }
  });
});

describe("an open connection", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await echoServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it("a ping gets a pong with the same payload", async () => {
    const { client, session } = await openSession(server);
    for (const payload of [Buffer.alloc(0), Buffer.from("are you there?"), randomBytes(125)]) {
      client.send(clientFrame({ opcode: 0x9, payload }));
      const pong = await client.nextFrame();
      expect(pong).toMatchObject({ fin: true, opcode: 0xa, masked: false });
      expect(pong.payload.equals(payload)).toBe(true);
    }
    expect(session.readyState).toBe("open");
    session.close();
  });

  it("a pong from the client is ignored", async () => {
    const { client, session } = await openSession(server);
    client.send(clientFrame({ opcode: 0xa, payload: "unsolicited" }));
    client.send(textFrame("4still fine"));
    expect(await client.nextText()).toBe("4still fine");
    session.close();
  });

  it("text and binary messages of every length form go both ways", async () => {
    const { client, session } = await openSession(server);
    for (const length of [0, 125, 126, 65535, 65536, 200_000]) {
      const body = "x".repeat(length);
      client.send(textFrame("4" + body));
      expect(await client.nextText()).toBe("4" + body);
    }
    const bytes = randomBytes(70_000);
    client.send(clientFrame({ opcode: 0x2, payload: bytes }));
    const echoed = await client.nextFrame();
    expect(echoed).toMatchObject({ fin: true, opcode: 0x2, masked: false });
    expect(echoed.payload.equals(bytes)).toBe(true);
    session.close();
  });

  it("a Blob sent by the server keeps its place among the messages around it", async () => {
    const { client, session } = await openSession(server);
    session.send("first");
    session.send(new Blob([Buffer.from([1, 2, 3])]));
    session.send("third");
    session.send(new Blob([Buffer.from([4])]));
    session.send(Buffer.from([5]));
    expect(await client.nextText()).toBe("4first");
    const blob = await client.nextFrame();
    expect(blob).toMatchObject({ fin: true, opcode: 0x2 });
    expect([...blob.payload]).toEqual([1, 2, 3]);
    expect(await client.nextText()).toBe("4third");
    expect([...(await client.nextFrame()).payload]).toEqual([4]);
    expect([...(await client.nextFrame()).payload]).toEqual([5]);
    session.close();
  });

  it("a message sent one byte per TCP write is read", async () => {
    const { client, session } = await openSession(server);
    const bytes = Buffer.concat([textFrame("4split", false), clientFrame({ opcode: 0x9, payload: "p" }), continuationFrame(" up")]);
    for (let i = 0; i < bytes.length; i++) {
      await new Promise<void>((resolve) => client.socket.write(bytes.subarray(i, i + 1), () => resolve()));
    }
    const pong = await client.nextFrame();
    expect(pong.opcode).toBe(0xa);
    expect(await client.nextText()).toBe("4split up");
    session.close();
  });

  it("a client close frame (1000, 'bye') is echoed, then the server ends the TCP connection; the session closes", async () => {
    const { client, session } = await openSession(server);
    const sessionClosed = waitFor<[string]>(session, "close");
    client.send(closeFrame(1000, "bye"));
    const close = await client.nextClose();
    expect(close.code).toBe(1000);
    await within(client.serverEnded, WAIT_MS, "the server to end the TCP connection");
    client.socket.end();
    expect((await sessionClosed)[0]).toBe("transport close");
    await within(client.closed, WAIT_MS, "the TCP connection to close");
    expect(client.pending).toEqual([]);
  });

  it("an empty close frame is answered with an empty close frame", async () => {
    const { client, session } = await openSession(server);
    const sessionClosed = waitFor<[string]>(session, "close");
    client.send(clientFrame({ opcode: 0x8 }));
    expect(await client.nextClose()).toEqual({ code: 1005, reason: "" });
    await within(client.serverEnded, WAIT_MS, "the server to end the TCP connection");
    client.socket.end();
    expect((await sessionClosed)[0]).toBe("transport close");
  });

  it("the server's own close: a close frame, and the TCP connection ends when the client answers", async () => {
    const { client, session } = await openSession(server);
    const sessionClosed = waitFor<[string]>(session, "close");
    session.close();
    expect((await sessionClosed)[0]).toBe("forced close");
    // the Engine.IO close packet is not sent on websocket in v4; the closing handshake is
    const frame = await client.nextFrame();
    expect(frame.opcode).toBe(0x8);
    expect(client.socket.readableEnded).toBe(false);
    client.send(closeFrame(1000));
    await within(client.serverEnded, WAIT_MS, "the server to end the TCP connection");
  });

  it("frames after the client's close frame are ignored", async () => {
    const received: string[] = [];
    const { client, session } = await openSession(server);
    session.on("message", (data) => received.push(String(data)));
    client.send(Buffer.concat([textFrame("4before"), closeFrame(1000), textFrame("4after"), clientFrame({ opcode: 0x3 })]));
    // the echo of "before", queued before the close frame was read, goes out first
    expect(await client.nextText()).toBe("4before");
    expect((await client.nextClose()).code).toBe(1000);
    await within(client.serverEnded, WAIT_MS, "the server to end the TCP connection");
    expect(received).toEqual(["before"]);
    expect(client.pending).toEqual([]); // no second close frame for the invalid opcode
  });

  it("a client that half-closes (FIN) without a close frame: the session closes with 'transport close' and the server ends too", async () => {
    const { client, session } = await openSession(server);
    const sessionClosed = waitFor<[string]>(session, "close");
    client.socket.end();
    await within(client.serverEnded, WAIT_MS, "the server to end its side");
    expect((await sessionClosed)[0]).toBe("transport close");
    await within(client.closed, WAIT_MS, "the TCP connection to close");
  });

  it("a connection reset: the session closes with 'transport close' and the server carries on", async () => {
    const { client, session } = await openSession(server);
    const sessionClosed = waitFor<[string]>(session, "close");
    client.socket.resetAndDestroy();
    expect((await sessionClosed)[0]).toBe("transport close");
    const other = await openSession(server);
    other.client.send(textFrame("4alive"));
    expect(await other.client.nextText()).toBe("4alive");
    other.session.close();
  });

  it("a client that disappears mid-frame: the session closes", async () => {
    const { client, session } = await openSession(server);
    const sessionClosed = waitFor<[string]>(session, "close");
    client.send(textFrame("4" + "y".repeat(1000)).subarray(0, 500));
    client.socket.end();
    expect((await sessionClosed)[0]).toBe("transport close");
  });
});

describe("protocol errors close only the offending connection", () => {
  const MAX = 1000;
  let server: TestServer;
  let bystander: ClientSocket;
  beforeAll(async () => {
    server = await echoServer({ maxHttpBufferSize: MAX });
    bystander = createClient(server, { transports: ["websocket"] });
    await waitFor(bystander as never, "open");
  });
  afterAll(async () => {
    await closeClient(bystander);
    await server.close();
  });

  async function expectBystanderAlive(): Promise<void> {
    const reply = waitFor<[string]>(bystander as never, "message");
    bystander.send("still here");
    expect((await reply)[0]).toBe("still here");
    expect(server.engine.clients[bystander.id!]?.readyState).toBe("open");
  }

  const head = (bytes: Buffer, length: number): Buffer => bytes.subarray(0, length);
  const cases: Array<[name: string, bytes: () => Buffer, status: number]> = [
    ["an unmasked frame", () => clientFrame({ opcode: 0x1, payload: "4hi", mask: null }), 1002],
    ["an unmasked empty ping (2 bytes)", () => clientFrame({ opcode: 0x9, mask: null }), 1002],
    ["an RSV1 bit (no extension negotiated)", () => clientFrame({ opcode: 0x1, payload: "4hi", rsv: 0b100 }), 1002],
    ["unknown opcode 3", () => clientFrame({ opcode: 0x3, payload: "x" }), 1002],
    ["unknown opcode 11", () => clientFrame({ opcode: 0xb, payload: "x" }), 1002],
    ["a fragmented ping", () => clientFrame({ opcode: 0x9, payload: "x", fin: false }), 1002],
    ["a ping of 126 bytes", () => clientFrame({ opcode: 0x9, payload: Buffer.alloc(126) }), 1002],
    ["a continuation without a message", () => continuationFrame("4x"), 1002],
    ["a new text frame inside a fragmented message", () => Buffer.concat([textFrame("4a", false), textFrame("4b")]), 1002],
    ["invalid UTF-8 in a text message", () => textFrame(Buffer.from([0x34, 0xc3, 0x28])), 1007],
    ["invalid UTF-8 across fragments", () => Buffer.concat([textFrame(Buffer.from([0x34, 0xe2, 0x82]), false), continuationFrame(Buffer.from([0x41]))]), 1007],
    ["a close frame with a 1-byte payload", () => clientFrame({ opcode: 0x8, payload: Buffer.from([3]) }), 1002],
    ...[999, 1004, 1005, 1006, 1015, 2999, 5000].map((code): [string, () => Buffer, number] => [`close code ${code}`, () => closeFrame(code), 1002]),
    ["a close reason that is not UTF-8", () => closeFrame(1000, Buffer.from([0xff])), 1007],
    ["a text frame one byte over maxHttpBufferSize", () => textFrame("4" + "z".repeat(MAX)), 1009],
    ["fragments adding up to one byte over maxHttpBufferSize", () => Buffer.concat([textFrame("4" + "z".repeat(MAX / 2), false), continuationFrame("z".repeat(MAX / 2))]), 1009],
    ["a 64-bit length of 2^53 (header only)", () => head(clientFrame({ opcode: 0x2, declaredLength: 2 ** 53 }), 14), 1009],
  ];

  it.each(cases)("%s: close frame %#", async (_name, bytes, status) => {
    const { client, session } = await openSession(server);
    const sessionClosed = waitFor<[string, Error?]>(session, "close");
    client.send(bytes());
    const close = await client.nextClose();
    expect(close.code).toBe(status);
    await within(client.serverEnded, WAIT_MS, "the server to end the TCP connection");
    const [reason, error] = await sessionClosed;
    expect(reason).toBe("transport error");
    expect(error).toMatchObject({ cause: { name: "FrameError", status } });
    // nothing but the close frame was sent back
    expect(client.pending).toEqual([]);
    await expectBystanderAlive();
  });

  it("a text frame of exactly maxHttpBufferSize is accepted", async () => {
    const { client, session } = await openSession(server);
    const message = "4" + "z".repeat(MAX - 1);
    client.send(textFrame(message));
    expect(await client.nextText()).toBe(message);
    session.close();
  });

  it("fragments adding up to exactly maxHttpBufferSize are accepted", async () => {
    const { client, session } = await openSession(server);
    client.send(Buffer.concat([textFrame("4" + "z".repeat(MAX / 2 - 1), false), clientFrame({ opcode: 0x9 }), continuationFrame("z".repeat(MAX / 2))]));
    expect((await client.nextFrame()).opcode).toBe(0xa);
    expect(await client.nextText()).toBe("4" + "z".repeat(MAX - 1));
    session.close();
  });

  it("an error in a second connection's frames leaves the first's messages flowing in both directions", async () => {
    const first = await openSession(server);
    const second = await openSession(server);
    first.client.send(textFrame("4one"));
    second.client.send(clientFrame({ opcode: 0x3 }));
    expect(await first.client.nextText()).toBe("4one");
    expect((await second.client.nextClose()).code).toBe(1002);
    first.client.send(textFrame("4two"));
    expect(await first.client.nextText()).toBe("4two");
    first.session.send("from server");
    expect(await first.client.nextText()).toBe("4from server");
    first.session.close();
  });
});

describe("closing handshake timeout (wsCloseTimeout, 30 s by default: CLOSE_TIMEOUT_MS)", () => {
  let server: TestServer;
  // the bounds of this block's waits run on real timers while setTimeout is faked
  const realSetTimeout = setTimeout;
  const realClearTimeout = clearTimeout;
  function withinReal<T>(promise: Promise<T>, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = realSetTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS);
      promise.then(
        (value) => {
          realClearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          realClearTimeout(timer);
          reject(error as Error);
        },
      );
    });
  }
  /** Lets pending I/O callbacks run (setImmediate is left real). */
  const ioTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  beforeAll(async () => {
    server = await echoServer();
  });
  afterEach(() => {
    jest.useRealTimers();
  });
  afterAll(async () => {
    await server.close();
  });

  const fakeSetTimeoutOnly = (): void => {
    jest.useFakeTimers({
      doNotFake: ["nextTick", "setImmediate", "clearImmediate", "queueMicrotask", "Date", "hrtime", "performance", "setInterval", "clearInterval"],
    });
  };

  it("the server closes and the client never answers: the socket is destroyed after 30 s, not before", async () => {
    const { client, session } = await openSession(server);
    fakeSetTimeoutOnly();
    session.close();
    expect((await withinReal(client.nextFrame(), "the close frame")).opcode).toBe(0x8);
    jest.advanceTimersByTime(CLOSE_TIMEOUT_MS - 1);
    await ioTurn();
    expect(client.hasServerEnded).toBe(false);
    jest.advanceTimersByTime(1);
    // the client keeps its side open (allowHalfOpen): the server's FIN is what shows the destroy
    await withinReal(client.serverEnded, "the server to destroy the socket");
  });

  it("wsCloseTimeout sets that wait: not destroyed at wsCloseTimeout - 1 ms, destroyed at wsCloseTimeout", async () => {
    const short = await echoServer({ wsCloseTimeout: 200 });
    try {
      const { client, session } = await openSession(short);
      fakeSetTimeoutOnly();
      session.close();
      expect((await withinReal(client.nextFrame(), "the close frame")).opcode).toBe(0x8);
      jest.advanceTimersByTime(199);
      await ioTurn();
      expect(client.hasServerEnded).toBe(false);
      jest.advanceTimersByTime(1);
      await withinReal(client.serverEnded, "the server to destroy the socket");
    } finally {
      jest.useRealTimers();
      for (const client of clients) client.destroy();
      await short.close();
    }
  });

  it("the client's close is answered but the client never ends its TCP side: destroyed after 30 s", async () => {
    const { client, session } = await openSession(server);
    const sessionClosed = waitFor<[string]>(session, "close");
    fakeSetTimeoutOnly();
    client.send(closeFrame(1000));
    expect((await withinReal(client.nextClose(), "the close frame")).code).toBe(1000);
    await withinReal(client.serverEnded, "the server to end its side");
    let sessionIsClosed = false;
    session.once("close", () => (sessionIsClosed = true));
    jest.advanceTimersByTime(CLOSE_TIMEOUT_MS - 1);
    await ioTurn();
    expect(sessionIsClosed).toBe(false); // the server's socket is still there, half-open
    jest.advanceTimersByTime(1);
    // the session closes when the server's socket does
    expect((await withinReal(sessionClosed, "the server to destroy the socket"))[0]).toBe("transport close");
  });
});

describe("LeanWebSocketServer on its own (the ws-compatible surface), with the ws client", () => {
  let http: HttpServer;
  let port: number;
  let accepted: LeanWebSocket[] = [];
  const wss = new LeanWebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false, maxPayload: 100 });

  beforeAll(async () => {
    http = createServer();
    http.on("upgrade", (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => accepted.push(ws as LeanWebSocket)));
    http.listen(0, "127.0.0.1");
    await once(http, "listening");
    port = (http.address() as AddressInfo).port;
  });
  afterEach(() => {
    for (const ws of accepted) ws.terminate();
    accepted = [];
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });

  /** The next `event` of a LeanWebSocket, which has `on()` only (no `once()`); bounded. */
  function nextEvent<T extends unknown[]>(ws: LeanWebSocket, event: string): Promise<T> {
    let settled = false;
    return within(
      new Promise<T>((resolve) =>
        ws.on(event, (...args: never[]) => {
          if (settled) return;
          settled = true;
          resolve(args as unknown as T);
        }),
      ),
      WAIT_MS,
      `"${event}"`,
    );
  }

  async function connectPair(): Promise<{ client: WebSocket; server: LeanWebSocket }> {
    const client = new WebSocket(`ws://127.0.0.1:${port}/`);
    await waitFor(client, "open");
    const server = accepted.at(-1)!;
    return { client, server };
  }

  it("emits message, ping and pong; the client sees the server's messages", async () => {
    const { client, server } = await connectPair();
    const messages: Array<[string, boolean]> = [];
    server.on("message", (data: Buffer, isBinary: boolean) => messages.push([data.toString("hex"), isBinary]));
    const pinged = nextEvent<[Buffer]>(server, "ping");
    const ponged = nextEvent<[Buffer]>(server, "pong");
    client.send("hi");
    client.send(Buffer.from([0xff]));
    client.ping("p");
    client.pong("q");
    expect((await pinged)[0].toString()).toBe("p");
    expect((await ponged)[0].toString()).toBe("q");
    expect(messages).toEqual([
      [Buffer.from("hi").toString("hex"), false],
      ["ff", true],
    ]);
    const reply = waitFor<[Buffer, boolean]>(client, "message");
    server.send("back");
    const [data, isBinary] = await reply;
    expect([data.toString(), isBinary]).toEqual(["back", false]);
    const closed = waitFor(client, "close");
    client.close();
    await closed;
  });

  it("close(code, reason) reaches the client; the server's close event gets the client's code and reason", async () => {
    const { client, server } = await connectPair();
    const serverClosed = nextEvent<[number, Buffer]>(server, "close");
    const clientClosed = waitFor<[number, Buffer]>(client, "close");
    server.close(4000, "going away for now");
    const [code, reason] = await clientClosed;
    expect([code, reason.toString()]).toEqual([4000, "going away for now"]);
    // ws echoes the code (and no reason) in its close frame
    const [serverCode] = await serverClosed;
    expect(serverCode).toBe(4000);
    expect(server.readyState).toBe(3);
  });

  it("a close reason longer than 123 bytes is refused with a RangeError, and the connection stays usable", async () => {
    const { client, server } = await connectPair();
    expect(() => server.close(1000, "é".repeat(62))).toThrow(RangeError); // 124 bytes
    expect(server.readyState).toBe(1);
    const reply = waitFor<[Buffer]>(client, "message");
    server.send("still open");
    expect((await reply)[0].toString()).toBe("still open");
    const clientClosed = waitFor<[number, Buffer]>(client, "close");
    server.close(1000, "é".repeat(61) + "x"); // 123 bytes: the longest allowed
    const [code, reason] = await clientClosed;
    expect([code, reason.toString()]).toEqual([1000, "é".repeat(61) + "x"]);
  });

  it("a message over maxPayload: error event with code and status, close 1009 to the client", async () => {
    const { client, server } = await connectPair();
    const failed = nextEvent<[Error & { code?: string; status?: number }]>(server, "error");
    const clientClosed = waitFor<[number, Buffer]>(client, "close");
    client.send("x".repeat(101));
    const [error] = await failed;
    expect(error).toMatchObject({ name: "FrameError", code: "VOLLEY_ENGINE_SERVER_ERR_WS_MESSAGE_TOO_BIG", status: 1009 });
    expect((await clientClosed)[0]).toBe(1009);
  });

  it("send() after close calls back with an error", async () => {
    const { client, server } = await connectPair();
    const clientClosed = waitFor(client, "close");
    server.close(1000);
    const error = await new Promise<Error | undefined>((resolve) => server.send("late", undefined, resolve));
    expect(error?.message).toMatch(/not open/);
    await clientClosed;
  });
});
