// A publish that fails (the client was closed, Redis is gone) is reported to onError as a
// PublishError, or logged without one; no rejection escapes and nothing throws into the
// caller, with each client library.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { Emitter, PublishError, REDIS_EMITTER_ERROR_CODES } from "../../src/index";
import { CLIENT_LIBRARIES, connectPair, startRedisServer, type RedisServer } from "../helpers/cluster";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeAll(() => {
  process.on("unhandledRejection", onUnhandled);
});
afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
});
afterEach(() => {
  unhandled.length = 0;
});

/** Lets Node report the rejections left unhandled by what ran so far. */
const rejectionsReported = () => new Promise((resolve) => setImmediate(resolve));

describe.each(CLIENT_LIBRARIES)("with %s", (library) => {
  it("reports a failed PUBLISH to onError, and a failure without onError escapes nowhere", async () => {
    const pair = await connectPair(library, redis.port);
    await pair.close();
    const silent = new Emitter(pair.pub, { key: "app" });
    expect(silent.emit("news", "lost")).toBe(true);
    silent.to("room").disconnectSockets();
    const errors: PublishError[] = [];
    const reported = new Promise<void>((resolve) => {
      const emitter = new Emitter(pair.pub, {
        sharded: true,
        channelPrefix: "app",
        onError: (error) => {
          errors.push(error);
          resolve();
        },
      });
      emitter.serverSideEmit("tick");
    });
    await reported;
    await rejectionsReported();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(PublishError);
    expect(errors[0]?.code).toBe(REDIS_EMITTER_ERROR_CODES.PUBLISH_FAILED);
    expect(errors[0]?.channel).toBe("app#/#");
    expect(errors[0]?.cause).toBeInstanceOf(Error);
    expect(unhandled).toEqual([]);
  });

  it("keeps an onError that throws from escaping", async () => {
    const pair = await connectPair(library, redis.port);
    await pair.close();
    const called = new Promise<void>((resolve) => {
      new Emitter(pair.pub, {
        onError: () => {
          resolve();
          throw new Error("a listener bug");
        },
      }).emit("news");
    });
    await called;
    await rejectionsReported();
    expect(unhandled).toEqual([]);
  });
});
