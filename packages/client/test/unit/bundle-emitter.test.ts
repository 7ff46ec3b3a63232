// The browser bundles swap eventemitter3 for src/bundle/emitter.ts: the same scenarios run
// on both, and every observable result (calls, return values, listener lists) must match.
import { describe, expect, it } from "@jest/globals";
import { EventEmitter as Reference } from "eventemitter3";
import { EventEmitter as Bundled } from "../../src/bundle/emitter";

type Emitter = InstanceType<typeof Bundled>;
type Scenario = (emitter: Emitter, log: unknown[]) => void;

function run(Class: new () => unknown, scenario: Scenario): unknown[] {
  const log: unknown[] = [];
  scenario(new Class() as Emitter, log);
  return log;
}

const kSymbol = Symbol("event");
const scenarios: Record<string, Scenario> = {
  "order, arguments and return values": (e, log) => {
    log.push(e.emit("a", 1));
    e.on("a", (...args) => log.push(["first", ...args]));
    e.on("a", (...args) => log.push(["second", ...args]));
    log.push(e.emit("a", 1, 2, 3, 4, 5, 6, 7));
    log.push(e.listenerCount("a"), e.listeners("a").length, e.eventNames());
  },
  "once, alone and among others": (e, log) => {
    e.once("a", () => log.push("once"));
    log.push(e.emit("a"), e.emit("a"), e.listenerCount("a"));
    e.on("b", () => log.push("on"));
    e.once("b", () => log.push("once b"));
    e.emit("b");
    e.emit("b");
    log.push(e.listenerCount("b"));
  },
  "context": (e, log) => {
    const context = { name: "ctx" };
    e.on("a", function (this: unknown) {
      log.push(this === context, this === e);
    }, context);
    e.on("a", function (this: unknown) {
      log.push(this === e);
    });
    e.emit("a");
  },
  "removal by listener, context and once flag": (e, log) => {
    const fn = (): number => log.push("fn");
    const context = {};
    e.on("a", fn);
    e.once("a", fn);
    e.on("a", fn, context);
    e.removeListener("a", fn, undefined, true);
    log.push(e.listenerCount("a"));
    e.removeListener("a", fn, context);
    log.push(e.listenerCount("a"));
    e.off("a", fn);
    log.push(e.listenerCount("a"), e.eventNames());
  },
  "listeners added or removed during an emit": (e, log) => {
    const late = (): number => log.push("late");
    const second = (): number => log.push("second");
    e.on("a", () => {
      log.push("first");
      e.off("a", second);
      e.on("a", late);
    });
    e.on("a", second);
    e.emit("a");
    e.emit("a");
    e.on("b", () => {
      log.push("b1");
      e.on("b", () => log.push("b-added"));
    });
    e.on("b", () => log.push("b2"));
    e.on("b", () => log.push("b3"));
    e.emit("b");
  },
  "removeAllListeners, symbols, missing listener": (e, log) => {
    e.on(kSymbol, () => log.push("symbol"));
    e.on("x", () => log.push("x"));
    log.push(e.emit(kSymbol), e.eventNames().length);
    e.removeAllListeners("x");
    log.push(e.eventNames().length);
    e.removeAllListeners();
    log.push(e.eventNames().length, e.emit(kSymbol));
    try {
      e.on("a", undefined as never);
    } catch (error) {
      log.push((error as Error).name, (error as Error).message);
    }
    log.push(e.removeListener("none") === e, e.on("z", () => {}) === e);
  },
};

describe("src/bundle/emitter.ts behaves as eventemitter3", () => {
  it.each(Object.keys(scenarios))("%s", (name) => {
    const scenario = scenarios[name] as Scenario;
    expect(run(Bundled, scenario)).toEqual(run(Reference as never, scenario));
  });

  it("has eventemitter3's statics", () => {
    expect(Bundled.EventEmitter).toBe(Bundled);
    expect(Bundled.prefixed).toBe(Reference.prefixed);
  });
});
