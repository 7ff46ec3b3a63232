// Small helpers of the scenarios that open many connections and time them.

/**
 * Runs `task(i)` for i = 0 … count − 1, at most `concurrency` at a time. After a failure
 * no new task starts; resolves once every started task has settled, or rejects with the
 * first failure then.
 */
export async function inPool(count, concurrency, task) {
  let next = 0;
  let failure;
  const worker = async () => {
    while (next < count && failure === undefined) {
      try {
        await task(next++);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (failure !== undefined) throw failure;
}

/**
 * The figures of a run of `ops` timed operations (connections, acked calls): rate, the p50
 * and p99 of `times` (ms, sorted here), server CPU (µs) and the runner's cpuUsage per op.
 */
export function opFigures(ops, wallMs, times, cpu, clientCpu) {
  times.sort((a, b) => a - b);
  return {
    ops,
    wallMs,
    opsPerSec: ops / (wallMs / 1000),
    p50Ms: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
    serverCpuPerOp: cpu / ops,
    clientCpuPerOp: (clientCpu.user + clientCpu.system) / ops,
  };
}

/** The `p`-th percentile (0–1) of the sorted `values`, nearest rank. */
export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
