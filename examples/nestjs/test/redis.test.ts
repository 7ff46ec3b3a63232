import { afterAll, afterEach, beforeAll, expect, it } from "@jest/globals";
import { startRedisServer, type RedisServer } from "../../../packages/redis-adapter/test/helpers/redis-server";
import type { ChatMessage, JoinResult, Result } from "../src/events";
import { AppProcess } from "./helpers/app";
import { Member, type ClientLibrary } from "./helpers/member";

// Two processes of the application with REDIS_URL: their gateways' servers use
// @volley/redis-adapter through the custom IoAdapter (src/redis-io-adapter.ts), against a
// redis-server started here on a free port.
let redis: RedisServer;
let nodes: AppProcess[] = [];
let members: Member[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  nodes = await Promise.all([AppProcess.start({ REDIS_URL: redis.url }), AppProcess.start({ REDIS_URL: redis.url })]);
});

afterEach(() => {
  for (const member of members) member.close();
  members = [];
});

afterAll(async () => {
  await Promise.all(nodes.map((node) => node.close().catch(() => node.child.kill("SIGKILL"))));
  await redis?.stop();
});

async function member(name: string, node: AppProcess, library: ClientLibrary): Promise<Member> {
  const created = new Member(library, node.ready.url, name);
  members.push(created);
  await created.connect();
  return created;
}

it("shares rooms, members and messages between the processes", async () => {
  const [a, b] = nodes as [AppProcess, AppProcess];
  const alice = await member("alice", a, "@volley/client");
  const dave = await member("dave", a, "@volley/client");
  const bob = await member("bob", b, "socket.io-client");
  expect(await alice.ask<JoinResult>("join", "nest")).toEqual({ ok: true, room: "nest", members: ["alice"] });
  // the members of both processes (fetchSockets across the nodes)
  expect(await bob.ask<JoinResult>("join", "nest")).toEqual({ ok: true, room: "nest", members: ["alice", "bob"] });
  await alice.waitFor("notice", (notice: { user: string }) => notice.user === "bob");

  expect(await bob.ask<Result>("message", { room: "nest", text: "across processes" })).toEqual({ ok: true });
  expect(await alice.waitFor<ChatMessage>("message")).toMatchObject({ room: "nest", from: "bob", text: "across processes" });
  await bob.waitFor<ChatMessage>("message");
  // dave, on alice's process but not in the room, gets nothing: alice got the broadcast, so
  // a's server has handled it, and dave's round trip comes after anything written to him
  expect(await dave.ask<Result>("leave", "nest")).toEqual({ ok: false, error: "not in that room" });
  expect(dave.all("message")).toEqual([]);
});

it("closes with app.close(): the servers, their adapters and the Redis clients", async () => {
  const exits = await Promise.all(nodes.map((node) => node.close()));
  expect(exits).toEqual([
    { code: 0, signal: null },
    { code: 0, signal: null },
  ]);
});
