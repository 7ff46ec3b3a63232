// A client that stops reading while the server broadcasts to it and to clients that read:
// the slow one is closed with "transport buffer full" once more than maxWriteBufferSize
// bytes wait for it, what the server holds for it stays under that (measured after every
// broadcast), and the others receive every message. Built-in engine, ws, and polling.
import { connect, type Socket as NetSocket } from "node:net";
import type { Duplex } from "node:stream";
import { afterEach, describe, expect, it } from "@jest/globals";
import { Socket as ClientSocket } from "engine.io-client";
import { WebSocketServer } from "ws";
import { type CloseReason, type Server, type Socket, type TransportError, type WsEngine } from "../../src";
import { closeClient, eioHandshake, startServer, waitFor, within, type TestServer } from "../helpers";

const LIMIT = 256 * 1024;
const PACKET_COST = 32;
/** Each broadcast: 8 KiB of text, numbered. */
const MESSAGE_LENGTH = 8 * 1024;
/** Far more than the kernel's socket buffers on loopback plus LIMIT: a session that is never closed fails. */
const MAX_BROADCASTS = 6000;

const message = (i: number): string => `${i}:`.padEnd(MESSAGE_LENGTH, "m");

let server: TestServer | undefined;
const clients: ClientSocket[] = [];
const rawSockets: NetSocket[] = [];

afterEach(async () => {
  for (const socket of rawSockets.splice(0)) socket.destroy();
  await Promise.all(clients.splice(0).map((client) => closeClient(client)));
  await server?.close();
  server = undefined;
});

/** A raw TCP client that opens a WebSocket session, then never reads again. */
async function neverReadingWebSocket(engine: Server, port: number): Promise<{ session: Socket; tcp: NetSocket }> {
  const connected = waitFor<[Socket]>(engine, "connection");
  const tcp = connect(port, "127.0.0.1");
  rawSockets.push(tcp);
  tcp.pause();
  tcp.write(
    "GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n" +
      "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
  );
  const [session] = await connected;
  return { session, tcp };
}

/** A well-behaved client; `received` gets every message in order. */
async function readingClient(port: number, transport: "websocket" | "polling"): Promise<{ received: string[]; next: (count: number) => Promise<void> }> {
  const client = new ClientSocket(`ws://127.0.0.1:${port}`, { transports: [transport], upgrade: false });
  clients.push(client);
  const received: string[] = [];
  let wake: (() => void) | undefined;
  client.on("message", (data) => {
    received.push(String(data));
    wake?.();
  });
  await waitFor(client, "open");
  const next = async (count: number): Promise<void> => {
    while (received.length < count) {
      await within(new Promise<void>((resolve) => (wake = resolve)), 5000, `message ${count}`);
    }
  };
  return { received, next };
}

/** Bytes the server holds for `session`: its queued packets (as counted) plus its transport's unsent bytes. */
function heldFor(session: Socket): number {
  let bytes = session.transport.bufferedBytes;
  for (const packet of session.writeBuffer) bytes += PACKET_COST + (packet.data as string).length;
  return bytes;
}

interface Outcome {
  broadcasts: number;
  closedAfter: number;
  reason: CloseReason;
  description: TransportError | Error | undefined;
  maxHeld: number;
}

/**
 * Broadcasts to every session, one message per round, each round once the readers got the
 * previous one; goes on `after` more rounds once the slow session closed.
 */
async function broadcastUntilClosed(
  engine: Server,
  slow: Socket,
  readers: Array<{ next: (count: number) => Promise<void> }>,
  after = 20,
): Promise<Outcome> {
  let closedAfter = -1;
  let reason: CloseReason | undefined;
  let description: TransportError | Error | undefined;
  slow.once("close", (why, error) => {
    reason = why;
    description = error;
  });
  let maxHeld = 0;
  let i = 0;
  for (; i < MAX_BROADCASTS; i++) {
    if (reason !== undefined && closedAfter < 0) closedAfter = i;
    if (closedAfter >= 0 && i >= closedAfter + after) break;
    const data = message(i);
    for (const session of Object.values(engine.clients)) session.send(data);
    await Promise.all(readers.map((reader) => reader.next(i + 1)));
    if (slow.readyState !== "closed") maxHeld = Math.max(maxHeld, heldFor(slow));
  }
  expect(reason).toBeDefined();
  return { broadcasts: i, closedAfter, reason: reason!, description, maxHeld };
}

const expectAllReceived = (readers: Array<{ received: string[] }>, count: number): void => {
  const expected = Array.from({ length: count }, (_, i) => message(i));
  for (const reader of readers) {
    expect(reader.received.length).toBe(count);
    // compared without printing 8 KiB strings on failure
    expect(reader.received.every((data, i) => data === expected[i])).toBe(true);
  }
};

describe.each<[string, WsEngine | undefined]>([
  ["the built-in WebSocket engine", undefined],
  ["ws", WebSocketServer as unknown as WsEngine],
])("a WebSocket client that stops reading, with %s", (_name, wsEngine) => {
  it("is closed past maxWriteBufferSize while the others receive everything", async () => {
    server = await startServer({ maxWriteBufferSize: LIMIT, transports: ["websocket"], ...(wsEngine ? { wsEngine } : {}) });
    const { session: slow, tcp } = await neverReadingWebSocket(server.engine, server.port);
    const readers = [await readingClient(server.port, "websocket"), await readingClient(server.port, "websocket")];
    expect(tcp.isPaused()).toBe(true);

    const outcome = await broadcastUntilClosed(server.engine, slow, readers);

    expect(outcome.reason).toBe("transport buffer full");
    expect((outcome.description as TransportError).code).toBe("VOLLEY_ENGINE_SERVER_ERR_WRITE_BUFFER_FULL");
    // what the server held for it never went past the limit by more than one broadcast
    expect(outcome.maxHeld).toBeLessThanOrEqual(LIMIT + PACKET_COST + MESSAGE_LENGTH);
    // the connection is destroyed, dropping what it held
    expect((slow.request.socket as Duplex).destroyed).toBe(true);
    expect(server.engine.clientsCount).toBe(2);
    expectAllReceived(readers, outcome.broadcasts);
  }, 30000);
});

describe("a polling client that stops polling", () => {
  it("is closed one message past maxWriteBufferSize while the others receive everything", async () => {
    // LIMIT is a whole number of messages: the session holds exactly that many, then closes
    const cost = PACKET_COST + MESSAGE_LENGTH;
    const limit = 20 * cost;
    server = await startServer({ maxWriteBufferSize: limit, transports: ["polling"] });
    const connected = waitFor<[Socket]>(server.engine, "connection");
    // the handshake, then no GET ever again
    const { sid } = await eioHandshake(server);
    const [slow] = await connected;
    expect(slow.id).toBe(sid);
    const readers = [await readingClient(server.port, "polling"), await readingClient(server.port, "polling")];

    const outcome = await broadcastUntilClosed(server.engine, slow, readers);

    expect(outcome.reason).toBe("transport buffer full");
    // 20 messages wait at the limit; the 21st (index 20) is one past it
    expect(outcome.closedAfter).toBe(21);
    expect(outcome.maxHeld).toBe(limit);
    expect(server.engine.clientsCount).toBe(2);
    expectAllReceived(readers, outcome.broadcasts);
  }, 30000);
});
