// The raw `ws` baseline: the least a server can do and still send the bytes a Socket.IO
// server would. Engine.IO open packet, heartbeat (ping "2" every pingInterval, close when
// no pong "3" within pingTimeout), Socket.IO CONNECT to "/", `echo` answered with a `43`
// ack, rooms (a Set per room name, joined by socket id), broadcasts encoded once and
// written to every connected socket (or every socket of a room). No namespaces, no
// middlewares, no buffering, no validation beyond what the scenarios need.
import { randomBytes } from "node:crypto";
import { WebSocketServer } from "ws";
import { tickData } from "./wire.mjs";

const PING_INTERVAL = 25000;
const PING_TIMEOUT = 20000;
const MAX_PAYLOAD = 1e6;

const newId = () => randomBytes(15).toString("base64url");

/** Attaches the baseline to `http`; returns the same interface as the Socket.IO servers. */
export function createRawWsServer(http) {
  const wss = new WebSocketServer({ server: http, path: "/socket.io/", perMessageDeflate: false, maxPayload: MAX_PAYLOAD });
  /** Sockets connected to the "/" namespace, by their id there (sent in `40{"sid":…}`). */
  const connected = new Map();
  /** Room name -> its sockets. */
  const rooms = new Map();
  /** Out of "/" and of every room. */
  const disconnect = (ws, sid) => {
    if (sid !== undefined) connected.delete(sid);
    for (const [name, members] of rooms) if (members.delete(ws) && members.size === 0) rooms.delete(name);
  };

  wss.on("connection", (ws) => {
    const open = { sid: newId(), upgrades: [], pingInterval: PING_INTERVAL, pingTimeout: PING_TIMEOUT, maxPayload: MAX_PAYLOAD };
    ws.send(`0${JSON.stringify(open)}`);
    // Engine.IO heartbeat: ping after pingInterval, then the pong is due within pingTimeout
    let heartbeat;
    const ping = () => {
      ws.send("2");
      heartbeat = setTimeout(() => ws.terminate(), PING_TIMEOUT);
    };
    heartbeat = setTimeout(ping, PING_INTERVAL);
    /** Its id in "/", once connected there. */
    let sid;
    ws.on("message", (data, isBinary) => {
      if (isBinary) return ws.close(1003);
      const text = data.toString();
      if (text === "3") {
        clearTimeout(heartbeat);
        heartbeat = setTimeout(ping, PING_INTERVAL);
      } else if (text === "40") {
        sid = newId();
        connected.set(sid, ws);
        ws.send(`40${JSON.stringify({ sid })}`);
      } else if (text.startsWith("42")) onEvent(ws, text);
      else if (text === "41") disconnect(ws, sid);
    });
    ws.on("close", () => {
      clearTimeout(heartbeat);
      disconnect(ws, sid);
    });
  });

  /** `42<id>["echo",data]` -> `43<id>[data]`; other events are ignored. */
  function onEvent(ws, text) {
    let i = 2;
    while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    const ackId = text.slice(2, i);
    let args;
    try {
      args = JSON.parse(text.slice(i));
    } catch {
      return ws.close(1007);
    }
    if (!Array.isArray(args) || args[0] !== "echo" || ackId === "") return;
    ws.send(`43${ackId}${JSON.stringify(args.slice(1))}`);
  }

  /** One encoding of tick `n`, one `ws.send` per socket of `sockets`. */
  const send = (sockets, n) => {
    const frame = Buffer.from(`42${JSON.stringify(["tick", tickData(n)])}`);
    for (const ws of sockets) ws.send(frame, { binary: false });
  };

  return {
    broadcast: (n) => send(connected.values(), n),
    broadcastTo: (room, n) => send(rooms.get(room) ?? [], n),
    join(sid, room) {
      const ws = connected.get(sid);
      if (ws === undefined) return false;
      let members = rooms.get(room);
      if (members === undefined) rooms.set(room, (members = new Set()));
      members.add(ws);
      return true;
    },
    connections: () => connected.size,
    close() {
      for (const ws of wss.clients) ws.terminate();
      return new Promise((resolve) => {
        wss.close(() => {
          http.close(() => resolve());
          http.closeAllConnections();
        });
      });
    },
  };
}
