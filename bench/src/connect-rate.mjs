// Connect rate: `total` websocket connections, `inFlight` at a time, each one the whole
// setup a Socket.IO client goes through (TCP connect, HTTP upgrade, Engine.IO open packet,
// CONNECT to "/", the server's `40{"sid":…}` answer), by the load generator's raw client.
// The connections stay open until the run is measured (so the CPU is that of the setup, not
// of the teardown), then the server must count every one of them, and they are closed and
// the server must count them gone.
import { performance } from "node:perf_hooks";
import { inPool, opFigures } from "./pool.mjs";
import { waitForConnections } from "./scenarios.mjs";
import { WireClient } from "./wire-client.mjs";

/**
 * A warm-up run (a quarter of the connections), then the measured one through `measure`
 * (which profiles just the connects when profiling: the teardown comes after it).
 */
export async function runConnectRate(server, config, measure) {
  await (await connectRun(server, Math.max(1, config.connectTotal >> 2), config)).close();
  const run = await measure(() => connectRun(server, config.connectTotal, config));
  await run.close();
  return run.figures;
}

/**
 * Connects `total` clients; resolves with the figures and `close()`, which closes them and
 * waits until the server no longer counts them. On a failure, closes what it opened first.
 */
async function connectRun(server, total, config) {
  const { count: baseline } = await server.request("connections");
  const clients = [];
  const setupMs = [];
  const connectOne = async (i) => {
    const client = new WireClient(1e6 + i);
    clients.push(client);
    const t0 = performance.now();
    await client.connect(server.port, config.stallMs);
    setupMs.push(performance.now() - t0);
  };
  const close = async () => {
    for (const client of clients) client.close();
    await waitForConnections(server, baseline, config, `connect rate: the ${total} closed clients are still counted by the server`);
  };
  try {
    const cpuBefore = await server.cpuMicros();
    const clientCpuBefore = process.cpuUsage();
    const start = performance.now();
    await inPool(total, config.connectInFlight, connectOne);
    const wallMs = performance.now() - start;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const cpu = (await server.cpuMicros()) - cpuBefore;
    const { count } = await server.request("connections");
    if (count !== baseline + total) {
      throw new Error(`${server.kind} connect rate: ${total} clients connected, the server counts ${count - baseline}`);
    }
    return { figures: opFigures(total, wallMs, setupMs, cpu, clientCpu), close };
  } catch (err) {
    for (const client of clients) client.close();
    throw err;
  }
}
