// Wire fuzzing of a running server: while good socket.io-client clients (WebSocket, polling,
// and polling upgraded to WebSocket) exchange acknowledged events and receive a stream of
// broadcasts, raw clients on the same server send seeded garbage: mutated WebSocket frames
// and Engine.IO/Socket.IO packets over a raw TCP connection, mutated polling bodies, and
// malformed HTTP requests. The server must live on, close every garbage connection by itself
// (bounded waits: well under its ping timeout, so no heartbeat does it), and the good clients
// must lose nothing: every ack answered, every broadcast received exactly once, in order.
//
// Seeds are fixed; VOLLEY_FUZZ_SEED=<n>[,<n>...] runs others. Every failure names its seed.
import { Buffer } from "node:buffer";
import { EventEmitter } from "node:events";
import { connect as tcpConnect, type Socket as TcpSocket } from "node:net";
import { afterEach, describe, expect, it } from "@jest/globals";
import type { Socket as ClientSocket } from "socket.io-client";
import type { Socket } from "../../src";
import { startServer, TRANSPORT_MODES, waitFor, within, type TestServer } from "../helpers";
import { SeededRandom, fuzzSeeds, reproduce } from "../helpers/seeded-random";

const seeds = fuzzSeeds([0xf022a001]);
/** Small, so that a frame announcing more is refused at once (1009) and the tail below always ends a connection. */
const MAX_HTTP_BUFFER_SIZE = 10_000;
/** How long a garbage connection may stay open after its last bytes (the ping timeout is 45 s). */
const CLOSE_WITHIN_MS = 4000;

// ---------------------------------------------------------------------------------------------
// Raw WebSocket frames

function maskedFrame(opcode: number, payload: Buffer, options: { fin?: boolean; rsv?: number; masked?: boolean } = {}): Buffer {
  const { fin = true, rsv = 0, masked = true } = options;
  const length = payload.length;
  const header = Buffer.alloc(length < 126 ? 2 : length < 65536 ? 4 : 10);
  header[0] = (fin ? 0x80 : 0) | (rsv << 4) | opcode;
  if (length < 126) header[1] = length;
  else if (length < 65536) {
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  header[1] = header[1]! | 0x80;
  const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const body = Buffer.alloc(length);
  for (let i = 0; i < length; i++) body[i] = payload[i]! ^ key[i & 3]!;
  return Buffer.concat([header, key, body]);
}

/** Engine.IO v4 / Socket.IO v5 text packets a client may send, and a binary attachment. */
const VALID_PACKETS = [
  "40",
  '40{"token":"x"}',
  "40/admin,",
  '42["echo",1]',
  '420["echo",2]',
  '42["chat","hello"]',
  '451-["echo",{"_placeholder":true,"num":0}]',
  "43/admin,1[]",
  "41",
  "3",
  "6",
  "3probe",
  "5",
];

function mutateText(rng: SeededRandom, text: string): string {
  const at = rng.int(text.length + 1);
  const chars = '0123456789-/,[]{}":_ x\u0000é\x1e';
  switch (rng.int(5)) {
    case 0:
      return text.slice(0, at) + chars[rng.int(chars.length)] + text.slice(at + 1);
    case 1:
      return text.slice(0, at) + chars[rng.int(chars.length)] + text.slice(at);
    case 2:
      return text.slice(0, at) + text.slice(at + rng.range(1, 3));
    case 3:
      return text.slice(0, at);
    default:
      return text;
  }
}

function mutateBytes(rng: SeededRandom, bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  if (out.length === 0) return rng.bytes(rng.range(1, 8));
  switch (rng.int(4)) {
    case 0: {
      const at = rng.int(out.length);
      out[at] = out[at]! ^ (1 << rng.int(8));
      return out;
    }
    case 1:
      return out.subarray(0, rng.int(out.length));
    case 2: {
      const at = rng.int(out.length + 1);
      return Buffer.concat([out.subarray(0, at), rng.bytes(rng.range(1, 6)), out.subarray(at)]);
    }
    default:
      out[rng.int(out.length)] = rng.int(256);
      return out;
  }
}

/** Some frames a fuzzing client sends: valid, mutated packets, and mutated frame bytes. */
function garbageFrames(rng: SeededRandom): Buffer[] {
  const frames: Buffer[] = [];
  for (let n = rng.range(1, 6); n > 0; n--) {
    const packet = rng.pick(VALID_PACKETS);
    const r = rng.float();
    if (r < 0.3) frames.push(maskedFrame(0x1, Buffer.from(packet)));
    else if (r < 0.6) frames.push(maskedFrame(0x1, Buffer.from(mutateText(rng, packet))));
    else if (r < 0.7) frames.push(maskedFrame(0x2, rng.bytes(rng.int(8))));
    else if (r < 0.75) frames.push(maskedFrame(0x9, rng.bytes(rng.int(8))));
    else if (r < 0.8) frames.push(maskedFrame(0x1, Buffer.from(packet), { fin: false }), maskedFrame(0x0, Buffer.from("x")));
    else frames.push(mutateBytes(rng, maskedFrame(rng.pick([0x1, 0x2, 0x0, 0x8]), Buffer.from(mutateText(rng, packet)))));
  }
  return frames;
}

/**
 * Bytes that end the connection wherever the server's reader is: inside a payload (all
 * announced lengths are at most MAX_HTTP_BUFFER_SIZE, or were refused already), they complete
 * it with bytes that are not UTF-8 text nor a packet; at a frame header, 0xFF sets RSV bits.
 */
function endingTail(rng: SeededRandom): Buffer {
  switch (rng.int(4)) {
    case 0:
      return Buffer.alloc(MAX_HTTP_BUFFER_SIZE + 200, 0xff);
    case 1:
      // a close frame, then the tail in case it was swallowed by a payload
      return Buffer.concat([maskedFrame(0x8, Buffer.from([0x03, 0xe8])), Buffer.alloc(MAX_HTTP_BUFFER_SIZE + 200, 0xff)]);
    case 2:
      // an unmasked frame
      return Buffer.concat([maskedFrame(0x1, Buffer.from("42"), { masked: false }), Buffer.alloc(MAX_HTTP_BUFFER_SIZE + 200, 0xff)]);
    default:
      // a Socket.IO packet that is not one
      return Buffer.concat([maskedFrame(0x1, Buffer.from("4x")), Buffer.alloc(MAX_HTTP_BUFFER_SIZE + 200, 0xff)]);
  }
}

/** A raw TCP connection that upgrades to a WebSocket by hand, then writes whatever it is given. */
class RawWebSocket {
  readonly socket: TcpSocket;
  readonly closed: Promise<void>;
  #buffered = Buffer.alloc(0);
  #upgraded = false;
  #closeAnswered = false;
  /** Server frames read, as opcode:payload-text. */
  readonly frames: string[] = [];

  private constructor(socket: TcpSocket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.on("error", () => undefined);
    socket.on("data", (chunk: Buffer) => this.#read(chunk));
  }

  static async open(port: number): Promise<RawWebSocket> {
    const socket = tcpConnect(port, "127.0.0.1");
    const raw = new RawWebSocket(socket);
    socket.write(
      "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    );
    // the open packet is the first frame
    await within(
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (raw.frames.some((frame) => frame.startsWith("1:0{"))) resolve();
        };
        socket.on("data", check);
        socket.once("close", () => reject(new Error("closed before the open packet")));
      }),
      3000,
      "raw WebSocket open packet",
    );
    return raw;
  }

  write(bytes: Buffer): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(bytes);
  }

  /** Reads the server's frames (unmasked) and answers a close frame, as a client does. */
  #read(chunk: Buffer): void {
    this.#buffered = Buffer.concat([this.#buffered, chunk]);
    if (!this.#upgraded) {
      const end = this.#buffered.indexOf("\r\n\r\n");
      if (end === -1) return;
      if (!this.#buffered.subarray(0, 12).toString().includes("101")) {
        this.socket.destroy();
        return;
      }
      this.#upgraded = true;
      this.#buffered = this.#buffered.subarray(end + 4);
    }
    for (;;) {
      const bytes = this.#buffered;
      if (bytes.length < 2) return;
      const code = bytes[1]! & 0x7f;
      const headerLength = code === 126 ? 4 : code === 127 ? 10 : 2;
      if (bytes.length < headerLength) return;
      const length = code === 126 ? bytes.readUInt16BE(2) : code === 127 ? Number(bytes.readBigUInt64BE(2)) : code;
      if (bytes.length < headerLength + length) return;
      const opcode = bytes[0]! & 0x0f;
      this.frames.push(`${opcode}:${bytes.subarray(headerLength, headerLength + length).toString()}`);
      this.#buffered = bytes.subarray(headerLength + length);
      if (opcode === 0x8 && !this.#closeAnswered) {
        this.#closeAnswered = true;
        this.write(maskedFrame(0x8, Buffer.alloc(0)));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Raw polling

const PATH = "/socket.io/";

async function request(url: string, init: RequestInit = {}): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(CLOSE_WITHIN_MS) });
  return { status: response.status, body: await response.text() };
}

function garbageBody(rng: SeededRandom): string {
  const packets = Array.from({ length: rng.range(1, 4) }, () => {
    const packet = rng.pick(VALID_PACKETS);
    return rng.chance(0.6) ? mutateText(rng, packet) : packet;
  });
  return packets.join("\x1e");
}

/**
 * Resolves once `predicate()` holds, checked again at each "change" of `changes`, or after
 * `timeoutMs` (the caller then asserts).
 */
function until(predicate: () => boolean, changes: EventEmitter, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      changes.off("change", check);
      resolve();
    };
    const check = (): void => {
      if (predicate()) done();
    };
    const timer = setTimeout(done, timeoutMs);
    changes.on("change", check);
    check();
  });
}

// ---------------------------------------------------------------------------------------------

describe("wire fuzz: garbage clients beside good ones", () => {
  let server: TestServer | undefined;
  const raws: RawWebSocket[] = [];
  afterEach(async () => {
    for (const raw of raws.splice(0)) raw.socket.destroy();
    await server?.close();
    server = undefined;
  });

  it.each(seeds)("the server lives, closes every garbage connection and the good clients lose nothing, seed %d", async (seed) => {
    const rng = new SeededRandom(seed);
    const label = reproduce(seed, 0);
    const started = await startServer({ maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE });
    server = started;
    const { io } = started;
    // what the final checks wait for: a tick received, an Engine.IO session closed
    const changes = new EventEmitter();
    io.engine!.on("connection", (conn: { once(event: "close", listener: () => void): unknown }) =>
      conn.once("close", () => changes.emit("change")),
    );
    io.on("connection", (socket: Socket) => {
      if ((socket.handshake.auth as { good?: boolean }).good === true) void socket.join("good");
      // garbage may call it with anything
      socket.on("echo", (...args: unknown[]) => {
        const ack = args.at(-1);
        if (typeof ack === "function") (ack as (value: unknown) => void)(args[0]);
      });
    });

    // the good clients: one per transport mode
    const goods: ClientSocket[] = [];
    const ticks: number[][] = [];
    for (const mode of TRANSPORT_MODES) {
      const client = started.client("/", { ...mode.options, transports: [...mode.options.transports], auth: { good: true } });
      const received: number[] = [];
      client.on("tick", (n: number) => {
        received.push(n);
        changes.emit("change");
      });
      goods.push(client);
      ticks.push(received);
    }
    await within(Promise.all(goods.map((client) => waitFor(client, "connect"))), 5000, "good clients");
    const upgraded = goods[2]!;
    await within(
      new Promise<void>((resolve) => {
        if (upgraded.io.engine.transport.name === "websocket") resolve();
        else upgraded.io.engine.once("upgrade", () => resolve());
      }),
      5000,
      "upgrade",
    );

    // broadcasts all along the fuzzing, to the good clients' room
    let sent = 0;
    const ticker = setInterval(() => io.to("good").emit("tick", ++sent), 15);

    // acknowledged events from each good client, one after the other
    const ACKS = 40;
    const goodTraffic = Promise.all(
      goods.map(async (client, index) => {
        for (let seq = 1; seq <= ACKS; seq++) {
          const answer = await within(client.timeout(CLOSE_WITHIN_MS).emitWithAck("echo", `${index}:${seq}`), CLOSE_WITHIN_MS + 500, `ack ${index}:${seq}`);
          expect(answer).toBe(`${index}:${seq}`);
        }
      }),
    );

    // garbage over raw WebSockets: a few at a time
    const wsCases = Array.from({ length: 24 }, () => rng.fork());
    const garbageWebSockets = (async () => {
      for (let from = 0; from < wsCases.length; from += 4) {
        await Promise.all(
          wsCases.slice(from, from + 4).map(async (caseRng, offset) => {
            const raw = await RawWebSocket.open(started.port);
            raws.push(raw);
            if (caseRng.chance(0.5)) raw.write(maskedFrame(0x1, Buffer.from("40")));
            for (const frame of garbageFrames(caseRng)) raw.write(frame);
            raw.write(endingTail(caseRng));
            await within(raw.closed, CLOSE_WITHIN_MS, `raw WebSocket ${from + offset} to be closed by the server (${label})`);
          }),
        );
      }
    })();

    // garbage over polling: each session ends with a body that is no payload
    const pollingCases = Array.from({ length: 12 }, () => rng.fork());
    const garbagePolling = Promise.all(
      pollingCases.map(async (caseRng, index) => {
        const base = `${started.url}${PATH}?EIO=4&transport=polling`;
        const open = await request(base);
        expect(open.status).toBe(200);
        const sid = (JSON.parse(open.body.slice(1)) as { sid: string }).sid;
        const url = `${base}&sid=${sid}`;
        for (let n = caseRng.range(1, 4); n > 0; n--) {
          const response = await request(url, { method: "POST", body: garbageBody(caseRng) });
          expect([200, 400, 413]).toContain(response.status);
        }
        await request(url, { method: "POST", body: caseRng.pick(["9", "4x", "\x1e\x1e", "b$$$", ""]) });
        // the session is gone: a poll gets its close packet, or "unknown session"
        for (let attempt = 0; ; attempt++) {
          const poll = await request(url);
          if (poll.status === 400 || poll.body.split("\x1e").includes("1")) break;
          if (attempt === 5) throw new Error(`polling session ${index} still open (${label}): ${poll.status} ${poll.body}`);
        }
      }),
    );

    // malformed HTTP requests
    const garbageHttp = Promise.all(
      [
        `${PATH}?EIO=5&transport=polling`,
        `${PATH}?EIO=4&transport=carrier-pigeon`,
        `${PATH}?EIO=4&transport=polling&sid=${encodeURIComponent("not-a-sid\u0000")}`,
        `${PATH}?EIO=4&transport=websocket`,
        `${PATH}?EIO=x`,
        `${PATH}?EIO=4&transport=polling&sid=`,
      ].map(async (path) => {
        const response = await request(`${started.url}${path}`, { method: rng.pick(["GET", "POST", "PUT"]), body: undefined });
        expect(response.status).toBeGreaterThanOrEqual(400);
      }),
    );

    try {
      await within(Promise.all([goodTraffic, garbageWebSockets, garbagePolling, garbageHttp]), 30_000, `fuzzing (${label})`);
    } finally {
      clearInterval(ticker);
    }

    // every broadcast arrived once, in order
    const last = sent;
    // (a lost one shows in the comparison below, so the wait's own timeout is not an error)
    await until(() => ticks.every((received) => received.length >= last), changes, 5000);
    const expected = Array.from({ length: last }, (_, i) => i + 1);
    ticks.forEach((received, index) => expect({ client: TRANSPORT_MODES[index]!.name, received }).toEqual({ client: TRANSPORT_MODES[index]!.name, received: expected }));
    expect(last).toBeGreaterThan(10);

    // no garbage session is left on the server, and it still serves
    const engine = io.engine!;
    await until(() => engine.clientsCount === goods.length, changes, CLOSE_WITHIN_MS);
    expect(engine.clientsCount).toBe(goods.length);
    const late = await started.connected("/");
    await expect(within(late.timeout(2000).emitWithAck("echo", "late"), 3000, "late ack")).resolves.toBe("late");
  });
});
