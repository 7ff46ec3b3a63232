// Where the chat's processes and the announcement script meet: one Redis server, the same
// channel prefix (the adapter's `key`, the emitter's `key`).
import { createClient } from "redis";

/** The channel prefix of this chat's adapters and emitters. */
export const REDIS_KEY = "volley-chat";

export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/** How long connecting to Redis may take before the process gives up. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A connected node-redis client. Its errors (a lost connection: it reconnects by itself)
 * are logged, never thrown.
 * @param {string} url
 * @param {string} role what the client is for, in the log
 * @returns {Promise<import("redis").RedisClientType>}
 */
export async function connectRedis(url, role) {
  /** @type {import("redis").RedisClientType} */
  const client = createClient({ url, socket: { connectTimeout: CONNECT_TIMEOUT_MS } });
  let reported = false;
  client.on("error", (/** @type {Error} */ error) => {
    // Once per outage: the client retries on its own.
    if (reported) return;
    reported = true;
    console.error(`redis (${role}): ${error.message}`);
  });
  client.on("ready", () => (reported = false));
  let timer;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`cannot reach Redis at ${url} within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    client.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return client;
}
