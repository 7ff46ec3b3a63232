import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { Deadline, DeadlineQueue } from "../../src/internal/deadline-queue";

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

function setup(delayMs = 100): { queue: DeadlineQueue<string>; fired: string[]; deadline: (name: string) => Deadline<string> } {
  const fired: string[] = [];
  const queue = new DeadlineQueue<string>(delayMs, (owner) => fired.push(owner));
  return { queue, fired, deadline: (name) => new Deadline(name) };
}

describe("DeadlineQueue", () => {
  it("fires each deadline delayMs after it was added, in order, with one timer for all", () => {
    const { queue, fired, deadline } = setup(100);
    queue.add(deadline("a"));
    jest.advanceTimersByTime(30);
    queue.add(deadline("b"));
    queue.add(deadline("c"));
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(69);
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual(["a"]);
    jest.advanceTimersByTime(29);
    expect(fired).toEqual(["a"]);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual(["a", "b", "c"]);
    expect(queue.isEmpty).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it("add() again restarts a deadline (it moves behind the others)", () => {
    const { queue, fired, deadline } = setup(100);
    const a = deadline("a");
    queue.add(a);
    queue.add(deadline("b"));
    jest.advanceTimersByTime(50);
    queue.add(a);
    jest.advanceTimersByTime(50);
    expect(fired).toEqual(["b"]);
    jest.advanceTimersByTime(49);
    expect(fired).toEqual(["b"]);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual(["b", "a"]);
  });

  it("a removed deadline never fires; the timer stops with the last one", () => {
    const { queue, fired, deadline } = setup(100);
    const a = deadline("a");
    const b = deadline("b");
    queue.add(a);
    jest.advanceTimersByTime(10);
    queue.add(b);
    a.cancel();
    expect(a.queue).toBeUndefined();
    // the timer armed for `a` fires early for `b`, then waits the 10 ms left
    jest.advanceTimersByTime(90);
    expect(fired).toEqual([]);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(10);
    expect(fired).toEqual(["b"]);
    queue.add(a);
    b.cancel(); // not queued: nothing happens
    a.cancel();
    expect(queue.isEmpty).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(1000);
    expect(fired).toEqual(["b"]);
  });

  it("moving a deadline to another queue takes it out of the first", () => {
    const first = setup(100);
    const fired: string[] = [];
    const second = new DeadlineQueue<string>(300, (owner) => fired.push(`second:${owner}`));
    const a = first.deadline("a");
    first.queue.add(a);
    second.add(a);
    expect(first.queue.isEmpty).toBe(true);
    expect(a.queue).toBe(second);
    jest.advanceTimersByTime(299);
    expect([...first.fired, ...fired]).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual(["second:a"]);
  });

  it("what an expiring owner queues waits for the next run, even with a 1 ms delay", () => {
    const fired: string[] = [];
    const a = new Deadline("a");
    const queue: DeadlineQueue<string> = new DeadlineQueue<string>(1, (owner) => {
      fired.push(owner);
      if (fired.length < 3) queue.add(a);
    });
    queue.add(a);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual(["a"]);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual(["a", "a"]);
    jest.advanceTimersByTime(10);
    expect(fired).toEqual(["a", "a", "a"]);
    expect(jest.getTimerCount()).toBe(0);
  });
});
