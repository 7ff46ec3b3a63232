import { describe, expect, it } from "@jest/globals";
import {
  DEFAULT_REDIS_ADAPTER_OPTIONS,
  DEFAULT_SHARDED_REDIS_ADAPTER_OPTIONS,
  InvalidOptionError,
  msgpackParser,
  resolveRedisAdapterOptions,
  resolveShardedRedisAdapterOptions,
} from "../../src/index";

describe("options", () => {
  it("has the published defaults", () => {
    expect(resolveRedisAdapterOptions()).toEqual({
      key: "socket.io",
      publishOnSpecificResponseChannel: false,
      parser: msgpackParser,
      base: {},
    });
    expect(resolveShardedRedisAdapterOptions()).toEqual({
      channelPrefix: "socket.io",
      subscriptionMode: "dynamic",
      parser: msgpackParser,
      base: {},
    });
    expect(Object.isFrozen(DEFAULT_REDIS_ADAPTER_OPTIONS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_SHARDED_REDIS_ADAPTER_OPTIONS)).toBe(true);
  });

  it("passes the cluster options on to @volley/adapter", () => {
    const resolved = resolveRedisAdapterOptions({ key: "app", requestsTimeout: 100, heartbeatInterval: 50 });
    expect(resolved.base).toEqual({ requestsTimeout: 100, heartbeatInterval: 50 });
    expect(resolved.key).toBe("app");
  });

  it.each([
    [{ key: "" }, "key"],
    [{ key: 3 }, "key"],
    [{ publishOnSpecificResponseChannel: "yes" }, "publishOnSpecificResponseChannel"],
    [{ parser: { encode: () => "" } }, "parser"],
    [{ parser: "json" }, "parser"],
  ])("rejects %j", (options, option) => {
    expect(() => resolveRedisAdapterOptions(options as never)).toThrow(InvalidOptionError);
    try {
      resolveRedisAdapterOptions(options as never);
    } catch (error) {
      expect((error as InvalidOptionError).option).toBe(option);
    }
  });

  it("rejects an unknown subscription mode and an empty prefix", () => {
    expect(() => resolveShardedRedisAdapterOptions({ subscriptionMode: "sometimes" as never })).toThrow(
      'option "subscriptionMode" must be one of static, dynamic, dynamic-private, got "sometimes"',
    );
    expect(() => resolveShardedRedisAdapterOptions({ channelPrefix: "" })).toThrow(InvalidOptionError);
    expect(() => resolveShardedRedisAdapterOptions([] as never)).toThrow(InvalidOptionError);
  });

  it("the default parser is MessagePack and carries binary data as is", () => {
    const message = { type: 3, data: { packet: { data: ["file", Buffer.from([0, 1, 255])] } } };
    const bytes = msgpackParser.encode(message);
    expect(bytes).toBeInstanceOf(Uint8Array);
    const decoded = msgpackParser.decode(Buffer.from(bytes as Uint8Array)) as typeof message;
    expect(Buffer.from(decoded.data.packet.data[1] as Uint8Array)).toEqual(Buffer.from([0, 1, 255]));
  });

  it("the default parser's output stays intact when the next messages are encoded, large or small", () => {
    const first = { type: 3, data: { packet: { data: ["tick", { n: 1, payload: "a".repeat(100) }] } } };
    const second = { type: 3, data: { packet: { data: ["tock", { n: 2, payload: "b".repeat(100) }] } } };
    const large = { type: 3, data: { packet: { data: ["file", Buffer.alloc(100 * 1024, 7)] } } };
    const outputs: [unknown, Uint8Array][] = [];
    for (const message of [first, second, large, first, second]) outputs.push([message, msgpackParser.encode(message) as Uint8Array]);
    // each output is a copy of its own: the later encodings (one of them past the size the
    // encoder keeps, after which the parser takes a fresh one) changed none
    for (const [message, bytes] of outputs) expect(msgpackParser.decode(Buffer.from(bytes))).toEqual(message);
    expect(Buffer.from(outputs[0]![1])).toEqual(Buffer.from(outputs[3]![1]));
  });
});
