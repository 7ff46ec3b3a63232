// A RedisClientLike (the public port for other clients) that keeps what is published
// instead of sending it: for the checks that happen before anything reaches Redis.
import type { RedisClientLike } from "@volley/redis-adapter";

export interface Published {
  readonly command: "publish" | "spublish";
  readonly channel: string;
  readonly message: Buffer;
}

export function recordingClient(): RedisClientLike & { readonly published: Published[] } {
  const published: Published[] = [];
  const unused = (): Promise<void> => Promise.reject(new Error("an emitter never subscribes"));
  return {
    published,
    publish: async (channel, message) => void published.push({ command: "publish", channel, message }),
    spublish: async (channel, message) => void published.push({ command: "spublish", channel, message }),
    subscribe: unused,
    unsubscribe: unused,
    ssubscribe: unused,
    sunsubscribe: unused,
    onError: () => () => undefined,
  };
}
