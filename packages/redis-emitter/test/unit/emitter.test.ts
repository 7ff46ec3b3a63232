// What the emitter refuses before anything reaches Redis (each with its documented error,
// nothing published), and what it accepts as a client.
import { describe, expect, it } from "@jest/globals";
import {
  AckNotSupportedError,
  Emitter,
  EncodeError,
  InvalidArgumentError,
  InvalidClientError,
  REDIS_EMITTER_ERROR_CODES,
  RESERVED_SERVER_SIDE_EVENTS,
  ReservedEventError,
} from "../../src/index";
import { recordingClient } from "../helpers/recording-client";

/** An emitter whose every method may be called with anything (the typed API forbids most of it). */
function untyped() {
  const client = recordingClient();
  const emitter = new Emitter(client);
  return { client, emitter: emitter as unknown as Record<string, (...args: unknown[]) => unknown> & Emitter };
}

describe("Emitter arguments", () => {
  it("refuses the reserved event names, publishing nothing", () => {
    const { client, emitter } = untyped();
    for (const event of ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]) {
      expect(() => emitter.emit(event)).toThrow(ReservedEventError);
      expect(() => emitter.to("room").emit(event)).toThrow(`"${event}" is a reserved event name`);
      expect(() => emitter.serverSideEmit(event)).toThrow(ReservedEventError);
    }
    expect([...RESERVED_SERVER_SIDE_EVENTS].sort()).toEqual(
      ["connect", "connect_error", "connection", "disconnect", "disconnecting", "new_namespace", "newListener", "removeListener"].sort(),
    );
    expect(() => emitter.serverSideEmit("connection")).toThrow(ReservedEventError);
    expect(() => emitter.serverSideEmit("new_namespace")).toThrow(ReservedEventError);
    // `connection` is a server-side name only: clients may get an event of that name
    emitter.emit("connection");
    expect(client.published).toHaveLength(1);
  });

  it("refuses a callback last (an emitter gets no acknowledgement), and takes one elsewhere for an argument error", () => {
    const { client, emitter } = untyped();
    const callback = (): void => undefined;
    expect(() => emitter.emit("news", 1, callback)).toThrow(AckNotSupportedError);
    expect(() => emitter.volatile.emit("news", callback)).toThrow("acknowledgements are not supported by emit()");
    expect(() => emitter.serverSideEmit("tick", callback)).toThrow("acknowledgements are not supported by serverSideEmit()");
    expect(() => emitter.emit("news", { nested: callback })).toThrow(EncodeError);
    expect(client.published).toEqual([]);
  });

  it("refuses arguments of the wrong type with InvalidArgumentError", () => {
    const { client, emitter } = untyped();
    const cases: [() => unknown, string][] = [
      [() => emitter.emit(42 as never), "the event name must be a string, got 42"],
      [() => emitter.serverSideEmit(Symbol("x") as never), "the event name must be a string, got symbol"],
      [() => emitter.to(["a", 1] as never), "room must be a string or an array of strings, got 1"],
      [() => emitter.except(null as never), "room must be a string or an array of strings, got null"],
      [() => emitter.socketsJoin([{}] as never), "rooms must be a string or an array of strings, got object"],
      [() => emitter.socketsLeave(undefined as never), "rooms must be a string or an array of strings, got undefined"],
      [() => emitter.compress("yes" as never), 'compress must be a boolean, got "yes"'],
      [() => emitter.disconnectSockets(1 as never), "close must be a boolean, got 1"],
      [() => emitter.of(3 as never), "nsp must be a string, got 3"],
      [() => new Emitter(recordingClient(), {}, "admin"), 'nsp must be a string starting with "/", got "admin"'],
    ];
    for (const [call, message] of cases) {
      expect(call).toThrow(InvalidArgumentError);
      expect(call).toThrow(message);
    }
    expect(client.published).toEqual([]);
  });

  it("takes node-redis, ioredis and RedisClientLike clients, and refuses anything else", () => {
    for (const client of [{}, null, "redis://localhost", { publish: () => undefined }]) {
      expect(() => new Emitter(client as never)).toThrow(InvalidClientError);
    }
    try {
      new Emitter({} as never);
    } catch (error) {
      expect((error as InvalidClientError).code).toBe(REDIS_EMITTER_ERROR_CODES.INVALID_CLIENT);
      expect((error as Error).message).toBe("redisClient must be a node-redis 4/5 client, an ioredis 5 client or a RedisClientLike, got object");
    }
    const port = recordingClient();
    expect(new Emitter(port).redisClient).toBe(port);
  });

  it("of() adds the leading slash, shares the id and options, and leaves the emitter it was called on alone", () => {
    const { client, emitter } = untyped();
    const admin = emitter.of("admin");
    expect(admin.nsp).toBe("/admin");
    expect(emitter.of("/x").nsp).toBe("/x");
    expect(admin.of("/y").nsp).toBe("/y");
    expect(emitter.nsp).toBe("/");
    expect(admin.uid).toBe(emitter.uid);
    expect(admin.options).toBe(emitter.options);
    expect(new Emitter(client).uid).not.toBe(emitter.uid);
    admin.emit("alert");
    expect(client.published.map((item) => [item.command, item.channel])).toEqual([["publish", "socket.io#/admin#"]]);
  });
});
