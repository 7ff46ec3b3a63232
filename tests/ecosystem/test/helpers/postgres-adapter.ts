// A PostgreSQL for one test file with the table @socket.io/postgres-adapter writes to, pools
// on it, and clusters of server nodes joined by the adapter, a pool per node.
import { afterAll, beforeAll } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { createAdapter } from "@socket.io/postgres-adapter";
import pg from "pg";
import type { ServerOptions } from "@volley/server";
import { ackRequestsForgotten, startAdapterCluster, type AdapterCluster, type Implementation } from "./nodes";
import { startPostgres, type PostgresServer } from "./postgres";

/**
 * How often an idle node says it is alive. The default 5 s is also how long a node that
 * missed the others' first heartbeats (sent before its LISTEN was in place) waits to count
 * them: shorter, so that a cluster is whole quickly.
 */
const HEARTBEAT_INTERVAL_MS = 500;

export interface PostgresFixture {
  /** A pool on the file's PostgreSQL of at most `max` connections (the adapter holds one for LISTEN). */
  newPool(max?: number): pg.Pool;
  /**
   * Starts `count` nodes of `impl` with the adapter, each on a pool of `poolSize`
   * connections, and resolves once every node counts all of them. The caller closes it.
   */
  start(impl: Implementation, count: number, options?: ServerOptions, poolSize?: number): Promise<AdapterCluster>;
}

/** Registers the hooks: a PostgreSQL for the file, with the adapter's table, stopped at its end. */
export function postgresFixture(): PostgresFixture {
  let postgres: PostgresServer | undefined;
  const adapters: unknown[] = [];
  const newPool = (max = 4): pg.Pool => {
    if (postgres === undefined) throw new Error("PostgreSQL is not running");
    const pool = new pg.Pool({ host: postgres.host, port: postgres.port, user: postgres.user, database: postgres.database, max });
    // an idle client losing its connection must not crash the test process
    pool.on("error", () => undefined);
    return pool;
  };
  beforeAll(async () => {
    postgres = await startPostgres();
    const pool = newPool();
    try {
      // where the adapter puts payloads over the NOTIFY limit and those with binary data
      await pool.query(`CREATE TABLE IF NOT EXISTS socket_io_attachments (
        id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`);
    } finally {
      await pool.end();
    }
  }, 90_000);
  afterAll(async () => {
    await ackRequestsForgotten(adapters);
    await postgres?.stop();
  }, 30_000);
  return {
    newPool,
    async start(impl, count, options = {}, poolSize) {
      const cluster = await startPostgresCluster(impl, count, options, () => newPool(poolSize));
      adapters.push(...cluster.nodes.map((node) => node.io.of("/").adapter));
      return cluster;
    },
  };
}

/** `count` nodes of `impl` on a channel of their own, each with the adapter on a pool of its own. */
function startPostgresCluster(impl: Implementation, count: number, options: ServerOptions, newPool: () => pg.Pool): Promise<AdapterCluster> {
  const channelPrefix = `volley-eco-${randomUUID()}`;
  return startAdapterCluster(impl, count, options, async () => {
    const pool = newPool();
    return { adapter: createAdapter(pool, { channelPrefix, heartbeatInterval: HEARTBEAT_INTERVAL_MS }), close: () => pool.end() };
  });
}
