// Differential: a recovered client gets the packets it missed before its `connect`
// listeners run, on socket.io 4.8 and on Volley alike (both servers write them before the
// CONNECT; socket.io-client and @volley/client hold events until the CONNECT).
import { afterEach, describe, expect, it } from "@jest/globals";
import { io as volleyIo } from "@volley/client";
import { IMPLEMENTATIONS, startDiffServer, type DiffServer } from "../helpers/differential";
import { waitFor } from "../helpers";

const servers: DiffServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe.each(IMPLEMENTATIONS)("recovery on $name", (impl) => {
  it.each(["socket.io-client", "@volley/client"])("hands %s the missed events before connect", async (clientName) => {
    const server = await startDiffServer(impl, { connectionStateRecovery: {} });
    servers.push(server);
    const connections: Array<{ conn: { close(): void } }> = [];
    server.io.on("connection", (socket) => {
      connections.push(socket);
      if (!socket.recovered) socket.join("r");
    });
    const options = { forceNew: true, transports: ["websocket"], reconnectionDelay: 20, reconnectionDelayMax: 20 };
    const client =
      clientName === "socket.io-client" ? server.client("/", { ...options, reconnection: true }) : volleyIo(server.url, options);
    try {
      await waitFor(client, "connect");
      const order: string[] = [];
      client.on("m", (value: number) => order.push(`m${value}`));
      const first = waitFor(client, "m");
      server.io.to("r").emit("m", 0);
      await first;
      const disconnected = waitFor(client, "disconnect");
      // the server closes the Engine.IO connection: a cut the session survives
      connections[0]!.conn.close();
      await disconnected;
      server.io.to("r").emit("m", 1);
      server.io.to("r").emit("m", 2);
      const reconnected = new Promise<void>((resolve) =>
        client.once("connect", () => {
          order.push(`connect recovered=${String(client.recovered)}`);
          resolve();
        }),
      );
      await reconnected;
      expect(order).toEqual(["m0", "m1", "m2", "connect recovered=true"]);
    } finally {
      client.io.reconnection(false);
      client.disconnect();
    }
  });
});
