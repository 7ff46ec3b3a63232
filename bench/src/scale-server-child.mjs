// The server of the scale runs (scale.mjs), in its own process (started with --expose-gc):
//
//   node --expose-gc src/scale-server-child.mjs <volley|socket.io> [--recovery]
//
// A Socket.IO server (Volley or socket.io 4.8) on 127.0.0.1 port 0, websocket and polling,
// with connection state recovery when `--recovery` is given. Every socket that connects with
// `?room=<name>` joins that room; `echo` is answered with an ack. Over IPC:
//
//   { id, type: "broadcast", n[, room] } -> { id, emitMicros } one stamped tick (seq n) to
//                                        everyone (or the room); emitMicros: how long the
//                                        emit call took, i.e. encoding it once and writing it
//                                        to every socket
//   { id, type: "stream", count, intervalMs, room?, bytes? } -> { id } once `count` stamped
//                                        ticks (seq 0…count − 1, with a `bytes`-long padding
//                                        string) went to `room` (or everyone), one every intervalMs
//   { id, type: "stats", reset? }     -> { id, rss, heapUsed, external, connections, queued, loop }
//                                        (queued: bytes written to the TCP sockets, not yet sent)
//                                        (no GC; loop: event-loop delay p50/p99/max in ms
//                                        since the last reset; `reset` starts it again)
//   { id, type: "cpu" }               -> { id, cpu: { user, system } } (µs)
//   { id, type: "heap" }              -> { id, heapUsed } after full GCs
//   { id, type: "leftovers" }         -> { id, sockets, engineClients, rooms, sids }: what
//                                        the namespace, Engine.IO and the adapter still hold
//   { id, type: "close" }             -> { id }, then the process exits
//
// On start it sends { type: "ready", port, pid }.
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { answerRequests, heapAfterGc } from "./child-tools.mjs";
import { nowMicros } from "./wire.mjs";

const require = createRequire(import.meta.url);
const kind = process.argv[2];
const recovery = process.argv.includes("--recovery");

let ServerClass;
if (kind === "volley") ({ Server: ServerClass } = await import("@volley/server"));
else if (kind === "socket.io") ({ Server: ServerClass } = require("socket.io"));
else throw new Error(`scale-server-child.mjs: unknown server kind "${kind}" (volley or socket.io)`);

const http = createServer();
// every TCP connection, for the bytes queued on them (a client that does not read keeps them there)
const tcpSockets = new Set();
http.on("connection", (socket) => {
  tcpSockets.add(socket);
  socket.once("close", () => tcpSockets.delete(socket));
});
const queuedBytes = () => {
  let sum = 0;
  for (const socket of tcpSockets) sum += socket.writableLength;
  return sum;
};
const io = new ServerClass(http, {
  serveClient: false,
  // the recovery window outlasts any cut of the drop run
  ...(recovery ? { connectionStateRecovery: { maxDisconnectionDuration: 30000, skipMiddlewares: true } } : {}),
});
io.on("connection", (socket) => {
  const room = socket.handshake.query.room;
  if (typeof room === "string" && room !== "") socket.join(room);
  socket.on("echo", (data, ack) => ack(data));
});

// the histogram records the time between its timer's runs: the delay is that minus the resolution
const LOOP_RESOLUTION_MS = 10;
const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
loop.enable();

/** One stamped tick: `{ n, t[, p] }`, t the send time in µs (wire.mjs `nowMicros`), p `pad` if given. */
const emitTick = (n, room, pad = "") => (room === undefined ? io : io.to(room)).emit("tick", pad === "" ? { n, t: nowMicros() } : { n, t: nowMicros(), p: pad });

const nsp = io.of("/");

answerRequests({
  broadcast({ n, room }) {
    const t0 = performance.now();
    emitTick(n, room);
    return { emitMicros: (performance.now() - t0) * 1000 };
  },
  stream: ({ count, intervalMs, room, bytes = 0 }) =>
    new Promise((resolve) => {
      let n = 0;
      const pad = "x".repeat(bytes);
      const timer = setInterval(() => {
        emitTick(n, room, pad);
        if (++n === count) {
          clearInterval(timer);
          resolve({});
        }
      }, intervalMs);
    }),
  stats({ reset }) {
    const { rss, heapUsed, external } = process.memoryUsage();
    const ms = (ns) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
    const stats = {
      rss,
      heapUsed,
      external,
      connections: nsp.sockets.size,
      queued: queuedBytes(),
      loop: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
    };
    if (reset) loop.reset();
    return stats;
  },
  cpu: () => ({ cpu: process.cpuUsage() }),
  heap: () => ({ heapUsed: heapAfterGc() }),
  leftovers: () => ({
    sockets: nsp.sockets.size,
    engineClients: io.engine.clientsCount,
    rooms: nsp.adapter.rooms.size,
    sids: nsp.adapter.sids.size,
  }),
  async close() {
    const force = setTimeout(() => process.exit(3), 5000);
    await Promise.resolve(io.close()).catch(() => undefined);
    clearTimeout(force);
    return {};
  },
});

http.listen(0, "127.0.0.1", () => process.send({ type: "ready", port: http.address().port, pid: process.pid }));
