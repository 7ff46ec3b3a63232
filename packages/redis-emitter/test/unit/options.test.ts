// The options of new Emitter(): the adapter's names and defaults, every value validated,
// and the other mode's names refused with a pointer to the right one.
import { describe, expect, it } from "@jest/globals";
import { DEFAULT_REDIS_ADAPTER_OPTIONS, DEFAULT_SHARDED_REDIS_ADAPTER_OPTIONS, msgpackParser } from "@volley/redis-adapter";
import { Emitter, InvalidOptionError, REDIS_EMITTER_ERROR_CODES, resolveEmitterOptions, type EmitterOptions } from "../../src/index";
import { recordingClient } from "../helpers/recording-client";

describe("resolveEmitterOptions", () => {
  it("defaults to classic mode with the adapter's key and parser", () => {
    const resolved = resolveEmitterOptions();
    expect(resolved).toEqual({ sharded: false, key: DEFAULT_REDIS_ADAPTER_OPTIONS.key, parser: msgpackParser, onError: undefined });
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(resolveEmitterOptions({ key: "app", sharded: false })).toMatchObject({ sharded: false, key: "app" });
  });

  it("gives the sharded mode the adapter's channelPrefix and subscriptionMode defaults", () => {
    expect(resolveEmitterOptions({ sharded: true })).toEqual({
      sharded: true,
      channelPrefix: DEFAULT_SHARDED_REDIS_ADAPTER_OPTIONS.channelPrefix,
      subscriptionMode: "dynamic",
      parser: msgpackParser,
      onError: undefined,
    });
    const onError = (): void => undefined;
    expect(resolveEmitterOptions({ sharded: true, channelPrefix: "p", subscriptionMode: "static", onError })).toMatchObject({
      channelPrefix: "p",
      subscriptionMode: "static",
      onError,
    });
  });

  it("refuses wrong values with InvalidOptionError naming the option", () => {
    const cases: [unknown, string, string][] = [
      [null, "options", 'option "options" must be an object, got null'],
      [[], "options", 'option "options" must be an object, got object'],
      [{ sharded: "yes" }, "sharded", 'option "sharded" must be a boolean, got string'],
      [{ onError: 1 }, "onError", 'option "onError" must be a function, got number'],
      [{ key: "" }, "key", 'option "key" must be a non-empty string, got ""'],
      [{ key: 3 }, "key", 'option "key" must be a non-empty string, got 3'],
      [{ parser: {} }, "parser", 'option "parser" must be an object with encode() and decode(), got object'],
      [{ sharded: true, channelPrefix: "" }, "channelPrefix", 'option "channelPrefix" must be a non-empty string, got ""'],
      [{ sharded: true, subscriptionMode: "sometimes" }, "subscriptionMode", 'option "subscriptionMode" must be one of static, dynamic, dynamic-private, got "sometimes"'],
      [{ sharded: true, key: "app" }, "key", 'option "key" is the prefix of the classic mode: with sharded: true, use "channelPrefix"'],
      [{ channelPrefix: "app" }, "channelPrefix", 'option "channelPrefix" applies to the sharded mode only: add sharded: true, or use "key"'],
      [{ subscriptionMode: "static" }, "subscriptionMode", 'option "subscriptionMode" applies to the sharded mode only: add sharded: true, or use "key"'],
      [{ host: "localhost" }, "host", 'option "host" is not an option of the emitter'],
    ];
    for (const [options, option, message] of cases) {
      let thrown: unknown;
      try {
        resolveEmitterOptions(options as EmitterOptions);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidOptionError);
      expect((thrown as InvalidOptionError).code).toBe(REDIS_EMITTER_ERROR_CODES.INVALID_OPTION);
      expect((thrown as InvalidOptionError).option).toBe(option);
      expect((thrown as Error).message).toBe(message);
    }
  });

  it("ignores options set to undefined, and the constructor validates before anything else", () => {
    expect(resolveEmitterOptions({ key: undefined, parser: undefined })).toMatchObject({ key: "socket.io" });
    expect(resolveEmitterOptions({ sharded: true, channelPrefix: undefined, key: undefined } as EmitterOptions)).toMatchObject({ channelPrefix: "socket.io" });
    expect(() => new Emitter(recordingClient(), { key: "" })).toThrow(InvalidOptionError);
  });
});
