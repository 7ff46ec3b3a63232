import { createServer, type Server as HttpServer } from "node:http";
import type { AttachOptions, ServerOptions } from "./options";
import { Server } from "./server";

/** Creates an Engine.IO server and attaches it to `server` (see {@link Server.attach}). */
export function attach(server: HttpServer, options: ServerOptions & AttachOptions = {}): Server {
  const engine = new Server(options);
  engine.attach(server, options);
  return engine;
}

/**
 * Creates an http server answering 501 to everything but Engine.IO, attaches an Engine.IO
 * server to it and listens on `port`. The http server is `engine.httpServer`. As with
 * `engine.io`, the options may be left out: `listen(port, callback)`.
 */
export function listen(port: number, callback?: () => void): Server;
export function listen(port: number, options?: ServerOptions & AttachOptions, callback?: () => void): Server;
export function listen(
  port: number,
  options: ServerOptions & AttachOptions | (() => void) = {},
  callback?: () => void,
): Server {
  if (typeof options === "function") {
    callback = options;
    options = {};
  }
  const httpServer: HttpServer = createServer((_req, res) => {
    res.writeHead(501);
    res.end("Not Implemented");
  });
  const engine = attach(httpServer, options);
  engine.httpServer = httpServer;
  httpServer.listen(port, callback);
  return engine;
}

/** Engine.IO protocol revision spoken by this server. */
export const protocol = 4;
