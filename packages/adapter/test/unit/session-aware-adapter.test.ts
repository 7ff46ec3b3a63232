import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { PacketType, type Packet } from "@volley/parser";
import {
  createBroadcastOptions,
  DEFAULT_SESSION_AWARE_ADAPTER_OPTIONS,
  InvalidOptionError,
  SessionAwareAdapter,
  type SessionAwareAdapterOptions,
} from "../../src/index";
import { createNamespace } from "../helpers/fake-namespace";

const event = (...data: unknown[]): Packet => ({ type: PacketType.EVENT, nsp: "/", data });

let adapters: SessionAwareAdapter[] = [];

function setup(options?: SessionAwareAdapterOptions, recovery?: { maxDisconnectionDuration: number }) {
  const created = createNamespace((nsp) => new SessionAwareAdapter(nsp, options), "/", recovery);
  adapters.push(created.adapter);
  return created;
}

/** The offset the adapter appended to the last packet `socket` got. */
function lastOffset(received: unknown[]): string {
  const data = received[received.length - 1] as unknown[];
  return data[data.length - 1] as string;
}

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ["nextTick", "queueMicrotask", "setImmediate"] });
});

afterEach(async () => {
  for (const adapter of adapters) await adapter.close();
  adapters = [];
  jest.useRealTimers();
});

describe("SessionAwareAdapter offsets", () => {
  it("appends an offset to recoverable events only", () => {
    const { nsp, adapter } = setup();
    const socket = nsp.connect("s1");
    const packet = event("a", 1);
    adapter.broadcast(packet, createBroadcastOptions());
    adapter.broadcast(event("volatile"), createBroadcastOptions({ flags: { volatile: true } }));
    adapter.broadcastWithAck(event("acked"), createBroadcastOptions(), () => {}, () => {});
    adapter.broadcast({ type: PacketType.DISCONNECT, nsp: "/" }, createBroadcastOptions());
    const [first, ...rest] = socket.received() as unknown[][];
    expect(first).toHaveLength(3);
    expect(first!.slice(0, 2)).toEqual(["a", 1]);
    expect(typeof first![2]).toBe("string");
    expect(rest).toEqual([["volatile"], ["acked"], undefined]);
    expect(packet.data).toEqual(["a", 1]); // the caller's packet is untouched
  });

  it("gives each packet a different offset", () => {
    const { nsp, adapter } = setup();
    const socket = nsp.connect("s1");
    for (let i = 0; i < 50; i++) adapter.broadcast(event("n", i), createBroadcastOptions());
    const offsets = new Set((socket.received() as unknown[][]).map((data) => data[2]));
    expect(offsets.size).toBe(50);
  });
});

describe("SessionAwareAdapter sessions", () => {
  it("restores id, rooms, data and the missed packets the rooms match", async () => {
    const { nsp, adapter } = setup();
    const socket = nsp.connect("s1", ["a"], { user: 7 });
    nsp.connect("s2", ["b"]);
    adapter.broadcast(event("seen"), createBroadcastOptions());
    const offset = lastOffset(socket.received());
    await adapter.persistSession({ sid: "s1", pid: "p1", rooms: ["s1", "a"], data: { user: 7 } });
    nsp.remove("s1");

    adapter.broadcast(event("to all"), createBroadcastOptions());
    adapter.broadcast(event("to a"), createBroadcastOptions({ rooms: ["a"] }));
    adapter.broadcast(event("to b"), createBroadcastOptions({ rooms: ["b"] }));
    adapter.broadcast(event("to s1"), createBroadcastOptions({ rooms: ["s1"] }));
    adapter.broadcast(event("not a"), createBroadcastOptions({ except: ["a"] }));
    adapter.broadcast(event("not s1"), createBroadcastOptions({ except: ["s1"] }));

    const session = await adapter.restoreSession("p1", offset);
    expect(session).not.toBeNull();
    expect(session!.sid).toBe("s1");
    expect(session!.pid).toBe("p1");
    expect(session!.rooms).toEqual(["s1", "a"]);
    expect(session!.data).toEqual({ user: 7 });
    expect(session!.missedPackets.map((data) => data.slice(0, -1))).toEqual([["to all"], ["to a"], ["to s1"]]);
  });

  it("restores a session once, and not with an unknown pid or offset", async () => {
    const { nsp, adapter } = setup();
    const socket = nsp.connect("s1");
    adapter.broadcast(event("x"), createBroadcastOptions());
    const offset = lastOffset(socket.received());
    await adapter.persistSession({ sid: "s1", pid: "p1", rooms: ["s1"], data: null });
    expect(await adapter.restoreSession("p1", "unknown-offset")).toBeNull();
    expect(await adapter.restoreSession("p2", offset)).toBeNull();
    expect(await adapter.restoreSession("p1", offset)).toMatchObject({ sid: "s1", missedPackets: [] });
    expect(await adapter.restoreSession("p1", offset)).toBeNull();
  });

  it("keeps a session for maxDisconnectionDuration and not one millisecond more", async () => {
    const { nsp, adapter } = setup({ maxDisconnectionDuration: 1000 });
    const socket = nsp.connect("s1");
    adapter.broadcast(event("x"), createBroadcastOptions());
    const offset = lastOffset(socket.received());
    await adapter.persistSession({ sid: "s1", pid: "at-limit", rooms: ["s1"], data: null });
    await adapter.persistSession({ sid: "s2", pid: "past-limit", rooms: ["s2"], data: null });
    jest.advanceTimersByTime(1000);
    expect(await adapter.restoreSession("at-limit", offset)).not.toBeNull();
    jest.advanceTimersByTime(1);
    expect(await adapter.restoreSession("past-limit", offset)).toBeNull();
  });

  it("takes maxDisconnectionDuration from the server's settings when not given", async () => {
    const { adapter } = setup(undefined, { maxDisconnectionDuration: 500 });
    expect(adapter.options.maxDisconnectionDuration).toBe(500);
    expect(setup({ maxDisconnectionDuration: 42 }, { maxDisconnectionDuration: 500 }).adapter.options.maxDisconnectionDuration).toBe(42);
    expect(setup().adapter.options).toEqual(DEFAULT_SESSION_AWARE_ADAPTER_OPTIONS);
  });

  it("buffers maxBufferedPackets packets: at the limit the oldest offset still restores, one past it does not", async () => {
    const { nsp, adapter } = setup({ maxBufferedPackets: 3 });
    const socket = nsp.connect("s1");
    adapter.broadcast(event(1), createBroadcastOptions());
    const first = lastOffset(socket.received());
    adapter.broadcast(event(2), createBroadcastOptions());
    adapter.broadcast(event(3), createBroadcastOptions());
    await adapter.persistSession({ sid: "s1", pid: "p1", rooms: ["s1"], data: null });
    const atLimit = await adapter.restoreSession("p1", first);
    expect(atLimit?.missedPackets.map((data) => data[0])).toEqual([2, 3]);

    await adapter.persistSession({ sid: "s1", pid: "p2", rooms: ["s1"], data: null });
    adapter.broadcast(event(4), createBroadcastOptions());
    expect(await adapter.restoreSession("p2", first)).toBeNull();
  });

  it("does not restore from an offset older than maxDisconnectionDuration, even for a fresh session", async () => {
    const { nsp, adapter } = setup({ maxDisconnectionDuration: 1000 });
    const socket = nsp.connect("s1");
    adapter.broadcast(event("old"), createBroadcastOptions());
    const offset = lastOffset(socket.received());
    await adapter.persistSession({ sid: "s1", pid: "p1", rooms: ["s1"], data: null });
    jest.advanceTimersByTime(2500);
    // A fresh session cannot use an offset whose packet expired.
    await adapter.persistSession({ sid: "s1", pid: "p2", rooms: ["s1"], data: null });
    expect(await adapter.restoreSession("p2", offset)).toBeNull();
  });

  it("rejects invalid options with a coded error", () => {
    expect(() => setup({ maxDisconnectionDuration: 0 })).toThrow(InvalidOptionError);
    expect(() => setup({ maxDisconnectionDuration: Number.POSITIVE_INFINITY })).toThrow(InvalidOptionError);
    expect(() => setup({ maxBufferedPackets: 0 })).toThrow(
      expect.objectContaining({ code: "VOLLEY_ADAPTER_ERR_INVALID_OPTION", option: "maxBufferedPackets" }),
    );
    expect(() => setup({ maxBufferedPackets: 1.5 })).toThrow(InvalidOptionError);
  });
});
