// Polling echo: `pollingClients` long-polling-only clients (polling-client.mjs: never
// upgraded), each with one acked `echo` call in flight at a time: the call goes in a POST,
// its ack comes back in the answer to the GET the client keeps pending. Acked ops/s, the
// round trip of each call (p50, p99) and the server's CPU per op. Every answer is compared
// byte for byte, an ack nobody waits for fails the run, and the acks are counted. The
// clients are connected for the scenario and closed after it; the server must count them
// in, then gone.
import { performance } from "node:perf_hooks";
import { inPool, opFigures } from "./pool.mjs";
import { PollingClient } from "./polling-client.mjs";
import { withTimeout } from "./server-process.mjs";
import { ackStall, waitForConnections } from "./scenarios.mjs";

/** Connects the clients, a warm-up run (a quarter of the calls), the measured run through `measure`. */
export async function runPollingEcho(server, config, measure) {
  const { count: baseline } = await server.request("connections");
  const clients = [];
  let result;
  try {
    await inPool(config.pollingClients, config.connectConcurrency, (i) => {
      const client = new PollingClient(2e6 + i, server.port);
      clients.push(client);
      return client.connect(config.stallMs);
    });
    const { count } = await server.request("connections");
    if (count !== baseline + config.pollingClients) {
      throw new Error(`${server.kind} polling: ${config.pollingClients} clients connected, the server counts ${count - baseline}`);
    }
    await pollingRun(server, clients, Math.max(1, config.pollingOps >> 2), config);
    result = await measure(() => pollingRun(server, clients, config.pollingOps, config));
  } finally {
    for (const client of clients) client.close();
  }
  await waitForConnections(server, baseline, config, "polling: the closed clients are still counted by the server");
  return result;
}

async function pollingRun(server, clients, opsPerClient, config) {
  const ops = opsPerClient * clients.length;
  const startAcks = clients.reduce((sum, c) => sum + c.acks, 0);
  const roundTrips = [];
  const onAck = (ms) => roundTrips.push(ms);
  let complete = 0;
  const cpuBefore = await server.cpuMicros();
  const clientCpuBefore = process.cpuUsage();
  const start = performance.now();
  const acked = new Promise((resolve, reject) => {
    for (const client of clients) client.runEchoes(opsPerClient, () => ++complete === clients.length && resolve(), reject, onAck);
  });
  await withTimeout(acked, config.stallMs, `${server.kind} polling echo`).catch((err) => {
    throw ackStall(err, clients, complete, startAcks, ops);
  });
  const wallMs = performance.now() - start;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const cpu = (await server.cpuMicros()) - cpuBefore;
  const got = clients.reduce((sum, c) => sum + c.acks, 0) - startAcks;
  if (got !== ops || roundTrips.length !== ops) throw new Error(`${server.kind} polling echo: ${got} acks for ${ops} calls`);
  return opFigures(ops, wallMs, roundTrips, cpu, clientCpu);
}
