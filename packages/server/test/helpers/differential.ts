// Differential tests: one scenario run against the published socket.io 4.8 and against
// @volley/server, with the same clients. Both servers are typed as Volley's Server, so the
// scenarios also check that Volley's types accept what socket.io code writes.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server as SocketIoServer } from "socket.io";
import { io as ioc, type Socket as ClientSocket, type ManagerOptions, type SocketOptions } from "socket.io-client";
import { Server, type ServerOptions } from "../../src";
import { waitFor, within } from "./index";

/** The two servers under comparison. */
export const IMPLEMENTATIONS = [
  {
    name: "socket.io",
    create: (http: HttpServer | undefined, options: ServerOptions): Server =>
      new SocketIoServer(http, options as never) as unknown as Server,
  },
  {
    name: "volley",
    create: (http: HttpServer | undefined, options: ServerOptions): Server => new Server(http, options),
  },
] as const;

export type Implementation = (typeof IMPLEMENTATIONS)[number];
export type ImplementationName = Implementation["name"];

/** A server of one implementation on 127.0.0.1:0, and what was opened against it. */
export interface DiffServer {
  io: Server;
  http: HttpServer;
  port: number;
  url: string;
  /** A socket.io-client socket (not waiting for the connection); closed by close(). */
  client(nsp?: string, options?: Partial<ManagerOptions & SocketOptions>): ClientSocket;
  /** A client, once connected. */
  connected(nsp?: string, options?: Partial<ManagerOptions & SocketOptions>): Promise<ClientSocket>;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:0. */
export function listen(http: HttpServer): Promise<number> {
  return new Promise((resolve) => http.listen(0, "127.0.0.1", () => resolve((http.address() as AddressInfo).port)));
}

export async function startDiffServer(impl: Implementation, options: ServerOptions = {}): Promise<DiffServer> {
  const http = createServer();
  const io = impl.create(http, options);
  const port = await listen(http);
  const url = `http://127.0.0.1:${port}`;
  const clients: ClientSocket[] = [];
  const client = (nsp = "/", clientOptions: Partial<ManagerOptions & SocketOptions> = {}): ClientSocket => {
    const socket = ioc(`${url}${nsp}`, {
      forceNew: true,
      reconnection: false,
      autoUnref: true,
      transports: ["websocket"],
      ...clientOptions,
    });
    clients.push(socket);
    return socket;
  };
  return {
    io,
    http,
    port,
    url,
    client,
    async connected(nsp, clientOptions) {
      const socket = client(nsp, clientOptions);
      await waitFor(socket, "connect");
      return socket;
    },
    async close() {
      for (const socket of clients) {
        socket.disconnect();
        socket.io.engine?.close();
      }
      // socket.io's close() resolves before its http server has closed
      const closed = http.listening ? new Promise((resolve) => http.once("close", resolve)) : Promise.resolve();
      http.closeAllConnections();
      await within(Promise.all([io.close(), closed]), 5000, "server close");
    },
  };
}
