// The origin policy of @volley/engine-server seen through the Socket.IO server (issue 14): a
// real client whose Origin `cors.origin` does not list gets a connect_error over polling,
// over WebSocket (both engines) and on the upgrade of a polling session, and the server a
// connection_error; the listed origin connects; `checkOrigin: false` is socket.io's behaviour.
import { afterEach, describe, expect, it } from "@jest/globals";
import type { ConnectionError } from "@volley/engine-server";
import type { Socket as ClientSocket } from "socket.io-client";
import { WebSocketServer } from "ws";
import type { ServerOptions } from "../../src";
import { startServer, TRANSPORT_MODES, waitFor, type TestServer, type TransportMode } from "../helpers";

const GOOD = "https://good.example";
const EVIL = "https://evil.example";

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ENGINES: ReadonlyArray<[string, ServerOptions]> = [
  ["the built-in engine", {}],
  ["the ws engine", { wsEngine: WebSocketServer }],
];

/** The server's refusals, as [code, context.name]. */
function refusals(target: TestServer): Array<[number, unknown]> {
  const seen: Array<[number, unknown]> = [];
  target.io.engine!.on("connection_error", (error: ConnectionError) => seen.push([error.code, error.context["name"]]));
  return seen;
}

/** A client with an Origin header, as a browser page of that origin sends it. */
function clientFrom(target: TestServer, origin: string, mode: TransportMode): ClientSocket {
  return target.client("/", { ...mode.options, transports: [...mode.options.transports], extraHeaders: { origin } });
}

describe.each(ENGINES)("cors.origin listing one origin, with %s", (_engine, engineOptions) => {
  describe.each(TRANSPORT_MODES.map((mode) => [mode.name, mode] as const))("over %s", (_name, mode) => {
    it("refuses a client of another origin: connect_error on the client, connection_error (code 4) on the server", async () => {
      server = await startServer({ cors: { origin: [GOOD], credentials: true }, ...engineOptions }, mode);
      const errors = refusals(server);
      let connections = 0;
      server.io.on("connection", () => connections++);
      const client = clientFrom(server, EVIL, mode);
      const [error] = await waitFor<[Error]>(client, "connect_error");
      expect(error.message).toBe(mode.name === "websocket" ? "websocket error" : "xhr poll error");
      expect(errors[0]).toEqual([4, "ORIGIN_NOT_ALLOWED"]);
      expect(connections).toBe(0);
      expect(server.io.engine!.clientsCount).toBe(0);
    });

    it("connects a client of the listed origin, and one without Origin", async () => {
      server = await startServer({ cors: { origin: [GOOD], credentials: true }, ...engineOptions }, mode);
      const errors = refusals(server);
      const client = clientFrom(server, GOOD, mode);
      await waitFor(client, "connect");
      const bare = await server.connected("/", { ...mode.options, transports: [...mode.options.transports] });
      expect(bare.connected).toBe(true);
      if (mode.name !== "polling") {
        const engine = client.io.engine;
        if (engine.transport.name !== "websocket") await waitFor(engine as never, "upgrade");
        expect(engine.transport.name).toBe("websocket");
      }
      expect(errors).toEqual([]);
    });
  });

  it("refuses the upgrade of a polling session to another origin; the session stays on polling", async () => {
    const mode = TRANSPORT_MODES[2];
    server = await startServer({ cors: { origin: [GOOD] }, ...engineOptions }, mode);
    const errors = refusals(server);
    const refused = waitFor(server.io.engine!, "connection_error");
    server.io.on("connection", (socket) => socket.on("echo", (value: unknown, ack: (value: unknown) => void) => ack(value)));
    // the polling requests carry the listed origin, the WebSocket another one
    const client = server.client("/", {
      transports: ["polling", "websocket"],
      transportOptions: { polling: { extraHeaders: { origin: GOOD } }, websocket: { extraHeaders: { origin: EVIL } } },
    });
    await waitFor(client, "connect");
    await refused;
    expect(errors).toEqual([[4, "ORIGIN_NOT_ALLOWED"]]);
    await expect(client.timeout(5000).emitWithAck("echo", "still here")).resolves.toBe("still here");
    expect(client.io.engine.transport.name).toBe("polling");
  });
});

describe("checkOrigin: false", () => {
  it("connects a client of any origin, as socket.io does", async () => {
    server = await startServer({ cors: { origin: [GOOD] }, checkOrigin: false }, TRANSPORT_MODES[1]);
    const errors = refusals(server);
    const client = clientFrom(server, EVIL, TRANSPORT_MODES[1]);
    await waitFor(client, "connect");
    expect(errors).toEqual([]);
  });
});

describe("the client files", () => {
  it("carry the CORS headers of the engine's origin policy, and are served to any origin", async () => {
    server = await startServer({ cors: { origin: [GOOD] } });
    const good = await fetch(`${server.url}/socket.io/socket.io.min.js`, { headers: { Origin: GOOD } });
    expect(good.status).toBe(200);
    expect(good.headers.get("access-control-allow-origin")).toBe(GOOD);
    await good.arrayBuffer();
    const evil = await fetch(`${server.url}/socket.io/socket.io.min.js`, { headers: { Origin: EVIL } });
    expect(evil.status).toBe(200);
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    await evil.arrayBuffer();
  });
});
