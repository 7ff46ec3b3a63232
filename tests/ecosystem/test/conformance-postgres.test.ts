// The adapter conformance kit of @volley/adapter run against the published
// @socket.io/postgres-adapter 0.5, on three @volley/server nodes over a PostgreSQL started
// by this file.
//
// What it cannot do is never skipped silently. It keeps no sessions (its publish returns
// no offset, and socket.io-adapter's Adapter stores none): the kit reports the recovery
// cases as not applicable (`connectionStateRecovery: false`). Every other case passes, on
// socket.io 4.8 as here, with a pool of two connections per node: the one the adapter
// keeps for LISTEN and one for its NOTIFYs, so that a node's messages go out one after the
// other. With more, two messages of a node may take two connections and reach the others
// in either order: the socketsJoin()/socketsLeave() case, which broadcasts right after
// them, then fails now and then, on socket.io 4.8 alike.
import { describe } from "@jest/globals";
import { ACK_TIMEOUT_MS, CLUSTER_ADAPTER_REQUESTS_TIMEOUT_MS, registerPublished } from "./helpers/conformance";
import { IMPLEMENTATIONS } from "./helpers/nodes";
import { postgresFixture } from "./helpers/postgres-adapter";

const fixture = postgresFixture();
const VOLLEY = IMPLEMENTATIONS[1];

/** The LISTEN connection and one that sends every NOTIFY of the node in order. */
const POOL_SIZE = 2;

describe("@socket.io/postgres-adapter", () => {
  registerPublished("createAdapter (pg Pool)", (count, serverOptions) => fixture.start(VOLLEY, count, serverOptions, POOL_SIZE), {
    // a plain ClusterAdapterWithHeartbeat: its requests wait a fixed 5 s
    requestsTimeoutMs: CLUSTER_ADAPTER_REQUESTS_TIMEOUT_MS,
    ackTimeoutMs: ACK_TIMEOUT_MS,
    // no session store
    connectionStateRecovery: false,
  });
});
