// A Socket.IO client that stops reading while the server broadcasts: it disconnects with
// "transport buffer full" (and only it), the clients that read receive every event.
import { connect, type Socket as NetSocket } from "node:net";
import { afterEach, describe, expect, it } from "@jest/globals";
import type { Socket as ClientSocket } from "socket.io-client";
import { RECOVERABLE_DISCONNECT_REASONS, type DisconnectReason, type Socket } from "../../src";
import { startServer, waitFor, within, type TestServer } from "../helpers";

const LIMIT = 128 * 1024;
const PAYLOAD = "p".repeat(8 * 1024);
/** Far more than loopback's socket buffers plus LIMIT: a client that is never dropped fails. */
const MAX_BROADCASTS = 6000;

let server: TestServer | undefined;
let raw: NetSocket | undefined;

afterEach(async () => {
  raw?.destroy();
  raw = undefined;
  await server?.close();
  server = undefined;
});

/** A masked WebSocket text frame (payload under 126 bytes), as a client sends it. */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const frame = Buffer.alloc(6 + payload.length);
  frame[0] = 0x81;
  frame[1] = 0x80 | payload.length;
  frame.writeUInt32BE(0x01020304, 2);
  for (let i = 0; i < payload.length; i++) frame[6 + i] = payload[i]! ^ frame[2 + (i % 4)]!;
  return frame;
}

/** Connects to the main namespace over a raw TCP WebSocket, then never reads a byte. */
async function neverReadingClient(s: TestServer): Promise<Socket> {
  const connected = waitFor<[Socket]>(s.io, "connection");
  raw = connect(s.port, "127.0.0.1");
  raw.pause();
  raw.on("error", () => undefined);
  raw.write(
    "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n" +
      "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
  );
  // the CONNECT rides behind the upgrade request: the server reads it as the upgrade's head
  raw.write(textFrame("40"));
  const [socket] = await connected;
  return socket;
}

async function readingClient(s: TestServer): Promise<{ client: ClientSocket; received: number[]; next: (count: number) => Promise<void> }> {
  const client = await s.connected("/");
  const received: number[] = [];
  let wake: (() => void) | undefined;
  client.on("tick", (i: number, payload: string) => {
    if (payload === PAYLOAD) received.push(i);
    wake?.();
  });
  const next = async (count: number): Promise<void> => {
    while (received.length < count) await within(new Promise<void>((resolve) => (wake = resolve)), 5000, `event ${count}`);
  };
  return { client, received, next };
}

describe("a client that stops reading", () => {
  it("disconnects with transport buffer full; the others receive every event", async () => {
    server = await startServer({ maxWriteBufferSize: LIMIT });
    const slow = await neverReadingClient(server);
    const readers = [await readingClient(server), await readingClient(server)];
    let reason: DisconnectReason | undefined;
    let description: unknown;
    slow.on("disconnect", (why, details) => {
      reason = why;
      description = details;
    });

    let sent = 0;
    let closedAt = -1;
    for (; sent < MAX_BROADCASTS; sent++) {
      if (reason !== undefined && closedAt < 0) closedAt = sent;
      if (closedAt >= 0 && sent >= closedAt + 10) break;
      server.io.emit("tick", sent, PAYLOAD);
      await Promise.all(readers.map((reader) => reader.next(sent + 1)));
    }

    expect(reason).toBe("transport buffer full");
    expect((description as { code?: string }).code).toBe("VOLLEY_ENGINE_SERVER_ERR_WRITE_BUFFER_FULL");
    expect(slow.connected).toBe(false);
    expect(server.io.engine!.clientsCount).toBe(2);
    const all = Array.from({ length: sent }, (_, i) => i);
    for (const reader of readers) {
      expect(reader.client.connected).toBe(true);
      expect(reader.received).toEqual(all);
    }
  }, 30000);

  it("keeps the session for recovery, as after a lost connection", () => {
    expect(RECOVERABLE_DISCONNECT_REASONS.has("transport buffer full")).toBe(true);
  });
});
