import { EventEmitter } from "node:events";
import { describe, expect, it } from "@jest/globals";
import type { Socket as EngineSocket } from "@volley/engine-server";
import { EngineListeners, type EngineSocketHandler } from "../../src/internal/engine-listeners";
import { kOnEngineClose, kOnEngineData } from "../../src/internal/symbols";

class RecordingHandler implements EngineSocketHandler {
  readonly seen: unknown[] = [];
  [kOnEngineData](data: unknown): void {
    this.seen.push(["data", data]);
  }
  [kOnEngineClose](reason: string): void {
    this.seen.push(["close", reason]);
  }
}

describe("EngineListeners", () => {
  it("routes each socket's data and close to its own handler, with one listener function per event for all", () => {
    const listeners = new EngineListeners();
    const a = new EventEmitter();
    const b = new EventEmitter();
    const onA = new RecordingHandler();
    const onB = new RecordingHandler();
    listeners.attach(a as unknown as EngineSocket, onA);
    listeners.attach(b as unknown as EngineSocket, onB);
    expect(a.listeners("data")[0]).toBe(b.listeners("data")[0]);
    a.emit("data", "1");
    b.emit("data", "2");
    a.emit("close", "transport close");
    a.emit("data", "after close");
    expect(onA.seen).toEqual([
      ["data", "1"],
      ["close", "transport close"],
    ]);
    expect(onB.seen).toEqual([["data", "2"]]);
  });

  it("a detached socket's events reach nobody", () => {
    const listeners = new EngineListeners();
    const conn = new EventEmitter();
    const handler = new RecordingHandler();
    listeners.attach(conn as unknown as EngineSocket, handler);
    listeners.detach(conn as unknown as EngineSocket);
    conn.emit("data", "x");
    conn.emit("close", "forced close");
    expect(handler.seen).toEqual([]);
  });
});
