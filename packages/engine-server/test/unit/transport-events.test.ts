import { EventEmitter } from "node:events";
import { describe, expect, it } from "@jest/globals";
import { TRANSPORT_ERROR_CODES, Transport, TransportError } from "../../src";
import { FakeTransport, fakeSession } from "../helpers/fake-transport";

describe("Transport as an EventEmitter", () => {
  it("is one, with EventEmitter's statics, yet holds no listener state until someone listens", () => {
    const transport = new FakeTransport();
    expect(transport).toBeInstanceOf(EventEmitter);
    expect(transport).toBeInstanceOf(Transport);
    expect(Transport.defaultMaxListeners).toBe(EventEmitter.defaultMaxListeners);
    // the memory an unwatched transport saves: no _events, _eventsCount, _maxListeners…
    expect(Object.keys(transport).filter((key) => key.startsWith("_"))).toEqual([]);
    expect(transport.listenerCount("packet")).toBe(0);
    expect(transport.eventNames()).toEqual([]);
    expect(transport.emit("packet", { type: "noop" })).toBe(false);
  });

  it("emits nothing while nobody listens, then every event once someone does (on, once, prepend…)", () => {
    const { socket, transport } = fakeSession();
    const seen: string[] = [];
    transport.receive({ type: "message", data: "unheard" });
    transport.once("packet", (packet) => seen.push(`once:${String(packet.data)}`));
    transport.prependListener("packet", (packet) => seen.push(`first:${String(packet.data)}`));
    transport.addListener("ready", () => seen.push("ready"));
    transport.receive({ type: "message", data: "a" });
    transport.receive({ type: "message", data: "b" });
    transport.ready();
    expect(seen).toEqual(["first:a", "once:a", "first:b", "ready"]);
    socket.close(true);
  });

  it("the session handles a packet first; a listener added meanwhile does not get it (as one emit)", () => {
    const { socket, transport } = fakeSession();
    const seen: string[] = [];
    socket.on("message", (data) => {
      seen.push(`session:${String(data)}`);
      transport.on("packet", (packet) => seen.push(`transport:${String(packet.data)}`));
    });
    transport.receive({ type: "message", data: "a" });
    transport.receive({ type: "message", data: "b" });
    expect(seen).toEqual(["session:a", "session:b", "transport:b"]);
    socket.close(true);
  });

  it("an error is emitted only to error listeners (never thrown), after the session handled it", () => {
    const { socket, transport } = fakeSession();
    const seen: string[] = [];
    transport.on("close", () => seen.push("transport close"));
    socket.on("close", (reason) => seen.push(`session ${reason}`));
    const err = new TransportError(TRANSPORT_ERROR_CODES.WRITE_ERROR, "write error");
    expect(() => transport.fail(err)).not.toThrow();
    // (which of the two closes comes first is the later close-ordering work's business)
    expect(seen.sort()).toEqual(["session transport error", "transport close"]);

    const other = fakeSession();
    const errors: unknown[] = [];
    other.transport.on("error", (e) => errors.push([e, other.socket.readyState]));
    other.transport.fail(err);
    expect(errors).toEqual([[err, "closed"]]);
  });
});
