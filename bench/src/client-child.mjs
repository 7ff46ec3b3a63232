// The clients under test of the client benchmark, in their own process (started by the runner
// with --expose-gc), so that their CPU time and heap are measured apart from the server's and
// the runner's:
//
//   node --expose-gc src/client-child.mjs <volley|socket.io|ws>
//
// `volley` is @volley/client, `socket.io` is socket.io-client (both imported as ES modules,
// as a Node.js app does, each socket with `io(url, { forceNew, transports: ["websocket"] })`),
// `ws` the raw protocol client of the load generator (wire-client.mjs): the floor. The runner
// drives it over IPC:
//
//   { id, type: "connect", port, count, concurrency, timeoutMs } -> { id, connected }
//   { id, type: "disconnect", timeoutMs }     -> { id } once every client and TCP socket is gone
//   { id, type: "echo", ops, timeoutMs }      -> { id, ops, acks, wallMs, cpuMicros }
//                                               (fails after timeoutMs without an ack, or 10 × timeoutMs in all)
//   { id, type: "heap" }                      -> { id, heapUsed } (bytes, after full GCs)
//   { id, type: "cpu" }                       -> { id, cpu: { user, system } } (µs)
//   { id, type: "snapshot", file }            -> { id, file } (V8 heap snapshot written)
//   { id, type: "profile-start" }             -> { id } once the CPU profiler runs
//   { id, type: "profile-stop", file }        -> { id, file } (.cpuprofile of the window)
//   { id, type: "close" }                     -> { id }, then the process exits
//
// On start it sends { type: "ready" }. A request that fails (a refused connection, a wrong or
// missing ack, a disconnection, a stall) answers { id, error } saying what it saw.
import { performance } from "node:perf_hooks";
import { writeHeapSnapshot } from "node:v8";
import { WindowProfiler, heapAfterGc } from "./child-tools.mjs";
import { WireClient } from "./wire-client.mjs";
import { echoData } from "./wire.mjs";

const kind = process.argv[2];

if (typeof process.send !== "function") {
  console.error("client-child.mjs must be started by the runner (it talks over IPC)");
  process.exit(2);
}
if (typeof globalThis.gc !== "function") {
  console.error("client-child.mjs needs --expose-gc");
  process.exit(2);
}

/**
 * @typedef {object} Driver  how one kind of client connects, echoes and goes away
 * @property {(port: number, index: number, timeoutMs: number, onLost: (why: string) => void) => Promise<unknown>} connect
 * @property {(client: unknown, index: number, count: number, onAck: () => void, onDone: () => void, onError: (err: Error) => void) => void} echo
 *   `count` sequential acked `echo` calls, each answer checked
 * @property {(client: unknown) => void} disconnect
 */

/** A driver for a Socket.IO client library whose API is socket.io-client's (`io`). */
function socketIoDriver(io) {
  return {
    connect(port, index, timeoutMs, onLost) {
      return new Promise((resolve, reject) => {
        // reconnection off: a lost connection is a failure of the run, never silently redone
        const socket = io(`http://127.0.0.1:${port}`, { forceNew: true, transports: ["websocket"], reconnection: false });
        const timer = setTimeout(() => {
          socket.disconnect();
          reject(new Error(`client ${index}: not connected after ${timeoutMs} ms`));
        }, timeoutMs);
        socket.once("connect", () => {
          clearTimeout(timer);
          socket.on("disconnect", (reason) => {
            if (reason !== "io client disconnect") onLost(`client ${index} disconnected: ${reason}`);
          });
          resolve(socket);
        });
        socket.once("connect_error", (err) => {
          clearTimeout(timer);
          socket.disconnect();
          reject(new Error(`client ${index}: connect_error ${err.message}`));
        });
      });
    },
    echo(socket, index, count, onAck, onDone, onError) {
      let seq = 0;
      const next = () => {
        if (seq === count) return onDone();
        const sent = echoData(index, seq++);
        socket.emit("echo", sent, (got) => {
          if (got?.client !== sent.client || got.seq !== sent.seq || got.text !== sent.text) {
            return onError(new Error(`client ${index}: ack of ${JSON.stringify(sent)} is ${JSON.stringify(got)}`));
          }
          onAck();
          next();
        });
      };
      next();
    },
    disconnect(socket) {
      socket.disconnect();
    },
  };
}

/** The raw protocol client: the same frames, no library (the floor). */
const wireDriver = {
  async connect(port, index, timeoutMs, onLost) {
    const client = new WireClient(index, onLost);
    await client.connect(port, timeoutMs);
    return client;
  },
  echo(client, index, count, onAck, onDone, onError) {
    // runEchoes checks every ack byte for byte
    client.runEchoes(count, onDone, onError, onAck);
  },
  disconnect(client) {
    client.close();
  },
};

/** @type {Driver} */
let driver;
if (kind === "volley") driver = socketIoDriver((await import("@volley/client")).io);
else if (kind === "socket.io") driver = socketIoDriver((await import("socket.io-client")).io);
else if (kind === "ws") driver = wireDriver;
else {
  console.error(`unknown client kind "${kind}" (volley, socket.io or ws)`);
  process.exit(2);
}

/** The connected clients, in index order. */
let clients = [];
/** Why a connection was lost, once one was (every later request fails with it). */
let lost;
/** Called when a connection is lost during a run, to fail it at once. */
let onLostDuringRun;

function connectionLost(why) {
  lost ??= why;
  onLostDuringRun?.(new Error(why));
}

/** Connects `count` more clients, `concurrency` handshakes in flight at most. */
async function connect({ port, count, concurrency, timeoutMs }) {
  const base = clients.length;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = base + next++;
      const client = await driver.connect(port, index, timeoutMs, connectionLost);
      clients[index] = client;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (lost !== undefined) throw new Error(lost);
  return { connected: clients.length };
}

/** TCP sockets still open in this process (the IPC channel is a pipe, not counted). */
function openTcpSockets() {
  return process.getActiveResourcesInfo().filter((name) => name === "TCPSocketWrap").length;
}

/**
 * Disconnects every client, then waits (bounded) until no TCP socket of this process is open
 * any more, so that a heap reading after it holds none of their objects.
 */
async function disconnect({ timeoutMs }) {
  for (const client of clients) driver.disconnect(client);
  clients = [];
  const deadline = performance.now() + timeoutMs;
  while (openTcpSockets() > 0) {
    if (performance.now() > deadline) throw new Error(`${openTcpSockets()} TCP sockets still open ${timeoutMs} ms after disconnecting`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return {};
}

/**
 * Every client makes `ops` sequential acked `echo` calls; resolves with the count of acks
 * (checked: every one of them, each with the data sent), the wall time and this process's
 * CPU time over the run.
 */
async function echo({ ops, timeoutMs }) {
  if (lost !== undefined) throw new Error(lost);
  const expected = ops * clients.length;
  let acks = 0;
  let done = 0;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  try {
    await new Promise((resolve, reject) => {
      // Bounded twice: no ack for `timeoutMs` is a stall; and the whole run may take at most
      // 10 × `timeoutMs` (a run on a busy machine is slow, not stalled, as long as acks come).
      let seen = 0;
      const started = performance.now();
      const timer = setInterval(() => {
        const why =
          acks === seen ? `no ack for ${timeoutMs} ms` : performance.now() - started > 10 * timeoutMs ? `not done after ${10 * timeoutMs} ms` : undefined;
        seen = acks;
        if (why !== undefined) fail(new Error(`echo stalled: ${why}, ${done}/${clients.length} clients done`));
      }, timeoutMs);
      const fail = (err) => {
        clearInterval(timer);
        reject(new Error(`${err.message} (${acks}/${expected} acks so far)`));
      };
      onLostDuringRun = fail;
      const onAck = () => acks++;
      const onDone = () => {
        if (++done === clients.length) {
          clearInterval(timer);
          resolve();
        }
      };
      for (let i = 0; i < clients.length; i++) driver.echo(clients[i], i, ops, onAck, onDone, fail);
    });
  } finally {
    onLostDuringRun = undefined;
  }
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  if (acks !== expected) throw new Error(`echo: ${acks} acks, expected ${expected}`);
  return { ops: expected, acks, wallMs, cpuMicros: cpu.user + cpu.system };
}

const profiler = new WindowProfiler();

process.on("message", (msg) => {
  const reply = (body = {}) => process.send({ id: msg.id, ...body });
  const answer = (promise) => promise.then(reply, (err) => reply({ error: err.message }));
  switch (msg.type) {
    case "connect":
      return answer(connect(msg));
    case "disconnect":
      return answer(disconnect(msg));
    case "echo":
      return answer(echo(msg));
    case "cpu":
      return reply({ cpu: process.cpuUsage() });
    case "heap":
      return reply({ heapUsed: heapAfterGc() });
    case "profile-start":
      return answer(profiler.start().then(() => ({})));
    case "profile-stop":
      return answer(profiler.stop(msg.file).then((file) => ({ file })));
    case "snapshot":
      heapAfterGc();
      return reply({ file: writeHeapSnapshot(msg.file) });
    case "close":
      for (const client of clients) driver.disconnect(client);
      clients = [];
      reply();
      // let the reply be delivered, then leave
      process.disconnect();
      return;
    default:
      return reply({ error: `unknown request ${JSON.stringify(msg.type)}` });
  }
});
// the runner went away: never linger
process.on("disconnect", () => process.exit(0));
process.send({ type: "ready" });
