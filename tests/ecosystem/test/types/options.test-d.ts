// Type test (checked by `tsc -b`): parsers from npm and adapters written for socket.io-adapter, as their packages
// type them, are accepted by @volley/server's `adapter` option and `server.adapter()` as they
// are, with no cast; what is not an adapter is refused.
import { createAdapter as createClusterAdapter } from "@socket.io/cluster-adapter";
import { createAdapter as createPostgresAdapter } from "@socket.io/postgres-adapter";
import { createAdapter as createRedisAdapter, createShardedAdapter } from "@socket.io/redis-adapter";
import { createAdapter as createRedisStreamsAdapter } from "@socket.io/redis-streams-adapter";
import { io } from "@volley/client";
import { Server } from "@volley/server";
import { Pool } from "pg";
import { createClient } from "redis";
import { Adapter, SessionAwareAdapter } from "socket.io-adapter";
import * as msgpackParser from "socket.io-msgpack-parser";
import * as socketIoParser from "socket.io-parser";

const pub = createClient();
const sub = pub.duplicate();

export const servers = [
  new Server({ adapter: Adapter }),
  new Server({ adapter: SessionAwareAdapter, connectionStateRecovery: {} }),
  new Server({ adapter: createRedisAdapter(pub, sub) }),
  new Server({ adapter: createShardedAdapter(pub, sub) }),
  new Server({ adapter: createRedisStreamsAdapter(pub) }),
  new Server({ adapter: createPostgresAdapter(new Pool()) }),
  new Server({ adapter: createClusterAdapter() }),
];

servers[0]!.adapter(Adapter);

// @ts-expect-error an object is not an adapter
new Server({ adapter: {} });
// @ts-expect-error a class without the adapter's methods is not one
new Server({ adapter: class NotAnAdapter {} });

// Parsers from npm, as their packages type them, on the server and on @volley/client.
export const withParsers = [new Server({ parser: msgpackParser }), new Server({ parser: socketIoParser })];
export const clientsWithParsers = [io({ parser: msgpackParser }), io({ parser: socketIoParser })];
