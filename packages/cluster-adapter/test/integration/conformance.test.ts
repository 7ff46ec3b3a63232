// The adapter conformance kit of @volley/adapter with 3 nodes that are real forked workers
// of one Node.js cluster, relayed by this package's setupPrimary.
import { describe, it } from "@jest/globals";
import { registerAdapterConformance } from "@volley/adapter/conformance";
import { clusterHarness } from "../helpers/conformance";

const REQUESTS_TIMEOUT_MS = 1000;

for (const serialization of ["json", "advanced"] as const) {
  registerAdapterConformance(
    clusterHarness(3, { serialization, adapterOptions: { requestsTimeout: REQUESTS_TIMEOUT_MS } }),
    { describe, it },
    // timeoutMs bounds a failure only: 10 s, for the start and stop of 4 processes on a busy machine
    { title: `createAdapter, 3 forked workers, ${serialization} serialization`, requestsTimeoutMs: REQUESTS_TIMEOUT_MS, ackTimeoutMs: 1000, timeoutMs: 10_000 },
  );
}
