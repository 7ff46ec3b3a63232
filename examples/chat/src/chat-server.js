// The chat server: one HTTP server that serves the page (public/), with the Volley Socket.IO
// server attached to it. The Socket.IO server also answers /socket.io/socket.io.js, the
// browser build of @volley/client that the page loads.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { Server } from "@volley/server";
import { attachChat } from "./chat.js";

/** @typedef {import("./chat.js").ChatServer} ChatServer */

/** How long a dropped connection can come back with nothing lost (and keep its name). */
export const RECOVERY_MS = 2 * 60 * 1000;

const publicDir = new URL("../public/", import.meta.url);

/** @type {Record<string, { file: string, type: string }>} */
const pages = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
  "/favicon.svg": { file: "favicon.svg", type: "image/svg+xml" },
};

/**
 * Makes the chat server without listening: the HTTP server (the page) with the Socket.IO
 * server attached. examples/cluster hands its connections over from a cluster primary.
 * @param {{ recoveryMs?: number, serverOptions?: import("@volley/server").ServerOptions }} [options]
 *   `recoveryMs` is the connection-state-recovery window (and how long the name of a user
 *   whose connection dropped stays theirs); `serverOptions` are merged over the chat's
 *   Socket.IO options (an `adapter` makes several processes one chat)
 * @returns {{ httpServer: import("node:http").Server, io: ChatServer, close(): Promise<void> }}
 */
export function createChatServer({ recoveryMs = RECOVERY_MS, serverOptions = {} } = {}) {
  const httpServer = createServer(async (req, res) => {
    const page = pages[new URL(req.url ?? "/", "http://localhost").pathname];
    if ((req.method !== "GET" && req.method !== "HEAD") || page === undefined) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found");
      return;
    }
    try {
      const body = await readFile(new URL(page.file, publicDir));
      res
        .writeHead(200, { "content-type": page.type, "cache-control": "no-cache", "x-content-type-options": "nosniff" })
        .end(req.method === "HEAD" ? undefined : body);
    } catch {
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end("cannot read the file");
    }
  });

  /** @type {ChatServer} */
  const io = new Server(httpServer, {
    connectionStateRecovery: { maxDisconnectionDuration: recoveryMs, skipMiddlewares: true },
    // Chat events are small: a client sending more than this is cut off.
    maxHttpBufferSize: 64 * 1024,
    ...serverOptions,
  });
  const chat = attachChat(io, { holdMs: recoveryMs });
  return {
    httpServer,
    io,
    async close() {
      await io.close();
      // After io.close(): its disconnections start the name holds that this clears.
      chat.close();
    },
  };
}

/**
 * Starts the chat server.
 * @param {{ port?: number, host?: string, recoveryMs?: number, serverOptions?: import("@volley/server").ServerOptions }} [options]
 *   `port` 0 lets the OS choose; the others are {@link createChatServer}'s
 * @returns {Promise<{ url: string, io: ChatServer, close(): Promise<void> }>}
 */
export async function startChatServer({ port = 3000, host, ...options } = {}) {
  const { httpServer, io, close } = createChatServer(options);
  await new Promise((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, host, () => resolve(undefined));
  });
  const address = /** @type {import("node:net").AddressInfo} */ (httpServer.address());
  const hostname = host === undefined || host === "0.0.0.0" || host === "::" ? "localhost" : host;
  return { url: `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${address.port}`, io, close };
}
