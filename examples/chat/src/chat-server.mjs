// The chat example: one HTTP server that serves the page and the Engine.IO client bundle,
// with the Volley Engine.IO server attached to it. Every message a client sends is
// relayed to every connected client.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { Server } from "@volley/engine-server";

const publicDir = new URL("../public/", import.meta.url);
const MAX_NAME_LENGTH = 32;
const MAX_TEXT_LENGTH = 2000;

const staticFiles = {
  "/": { file: new URL("index.html", publicDir), type: "text/html; charset=utf-8" },
  "/app.js": { file: new URL("app.js", publicDir), type: "text/javascript; charset=utf-8" },
  "/style.css": { file: new URL("style.css", publicDir), type: "text/css; charset=utf-8" },
  "/engine-client.js": {
    // The ESM browser bundle: resolved with the "import" condition.
    file: new URL(import.meta.resolve("@volley/engine-client/bundle")),
    type: "text/javascript; charset=utf-8",
  },
};

/**
 * Starts the chat server.
 * @param {{ port?: number, host?: string, engineOptions?: object }} [options]
 */
export async function startChatServer({ port = 3000, host, engineOptions = {} } = {}) {
  const httpServer = createServer(async (req, res) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    const entry = staticFiles[pathname];
    if (req.method !== "GET" || entry === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    try {
      const body = await readFile(entry.file);
      res.writeHead(200, { "content-type": entry.type, "cache-control": "no-cache" }).end(body);
    } catch {
      res.writeHead(500, { "content-type": "text/plain" }).end("cannot read file");
    }
  });

  const engine = new Server(engineOptions);
  engine.attach(httpServer);
  const names = new Map();

  const broadcast = (message) => {
    const text = JSON.stringify(message);
    for (const socket of Object.values(engine.clients)) socket.send(text);
  };

  engine.on("connection", (socket) => {
    socket.on("message", (data) => {
      const message = parseMessage(data);
      if (message === undefined) return;
      if (message.kind === "join") {
        names.set(socket.id, message.name);
        broadcast({ kind: "presence", count: engine.clientsCount, joined: message.name });
      } else if (message.kind === "say") {
        broadcast({ kind: "said", from: names.get(socket.id) ?? "anonymous", text: message.text, at: Date.now() });
      }
    });
    socket.on("close", () => {
      const name = names.get(socket.id);
      names.delete(socket.id);
      broadcast({ kind: "presence", count: engine.clientsCount, left: name });
    });
  });

  await new Promise((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, host, () => resolve());
  });
  const address = httpServer.address();
  const url = `http://${host ?? "localhost"}:${address.port}`;

  return {
    url,
    engine,
    httpServer,
    async close() {
      engine.close();
      httpServer.closeAllConnections?.();
      await new Promise((resolve) => httpServer.close(() => resolve()));
    },
  };
}

/** Accepts only the two message shapes the page sends; anything else is ignored. */
function parseMessage(data) {
  if (typeof data !== "string") return undefined;
  let message;
  try {
    message = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (message?.kind === "join" && typeof message.name === "string") {
    return { kind: "join", name: message.name.trim().slice(0, MAX_NAME_LENGTH) || "anonymous" };
  }
  if (message?.kind === "say" && typeof message.text === "string" && message.text.trim() !== "") {
    return { kind: "say", text: message.text.slice(0, MAX_TEXT_LENGTH) };
  }
  return undefined;
}
