// One Node.js cluster under test (the workers benchmark): this file is the primary, started
// by the runner, and through cluster.setupPrimary({ exec }) every worker.
//
//   node --expose-gc src/workers-child.mjs <volley|socket.io> --workers=N
//
// volley:    @volley/sticky's setupPrimary + @volley/cluster-adapter's setupPrimary in the
//            primary; @volley/server + @volley/cluster-adapter + @volley/sticky's setupWorker
//            in each worker.
// socket.io: @socket.io/sticky's setupMaster + @socket.io/cluster-adapter's setupPrimary in
//            the primary; socket.io + @socket.io/cluster-adapter + @socket.io/sticky's
//            setupWorker in each worker.
// Both primaries listen on 127.0.0.1 port 0 and balance new connections by least connection;
// both clusters use the default ("json") IPC serialization, and the same listeners and tick
// payload as server-child.mjs. The runner talks to the primary (the ServerProcess protocol):
//
//   { id, type: "cpu" }           -> { id, cpu: { user, system } } (µs): the primary and every worker, summed
//   { id, type: "connections" }   -> { id, count, perWorker } (sockets of "/" in each worker)
//   { id, type: "server-count" }  -> { id, count } (the smallest serverCount() of the workers)
//   { id, type: "fanout", events, burst } -> { id } once worker 1 emitted every tick
//   { id, type: "close" }         -> { id }, the workers killed, then the process exits
//
// On start it sends { type: "ready", port, pid } once every worker is up.
import cluster from "node:cluster";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { answerRequests } from "./child-tools.mjs";
import { tickData } from "./wire.mjs";

const require = createRequire(import.meta.url);
/** The bench's own messages between the primary and the workers (the adapters use the channel too). */
const TAG = "_volley_bench";

if (cluster.isPrimary) await runPrimary();
else await runWorker();

async function runPrimary() {
  const kind = process.argv[2];
  const match = /^--workers=(\d+)$/.exec(process.argv[3] ?? "");
  if (!["volley", "socket.io"].includes(kind) || match === null) {
    throw new Error("usage: workers-child.mjs <volley|socket.io> --workers=N");
  }
  const workerCount = Number(match[1]);
  const http = createServer();
  let closeRouter = () => undefined;
  let closeRelay = () => undefined;
  if (kind === "volley") {
    const router = (await import("@volley/sticky")).setupPrimary(http, { loadBalancingMethod: "least-connection" });
    const relay = (await import("@volley/cluster-adapter")).setupPrimary();
    closeRouter = () => router.close();
    closeRelay = () => relay.close();
  } else {
    require("@socket.io/sticky").setupMaster(http, { loadBalancingMethod: "least-connection" });
    require("@socket.io/cluster-adapter").setupPrimary();
  }
  cluster.setupPrimary({ exec: fileURLToPath(import.meta.url), args: [kind], serialization: "json" });

  let nextId = 0;
  const pending = new Map();
  cluster.on("message", (_worker, msg) => {
    if (msg?.[TAG] !== true) return;
    if (msg.type === "ready") return;
    const waiter = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.error !== undefined) waiter?.reject(new Error(msg.error));
    else waiter?.resolve(msg);
  });
  /** Asks worker `worker` (a cluster Worker) and resolves with its reply. */
  const ask = (worker, type, body = {}) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      worker.send({ [TAG]: true, id, type, ...body });
    });
  const workers = [];
  let closing = false;
  cluster.on("exit", (worker, code, signal) => {
    if (closing) return;
    console.error(`${kind} worker ${worker.id} exited (code ${code}, signal ${signal})`);
    process.exit(4);
  });
  const up = [];
  for (let i = 0; i < workerCount; i++) {
    const worker = cluster.fork();
    workers.push(worker);
    up.push(new Promise((resolve) => worker.on("message", (msg) => msg?.[TAG] === true && msg.type === "ready" && resolve())));
  }
  await Promise.all(up);
  const all = (type) => Promise.all(workers.map((worker) => ask(worker, type)));

  answerRequests({
    cpu: async () => {
      const own = process.cpuUsage();
      const replies = await all("cpu");
      return {
        cpu: replies.reduce((sum, { cpu }) => ({ user: sum.user + cpu.user, system: sum.system + cpu.system }), own),
      };
    },
    connections: async () => {
      const perWorker = (await all("connections")).map((r) => r.count);
      return { count: perWorker.reduce((a, b) => a + b, 0), perWorker };
    },
    "server-count": async () => ({ count: Math.min(...(await all("server-count")).map((r) => r.count)) }),
    fanout: ({ events, burst }) => ask(workers[0], "fanout", { events, burst }).then(() => ({})),
    close: async () => {
      closing = true;
      http.close();
      closeRouter();
      closeRelay();
      for (const worker of workers) worker.process.kill("SIGKILL");
      return {};
    },
  });
  http.listen(0, "127.0.0.1", () => process.send({ type: "ready", port: http.address().port, pid: process.pid }));
}

async function runWorker() {
  const kind = process.argv[2];
  const http = createServer();
  let io;
  if (kind === "volley") {
    const { Server } = await import("@volley/server");
    const { createAdapter } = await import("@volley/cluster-adapter");
    io = new Server(http, { serveClient: false, adapter: createAdapter() });
    (await import("@volley/sticky")).setupWorker(io);
  } else {
    const { Server } = require("socket.io");
    const { createAdapter } = require("@socket.io/cluster-adapter");
    io = new Server(http, { serveClient: false, adapter: createAdapter() });
    require("@socket.io/sticky").setupWorker(io);
  }
  io.on("connection", (socket) => socket.on("echo", (data, ack) => ack(data)));

  /** Emits `events` ticks, `burst` per macrotask, then calls `done` (as server-child.mjs does). */
  const fanOut = (events, burst, done) => {
    let n = 0;
    const step = () => {
      const end = Math.min(events, n + burst);
      for (; n < end; n++) io.emit("tick", tickData(n));
      if (n < events) setImmediate(step);
      else done();
    };
    step();
  };
  const handlers = {
    cpu: () => ({ cpu: process.cpuUsage() }),
    connections: () => ({ count: io.of("/").sockets.size }),
    "server-count": async () => ({ count: await io.of("/").adapter.serverCount() }),
    fanout: ({ events, burst }) => new Promise((resolve) => fanOut(events, burst, () => resolve({}))),
  };
  process.on("message", (msg) => {
    if (msg?.[TAG] !== true) return;
    const reply = (body) => process.send({ [TAG]: true, id: msg.id, ...body });
    new Promise((resolve) => resolve(handlers[msg.type](msg))).then(reply, (err) => reply({ error: String(err?.message ?? err) }));
  });
  process.send({ [TAG]: true, type: "ready" });
}
