// One server process of the chat (a cluster worker, or a standalone server behind a load
// balancer): the chat example's server with @volley/redis-adapter, so that every process
// shares rooms, broadcasts, names, the online count and recovered sessions.
import { createChatServer } from "@volley/example-chat";
import { createAdapter, RedisAdapterBase } from "@volley/redis-adapter";
import { connectRedis, REDIS_KEY } from "./redis.js";

/**
 * What a process tells each client on connection, so that one can see (and the tests can
 * check) which process serves it. Not part of the chat's own events: the page ignores it.
 * @typedef {{ node: (info: { name: string, pid: number }) => void }} NodeEvents
 */

/**
 * Starts the chat on this process, sharing its state through Redis. The HTTP server does not
 * listen: the caller listens, or hands it connections (@volley/sticky's setupWorker).
 * @param {{ name: string, redisUrl: string, cookie?: string | undefined }} options
 *   `name` shows in the log and in the `node` event; `cookie` names the session cookie
 */
export async function startNode({ name, redisUrl, cookie }) {
  const pubClient = await connectRedis(redisUrl, `${name} pub`);
  const subClient = await connectRedis(redisUrl, `${name} sub`).catch(async (error) => {
    await pubClient.close();
    throw error;
  });
  const chat = createChatServer({
    serverOptions: {
      adapter: createAdapter(pubClient, subClient, { key: REDIS_KEY }),
      ...(cookie === undefined ? {} : { cookie: { name: cookie } }),
    },
  });
  const adapter = redisAdapter(chat.io);
  adapter.on("error", (error) => console.error(`${name}: ${error.message}`));
  chat.io.on("connection", (socket) => {
    /** @type {import("@volley/server").Socket<{}, NodeEvents>} */ (/** @type {unknown} */ (socket)).emit("node", { name, pid: process.pid });
  });
  /** @type {Promise<void> | undefined} */
  let closing;
  return {
    httpServer: chat.httpServer,
    io: chat.io,
    /**
     * Resolves once this process knows `count` other processes of the chat (within `timeoutMs`).
     * @param {number} count @param {number} [timeoutMs]
     */
    peers(count, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (adapter.liveNodes().length < count) return;
          clearTimeout(timer);
          adapter.off("node-up", check);
          resolve(undefined);
        };
        const timer = setTimeout(() => {
          adapter.off("node-up", check);
          reject(new Error(`${name} sees ${adapter.liveNodes().length} other processes of ${count} after ${timeoutMs} ms`));
        }, timeoutMs);
        adapter.on("node-up", check);
        check();
      });
    },
    /** Closes the chat (its clients are told the server is shutting down), then the Redis clients. */
    close() {
      closing ??= chat.close().then(async () => {
        await Promise.all([pubClient.close(), subClient.close()]);
      });
      return closing;
    },
  };
}

/** @param {import("@volley/server").Server} io */
function redisAdapter(io) {
  const adapter = io.of("/").adapter;
  if (!(adapter instanceof RedisAdapterBase)) throw new Error("the chat runs without the Redis adapter");
  return adapter;
}
