// installTimerFunctions and nextTick against engine.io-client's (socket.io-client's Manager
// uses both): same timer functions under a fake clock, same ordering and arguments.
import { afterEach, describe, expect, it, jest } from "@jest/globals";
import * as upstream from "engine.io-client";
import * as volley from "../../src/index";
import { nextTick as browserNextTick } from "../../src/index.browser";

interface Timers {
  setTimeoutFn: typeof setTimeout;
  clearTimeoutFn: typeof clearTimeout;
}

const IMPLEMENTATIONS = [
  ["engine.io-client", upstream.installTimerFunctions, upstream.nextTick],
  ["volley", volley.installTimerFunctions, volley.nextTick],
] as const;

describe.each(IMPLEMENTATIONS)("%s timer helpers", (_, installTimerFunctions, nextTick) => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it("installTimerFunctions: native timers ignore a fake clock installed later, the default follows it", async () => {
    jest.useFakeTimers();
    const native = {} as Timers;
    const current = {} as Timers;
    installTimerFunctions(native, { useNativeTimers: true });
    installTimerFunctions(current, {});
    const fired: string[] = [];
    current.setTimeoutFn(() => fired.push("current"), 5);
    const cleared = native.setTimeoutFn(() => fired.push("cleared"), 1);
    native.clearTimeoutFn(cleared);
    await new Promise<void>((resolve) => native.setTimeoutFn(resolve, 5));
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(5);
    expect(fired).toEqual(["current"]);
  });

  it("nextTick runs after the current code, before timers, with its arguments", async () => {
    const order: unknown[] = [];
    setTimeout(() => order.push("timeout"), 0);
    const done = new Promise<void>((resolve) => setTimeout(resolve, 0));
    nextTick((...args: unknown[]) => order.push(["tick", ...args]), "a", 1);
    order.push("sync");
    await done;
    expect(order).toEqual(["sync", ["tick", "a", 1], "timeout"]);
  });
});

it("the browser entry's nextTick runs in a microtask, as engine.io-client's browser build", async () => {
  const order: string[] = [];
  const done = new Promise<void>((resolve) => setTimeout(resolve, 0));
  browserNextTick(() => order.push("tick"));
  order.push("sync");
  await done;
  expect(order).toEqual(["sync", "tick"]);
});
