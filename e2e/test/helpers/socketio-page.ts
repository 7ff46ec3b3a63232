import { createServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type ServerOptions } from "@volley/server";

// Each page loads one browser bundle of @volley/client and exposes its io() as window.io.
const page = (script: string) => `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>
<body>${script}</body></html>`;
const PAGES: Record<string, string> = {
  "/umd": page(`<script src="/socket.io/socket.io.js"></script><script>document.body.dataset.ready = "yes";</script>`),
  "/min": page(`<script src="/socket.io/socket.io.min.js"></script><script>document.body.dataset.ready = "yes";</script>`),
  "/websocket": page(`<script src="/socket.io/socket.io.websocket.min.js"></script><script>document.body.dataset.ready = "yes";</script>`),
  "/esm": page(`<script type="module">
import { io } from "/socket.io/socket.io.esm.min.js";
window.io = io;
document.body.dataset.ready = "yes";
</script>`),
  "/worker": page(`<script>document.body.dataset.ready = "yes";</script>`),
};
// A dedicated worker that loads the UMD bundle with importScripts and reports to the page.
const WORKER = `importScripts("/socket.io/socket.io.js");
const socket = io({ transports: ["polling", "websocket"] });
socket.on("connect", async () => {
  const reply = await socket.timeout(5000).emitWithAck("echo", "from a worker", new Uint8Array([1, 2, 3]));
  const binary = reply[1];
  postMessage({ id: socket.id, text: reply[0], bytes: [...new Uint8Array(binary)], global: typeof window });
  socket.disconnect();
});
socket.on("connect_error", (error) => postMessage({ error: error.message }));`;

export interface SocketIoPageServer {
  url: string;
  io: Server;
  /** Every HTTP request that reached the server (method and url). */
  requests: Array<{ method: string; url: string }>;
  close(): Promise<void>;
}

/**
 * An HTTP server with @volley/server attached (which serves the browser bundles at
 * /socket.io/*) and the test pages. Every socket gets an `echo` event, whose ack gets its
 * arguments back as one array.
 */
export async function startSocketIoPageServer(options: Partial<ServerOptions> = {}): Promise<SocketIoPageServer> {
  const requests: SocketIoPageServer["requests"] = [];
  const httpServer: HttpServer = createServer((req, res) => {
    const path = req.url ?? "/";
    const html = PAGES[path];
    if (html !== undefined) res.writeHead(200, { "content-type": "text/html" }).end(html);
    else if (path === "/worker.js") res.writeHead(200, { "content-type": "text/javascript" }).end(WORKER);
    else res.writeHead(404).end();
  });
  const io = new Server(httpServer, options);
  // Added after the Server took over the request listeners it found.
  httpServer.prependListener("request", (req: IncomingMessage) => requests.push({ method: req.method ?? "", url: req.url ?? "" }));
  io.on("connection", (socket) => {
    socket.on("echo", (...args: unknown[]) => {
      const ack = args.pop();
      if (typeof ack === "function") ack(args);
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    io,
    requests,
    close: () => io.close(),
  };
}
