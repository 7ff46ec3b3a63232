// The adapter conformance kit against the adapters of this repository: the in-memory
// adapter on one node, and the BroadcastChannel cluster adapter of examples/custom-adapter
// on three.
import { describe, it } from "@jest/globals";
import { registerAdapterConformance } from "@volley/adapter/conformance";
import { createAdapter } from "@volley/example-custom-adapter";
import { uniqueChannel, volleyHarness } from "./helpers/cluster";

// the server's default: Adapter, or SessionAwareAdapter with recovery on
registerAdapterConformance(volleyHarness(1, () => undefined), { describe, it }, {
  title: "in-memory adapter (1 node)",
});

const REQUESTS_TIMEOUT_MS = 1000;

registerAdapterConformance(
  volleyHarness(3, () =>
    createAdapter({
      channel: uniqueChannel(),
      requestsTimeout: REQUESTS_TIMEOUT_MS,
      heartbeatInterval: 1000,
      heartbeatTimeout: 3000,
    }),
  ),
  { describe, it },
  // acks from other nodes travel over the bus: leave them time on a loaded machine
  { title: "BroadcastChannel cluster adapter (3 nodes)", requestsTimeoutMs: REQUESTS_TIMEOUT_MS, ackTimeoutMs: 1000 },
);
