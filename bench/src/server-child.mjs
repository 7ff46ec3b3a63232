// One server under test, in its own process (started by the runner with --expose-gc):
//
//   node --expose-gc src/server-child.mjs <volley|socket.io|ws>
//
// All three implementations have the same shape: an http server on 127.0.0.1 port 0 that
// speaks Socket.IO v5 over Engine.IO v4 websockets at /socket.io/, answers `echo` with an
// ack, and broadcasts `tick` events when asked, to everyone or to rooms in turn (the runner
// puts sockets in rooms through the server's API). The runner drives it over IPC:
//
//   { id, type: "cpu" }                       -> { id, cpu: { user, system } } (µs)
//   { id, type: "heap" }                      -> { id, heapUsed } (bytes, after full GCs)
//   { id, type: "fanout", events, burst[, rooms] } -> { id } once every event was emitted
//                                                (with rooms: event n to rooms[n % rooms.length])
//   { id, type: "connections" }               -> { id, count } (sockets in the namespace)
//   { id, type: "join", pairs: [[sid, room]…] } -> { id, joined } (sockets of "/" by id, each into its room)
//   { id, type: "snapshot", file }            -> { id, file } (V8 heap snapshot written)
//   { id, type: "profile-start" }             -> { id } once the CPU profiler runs
//   { id, type: "profile-stop", file }        -> { id, file } (.cpuprofile of the window)
//   { id, type: "close" }                     -> { id }, then the process exits
//
// On start it sends { type: "ready", port, pid }.
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { writeHeapSnapshot } from "node:v8";
import { WindowProfiler, heapAfterGc } from "./child-tools.mjs";
import { createRawWsServer } from "./raw-ws-server.mjs";
import { tickData } from "./wire.mjs";

const require = createRequire(import.meta.url);
const kind = process.argv[2];

if (typeof process.send !== "function") {
  console.error("server-child.mjs must be started by the runner (it talks over IPC)");
  process.exit(2);
}
if (typeof globalThis.gc !== "function") {
  console.error("server-child.mjs needs --expose-gc");
  process.exit(2);
}

/** Builds the implementation named `kind` on `http`; same listeners for both Socket.IO servers. */
async function createImplementation(http) {
  if (kind === "ws") return createRawWsServer(http);
  let ServerClass;
  if (kind === "volley") ({ Server: ServerClass } = await import("@volley/server"));
  else if (kind === "socket.io") ({ Server: ServerClass } = require("socket.io"));
  else throw new Error(`unknown server kind "${kind}" (volley, socket.io or ws)`);
  const io = new ServerClass(http, { serveClient: false });
  io.on("connection", (socket) => {
    socket.on("echo", (data, ack) => ack(data));
  });
  return {
    broadcast: (n) => io.emit("tick", tickData(n)),
    broadcastTo: (room, n) => io.to(room).emit("tick", tickData(n)),
    join(sid, room) {
      const socket = io.of("/").sockets.get(sid);
      if (socket === undefined) return false;
      socket.join(room);
      return true;
    },
    connections: () => io.of("/").sockets.size,
    close: () => io.close(),
  };
}

const http = createServer();
const impl = await createImplementation(http);
http.listen(0, "127.0.0.1", () => {
  process.send({ type: "ready", port: http.address().port, pid: process.pid });
});

/**
 * Emits `events` broadcasts, `burst` per macrotask, then calls `done`; to everyone, or with
 * `rooms`, broadcast n to the room `rooms[n % rooms.length]`.
 */
function fanOut(events, burst, done, rooms = undefined) {
  let n = 0;
  const step = () => {
    const end = Math.min(events, n + burst);
    if (rooms === undefined) for (; n < end; n++) impl.broadcast(n);
    else for (; n < end; n++) impl.broadcastTo(rooms[n % rooms.length], n);
    if (n < events) setImmediate(step);
    else done();
  };
  step();
}

const profiler = new WindowProfiler();

process.on("message", (msg) => {
  const reply = (body = {}) => process.send({ id: msg.id, ...body });
  switch (msg.type) {
    case "cpu":
      return reply({ cpu: process.cpuUsage() });
    case "heap":
      return reply({ heapUsed: heapAfterGc() });
    case "connections":
      return reply({ count: impl.connections() });
    case "join":
      return reply({ joined: msg.pairs.filter(([sid, room]) => impl.join(sid, room)).length });
    case "fanout":
      return fanOut(msg.events, msg.burst, () => reply(), msg.rooms);
    case "profile-start":
      return profiler.start().then(() => reply(), (err) => reply({ error: String(err) }));
    case "profile-stop":
      return profiler.stop(msg.file).then((file) => reply({ file }), (err) => reply({ error: String(err) }));
    case "snapshot":
      heapAfterGc();
      return reply({ file: writeHeapSnapshot(msg.file) });
    case "close": {
      // exit even if a close hangs: the runner waits for our exit, bounded
      const force = setTimeout(() => process.exit(3), 5000);
      Promise.resolve(impl.close())
        .catch(() => undefined)
        .finally(() => {
          clearTimeout(force);
          reply();
          // let the reply be delivered, then leave
          process.disconnect();
        });
      return;
    }
    default:
      return reply({ error: `unknown request ${JSON.stringify(msg.type)}` });
  }
});
// the runner went away: never linger
process.on("disconnect", () => process.exit(0));
