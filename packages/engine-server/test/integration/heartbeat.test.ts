import { afterEach, describe, expect, it } from "@jest/globals";
import type { Socket as ClientSocket } from "engine.io-client";
import type { WebSocket } from "ws";
import type { Socket } from "../../src";
import {
  activeTimers,
  closeClient,
  closeWebSocket,
  createClient,
  nextMessages,
  pollActiveTimersAtMost,
  startServer,
  waitFor,
  waitUntil,
  within,
  wsHandshake,
  type TestServer,
} from "../helpers";

// Heartbeats of all sessions of a server share one timer per kind of deadline (see
// internal/deadline-queue.ts): these tests check it over real connections.

let server: TestServer;
const clients: ClientSocket[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => closeClient(client)));
  await server.close();
});

let timersAfterFirst = 0;

/** Raw WebSocket sessions (clients without timers of their own) that answer every ping. */
async function openAnsweringClients(count: number): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < count; i++) {
    const { ws } = await wsHandshake(server);
    ws.on("message", (data: Buffer) => {
      if (data.toString() === "2") ws.send("3");
    });
    sockets.push(ws);
    if (i === 0) timersAfterFirst = activeTimers();
  }
  return sockets;
}

describe("heartbeat over many sessions", () => {
  it("20 sessions share the ping timer started by the first; closing them stops it", async () => {
    // a long pingInterval: no ping during the test, every session waits in the ping queue
    server = await startServer({ pingInterval: 60000, pingTimeout: 60000 });
    const baseline = activeTimers();
    const sockets = await openAnsweringClients(20);
    expect(server.engine.clientsCount).toBe(20);
    // One timer per session would be 19 more. The count is the whole process's, jest's own
    // short-lived timers included (seen under load): a margin of 2 for them.
    expect(activeTimers()).toBeLessThanOrEqual(timersAfterFirst + 2);
    expect(timersAfterFirst).toBeLessThanOrEqual(baseline + 1 + 2);
    const sessions = Object.values(server.engine.clients);
    const closes = sessions.map((socket) => waitFor(socket, "close"));
    server.engine.close();
    await within(Promise.all(closes), 5000, "every session to close");
    await Promise.all(sockets.map((ws) => closeWebSocket(ws)));
    // ws keeps its own close timer until each TCP socket is gone, a few ms later
    await pollActiveTimersAtMost(baseline, 3000);
  });

  it("20 sessions answering pings every 50 ms stay open across several heartbeats", async () => {
    server = await startServer({ pingInterval: 50, pingTimeout: 1000 });
    const sockets = await openAnsweringClients(20);
    const sessions = Object.values(server.engine.clients);
    const heartbeats = new Map<Socket, number>();
    const closeReasons = new Map<Socket, string>();
    for (const socket of sessions) {
      socket.on("heartbeat", () => heartbeats.set(socket, (heartbeats.get(socket) ?? 0) + 1));
      socket.on("close", (reason) => closeReasons.set(socket, reason));
    }
    const threeHeartbeats = (socket: Socket) => (): boolean => {
      // a session closed meanwhile fails the test at once, with its reason
      if (closeReasons.has(socket)) throw new Error(`session closed (${closeReasons.get(socket)}) after ${heartbeats.get(socket) ?? 0} heartbeats`);
      return (heartbeats.get(socket) ?? 0) >= 3;
    };
    await Promise.all(sessions.map((socket) => waitUntil(socket, ["heartbeat", "close"], threeHeartbeats(socket), 10000, "3 heartbeats per session")));
    expect(server.engine.clientsCount).toBe(20);
    expect(sessions.every((socket) => socket.readyState === "open")).toBe(true);
    await Promise.all(sockets.map((ws) => closeWebSocket(ws)));
  });

  it("a session that stops answering is closed with 'ping timeout'; the others keep going", async () => {
    server = await startServer({ pingInterval: 50, pingTimeout: 100 });
    const { ws, sid } = await wsHandshake(server);
    const silent = server.engine.clients[sid]!;
    const live = createClient(server, { transports: ["websocket"] });
    clients.push(live);
    const [liveSocket] = await waitFor<[Socket]>(server.engine, "connection");
    const closed = waitFor<[string]>(silent, "close", 5000);
    // the raw client sees its pings but never answers
    expect(await nextMessages(ws, 1)).toEqual(["2"]);
    expect((await closed)[0]).toBe("ping timeout");
    const beats = waitFor(liveSocket, "heartbeat");
    await beats;
    expect(liveSocket.readyState).toBe("open");
    await closeWebSocket(ws);
  });
});
