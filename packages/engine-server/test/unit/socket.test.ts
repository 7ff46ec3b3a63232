import { EventEmitter } from "node:events";
import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { kMaybeUpgrade } from "../../src/internal/symbols";
import { FakeTransport, fakeSession } from "../helpers/fake-transport";

beforeEach(() => {
  // the per-tick flush uses process.nextTick: keep it real
  jest.useFakeTimers({ doNotFake: ["nextTick", "queueMicrotask"] });
});
afterEach(() => {
  jest.useRealTimers();
});

async function tick(): Promise<void> {
  // process.nextTick is not faked: let the per-tick flush run
  await new Promise<void>((resolve) => process.nextTick(resolve));
}

describe("Socket write path", () => {
  it("sends the open packet with the configured values, then flushes sends once per tick", async () => {
    const { socket, transport } = fakeSession({ pingInterval: 1000, pingTimeout: 500, maxHttpBufferSize: 42 });
    expect(transport.written).toEqual([]);
    await tick();
    expect(transport.written).toHaveLength(1);
    expect(JSON.parse(transport.written[0]![0]!.data as string)).toEqual({
      sid: "sid-1",
      upgrades: [],
      pingInterval: 1000,
      pingTimeout: 500,
      maxPayload: 42,
    });
    socket.send("a");
    socket.send("b");
    socket.write("c");
    expect(transport.written).toHaveLength(1);
    await tick();
    expect(transport.written).toHaveLength(2);
    expect(transport.written[1]!.map((p) => p.data)).toEqual(["a", "b", "c"]);
  });

  it("keeps packets while the transport cannot write, and flushes them when it is ready", async () => {
    const transport = new FakeTransport("polling");
    transport.open = false;
    const { socket } = fakeSession({}, transport);
    socket.send("queued");
    await tick();
    expect(transport.written).toEqual([]);
    expect(socket.writeBuffer).toHaveLength(2);
    transport.open = true;
    transport.ready();
    expect(transport.wire()).toEqual([expect.stringMatching(/^open:/), "message:queued"]);
    expect(socket.writeBuffer).toEqual([]);
  });

  it("marks compress: false packets", async () => {
    const { socket, transport } = fakeSession();
    socket.send("x", { compress: false });
    socket.send("y");
    await tick();
    expect(transport.written.flat().map((p) => p.options?.compress)).toEqual([true, false, true]);
  });
});

describe("Socket heartbeat (v4)", () => {
  it("pings every pingInterval and closes with 'ping timeout' without a pong", async () => {
    const { socket, transport, removed } = fakeSession({ pingInterval: 1000, pingTimeout: 500 });
    const reasons: string[] = [];
    socket.on("close", (reason) => reasons.push(reason));
    jest.advanceTimersByTime(999);
    await tick();
    expect(transport.wire()).not.toContain("ping");
    jest.advanceTimersByTime(1);
    await tick();
    expect(transport.wire()).toContain("ping");
    jest.advanceTimersByTime(499);
    expect(reasons).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(reasons).toEqual(["ping timeout"]);
    expect(socket.readyState).toBe("closed");
    expect(removed).toEqual([socket]);
  });

  it("a pong restarts the interval", async () => {
    const { socket, transport } = fakeSession({ pingInterval: 1000, pingTimeout: 500 });
    let heartbeats = 0;
    socket.on("heartbeat", () => heartbeats++);
    for (let i = 0; i < 5; i++) {
      jest.advanceTimersByTime(1000);
      await tick();
      jest.advanceTimersByTime(400);
      transport.receive({ type: "pong" });
    }
    expect(heartbeats).toBe(5);
    expect(socket.readyState).toBe("open");
    expect(transport.wire().filter((p) => p === "ping")).toHaveLength(5);
  });

  it("other packets before the pong extend the deadline once", () => {
    const { socket, transport } = fakeSession({ pingInterval: 1000, pingTimeout: 500 });
    jest.advanceTimersByTime(1000); // ping sent, deadline at 1500
    jest.advanceTimersByTime(300);
    transport.receive({ type: "message", data: "busy" }); // deadline moves to 1800
    transport.receive({ type: "message", data: "busy again" }); // no second extension
    jest.advanceTimersByTime(499);
    expect(socket.readyState).toBe("open");
    jest.advanceTimersByTime(1);
    expect(socket.readyState).toBe("closed");
  });

  it("a ping from the client is an error in v4", () => {
    const { socket, transport } = fakeSession();
    const closes: unknown[][] = [];
    socket.on("close", (...args) => closes.push(args));
    transport.receive({ type: "ping" });
    expect(closes[0]![0]).toBe("transport error");
    expect((closes[0]![1] as { code: string }).code).toBe("VOLLEY_ENGINE_SERVER_ERR_HEARTBEAT_DIRECTION");
  });
});

describe("Socket heartbeat (v3)", () => {
  it("answers client pings with pongs and times out after pingInterval + pingTimeout of silence", async () => {
    const { socket, transport } = fakeSession(
      { pingInterval: 1000, pingTimeout: 500, allowEIO3: true },
      new FakeTransport("websocket", 3),
    );
    jest.advanceTimersByTime(1400);
    transport.receive({ type: "ping", data: "x" });
    await tick();
    expect(transport.wire()).toContain("pong:x");
    jest.advanceTimersByTime(1499);
    expect(socket.readyState).toBe("open");
    jest.advanceTimersByTime(1);
    expect(socket.readyState).toBe("closed");
    expect(transport.wire()).not.toContain("ping");
  });

  it("a pong from a v3 client is an error", () => {
    const { socket, transport } = fakeSession({ allowEIO3: true }, new FakeTransport("websocket", 3));
    transport.receive({ type: "pong" });
    expect(socket.readyState).toBe("closed");
  });
});

describe("Socket upgrade", () => {
  it("cancels an upgrade after upgradeTimeout and stays on the old transport", () => {
    const polling = new FakeTransport("polling");
    const { socket } = fakeSession({ upgradeTimeout: 300 }, polling);
    const websocket = new FakeTransport("websocket");
    socket[kMaybeUpgrade](websocket);
    expect(socket.upgrading).toBe(true);
    websocket.receive({ type: "ping", data: "probe" });
    expect(websocket.wire()).toEqual(["pong:probe"]);
    jest.advanceTimersByTime(300);
    expect(socket.upgrading).toBe(false);
    expect(websocket.readyState).toBe("closed");
    expect(socket.transport).toBe(polling);
    expect(socket.readyState).toBe("open");
  });

  it("moves queued packets to the new transport on `5`", async () => {
    const polling = new FakeTransport("polling");
    const { socket } = fakeSession({}, polling);
    await tick();
    polling.open = false; // no GET pending
    const websocket = new FakeTransport("websocket");
    socket[kMaybeUpgrade](websocket);
    websocket.receive({ type: "ping", data: "probe" });
    socket.send("during");
    await tick();
    websocket.receive({ type: "upgrade" });
    expect(socket.upgraded).toBe(true);
    expect(socket.transport).toBe(websocket);
    expect(websocket.wire()).toEqual(["pong:probe", "message:during"]);
    expect(polling.discarded).toBe(true);
  });

  it("an unexpected packet during the upgrade cancels it", () => {
    const { socket } = fakeSession({}, new FakeTransport("polling"));
    const websocket = new FakeTransport("websocket");
    socket[kMaybeUpgrade](websocket);
    websocket.receive({ type: "message", data: "too early" });
    expect(socket.upgrading).toBe(false);
    expect(websocket.readyState).toBe("closed");
  });

  it("closing the session cancels the upgrade", () => {
    const { socket } = fakeSession({}, new FakeTransport("polling"));
    const websocket = new FakeTransport("websocket");
    socket[kMaybeUpgrade](websocket);
    socket.close(true);
    expect(websocket.readyState).toBe("closed");
    expect(socket.upgrading).toBe(false);
  });
});

describe("Socket close", () => {
  it("emits close exactly once whatever closes it", () => {
    const { socket, transport } = fakeSession();
    const reasons: string[] = [];
    socket.on("close", (reason) => reasons.push(reason));
    transport.receive({ type: "error", data: "parser error" });
    transport.receive({ type: "close" });
    socket.close();
    socket.close(true);
    jest.advanceTimersByTime(100000);
    expect(reasons).toEqual(["parse error"]);
  });

  it("ignores sends once closed", async () => {
    const { socket, transport } = fakeSession();
    socket.close(true);
    const before = transport.written.length;
    socket.send("late");
    await tick();
    expect(transport.written.length).toBe(before);
  });
});

describe("Socket listeners", () => {
  it("behave as on any EventEmitter", () => {
    const { socket } = fakeSession();
    expect(socket).toBeInstanceOf(EventEmitter);
    const seen: string[] = [];
    const onMessage = (data: unknown): void => void seen.push(`message ${String(data)}`);
    socket.on("message", onMessage);
    socket.once("heartbeat", () => seen.push("heartbeat"));
    socket.prependListener("message", () => seen.push("first"));
    expect(socket.eventNames()).toEqual(["message", "heartbeat"]);
    expect(socket.listenerCount("message")).toBe(2);
    socket.emit("message", "a");
    socket.emit("heartbeat");
    socket.emit("heartbeat");
    socket.off("message", onMessage);
    socket.emit("message", "b");
    socket.removeAllListeners();
    socket.emit("message", "c");
    expect(seen).toEqual(["first", "message a", "heartbeat", "first"]);
    expect(socket.eventNames()).toEqual([]);
  });
});
