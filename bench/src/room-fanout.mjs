// Room fan-out: the session's idle clients are put in rooms of `roomSize` (client i in room
// i % rooms, by its socket id, with the server's API: no listener is added to the sockets,
// so the memory scenario is unchanged), then the server broadcasts `tick` n to room
// n % rooms, `burst` per macrotask. Every client checks every tick it gets against the
// sequence of its room (n, length, the last one byte for byte): a lost, duplicated,
// reordered or misrouted tick fails the run at once. After the last one, each client makes
// one acked call: its ack is written after every tick, so a duplicate written late would
// arrive before it and fail the run too.
import { performance } from "node:perf_hooks";
import { deliveryFigures } from "./scenarios.mjs";
import { withTimeout } from "./server-process.mjs";

/**
 * Joins the rooms, then a warm-up run (a quarter of the events) and the measured run
 * (through `measure`, which may profile it). Resolves with the measured run's figures.
 */
export async function runRoomFanOut(server, clients, config, measure) {
  const roomCount = Math.floor(clients.length / config.roomSize);
  if (roomCount < 1) throw new Error(`room fan-out: ${clients.length} clients cannot fill a room of ${config.roomSize}`);
  const members = clients.slice(0, roomCount * config.roomSize);
  const rooms = Array.from({ length: roomCount }, (_, r) => `room-${r}`);
  const pairs = members.map((client, i) => [client.sid, rooms[i % roomCount]]);
  const { joined } = await server.request("join", { pairs }, config.stallMs);
  if (joined !== members.length) throw new Error(`${server.kind} room fan-out: ${joined} of ${members.length} sockets found to join their room`);
  // a multiple of the room count: every room gets the same number of ticks
  const perRoom = (events) => Math.max(1, Math.round(events / roomCount));
  await roomRun(server, clients, rooms, perRoom(config.roomEvents / 4), config);
  return measure(() => roomRun(server, clients, rooms, perRoom(config.roomEvents), config));
}

async function roomRun(server, clients, rooms, perRoom, config) {
  const roomCount = rooms.length;
  const members = roomCount * config.roomSize;
  const events = perRoom * roomCount;
  let complete = 0;
  let failure;
  const delivered = new Promise((resolve, reject) => {
    const onError = (err) => {
      failure ??= err;
      reject(err);
    };
    clients.forEach((client, i) => {
      if (i < members) client.expectTicks(i % roomCount, roomCount, perRoom, () => ++complete === members && resolve(), onError);
      else client.expectTicks(0, 1, 0, () => undefined, onError); // in no room: any tick is an error
    });
  });
  const deliveries = events * config.roomSize;
  const cpuBefore = await server.cpuMicros();
  const clientCpuBefore = process.cpuUsage();
  const start = performance.now();
  const emitted = server.request("fanout", { events, burst: config.burst, rooms }, config.stallMs);
  emitted.catch(() => undefined); // awaited below; a stall is reported by the delivery wait
  await withTimeout(delivered, config.stallMs, `${server.kind} room fan-out`).catch((err) => {
    const closed = clients.filter((c) => !c.connected).length;
    throw new Error(`${err.message}: ${complete}/${members} clients got all ${perRoom} ticks of their room; ${closed} closed`);
  });
  const wallMs = performance.now() - start;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  await emitted;
  const cpu = (await server.cpuMicros()) - cpuBefore;
  // the barrier: one acked call per client, answered after every tick was written
  await withTimeout(
    Promise.all(clients.map((client) => new Promise((resolve, reject) => client.runEchoes(1, resolve, reject)))),
    config.stallMs,
    `${server.kind} room fan-out barrier`,
  );
  for (const client of clients) client.stopTicks();
  if (failure !== undefined) throw failure;
  return deliveryFigures(deliveries, wallMs, cpu, clientCpu);
}
