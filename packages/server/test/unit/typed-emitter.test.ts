import { EventEmitter } from "node:events";
import { describe, expect, it, jest } from "@jest/globals";
import { TypedListeners } from "../../src/typed-emitter";
import type { DefaultEventsMap, EventsMap } from "../../src/typed-events";

interface Reserved {
  ready: (value: number) => void;
}

/** Exposes the protected emits, as Socket and Namespace use them. */
class Emitter extends TypedListeners<Reserved, DefaultEventsMap> {
  constructor(sharedWith?: TypedListeners<EventsMap, EventsMap>) {
    super(sharedWith);
  }
  fire(event: string, ...args: unknown[]): boolean {
    return this.emitUntyped(event, args);
  }
  ready(value: number): boolean {
    return this.emitReserved("ready", value);
  }
}

describe("TypedListeners", () => {
  it("calls listeners in order with the arguments, `this` being the emitter", () => {
    const emitter = new Emitter();
    const calls: unknown[] = [];
    emitter.on("a", function (this: unknown, ...args: unknown[]) {
      calls.push(["first", this === emitter, ...args]);
    });
    emitter.on("a", (...args: unknown[]) => calls.push(["second", ...args]));
    emitter.prependListener("a", () => calls.push(["prepended"]));
    expect(emitter.fire("a", 1, "x")).toBe(true);
    expect(calls).toEqual([["prepended"], ["first", true, 1, "x"], ["second", 1, "x"]]);
    expect(emitter.fire("none")).toBe(false);
    const ready = jest.fn();
    emitter.on("ready", ready);
    expect(emitter.ready(7)).toBe(true);
    expect(ready).toHaveBeenCalledWith(7);
  });

  it("takes a numeric event name as its string form, as EventEmitter's property keys do", () => {
    const emitter = new Emitter();
    const node = new EventEmitter();
    // what JavaScript callers may pass: the typings take strings only
    const untyped = emitter as unknown as Record<"on" | "off" | "listenerCount", (event: unknown, listener?: unknown) => unknown>;
    const listener = jest.fn();
    untyped.on(1, listener);
    node.on(1 as unknown as string, listener);
    expect(emitter.fire("1", "x")).toBe(node.emit("1", "x"));
    expect(listener).toHaveBeenCalledTimes(2);
    expect(untyped.listenerCount(1)).toBe(node.listenerCount(1 as unknown as string));
    expect(emitter.eventNames()).toEqual(node.eventNames());
    untyped.off(1, listener);
    node.off(1 as unknown as string, listener);
    expect(emitter.listenerCount("1")).toBe(0);
    expect(emitter.eventNames()).toEqual(node.eventNames());
  });

  it("once: called once, listed as given, removable before it fires", () => {
    const emitter = new Emitter();
    const once = jest.fn();
    emitter.once("a", once);
    expect(emitter.listeners("a")).toEqual([once]);
    emitter.fire("a", 1);
    emitter.fire("a", 2);
    expect(once).toHaveBeenCalledTimes(1);
    expect(once).toHaveBeenCalledWith(1);
    expect(emitter.listenerCount("a")).toBe(0);
    const never = jest.fn();
    emitter.once("b", never);
    emitter.off("b", never);
    emitter.fire("b");
    expect(never).not.toHaveBeenCalled();
  });

  it("off removes the last registration of a listener; removeAllListeners one event or all", () => {
    const emitter = new Emitter();
    const listener = jest.fn();
    const other = jest.fn();
    emitter.on("a", listener).on("a", other).on("a", listener).on("b", other);
    expect(emitter.listeners("a")).toEqual([listener, other, listener]);
    emitter.off("a", listener);
    expect(emitter.listeners("a")).toEqual([listener, other]);
    emitter.off("a", jest.fn());
    expect(emitter.listenerCount("a")).toBe(2);
    expect(emitter.eventNames()).toEqual(["a", "b"]);
    emitter.removeAllListeners("a");
    expect(emitter.eventNames()).toEqual(["b"]);
    emitter.removeAllListeners();
    expect(emitter.eventNames()).toEqual([]);
    expect(emitter.fire("b")).toBe(false);
  });

  it("an emit runs the listeners it started with (added ones wait, removed ones still run)", () => {
    const emitter = new Emitter();
    const added = jest.fn();
    const second = jest.fn();
    emitter.on("a", () => {
      emitter.on("a", added);
      emitter.off("a", second);
    });
    emitter.on("a", second);
    emitter.fire("a");
    expect(second).toHaveBeenCalledTimes(1);
    expect(added).not.toHaveBeenCalled();
    emitter.fire("a");
    expect(second).toHaveBeenCalledTimes(1);
    expect(added).toHaveBeenCalledTimes(1);
  });

  it("newListener and removeListener events, as EventEmitter emits them", () => {
    const emitter = new Emitter();
    const seen: unknown[] = [];
    emitter.on("newListener", (event: string) => seen.push(["new", event]));
    emitter.on("removeListener", (event: string) => seen.push(["removed", event]));
    const listener = jest.fn();
    emitter.once("a", listener);
    emitter.fire("a");
    emitter.on("b", listener).on("b", listener);
    emitter.removeAllListeners();
    expect(seen).toEqual([
      ["new", "removeListener"],
      ["new", "a"],
      ["removed", "a"],
      ["new", "b"],
      ["new", "b"],
      ["removed", "newListener"],
      ["removed", "b"],
      ["removed", "b"],
    ]);
    expect(emitter.eventNames()).toEqual([]);
  });

  it("an error event without listeners is dropped, not thrown; a listener's exception propagates", () => {
    const emitter = new Emitter();
    expect(emitter.fire("error", new Error("from a peer"))).toBe(false);
    emitter.on("boom", () => {
      throw new Error("listener failed");
    });
    expect(() => emitter.fire("boom")).toThrow("listener failed");
  });

  it("refuses a listener that is not a function", () => {
    const emitter = new Emitter();
    expect(() => emitter.on("a", "nope" as never)).toThrow(TypeError);
    expect(() => emitter.once("a", undefined as never)).toThrow(TypeError);
    expect(emitter.listenerCount("a")).toBe(0);
  });

  it("shares the listeners of another emitter (the server and its main namespace)", () => {
    const server = new Emitter();
    const namespace = new Emitter(server as TypedListeners<EventsMap, EventsMap>);
    const calls: unknown[] = [];
    server.on("connection", function (this: unknown, id: string) {
      calls.push([this === namespace, id]);
    });
    expect(namespace.listenerCount("connection")).toBe(1);
    namespace.fire("connection", "s1");
    expect(calls).toEqual([[true, "s1"]]);
    namespace.removeAllListeners();
    expect(server.eventNames()).toEqual([]);
  });
});
