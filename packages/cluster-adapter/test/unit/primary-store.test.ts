import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { RecoveryStore } from "../../src/primary-store";

describe("the primary's recovery store", () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  const store = (): RecoveryStore => new RecoveryStore({ maxBufferedPackets: 3, maxDisconnectionDuration: 1000 });

  it("returns the session with the packets after the offset, in order, once", () => {
    const recovery = store();
    recovery.record("/", "a", "pa");
    recovery.record("/", "b", "pb");
    recovery.record("/", "c", "pc");
    recovery.saveSession("/", "pid", "session");
    expect(recovery.restore("/", "pid", "a")).toEqual({ session: "session", packets: [{ offset: "b", payload: "pb" }, { offset: "c", payload: "pc" }] });
    expect(recovery.restore("/", "pid", "a")).toBeNull();
    expect(recovery.sizes("/")).toEqual({ packets: 3, sessions: 0 });
  });

  it("keeps maxBufferedPackets packets: the oldest at the limit is an anchor, one past it is dropped", () => {
    const recovery = store();
    for (const offset of ["a", "b", "c"]) recovery.record("/", offset, offset);
    recovery.saveSession("/", "pid", "s");
    expect(recovery.restore("/", "pid", "a")?.packets.map((p) => p.offset)).toEqual(["b", "c"]);
    recovery.record("/", "d", "d");
    recovery.saveSession("/", "pid", "s");
    expect(recovery.restore("/", "pid", "a")).toBeNull();
    expect(recovery.restore("/", "pid", "b")?.packets.map((p) => p.offset)).toEqual(["c", "d"]);
  });

  it("forgets sessions and packets older than maxDisconnectionDuration, not younger ones", () => {
    const recovery = store();
    recovery.record("/", "a", "a");
    recovery.saveSession("/", "pid", "s");
    jest.advanceTimersByTime(1000);
    expect(recovery.restore("/", "pid", "a")).not.toBeNull();
    recovery.record("/", "b", "b");
    recovery.saveSession("/", "pid", "s");
    jest.advanceTimersByTime(1001);
    expect(recovery.restore("/", "pid", "b")).toBeNull();
    expect(recovery.sizes("/")).toEqual({ packets: 0, sessions: 0 });
  });

  it("keeps the namespaces apart, and knows no offset it never saw", () => {
    const recovery = store();
    recovery.record("/", "a", "a");
    recovery.saveSession("/chat", "pid", "s");
    expect(recovery.restore("/chat", "pid", "a")).toBeNull();
    expect(recovery.restore("/", "pid", "a")).toBeNull();
    expect(recovery.restore("/nowhere", "pid", "a")).toBeNull();
  });
});
