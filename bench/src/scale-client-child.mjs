// A load generator of the scale runs (scale.mjs), in its own process (each process may open
// only `ulimit -n` files, so the hold run starts several):
//
//   node src/scale-client-child.mjs <port>
//
// Over IPC:
//   { id, type: "hold", count, room? } -> { id, connected } once `count` websocket clients
//                                     (raw ws, our own Engine.IO/Socket.IO framing) are
//                                     connected to "/"; from then on each checks the ticks it
//                                     gets: seq 0, 1, 2, … once and in order, and keeps their
//                                     send→receive times
//   { id, type: "slow", room? }     -> { id } one more client, connected, that then never
//                                     reads again (its TCP socket paused: the server's writes
//                                     pile up)
//   { id, type: "ticks" }           -> { id, clients, closed, slowClosed, received, errors, latencies }:
//                                     (slowClosed: { code, afterMs } once the slow client was closed)
//                                     per client the ticks received; the send→receive times
//                                     (ms, sorted) of every 8th tick of each client
//   { id, type: "churn", cycles, inFlight } -> { id, cycles, wallMs, byWay }: `cycles`
//                                     connect → acked echo → leave cycles, `inFlight` at a
//                                     time, leaving in turn by each of LEAVE_WAYS
//   { id, type: "drop-connect", clients, room, library } -> { id, connected }: `clients`
//                                     socket.io-client (or @volley/client) sockets in `room`,
//                                     through a TCP proxy of ours
//   { id, type: "drop-cut", count, cutMinMs, cutMaxMs } -> { id, cuts, perClient }: the proxy
//                                     cuts one client's connection (both sides, TCP reset) at
//                                     random every cutMinMs–cutMaxMs while the stream lasts;
//                                     it resolves once each client has
//                                     all `count` ticks, or nothing came for 3 s after
//                                     "stream-done"; per client: received, unique,
//                                     duplicates, out of order, lost, disconnects, recovered
//   { id, type: "stream-done" }     -> { id }: the server has sent its last tick
//   { id, type: "close" }           -> { id }, closes every client, then the process exits
import { createConnection, createServer } from "node:net";
import { createRequire } from "node:module";
import { WebSocket } from "ws";
import { answerRequests } from "./child-tools.mjs";
import { EIO_MESSAGE, EIO_OPEN, EIO_PING, SIO_ACK, SIO_CONNECT, SIO_EVENT, nowMicros } from "./wire.mjs";

const require = createRequire(import.meta.url);
const port = Number(process.argv[2]);
const wsUrl = (room) => `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket${room ? `&room=${room}` : ""}`;

/** The ways a churn cycle leaves, in turn. */
export const LEAVE_WAYS = ["namespace disconnect", "Engine.IO close", "WebSocket close", "TCP reset"];

/** Hold and slow-consumer clients: each with its tick check. */
const clients = [];
/** Send→receive times (ms) of every 8th tick per client: enough for the percentiles. */
const latencies = [];

/**
 * Opens one raw websocket client to "/" (answering pings) and resolves with it once the
 * server's CONNECT answer came. `onEvent(frame)` gets every `42` frame, `onAck(frame)` every
 * `43` frame. Bounded to 30 s.
 */
function openClient(room, onEvent, onAck = () => undefined) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(room), { perMessageDeflate: false, skipUTF8Validation: true });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error("not connected to / after 30 s"));
    }, 30000);
    ws.on("message", (data) => {
      const type = data[0];
      if (type === EIO_MESSAGE) {
        if (data[1] === SIO_EVENT) onEvent(data);
        else if (data[1] === SIO_ACK) onAck(data);
        else if (data[1] === SIO_CONNECT) {
          clearTimeout(timer);
          resolve(ws);
        }
      } else if (type === EIO_PING) ws.send("3");
      else if (type === EIO_OPEN) ws.send("40");
    });
    ws.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** A client that checks its ticks: seq 0, 1, 2, … each once and in order. */
function checkingClient(index) {
  const state = { index, received: 0, next: 0, errors: [], ws: undefined };
  const onEvent = (data) => {
    const [, { n, t }] = JSON.parse(data.subarray(2).toString());
    if (n !== state.next && state.errors.length < 3) state.errors.push(`client ${index}: expected tick ${state.next}, got ${n}`);
    state.next = n + 1;
    state.received++;
    if (n % 8 === index % 8) latencies.push((nowMicros() - t) / 1000);
  };
  return { state, onEvent };
}

async function hold({ count, room, concurrency = 100 }) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const { state, onEvent } = checkingClient(clients.length);
      clients.push(state);
      next++;
      state.ws = await openClient(room, onEvent);
      state.ws.on("close", () => (state.closed = true));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { connected: clients.filter((c) => c.ws !== undefined && !c.closed).length };
}

/** A client that is connected, then never reads again; when and how the server closed it. */
let slowClient;
let slowSince;
let slowClosed;
async function slow({ room }) {
  slowClient = await openClient(room, () => undefined);
  slowClient.on("close", (code) => (slowClosed = { code, afterMs: performance.now() - slowSince }));
  slowSince = performance.now();
  // ws reads from this TCP socket; paused, nothing is read: the kernel buffers fill, then the server's
  slowClient._socket.pause();
  return {};
}

function ticks() {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    clients: clients.length,
    closed: clients.filter((c) => c.closed).length,
    slowClosed,
    received: clients.map((c) => c.received),
    errors: clients.flatMap((c) => c.errors).slice(0, 10),
    latencies: sorted,
  };
}

/** One churn cycle: connect, one acked echo, leave by `way`. */
async function cycle(way) {
  let acked;
  const ackSeen = new Promise((resolve) => (acked = resolve));
  const ws = await openClient(undefined, () => undefined, acked);
  ws.send('420["echo","x"]');
  await ackSeen;
  const closed = new Promise((resolve) => ws.once("close", resolve));
  if (way === "namespace disconnect") {
    ws.send("41");
    ws.close();
  } else if (way === "Engine.IO close") {
    ws.send("1");
    ws.close();
  } else if (way === "WebSocket close") {
    ws.close();
  } else {
    ws._socket.resetAndDestroy();
  }
  await closed;
}

async function churn({ cycles, inFlight }) {
  let next = 0;
  const byWay = Object.fromEntries(LEAVE_WAYS.map((w) => [w, 0]));
  const t0 = performance.now();
  const worker = async () => {
    while (next < cycles) {
      const way = LEAVE_WAYS[next++ % LEAVE_WAYS.length];
      await cycle(way);
      byWay[way]++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, cycles) }, worker));
  return { cycles, wallMs: performance.now() - t0, byWay };
}

/**
 * A TCP proxy to the server on a port of its own; `cut()` destroys both sides of one live
 * connection picked at random (the client sees its transport drop, the server too).
 */
async function cuttingProxy() {
  const pairs = new Set();
  const server = createServer((downstream) => {
    const upstream = createConnection({ host: "127.0.0.1", port });
    const pair = { downstream, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      downstream.destroy();
      upstream.destroy();
    };
    downstream.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    downstream.pipe(upstream);
    upstream.pipe(downstream);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: server.address().port,
    cut() {
      const live = [...pairs];
      if (live.length === 0) return false;
      const pair = live[Math.floor(Math.random() * live.length)];
      pair.downstream.resetAndDestroy();
      pair.upstream.resetAndDestroy();
      return true;
    },
    close: () => {
      for (const pair of pairs) pair.downstream.destroy(), pair.upstream.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The drop run's clients, between "drop-connect" and "drop-run". */
let dropRun;

async function dropConnect({ clients: count, room, library }) {
  const { io } = library === "volley" ? await import("@volley/client") : require("socket.io-client");
  const proxy = await cuttingProxy();
  const sockets = [];
  const stats = [];
  dropRun = { proxy, sockets, stats };
  await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const s = { received: 0, duplicates: 0, outOfOrder: 0, last: -1, seen: new Set(), recovered: 0, disconnects: 0 };
      stats.push(s);
      const socket = io(`http://127.0.0.1:${proxy.port}`, {
        transports: ["websocket"],
        query: { room },
        reconnectionDelay: 20,
        reconnectionDelayMax: 100,
        randomizationFactor: 0.5,
      });
      sockets.push(socket);
      socket.on("tick", ({ n }) => {
        s.received++;
        if (s.seen.has(n)) s.duplicates++;
        else if (n < s.last) s.outOfOrder++;
        s.seen.add(n);
        s.last = Math.max(s.last, n);
      });
      // the close at the end is ours: not counted
      socket.on("disconnect", (reason) => reason !== "io client disconnect" && s.disconnects++);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`drop client ${i}: not connected after 15 s`)), 15000);
        socket.once("connect", () => {
          clearTimeout(timer);
          socket.on("connect", () => socket.recovered && s.recovered++);
          resolve();
        });
      });
    }),
  );
  return { connected: sockets.filter((socket) => socket.connected).length };
}

async function dropCut({ count: ticksExpected, cutMinMs, cutMaxMs }) {
  const { proxy, sockets, stats } = dropRun;
  streamDone = false;
  let cuts = 0;
  let cutting = true;
  const cutLoop = () => {
    // no more cuts once the stream is over: the clients get the rest
    if (!cutting || streamDone) return;
    if (proxy.cut()) cuts++;
    setTimeout(cutLoop, cutMinMs + Math.random() * (cutMaxMs - cutMinMs));
  };
  setTimeout(cutLoop, cutMinMs);
  // done when every client has the last tick, or nothing arrived for 3 s after the stream
  await new Promise((resolve) => {
    let quietSince = performance.now();
    let lastTotal = 0;
    const timer = setInterval(() => {
      const total = stats.reduce((sum, s) => sum + s.received, 0);
      if (total !== lastTotal) [lastTotal, quietSince] = [total, performance.now()];
      const allDone = stats.every((s) => s.seen.has(ticksExpected - 1) && s.seen.size === ticksExpected);
      if (allDone || (streamDone && performance.now() - quietSince > 3000)) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
  });
  cutting = false;
  for (const socket of sockets) socket.close();
  await proxy.close();
  return {
    cuts,
    perClient: stats.map((s) => ({
      received: s.received,
      unique: s.seen.size,
      duplicates: s.duplicates,
      outOfOrder: s.outOfOrder,
      lost: ticksExpected - s.seen.size,
      disconnects: s.disconnects,
      recovered: s.recovered,
    })),
  };
}

/** Set by the runner's "stream-done" request: the server sent its last tick. */
let streamDone = false;

answerRequests({
  hold,
  slow,
  ticks,
  churn,
  "drop-connect": dropConnect,
  "drop-cut": dropCut,
  "stream-done": () => {
    streamDone = true;
    return {};
  },
  close() {
    for (const c of clients) c.ws?.terminate();
    slowClient?.terminate();
    return {};
  },
});
process.send({ type: "ready", port: 0, pid: process.pid });
