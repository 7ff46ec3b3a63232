// The client benchmark: N clients of one library (@volley/client, socket.io-client or the raw
// protocol client) in their own child process (client-child.mjs), against one server in
// another child (server-child.mjs, socket.io by default: the server is not what is measured,
// and the same server serves every client library). One session = fresh server child + fresh
// client child:
//
//   1. 20 clients connected, 20 echo calls each, disconnected (code compiled and caches filled
//      on first use do not count as per-connection memory), every TCP socket of the child closed;
//   2. client heap after GC; N clients connected; the server counts N; heap after GC again:
//      heap per connection = (after − before) / N;
//   3. echo warm-up (a quarter of K), then the measured run: every client makes K sequential
//      acked `emit("echo", data, ack)` calls, every ack checked; client CPU per acked op =
//      the client child's CPU over the run / (N × K);
//   4. heap after GC again, with the same N clients after the echo runs.
//
// Every request to a child is bounded; a failure says what it saw.
import { fileURLToPath } from "node:url";
import { ServerProcess } from "./server-process.mjs";

const CLIENT_CHILD = fileURLToPath(new URL("./client-child.mjs", import.meta.url));

/**
 * @typedef {object} ClientSessionConfig
 * @property {number} clientCount     clients connected at once
 * @property {number} clientOps       sequential acked echo calls per client per measured run
 * @property {string} clientServer    the server child's kind ("socket.io" or "volley")
 * @property {number} connectConcurrency  websocket handshakes in flight while connecting
 * @property {number} stallMs         bound of every wait
 * @property {string} [cpuProfile]    path prefix: CPU profile of the measured echo run (client child)
 * @property {string} [heapSnapshot]  path prefix: client heap snapshots before and with the clients
 * @property {string[]} [skip]        "echo" to leave the echo runs out when profiling memory
 */

/** Runs one session of `kind` clients against a fresh server; resolves with its figures. */
export async function runClientSession(kind, config) {
  const server = await ServerProcess.start(config.clientServer);
  let clients;
  try {
    clients = await ServerProcess.start(kind, { script: CLIENT_CHILD, role: "clients" });
    const { stallMs } = config;
    const connect = (count) =>
      clients.request("connect", { port: server.port, count, concurrency: config.connectConcurrency, timeoutMs: stallMs }, stallMs + 5000);
    const expectServerCount = async (count) => {
      const seen = (await server.request("connections")).count;
      if (seen !== count) throw new Error(`${kind} clients: the server counts ${seen} connections, expected ${count}`);
    };

    // 1. warm-up connections and calls, gone for good before the baseline
    const echo = (ops) => clients.request("echo", { ops, timeoutMs: stallMs }, 11 * stallMs);
    await connect(Math.min(20, config.clientCount));
    await echo(20);
    await clients.request("disconnect", { timeoutMs: stallMs }, stallMs + 5000);
    await waitForServerCount(server, 0, stallMs);

    // 2. heap per connection
    if (config.heapSnapshot !== undefined) await clients.request("snapshot", { file: `${config.heapSnapshot}-clients-before.heapsnapshot` }, 120000);
    const heapBefore = await clients.heapUsed();
    const { connected } = await connect(config.clientCount);
    if (connected !== config.clientCount) throw new Error(`${kind} clients: ${connected} connected, expected ${config.clientCount}`);
    await expectServerCount(config.clientCount);
    const heapIdle = await clients.heapUsed();
    if (config.heapSnapshot !== undefined) await clients.request("snapshot", { file: `${config.heapSnapshot}-clients-idle.heapsnapshot` }, 120000);
    const memory = { heapBefore, heapIdle, kbPerConnection: (heapIdle - heapBefore) / config.clientCount / 1024 };
    if (config.skip?.includes("echo")) return { kind, memory };

    // 3. echo: warm-up, then the measured run
    await echo(Math.max(1, config.clientOps >> 2));
    const serverCpuBefore = await server.cpuMicros();
    if (config.cpuProfile !== undefined) await clients.request("profile-start");
    const run = await echo(config.clientOps);
    if (config.cpuProfile !== undefined) await clients.request("profile-stop", { file: `${config.cpuProfile}-clients-echo.cpuprofile` }, 120000);
    const serverCpu = (await server.cpuMicros()) - serverCpuBefore;
    const ops = config.clientOps * config.clientCount;
    if (run.acks !== ops) throw new Error(`${kind} clients: ${run.acks} acks, expected ${ops}`);

    // 4. the same clients after the echo runs: nothing per call may stay behind
    await expectServerCount(config.clientCount);
    const heapAfterEcho = await clients.heapUsed();
    memory.kbPerConnectionAfterEcho = (heapAfterEcho - heapBefore) / config.clientCount / 1024;
    return {
      kind,
      memory,
      echo: {
        ops,
        wallMs: run.wallMs,
        opsPerSec: ops / (run.wallMs / 1000),
        clientCpuPerOp: run.cpuMicros / ops,
        serverCpuPerOp: serverCpu / ops,
      },
    };
  } finally {
    await clients?.stop();
    await server.stop();
  }
}

/** Polls the server's connection count every 10 ms until it is `count`; bounded. */
async function waitForServerCount(server, count, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let seen;
  while ((seen = (await server.request("connections")).count) !== count) {
    if (Date.now() > deadline) throw new Error(`${server.kind} server still counts ${seen} connections after ${timeoutMs} ms, expected ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
