// Type-checked by `tsc -b` (not run): @socket.io/admin-ui's typings import `Server` from
// `socket.io` and augment it; through the alias that is @volley/server's Server, so a
// gateway's server can be instrumented as in a socket.io application. (Its runtime on
// Volley is tested in tests/ecosystem.)
import { instrument } from "@socket.io/admin-ui";
import { Server as VolleyServer } from "@volley/server";
import { Server } from "socket.io";

export function instrumentGatewayServer(server: Server): void {
  instrument(server, { auth: false, mode: "development", readonly: true });
}

// the alias: the two names are one class
export const sameClass: typeof VolleyServer = Server;
instrumentGatewayServer(new VolleyServer());

// admin-ui's augmentation of socket.io's Server lands on @volley/server's
export const pollingClients: (server: VolleyServer) => number = (server) => server._pollingClientsCount;
