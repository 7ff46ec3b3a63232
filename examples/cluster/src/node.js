// One server process of the chat (a cluster worker, or a standalone server behind a load
// balancer): the chat example's server with an adapter that shares rooms, broadcasts, names,
// the online count and recovered sessions with the other processes: @volley/redis-adapter
// when a Redis URL is given, else @volley/cluster-adapter in a cluster worker (the primary
// relays), else none (a standalone server on its own).
import cluster from "node:cluster";
import { createAdapter as createClusterAdapter } from "@volley/cluster-adapter";
import { createChatServer } from "@volley/example-chat";
import { createAdapter as createRedisAdapter } from "@volley/redis-adapter";
import { connectRedis, REDIS_KEY } from "./redis.js";

/**
 * What a process tells each client on connection, so that one can see (and the tests can
 * check) which process serves it. Not part of the chat's own events: the page ignores it.
 * @typedef {{ node: (info: { name: string, pid: number }) => void }} NodeEvents
 */

/**
 * The adapter of this process, and what closes what it opened.
 * @param {string} name @param {string | undefined} redisUrl
 */
async function chooseAdapter(name, redisUrl) {
  if (redisUrl === undefined) {
    return { adapter: cluster.isWorker ? createClusterAdapter() : undefined, close: async () => undefined };
  }
  const pubClient = await connectRedis(redisUrl, `${name} pub`);
  const subClient = await connectRedis(redisUrl, `${name} sub`).catch(async (error) => {
    await pubClient.close();
    throw error;
  });
  return {
    adapter: createRedisAdapter(pubClient, subClient, { key: REDIS_KEY }),
    close: async () => {
      await Promise.all([pubClient.close(), subClient.close()]);
    },
  };
}

/**
 * Starts the chat on this process. The HTTP server does not listen: the caller listens, or
 * hands it connections (@volley/sticky's setupWorker).
 * @param {{ name: string, redisUrl: string | undefined, cookie?: string | undefined }} options
 *   `name` shows in the log and in the `node` event; `redisUrl` unset: no Redis (see above);
 *   `cookie` names the session cookie
 */
export async function startNode({ name, redisUrl, cookie }) {
  const shared = await chooseAdapter(name, redisUrl);
  const chat = createChatServer({
    serverOptions: {
      ...(shared.adapter === undefined ? {} : { adapter: shared.adapter }),
      ...(cookie === undefined ? {} : { cookie: { name: cookie } }),
    },
  });
  const adapter = peerAdapter(chat.io);
  if (adapter !== undefined) {
    adapter.on(redisUrl === undefined ? "publish-error" : "error", (/** @type {Error} */ error) => console.error(`${name}: ${error.message}`));
  }
  chat.io.on("connection", (socket) => {
    /** @type {import("@volley/server").Socket<{}, NodeEvents>} */ (/** @type {unknown} */ (socket)).emit("node", { name, pid: process.pid });
  });
  const live = () => adapter?.liveNodes().length ?? 0;
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
          if (live() < count) return;
          clearTimeout(timer);
          adapter?.off("node-up", check);
          resolve(undefined);
        };
        const timer = setTimeout(() => {
          adapter?.off("node-up", check);
          reject(new Error(`${name} sees ${live()} other processes of ${count} after ${timeoutMs} ms`));
        }, timeoutMs);
        adapter?.on("node-up", check);
        check();
      });
    },
    /** Closes the chat (its clients are told the server is shutting down), then the Redis clients if any. */
    close() {
      closing ??= chat.close().then(shared.close);
      return closing;
    },
  };
}

/**
 * What the chat uses of the Redis or the cluster adapter.
 * @typedef {{
 *   liveNodes(): string[],
 *   on(event: string, listener: (...args: never[]) => void): unknown,
 *   off(event: string, listener: (...args: never[]) => void): unknown,
 * }} PeerAdapter
 */

/**
 * The adapter that knows the other processes (Redis or cluster adapter), if any.
 * @param {import("@volley/server").Server} io
 * @returns {PeerAdapter | undefined}
 */
function peerAdapter(io) {
  const adapter = /** @type {object} */ (io.of("/").adapter);
  return "liveNodes" in adapter ? /** @type {never} */ (adapter) : undefined;
}
