// Connected pub/sub client pairs of each library the adapter accepts.
import { Redis } from "ioredis";
import { createClient } from "redis";
import { createClient as createClientV4 } from "redis-v4";
import type { AnyRedisClient } from "../../src/index";

export type ClientLibrary = "redis@5" | "redis@4" | "ioredis";

export const CLIENT_LIBRARIES: readonly ClientLibrary[] = ["redis@5", "redis@4", "ioredis"];

export interface ClientPair {
  readonly pub: AnyRedisClient;
  readonly sub: AnyRedisClient;
  /** Closes both connections. */
  close(): Promise<void>;
}

/** Quiet error listeners: the clients log reconnection errors otherwise; the adapter reports its own. */
const ignore = (): void => undefined;

export async function connectPair(library: ClientLibrary, port: number): Promise<ClientPair> {
  const url = `redis://127.0.0.1:${port}`;
  switch (library) {
    case "redis@5": {
      const pub = createClient({ url });
      pub.on("error", ignore);
      const sub = pub.duplicate();
      sub.on("error", ignore);
      await Promise.all([pub.connect(), sub.connect()]);
      return { pub, sub, close: async () => void (await Promise.all([pub.close(), sub.close()])) };
    }
    case "redis@4": {
      const pub = createClientV4({ url });
      pub.on("error", ignore);
      const sub = pub.duplicate();
      sub.on("error", ignore);
      await Promise.all([pub.connect(), sub.connect()]);
      return { pub, sub, close: async () => void (await Promise.all([pub.quit(), sub.quit()])) };
    }
    case "ioredis": {
      const pub = new Redis({ port, host: "127.0.0.1", lazyConnect: true });
      pub.on("error", ignore);
      const sub = pub.duplicate();
      sub.on("error", ignore);
      await Promise.all([pub.connect(), sub.connect()]);
      return { pub, sub, close: async () => void (await Promise.all([pub.quit(), sub.quit()])) };
    }
  }
}
