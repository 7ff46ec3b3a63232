import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server as EngineServer, type ServerOptions } from "@volley/engine-server";

const bundlePath = require.resolve("@volley/engine-client/package.json").replace(/package\.json$/, "dist/engine-client.esm.min.js");

// A page that loads the browser bundle and exposes it as `window.engine`.
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>
<body><script type="module">
import * as engine from "/engine-client.js";
window.engine = engine;
document.body.dataset.ready = "yes";
</script></body></html>`;

export interface EnginePageServer {
  url: string;
  engine: EngineServer;
  /** Every HTTP request that reached the server (method, url, cookie header). */
  requests: Array<{ method: string; url: string; cookie: string | undefined }>;
  close(): Promise<void>;
}

/** An HTTP server that serves the test page and the bundle, with an Engine.IO server attached. */
export async function startEnginePageServer(engineOptions: ServerOptions = {}): Promise<EnginePageServer> {
  const bundle = await readFile(bundlePath);
  const requests: EnginePageServer["requests"] = [];
  const httpServer: HttpServer = createServer((req, res) => {
    if (req.url === "/") res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
    else if (req.url === "/engine-client.js") res.writeHead(200, { "content-type": "text/javascript" }).end(bundle);
    else if (!req.url?.startsWith("/engine.io/")) res.writeHead(404).end();
  });
  const engine = new EngineServer(engineOptions);
  engine.attach(httpServer);
  // Added after attach(), which takes over the request listeners it finds.
  httpServer.prependListener("request", (req: IncomingMessage) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "", cookie: req.headers.cookie });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    engine,
    requests,
    async close() {
      engine.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
