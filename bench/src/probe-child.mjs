// The latency probes of the cross-node benchmark, in a process of their own: a few load
// generator clients (wire-client.mjs) per server node that note the send→receive time of
// every stamped tick. Apart from the runner, so that a probe's frame is not read after the
// frames of the hundreds of clients the runner holds (the runner's event loop would otherwise
// be most of what is measured). They connect with `&probe=1`, which puts them in the servers'
// PROBE_ROOM. Started by the runner:
//
//   node src/probe-child.mjs probes
//
//   { id, type: "connect", ports, perPort, concurrency, timeoutMs } -> { id, connected }
//   { id, type: "arm", events }        -> { id } once every probe notes times and expects `events` more ticks
//   { id, type: "collect", timeoutMs } -> { id, samples } once every probe has them all: one array
//                                        of send→receive times (µs) per port, in `ports` order
//   { id, type: "close" }              -> { id }, then the process exits
//
// On start it sends { type: "ready", port: 0, pid }.
import { answerRequests } from "./child-tools.mjs";
import { STAMPED_TICK_PREFIX } from "./wire.mjs";
import { WireClient } from "./wire-client.mjs";

if (typeof process.send !== "function") {
  console.error("probe-child.mjs must be started by the runner (it talks over IPC)");
  process.exit(2);
}

/** One array of probes per port. */
let groups = [];
/** The run being recorded: samples per group, and its completion. */
let run;

async function connect({ ports, perPort, timeoutMs }) {
  let index = 0;
  groups = ports.map(() => []);
  await Promise.all(
    ports.map(async (port, g) => {
      for (let i = 0; i < perPort; i++) {
        const probe = new WireClient(index++);
        groups[g].push(probe);
        await probe.connect(port, timeoutMs, "&probe=1"); // the server puts it in PROBE_ROOM
      }
    }),
  );
  return groups.reduce((sum, group) => sum + group.length, 0);
}

function arm(events) {
  const samples = groups.map(() => []);
  const probes = groups.flat();
  let complete = 0;
  let resolveDone;
  const done = new Promise((resolve) => (resolveDone = resolve));
  groups.forEach((group, g) => {
    for (const probe of group) {
      probe.recordLatencies(samples[g]);
      probe.expectEvents(events, () => ++complete === probes.length && resolveDone());
    }
  });
  run = { samples, done, events, progress: () => `${complete}/${probes.length} probes got all ${events} ticks` };
}

async function collect(timeoutMs) {
  let timer;
  const timeout = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`probes: ${run.progress()} after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([run.done, timeout]);
  } finally {
    clearTimeout(timer);
    for (const probe of groups.flat()) probe.recordLatencies(undefined);
  }
  const lastN = `,"n":${run.events - 1},"payload":`;
  for (const probe of groups.flat()) {
    if (!probe.lastEvent?.startsWith(STAMPED_TICK_PREFIX) || !probe.lastEvent.includes(lastN)) {
      throw new Error(`probes: a probe's last event is ${probe.lastEvent}, expected the stamped tick n=${run.events - 1}`);
    }
  }
  return run.samples;
}

answerRequests({
  connect: async (msg) => ({ connected: await connect(msg) }),
  arm: (msg) => arm(msg.events),
  collect: async (msg) => ({ samples: await collect(msg.timeoutMs) }),
  close: () => {
    for (const probe of groups.flat()) probe.close();
  },
});
process.send({ type: "ready", port: 0, pid: process.pid });
