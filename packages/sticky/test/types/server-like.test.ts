// Type-level checks, run by `pnpm typecheck` (tsc): every `@ts-expect-error` line must be an
// error, or tsc fails. The runtime part only keeps jest happy.
import { createServer } from "node:http";
import { describe, expect, it } from "@jest/globals";
import { Server as VolleyServer } from "@volley/server";
import type { setupMaster as publishedSetupMaster } from "@socket.io/sticky";
import { Server as SocketIoServer } from "socket.io";
import { setupMaster, setupPrimary, setupWorker, type PrimaryOptions, type StickyPrimary, type StickyWorker } from "../../src";

function typeChecks(): void {
  // setupWorker takes a @volley/server Server and the published socket.io Server
  const worker: StickyWorker = setupWorker(new VolleyServer(createServer()));
  setupWorker(new SocketIoServer(createServer()), { maxHeaderSize: 8192 });
  worker.sessions satisfies ReadonlySet<string>;
  // @ts-expect-error not a Socket.IO server
  setupWorker("io");
  // @ts-expect-error unknown worker option
  setupWorker(new VolleyServer(createServer()), { loadBalancingMethod: "random" });

  const primary: StickyPrimary = setupPrimary(createServer(), { loadBalancingMethod: "round-robin" });
  primary.sessionCounts() satisfies Map<number, number>;
  setupMaster(createServer());
  // @ts-expect-error unknown method
  setupPrimary(createServer(), { loadBalancingMethod: "fastest" });
  // @ts-expect-error a server is needed
  setupPrimary({});

  // what @socket.io/sticky's setupMaster takes, setupMaster takes too
  const published: Parameters<typeof publishedSetupMaster> = [createServer(), { loadBalancingMethod: "random" }];
  setupMaster(published[0], published[1] satisfies PrimaryOptions | undefined);
}

describe("types", () => {
  it("are checked by tsc", () => {
    expect(typeof typeChecks).toBe("function");
  });
});
