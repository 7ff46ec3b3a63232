import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { HeartbeatMonitor } from "../../src/heartbeat";

describe("HeartbeatMonitor", () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it("fires exactly at the deadline, not one millisecond before", () => {
    const onTimeout = jest.fn();
    const monitor = new HeartbeatMonitor(onTimeout, false);
    monitor.reset(100);
    jest.advanceTimersByTime(99);
    expect(onTimeout).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(onTimeout).toHaveBeenCalledTimes(1);
  });

  it("restarts the wait on reset and stays silent after stop", () => {
    const onTimeout = jest.fn();
    const monitor = new HeartbeatMonitor(onTimeout, false);
    monitor.reset(100);
    jest.advanceTimersByTime(90);
    monitor.reset(100);
    jest.advanceTimersByTime(90);
    expect(onTimeout).not.toHaveBeenCalled();
    monitor.stop();
    jest.advanceTimersByTime(1000);
    expect(onTimeout).not.toHaveBeenCalled();
  });

  it("tells when the deadline passed even if the timer has not fired", () => {
    const monitor = new HeartbeatMonitor(() => undefined, true);
    const start = Date.now();
    monitor.reset(100);
    expect(monitor.hasExpired(start + 100)).toBe(false);
    expect(monitor.hasExpired(start + 101)).toBe(true);
    monitor.stop();
  });
});
