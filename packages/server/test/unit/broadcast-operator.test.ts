import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import type { BroadcastOptions, SocketDetails } from "@volley/adapter";
import type { Packet } from "@volley/parser";
import { AckTimeoutError, BroadcastOperator, ReservedEventError, type BroadcastTarget } from "../../src";

/** A target that records calls and lets the test answer acknowledgements. */
function fakeTarget(serverCount = 1) {
  const calls: Array<{ method: string; packet?: Packet; opts: BroadcastOptions; extra?: unknown }> = [];
  let ack: ((...args: unknown[]) => void) | undefined;
  let clientCount: ((n: number) => void) | undefined;
  const target: BroadcastTarget = {
    broadcast: (packet, opts) => void calls.push({ method: "broadcast", packet, opts }),
    broadcastWithAck: (packet, opts, count, onAck) => {
      calls.push({ method: "broadcastWithAck", packet, opts });
      clientCount = count;
      ack = onAck;
    },
    serverCount: () => Promise.resolve(serverCount),
    sockets: () => Promise.resolve(new Set(["a"])),
    fetchSockets: (opts) => {
      calls.push({ method: "fetchSockets", opts });
      return Promise.resolve([{ id: "a", handshake: {}, rooms: new Set(["a"]), data: { x: 1 } } satisfies SocketDetails]);
    },
    addSockets: (opts, rooms) => void calls.push({ method: "addSockets", opts, extra: [...rooms] }),
    delSockets: (opts, rooms) => void calls.push({ method: "delSockets", opts, extra: [...rooms] }),
    disconnectSockets: (opts, close) => void calls.push({ method: "disconnectSockets", opts, extra: close }),
  };
  return {
    target,
    calls,
    answer: (...args: unknown[]) => ack!(...args),
    report: (n: number) => clientCount!(n),
  };
}

describe("BroadcastOperator", () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it("hands the adapter a packet and frozen options with the rooms, exceptions and flags", () => {
    const { target, calls } = fakeTarget();
    const operator = new BroadcastOperator(target, "/chat").to("a").except(["b"]).volatile.compress(false);
    operator.emit("news", 1);
    const { packet, opts } = calls[0]!;
    expect(packet).toEqual({ type: 2, nsp: "/chat", data: ["news", 1] });
    expect([...opts.rooms]).toEqual(["a"]);
    expect([...opts.except!]).toEqual(["b"]);
    expect(opts.flags).toEqual({ volatile: true, compress: false });
    expect(Object.isFrozen(opts)).toBe(true);
  });

  it("a modifier never changes the operator it is called on", () => {
    const { target, calls } = fakeTarget();
    const base = new BroadcastOperator(target, "/");
    base.to("a");
    base.volatile;
    base.timeout(5);
    base.emit("x");
    expect([...calls[0]!.opts.rooms]).toEqual([]);
    expect(calls[0]!.opts.flags).toEqual({});
  });

  it("collects acknowledgements until every client of every server answered", async () => {
    const { target, answer, report } = fakeTarget(2);
    const done = jest.fn();
    new BroadcastOperator(target, "/").timeout(1000).emit("q", done);
    report(1);
    answer("first");
    await Promise.resolve();
    expect(done).not.toHaveBeenCalled();
    report(1);
    expect(done).not.toHaveBeenCalled();
    answer("second");
    expect(done).toHaveBeenCalledWith(null, ["first", "second"]);
    // late answers are ignored
    answer("third");
    expect(done).toHaveBeenCalledTimes(1);
  });

  it("times out with the responses so far", async () => {
    const { target, answer, report } = fakeTarget(1);
    const done = jest.fn();
    new BroadcastOperator(target, "/").timeout(100).emit("q", done);
    report(2);
    answer("only one");
    await Promise.resolve();
    jest.advanceTimersByTime(100);
    expect(done).toHaveBeenCalledTimes(1);
    expect(done.mock.calls[0]![0]).toBeInstanceOf(AckTimeoutError);
    expect(done.mock.calls[0]![1]).toEqual(["only one"]);
  });

  it("forwards room operations and wraps fetched sockets", async () => {
    const { target, calls } = fakeTarget();
    const operator = new BroadcastOperator(target, "/").in("r");
    operator.socketsJoin(["x", "y"]);
    operator.socketsLeave("x");
    operator.disconnectSockets(true);
    expect(calls.map((c) => [c.method, c.extra])).toEqual([
      ["addSockets", ["x", "y"]],
      ["delSockets", ["x"]],
      ["disconnectSockets", true],
    ]);
    const [remote] = await operator.fetchSockets();
    expect(remote!.id).toBe("a");
    expect(remote!.data).toEqual({ x: 1 });
    remote!.emit("hi");
    expect(calls.at(-1)!.packet!.data).toEqual(["hi"]);
    expect([...calls.at(-1)!.opts.rooms]).toEqual(["a"]);
  });

  it("refuses reserved names, non-string rooms and bad timeouts", () => {
    const { target } = fakeTarget();
    const operator = new BroadcastOperator(target, "/");
    expect(() => operator.emit("disconnect")).toThrow(ReservedEventError);
    expect(() => operator.to(1 as never)).toThrow(/room/);
    expect(() => operator.to(["a", 2] as never)).toThrow(/room/);
    expect(() => operator.timeout(Number.NaN)).toThrow(/timeout/);
  });
});
