import { realpathSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import type { ChatMessage, JoinResult, Result, RoomNotice } from "../src/events";
import { AppProcess } from "./helpers/app";
import { Member, type ClientLibrary } from "./helpers/member";

// The NestJS application (built in dist/) runs in a child process on 127.0.0.1:0; clients of
// both libraries talk to its gateways from here.
const exampleDir = path.join(__dirname, "..");
const serverDir = realpathSync(path.join(exampleDir, "..", "..", "packages", "server"));

/** Where `socket.io` leads from `fromDir` (CommonJS resolution, symlinks followed). */
function socketIoFrom(fromDir: string): string {
  return realpathSync(createRequire(path.join(fromDir, "package.json")).resolve("socket.io"));
}

let app: AppProcess;
let members: Member[] = [];

beforeAll(async () => {
  app = await AppProcess.start();
});

afterEach(() => {
  for (const member of members) member.close();
  members = [];
});

afterAll(async () => {
  // the last test closes it; this only matters when an earlier one failed
  if (app?.child.exitCode === null && app.child.signalCode === null) await app.close().catch(() => app.child.kill("SIGKILL"));
});

async function member(name: string, library: ClientLibrary = "@volley/client", url = app.ready.url): Promise<Member> {
  const created = new Member(library, url, name);
  members.push(created);
  await created.connect();
  return created;
}

const join = (who: Member, room: string): Promise<JoinResult> => who.ask("join", room);
const leave = (who: Member, room: string): Promise<Result> => who.ask("leave", room);
const say = (who: Member, room: string, text: string): Promise<Result> => who.ask("message", { room, text });
const texts = (who: Member, room: string): string[] =>
  who.all<ChatMessage>("message").filter((message) => message.room === room).map((message) => message.text);

describe("the alias", () => {
  it("makes `socket.io` @volley/server for @nestjs/platform-socket.io, and for the example's own imports", () => {
    const platformDir = path.dirname(realpathSync(createRequire(path.join(exampleDir, "package.json")).resolve("@nestjs/platform-socket.io")));
    expect(socketIoFrom(platformDir).startsWith(serverDir + path.sep)).toBe(true);
    expect(socketIoFrom(exampleDir).startsWith(serverDir + path.sep)).toBe(true);
    // what the running app resolved and created: its gateway's server is @volley/server's
    // (the ESM build, as NestJS imports it), not socket.io's
    expect(app.ready.socketIoOfPlatform.startsWith(serverDir + path.sep)).toBe(true);
    expect(app.ready.isVolleyServer).toBe(true);
  });

  it("is scoped: the other workspaces keep the published socket.io as their test peer", () => {
    const published = socketIoFrom(serverDir);
    expect(published.startsWith(serverDir + path.sep)).toBe(false);
    const manifest = createRequire(published)("socket.io/package.json") as { name: string; version: string };
    expect(manifest).toMatchObject({ name: "socket.io", version: expect.stringMatching(/^4\./) });
  });
});

describe("the chat gateway", () => {
  it("acknowledges a join with the room's members and tells the others", async () => {
    const alice = await member("alice");
    const carol = await member("carol", "socket.io-client");
    expect(await join(alice, "nest")).toEqual({ ok: true, room: "nest", members: ["alice"] });
    expect(await join(carol, "nest")).toEqual({ ok: true, room: "nest", members: ["alice", "carol"] });
    expect(await alice.waitFor<RoomNotice>("notice")).toEqual({ room: "nest", user: "carol", kind: "joined" });
    // joining again changes nothing and tells no one
    expect(await join(carol, "nest")).toMatchObject({ ok: true, members: ["alice", "carol"] });
    expect(await join(alice, "Not a room!")).toEqual({ ok: false, error: "invalid room name" });
    expect(carol.all("notice")).toEqual([]);
    expect(alice.all("notice")).toHaveLength(1);
  });

  it("broadcasts a message to the room's members only, the sender included", async () => {
    const alice = await member("alice");
    const bob = await member("bob");
    const carol = await member("carol", "socket.io-client");
    await join(alice, "nest");
    await join(carol, "nest");
    await join(bob, "elsewhere");

    expect(await say(alice, "nest", "  hello from Nest  ")).toEqual({ ok: true });
    const received = await carol.waitFor<ChatMessage>("message");
    expect(received).toEqual({ room: "nest", from: "alice", text: "hello from Nest", at: expect.any(Number) });
    expect(await alice.waitFor<ChatMessage>("message")).toEqual(received);
    // the server broadcast before it answered alice: one round trip of bob's comes after
    // anything that was written to him
    expect(await leave(bob, "nest")).toEqual({ ok: false, error: "not in that room" });
    expect(bob.all("message")).toEqual([]);

    // the socket.io-client member talks too
    expect(await say(carol, "nest", "hi alice")).toEqual({ ok: true });
    await alice.waitFor<ChatMessage>("message", (message) => message.from === "carol");
    expect(texts(alice, "nest")).toEqual(["hello from Nest", "hi alice"]);

    // not a member: refused in the acknowledgement
    expect(await say(bob, "nest", "let me in")).toEqual({ ok: false, error: "not in that room" });
    expect(await say(alice, "nest", "x".repeat(501))).toEqual({ ok: false, error: "1 to 500 characters" });
  });

  it("stops sending a room's messages to a member who left it", async () => {
    const alice = await member("alice");
    const carol = await member("carol", "socket.io-client");
    await join(alice, "nest");
    await join(carol, "nest");
    expect(await leave(carol, "nest")).toEqual({ ok: true });
    expect(await alice.waitFor<RoomNotice>("notice", (notice) => notice.kind === "left")).toEqual({ room: "nest", user: "carol", kind: "left" });

    expect(await say(alice, "nest", "anyone?")).toEqual({ ok: true });
    await alice.waitFor<ChatMessage>("message");
    expect(await say(carol, "nest", "I left")).toEqual({ ok: false, error: "not in that room" });
    expect(carol.all("message")).toEqual([]);
  });

  it("tells a room when a member disconnects", async () => {
    const alice = await member("alice");
    const bob = await member("bob");
    await join(alice, "nest");
    await join(bob, "nest");
    bob.close();
    expect(await alice.waitFor<RoomNotice>("notice", (notice) => notice.kind === "left")).toEqual({ room: "nest", user: "bob", kind: "left" });
    expect((await join(alice, "nest")) as { members: string[] }).toMatchObject({ members: ["alice"] });
  });

  it("answers a malformed message through Nest's exception filter, with no acknowledgement", async () => {
    const alice = await member("alice", "socket.io-client");
    alice.socket.emit("message", "not an object");
    expect(await alice.waitFor("exception")).toEqual({
      status: "error",
      message: "a message is { room, text }",
      cause: { pattern: "message", data: "not an object" },
    });
  });
});

describe("gateways on the other paths of the platform", () => {
  it("a namespace is served by server.of(\"/status\") of the same server", async () => {
    await member("alice");
    const watcher = await member("watcher", "socket.io-client", `${app.ready.url}/status`);
    expect(await watcher.ask("count")).toEqual({ namespace: "/status", chat: 1, status: 1 });
  });

  it("a gateway with a port of its own gets new Server(port, options), listening there", async () => {
    const ownPort = Number(new URL(app.ready.ownPortUrl).port);
    for (const library of ["@volley/client", "socket.io-client"] as const) {
      const visitor = await member("visitor", library, app.ready.ownPortUrl);
      expect(await visitor.ask("whereami")).toEqual({ port: ownPort, namespace: "/" });
    }
  });

  it("namespaces matched by a RegExp, and an acknowledgement sent by the handler (@Ack())", async () => {
    const team = await member("alice", "socket.io-client", `${app.ready.url}/team-7`);
    expect(await team.ask("echo", "hi")).toEqual({ namespace: "/team-7", text: "hi" });
    const refused = new Member("@volley/client", `${app.ready.url}/teams`, "bob");
    members.push(refused);
    await expect(refused.connect()).rejects.toThrow("Invalid namespace");
  });
});

describe("app.close()", () => {
  it("disconnects the clients and closes the server, so that the process ends by itself", async () => {
    const alice = await member("alice");
    const carol = await member("carol", "socket.io-client");
    const disconnects = Promise.all([alice.disconnected(), carol.disconnected()]);
    const exit = await app.close();
    expect(await disconnects).toEqual([expect.any(String), expect.any(String)]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(app.output).not.toMatch(/ERROR/);
  });
});
