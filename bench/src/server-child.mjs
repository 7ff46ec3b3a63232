// One server under test, in its own process (started by the runner with --expose-gc):
//
//   node --expose-gc src/server-child.mjs <volley|socket.io|ws> [--redis=<url> --redis-client=redis|ioredis --key=<key>]
//
// All three implementations have the same shape: an http server on 127.0.0.1 port 0 that
// speaks Socket.IO v5 over Engine.IO v4 websockets at /socket.io/, answers `echo` with an
// ack, and broadcasts `tick` events when asked, to everyone or to rooms in turn (the runner
// puts sockets in rooms through the server's API). With `--redis`, the Socket.IO server is one
// node of a cluster: Volley with @volley/redis-adapter, socket.io with
// @socket.io/redis-adapter, both over a pub/sub client pair of the same library (node-redis
// `redis` or `ioredis`) and channels prefixed with `key`. The runner drives it over IPC:
//
//   { id, type: "cpu" }                       -> { id, cpu: { user, system } } (µs)
//   { id, type: "heap" }                      -> { id, heapUsed } (bytes, after full GCs)
//   { id, type: "fanout", events, burst[, rooms] } -> { id } once every event was emitted
//                                                (with rooms: event n to rooms[n % rooms.length])
//   { id, type: "stamped", events, intervalMs, room } -> { id } once `events` stamped ticks
//                                                were emitted, one every `intervalMs`, to every
//                                                client or to `room` (latency runs); clients
//                                                connecting with `&probe=1` join PROBE_ROOM
//   { id, type: "connections" }               -> { id, count } (sockets in the namespace)
//   { id, type: "join", pairs: [[sid, room]…] } -> { id, joined } (sockets of "/" by id, each into its room)
//   { id, type: "server-count" }              -> { id, count } (nodes the adapter of "/" knows, itself included)
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
import { PROBE_ROOM, nowMicros, stampedTickData, tickData } from "./wire.mjs";

const require = createRequire(import.meta.url);
const kind = process.argv[2];
const options = parseOptions(process.argv.slice(3));

/** `--name=value` arguments after the kind: `redis`, `redis-client`, `key`. */
function parseOptions(argv) {
  const parsed = {};
  for (const arg of argv) {
    const match = /^--(redis|redis-client|key)=(.+)$/.exec(arg);
    if (match === null) throw new Error(`server-child.mjs: unknown argument ${arg}`);
    parsed[match[1]] = match[2];
  }
  return parsed;
}

if (typeof process.send !== "function") {
  console.error("server-child.mjs must be started by the runner (it talks over IPC)");
  process.exit(2);
}
if (typeof globalThis.gc !== "function") {
  console.error("server-child.mjs needs --expose-gc");
  process.exit(2);
}

/**
 * A connected pub/sub client pair of `library` on `url`, for a Redis adapter. Errors are
 * written to stderr (a lost Redis then shows as a stalled run, with its cause).
 */
async function connectRedis(url, library) {
  let pub;
  let quit;
  if (library === "redis") {
    const { createClient } = await import("redis");
    pub = createClient({ url });
    quit = (client) => client.close();
  } else if (library === "ioredis") {
    const { Redis } = await import("ioredis");
    pub = new Redis(url, { lazyConnect: true });
    quit = (client) => client.quit();
  } else {
    throw new Error(`unknown --redis-client "${library}" (redis or ioredis)`);
  }
  const sub = pub.duplicate();
  for (const client of [pub, sub]) client.on("error", (err) => console.error(`${kind} node: Redis client error: ${err.message}`));
  await Promise.all([pub.connect(), sub.connect()]);
  return { pub, sub, close: () => Promise.all([quit(pub), quit(sub)]) };
}

/** The `adapter` server option for a cluster node (`--redis`), or none. */
async function clusterAdapter(redis) {
  if (redis === undefined) return {};
  const key = options.key ?? "bench";
  if (kind === "volley") {
    const { createAdapter } = await import("@volley/redis-adapter");
    return { adapter: createAdapter(redis.pub, redis.sub, { key }) };
  }
  const { createAdapter } = require("@socket.io/redis-adapter");
  return { adapter: createAdapter(redis.pub, redis.sub, { key }) };
}

/** Builds the implementation named `kind` on `http`; same listeners for both Socket.IO servers. */
async function createImplementation(http) {
  if (kind === "ws") {
    if (options.redis !== undefined) throw new Error("the raw ws server has no cluster mode (--redis)");
    return createRawWsServer(http);
  }
  let ServerClass;
  if (kind === "volley") ({ Server: ServerClass } = await import("@volley/server"));
  else if (kind === "socket.io") ({ Server: ServerClass } = require("socket.io"));
  else throw new Error(`unknown server kind "${kind}" (volley, socket.io or ws)`);
  const redis = options.redis === undefined ? undefined : await connectRedis(options.redis, options["redis-client"] ?? "redis");
  const io = new ServerClass(http, { serveClient: false, ...(await clusterAdapter(redis)) });
  io.on("connection", (socket) => {
    if (socket.handshake.query.probe === "1") socket.join(PROBE_ROOM);
    socket.on("echo", (data, ack) => ack(data));
  });
  return {
    broadcast: (n) => io.emit("tick", tickData(n)),
    broadcastStamped: (n, room) => (room === undefined ? io : io.to(room)).emit("tick", stampedTickData(n, nowMicros())),
    broadcastTo: (room, n) => io.to(room).emit("tick", tickData(n)),
    join(sid, room) {
      const socket = io.of("/").sockets.get(sid);
      if (socket === undefined) return false;
      socket.join(room);
      return true;
    },
    connections: () => io.of("/").sockets.size,
    serverCount: () => io.of("/").adapter.serverCount(),
    close: async () => {
      // closing the server closes its adapters (both unsubscribe); the clients are ours
      await io.close();
      await redis?.close();
    },
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

/** Emits `events` stamped broadcasts (to `room` if set), one every `intervalMs`, then calls `done`. */
function paced(events, intervalMs, room, done) {
  let n = 0;
  const timer = setInterval(() => {
    impl.broadcastStamped(n, room);
    if (++n === events) {
      clearInterval(timer);
      done();
    }
  }, intervalMs);
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
    case "server-count":
      if (impl.serverCount === undefined) return reply({ count: 1 });
      return Promise.resolve(impl.serverCount()).then((count) => reply({ count }), (err) => reply({ error: String(err) }));
    case "stamped":
      if (impl.broadcastStamped === undefined) return reply({ error: `the ${kind} server has no stamped broadcasts` });
      return paced(msg.events, msg.intervalMs, msg.room, () => reply());
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
