import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { AckTimeoutError } from "../../src";
import { AckRegistry } from "../../src/internal/acks";

describe("AckRegistry", () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it("answers a plain ack once with the client's arguments", () => {
    const acks = new AckRegistry();
    const callback = jest.fn();
    acks.register(1, callback, undefined);
    expect(acks.resolve(1, ["a", 2])).toBe(true);
    expect(acks.resolve(1, ["again"])).toBe(false);
    expect(callback).toHaveBeenCalledTimes(1);
    expect(callback).toHaveBeenCalledWith("a", 2);
    expect(acks.size).toBe(0);
  });

  it("with a timeout: null first when in time, AckTimeoutError at the limit", () => {
    const acks = new AckRegistry();
    const inTime = jest.fn();
    const late = jest.fn();
    acks.register(1, inTime, 100);
    acks.register(2, late, 100);
    jest.advanceTimersByTime(99);
    expect(acks.resolve(1, ["ok"])).toBe(true);
    expect(inTime).toHaveBeenCalledWith(null, "ok");
    expect(late).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(late).toHaveBeenCalledTimes(1);
    expect(late.mock.calls[0]![0]).toBeInstanceOf(AckTimeoutError);
    expect(acks.resolve(2, ["too late"])).toBe(false);
    expect(late).toHaveBeenCalledTimes(1);
  });

  it("delete forgets an ack without calling it, and its timer with it", () => {
    const acks = new AckRegistry();
    const forgotten = jest.fn();
    const kept = jest.fn();
    acks.register(1, forgotten, 100);
    acks.register(2, kept, undefined);
    expect(acks.delete(1)).toBe(true);
    expect(acks.delete(1)).toBe(false);
    expect(acks.size).toBe(1);
    jest.advanceTimersByTime(100);
    expect(forgotten).not.toHaveBeenCalled();
    expect(acks.resolve(1, ["late"])).toBe(false);
    expect(acks.resolve(2, ["ok"])).toBe(true);
    expect(kept).toHaveBeenCalledWith("ok");
  });

  it("rejectAll gives error-first callbacks the error and drops the others", () => {
    const acks = new AckRegistry();
    const plain = jest.fn();
    const errorFirst = jest.fn();
    const timed = jest.fn();
    acks.register(1, plain, undefined);
    acks.register(2, errorFirst, undefined, true);
    acks.register(3, timed, 1000);
    const error = new Error("gone");
    acks.rejectAll(error);
    expect(plain).not.toHaveBeenCalled();
    expect(errorFirst).toHaveBeenCalledWith(error);
    expect(timed).toHaveBeenCalledWith(error);
    jest.advanceTimersByTime(2000);
    expect(timed).toHaveBeenCalledTimes(1);
    expect(acks.size).toBe(0);
  });

  it("a second registration of one id replaces the first and its timer", () => {
    const acks = new AckRegistry();
    const first = jest.fn();
    const second = jest.fn();
    acks.register(1, first, 50);
    acks.register(1, second, undefined);
    jest.advanceTimersByTime(100);
    expect(first).not.toHaveBeenCalled();
    acks.resolve(1, []);
    expect(second).toHaveBeenCalledTimes(1);
  });
});
