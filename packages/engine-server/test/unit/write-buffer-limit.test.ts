// maxWriteBufferSize on a session whose transport cannot take its packets: counted once per
// packet, with what the transport holds, and closed with "transport buffer full" one byte past.
import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { TRANSPORT_ERROR_CODES, TransportError, type CloseReason } from "../../src";
import { fakeSession } from "../helpers/fake-transport";

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ["nextTick", "queueMicrotask"] });
});
afterEach(() => {
  jest.useRealTimers();
});

async function tick(): Promise<void> {
  await new Promise<void>((resolve) => process.nextTick(resolve));
}

const LIMIT = 1000;
/** What a queued packet counts for besides its data. */
const PACKET_COST = 32;

/** A message that counts for exactly `cost` bytes. */
const costing = (cost: number): string => "x".repeat(cost - PACKET_COST);

/** An open session (its open packet written) whose transport then stops taking writes. */
async function busySession(held = 0, options: { maxWriteBufferSize?: number } = { maxWriteBufferSize: LIMIT }) {
  const session = fakeSession(options);
  await tick();
  session.transport.busy = true;
  session.transport.held = held;
  const closes: Array<[CloseReason, (TransportError | Error)?]> = [];
  session.socket.on("close", (reason, description) => closes.push([reason, description]));
  return { ...session, closes };
}

describe("maxWriteBufferSize", () => {
  it.each([
    [LIMIT, "open"],
    [LIMIT + 1, "closed"],
  ])("with %d bytes queued for a busy transport, the session is %s", async (cost, state) => {
    const { socket, transport, closes, removed } = await busySession();
    socket.send(costing(cost));
    await tick();
    expect(socket.readyState).toBe(state);
    if (state === "open") {
      expect(closes).toEqual([]);
      expect(transport.aborted).toBe(0);
      return;
    }
    expect(closes).toHaveLength(1);
    const [reason, description] = closes[0]!;
    expect(reason).toBe("transport buffer full");
    expect(description).toBeInstanceOf(TransportError);
    expect((description as TransportError).code).toBe(TRANSPORT_ERROR_CODES.WRITE_BUFFER_FULL);
    expect(description!.message).toBe(`${LIMIT + 1} bytes waiting for the client, over maxWriteBufferSize (${LIMIT})`);
    // what was queued is dropped and the transport is destroyed, not closed politely
    expect(transport.aborted).toBe(1);
    expect(socket.writeBuffer).toEqual([]);
    expect(removed).toEqual([socket]);
  });

  it.each([
    [LIMIT - 100, "open"],
    [LIMIT - 99, "closed"],
  ])("counts what the transport holds: %d held plus 100 queued leaves the session %s", async (held, state) => {
    const { socket, closes } = await busySession(held);
    socket.send(costing(100));
    await tick();
    expect(socket.readyState).toBe(state);
    expect(closes.map(([reason]) => reason)).toEqual(state === "open" ? [] : ["transport buffer full"]);
  });

  it("counts each packet once across the flushes that find the transport busy", async () => {
    const { socket, transport, closes } = await busySession();
    for (let i = 0; i < 10; i++) {
      socket.send(costing(100));
      await tick();
    }
    expect(socket.readyState).toBe("open");
    expect(socket.writeBuffer).toHaveLength(10);
    socket.send("");
    await tick();
    expect(closes.map(([reason]) => reason)).toEqual(["transport buffer full"]);
    expect(transport.written).toHaveLength(1); // the open packet only
  });

  it("binary data counts its byte length", async () => {
    const atLimit = await busySession();
    // 484 elements of 2 bytes: 968 bytes
    atLimit.socket.send(new Uint16Array((LIMIT - PACKET_COST) / 2));
    await tick();
    expect(atLimit.socket.readyState).toBe("open");
    const past = await busySession();
    past.socket.send(new ArrayBuffer(LIMIT - PACKET_COST + 1));
    await tick();
    expect(past.socket.readyState).toBe("closed");
    const blob = await busySession();
    blob.socket.send(new Blob([new Uint8Array(LIMIT - PACKET_COST + 1)]));
    await tick();
    expect(blob.socket.readyState).toBe("closed");
  });

  it("starts counting again from zero once the transport took everything", async () => {
    const { socket, transport, closes } = await busySession();
    socket.send(costing(LIMIT));
    await tick();
    transport.busy = false;
    transport.ready();
    expect(transport.wire().slice(1)).toEqual([`message:${costing(LIMIT)}`]);
    transport.busy = true;
    socket.send(costing(LIMIT));
    await tick();
    expect(socket.readyState).toBe("open");
    socket.send("");
    await tick();
    expect(closes.map(([reason]) => reason)).toEqual(["transport buffer full"]);
  });

  it("does not limit what a transport that keeps up takes at once", async () => {
    const { socket, transport, closes } = await busySession();
    transport.busy = false;
    socket.send(costing(10 * LIMIT));
    await tick();
    expect(socket.readyState).toBe("open");
    expect(closes).toEqual([]);
    expect(transport.written).toHaveLength(2);
  });

  it("defaults to 4e6 bytes", async () => {
    const { socket, closes } = await busySession(0, {});
    socket.send(costing(4e6));
    await tick();
    expect(socket.readyState).toBe("open");
    socket.send("");
    await tick();
    expect(closes.map(([reason]) => reason)).toEqual(["transport buffer full"]);
  });

  it("also bounds what waits for a session that is closing", async () => {
    const { socket, transport, closes } = await busySession(LIMIT);
    socket.send("");
    // close() flushes first: the transport is busy, so it counts, and the packet is one too many
    socket.close();
    expect(closes.map(([reason]) => reason)).toEqual(["transport buffer full"]);
    expect(transport.aborted).toBe(1);
  });
});
