import { afterEach, describe, expect, it } from "@jest/globals";
import { Server as SocketIOServer, type Socket as SocketIOSocket } from "socket.io";
import { io as connectSocketIO, type Socket as SocketIOClient } from "socket.io-client";
import { startServer, waitFor, within, type TestServer } from "../helpers";

// The published socket.io server runs on top of engine.io through `io.bind(engine)`: binding
// it to this server instead checks that the Socket API is the one Socket.IO relies on
// (`conn.write`, `data`/`close` events, `request`, `protocol`, `transport.writable`…).

let server: TestServer;
let io: SocketIOServer;
const clients: SocketIOClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  // the polling client posts its close packet asynchronously: wait until the server has it
  const open = Object.values(server.engine.clients);
  await within(Promise.all(open.map((session) => waitFor(session, "close"))), 5000, "every session closed");
  expect(server.engine.clientsCount).toBe(0);
  io.close();
  await server.close();
});

async function setup(): Promise<void> {
  server = await startServer({ path: "/socket.io" });
  io = new SocketIOServer();
  io.bind(server.engine as never);
  io.on("connection", (socket: SocketIOSocket) => {
    socket.on("echo", (...args: unknown[]) => {
      const ack = args.pop() as (...reply: unknown[]) => void;
      ack(args); // emitWithAck resolves with the first ack argument
    });
    socket.on("shout", (text: string) => io.emit("heard", text.toUpperCase()));
  });
}

describe.each([
  ["polling then websocket", ["polling", "websocket"]],
  ["websocket only", ["websocket"]],
  ["polling only", ["polling"]],
])("socket.io 4 on top of this server, %s", (_mode, transports) => {
  it("connects, acknowledges with binary, broadcasts", async () => {
    await setup();
    const a = connectSocketIO(`http://127.0.0.1:${server.port}`, { transports, forceNew: true });
    const b = connectSocketIO(`http://127.0.0.1:${server.port}`, { transports, forceNew: true });
    clients.push(a, b);
    await Promise.all([waitFor(a, "connect"), waitFor(b, "connect")]);
    const reply: unknown[] = await a.timeout(5000).emitWithAck("echo", "text", Buffer.from([1, 2, 3]), { nested: [true] });
    expect(reply[0]).toBe("text");
    expect([...new Uint8Array(reply[1] as ArrayBuffer)]).toEqual([1, 2, 3]);
    expect(reply[2]).toEqual({ nested: [true] });
    const heard = Promise.all([waitFor<[string]>(a, "heard"), waitFor<[string]>(b, "heard")]);
    b.emit("shout", "hello");
    expect((await heard).map(([text]) => text)).toEqual(["HELLO", "HELLO"]);
    expect(server.engine.clientsCount).toBe(2);
    const disconnected = waitFor<[string]>(io.sockets.sockets.get(a.id!)!, "disconnect");
    a.disconnect();
    expect((await disconnected)[0]).toBe("client namespace disconnect");
  });
});
