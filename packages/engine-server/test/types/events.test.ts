// Type-level checks, run by `pnpm typecheck` (tsc): every `@ts-expect-error` line must be an
// error, or tsc fails. The runtime part only keeps jest happy.
import { describe, expect, it } from "@jest/globals";
import { WebSocketServer } from "ws";
import { ConnectionError, Server, type CloseReason, type RawData, type Socket, type TransportError } from "../../src";

function typeChecks(engine: Server, socket: Socket): void {
  engine.on("connection", (s: Socket) => s.id);
  engine.on("connection_error", (err: ConnectionError) => err.code satisfies 0 | 1 | 2 | 3 | 4 | 5);
  engine.on("initial_headers", (headers, req) => {
    headers["X-Test"] = req.url;
  });
  engine.on("headers", (headers) => headers);
  // @ts-expect-error unknown server event
  engine.on("connect", () => undefined);
  // @ts-expect-error wrong listener argument type
  engine.on("connection", (s: string) => s);
  // @ts-expect-error connection carries a Socket
  engine.emit("connection", "not a socket");

  socket.on("message", (data: RawData) => data);
  socket.on("close", (reason: CloseReason, description?: TransportError | Error) => [reason, description]);
  socket.on("upgrade", (transport) => transport.name satisfies "polling" | "websocket");
  socket.on("heartbeat", () => undefined);
  // @ts-expect-error unknown socket event
  socket.on("disconnect", () => undefined);
  // @ts-expect-error close reasons are a closed union
  socket.on("close", (reason: "bye") => reason);
  // @ts-expect-error readyState is read-only
  socket.readyState = "open";
  socket.send("text").send(Buffer.from([1]), { compress: false }).write("x", () => undefined);
  // as engine.io: any value (sent as its string form); the callback gets the transport
  socket.send(42).send({ an: "object" }).send("x", {}, (transport) => transport.name satisfies "polling" | "websocket");
  // @ts-expect-error the callback gets a Transport
  socket.send("x", {}, (transport: string) => transport);

  // ws's own server class is a valid wsEngine
  new Server({ wsEngine: WebSocketServer, transports: ["websocket"] });
  // @ts-expect-error unknown transport name
  new Server({ transports: ["carrier-pigeon"] });
  // @ts-expect-error options have types
  new Server({ pingInterval: "25s" });
}

describe("typed events", () => {
  it("compiles (see pnpm typecheck); event names are checked at runtime by the map", () => {
    expect(typeof typeChecks).toBe("function");
    expect(new ConnectionError({} as never, 1).message).toBe("Session ID unknown");
  });
});
