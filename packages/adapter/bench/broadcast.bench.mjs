// Micro benchmark: broadcasting to 1000 sockets spread over 10 rooms, @volley/adapter vs
// the published socket.io-adapter, in the same process, with the same trivial encoder and
// sockets that only count writes. Run `pnpm build && pnpm bench` in packages/adapter.
//
// Note: socket.io-adapter also pre-computes a WebSocket frame inside broadcast() (it
// imports ws); Volley leaves that to the engine behind socket.write(), so part of the
// difference is work moved, not saved.
import { createRequire } from "node:module";
import os from "node:os";
import { Bench } from "tinybench";
import { Adapter, createBroadcastOptions } from "@volley/adapter";

const require = createRequire(import.meta.url);
const upstream = require("socket.io-adapter");

const SOCKETS = 1000;
const ROOMS = 10;
const encode = (packet) => [`${packet.type}${JSON.stringify(packet.data)}`];
let writes = 0;

function volleyAdapter() {
  const sockets = new Map();
  let ackId = 0;
  const nsp = {
    name: "/",
    sockets,
    encode,
    nextAckId: () => ackId++,
    receiveServerSideEmit() {},
  };
  const adapter = new Adapter(nsp);
  for (let i = 0; i < SOCKETS; i++) {
    const id = `socket-${i}`;
    sockets.set(id, {
      id,
      handshake: {},
      data: {},
      writeEncoded() {
        writes++;
      },
      registerAck() {},
      unregisterAck() {},
      disconnect() {},
    });
    adapter.addAll(id, [id, `room-${i % ROOMS}`]);
  }
  return adapter;
}

function upstreamAdapter() {
  const sockets = new Map();
  const nsp = { name: "/", sockets, _ids: 0, server: { encoder: { encode } } };
  const adapter = new upstream.Adapter(nsp);
  for (let i = 0; i < SOCKETS; i++) {
    const id = `socket-${i}`;
    sockets.set(id, {
      id,
      client: {
        writeToEngine() {
          writes++;
        },
      },
    });
    adapter.addAll(id, new Set([id, `room-${i % ROOMS}`]));
  }
  return adapter;
}

const volley = volleyAdapter();
const socketio = upstreamAdapter();
const packet = () => ({ type: 2, nsp: "/", data: ["message", { text: "hello", n: 1 }] });

const scenarios = [
  { name: "to all 1000 sockets", rooms: [], except: [] },
  { name: "to 1 room (100 sockets)", rooms: ["room-3"], except: [] },
  { name: "to 3 rooms except 1 socket", rooms: ["room-1", "room-2", "room-3"], except: ["socket-1"] },
];

const bench = new Bench({ time: 1000, warmupTime: 200 });
for (const scenario of scenarios) {
  const volleyOpts = createBroadcastOptions({ rooms: scenario.rooms, except: scenario.except });
  const upstreamOpts = { rooms: new Set(scenario.rooms), except: new Set(scenario.except), flags: {} };
  bench.add(`socket.io-adapter ${scenario.name}`, () => socketio.broadcast(packet(), upstreamOpts));
  bench.add(`@volley/adapter   ${scenario.name}`, () => volley.broadcast(packet(), volleyOpts));
}

await bench.run();
// a task that threw has no throughput: fail loudly with its error instead of a TypeError below
for (const task of bench.tasks) if (task.result?.error !== undefined) throw task.result.error;

console.log(`Node ${process.version}, ${os.cpus()[0]?.model ?? "unknown CPU"} x${os.cpus().length}, ${new Date().toISOString()}`);
const rows = [];
for (let i = 0; i < bench.tasks.length; i += 2) {
  const base = bench.tasks[i];
  const ours = bench.tasks[i + 1];
  for (const task of [base, ours]) {
    const throughput = task.result.throughput;
    rows.push({
      task: task.name,
      "ops/s": Math.round(throughput.mean),
      "±%": throughput.rme.toFixed(2),
      samples: throughput.samplesCount,
      "vs socket.io-adapter": `${(throughput.mean / base.result.throughput.mean).toFixed(2)}x`,
    });
  }
}
console.table(rows);
if (writes === 0) throw new Error("no socket was written to");
