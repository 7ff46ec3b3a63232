import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { startChatServer } from "../src/chat-server.js";
import type { ChatAuth, ChatMessage, JoinResult, Result, SendResult } from "../src/events";
import { Recorder } from "./helpers/clients";

// The chat server in this process on 127.0.0.1:0, driven by @volley/client from Node.js.
let chat: Awaited<ReturnType<typeof startChatServer>>;
let clients: Recorder[];

beforeEach(async () => {
  chat = await startChatServer({ port: 0, host: "127.0.0.1" });
  clients = [];
});

afterEach(async () => {
  for (const client of clients) client.close();
  await chat.close();
});

function client(auth: ChatAuth | (() => ChatAuth), options?: { reconnection?: boolean }): Recorder {
  const recorder = new Recorder(chat.url, auth, options);
  clients.push(recorder);
  return recorder;
}

async function joined(username: string, extra: Omit<ChatAuth, "username"> = {}): Promise<Recorder> {
  const recorder = client({ username, ...extra });
  await recorder.connect();
  await recorder.waitFor("session");
  return recorder;
}

const join = (user: Recorder, room: string): Promise<JoinResult> => user.socket.timeout(5000).emitWithAck("room:join", room);
const leave = (user: Recorder, room: string): Promise<Result> => user.socket.timeout(5000).emitWithAck("room:leave", room);
const say = (user: Recorder, room: string, text: string, clientId?: string): Promise<SendResult> =>
  user.socket.timeout(5000).emitWithAck("message", clientId === undefined ? { room, text } : { room, text, clientId });
const texts = (user: Recorder, room: string): string[] =>
  user.all("message").filter((message) => message.room === room).map((message) => message.text);

describe("the page", () => {
  it("is served with its script, which loads the client from /socket.io/socket.io.js", async () => {
    const page = await fetch(`${chat.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await page.text();
    expect(html).toContain('<script src="/socket.io/socket.io.js"></script>');
    expect(html).toContain('src="/app.js"');
    for (const path of ["/app.js", "/style.css", "/favicon.svg"]) expect((await fetch(chat.url + path)).status).toBe(200);
    expect((await fetch(`${chat.url}/../package.json`)).status).toBe(404);
    expect((await fetch(`${chat.url}/nothing`)).status).toBe(404);
  });
});

describe("usernames", () => {
  it("gives a session with a token and puts a new user in #general", async () => {
    const alice = await joined("alice");
    const session = await alice.waitFor("session");
    expect(session).toEqual({ username: "alice", token: expect.stringMatching(/^[0-9a-f-]{36}$/), rooms: ["general"] });
    expect(await alice.waitFor("notice")).toMatchObject({ room: "general", user: "alice", kind: "joined" });
    // The session comes first: the page knows its rooms before their notices.
    expect(alice.events.map((event) => event.name).slice(0, 2)).toEqual(["session", "notice"]);
  });

  it("refuses a name in use, whatever its case, and an invalid name", async () => {
    await joined("alice");
    for (const [username, code] of [
      ["alice", "NAME_TAKEN"],
      [" ALICE ", "NAME_TAKEN"],
      ["", "INVALID_NAME"],
      ["x".repeat(21), "INVALID_NAME"],
      ["<b>bob</b>", "INVALID_NAME"],
      ["two  spaces", "INVALID_NAME"],
    ] as const) {
      const other = client({ username });
      const error = (await other.connect().then(
        () => undefined,
        (reason: unknown) => reason,
      )) as (Error & { data?: { code?: string } }) | undefined;
      expect(error?.data?.code).toBe(code);
      expect(other.socket.active).toBe(false);
    }
    // Not a string at all: refused the same way.
    const numeric = client({ username: 42 } as unknown as ChatAuth);
    await expect(numeric.connect()).rejects.toMatchObject({ data: { code: "INVALID_NAME" } });
  });

  it("frees the name when its user leaves the chat", async () => {
    const alice = await joined("alice");
    const bob = await joined("bob");
    alice.close();
    await bob.waitFor("notice", (notice) => notice.user === "alice" && notice.kind === "left");
    await joined("Alice");
  });

  it("lets only one of two connections racing for a name have it", async () => {
    const first = client({ username: "carol" });
    const second = client({ username: "carol" });
    const results = await Promise.allSettled([first.connect(), second.connect()]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
  });
});

describe("online count", () => {
  it("is sent to everyone when someone connects or disconnects", async () => {
    const alice = await joined("alice");
    await alice.waitFor("online", (count) => count === 1);
    const bob = await joined("bob");
    await alice.waitFor("online", (count) => count === 2);
    await bob.waitFor("online", (count) => count === 2);
    bob.close();
    await alice.waitFor("online", (count) => count === 1 && alice.all("online").length === 3);
    expect(alice.all("online")).toEqual([1, 2, 1]);
  });
});

describe("rooms", () => {
  it("are joined and left with notices to the room's members, names case-insensitive", async () => {
    const alice = await joined("alice");
    const bob = await joined("bob");
    expect(await join(alice, "#Random")).toEqual({ ok: true, room: "random", members: ["alice"], history: [] });
    const result = await join(bob, "random");
    expect(result).toMatchObject({ ok: true, room: "random", members: ["alice", "bob"] });
    await alice.waitFor("notice", (notice) => notice.room === "random" && notice.user === "bob" && notice.kind === "joined");
    // Joining again is harmless: no second notice.
    expect(await join(bob, "random")).toMatchObject({ ok: true });

    expect(await leave(bob, "random")).toEqual({ ok: true });
    await alice.waitFor("notice", (notice) => notice.room === "random" && notice.user === "bob" && notice.kind === "left");
    expect(alice.all("notice").filter((notice) => notice.room === "random" && notice.user === "bob")).toHaveLength(2);
    expect(await leave(bob, "random")).toEqual({ ok: false, error: "not in that room" });
  });

  it("refuse bad names and too many rooms", async () => {
    const alice = await joined("alice");
    for (const bad of ["", "a b", "x".repeat(25), "room:x", 7, null, { toString: "x" }]) {
      expect(await alice.socket.timeout(5000).emitWithAck("room:join", bad as string)).toMatchObject({ ok: false });
    }
    for (let i = 1; i < 10; i++) expect(await join(alice, `r${i}`)).toMatchObject({ ok: true });
    expect(await join(alice, "r10")).toEqual({ ok: false, error: "at most 10 rooms at once" });
  });

  it("broadcast a message to the room's members only, the sender included", async () => {
    const alice = await joined("alice");
    const bob = await joined("bob");
    const carol = await joined("carol");
    await join(alice, "random");
    await join(bob, "random");

    const sent = await say(alice, "random", "  only for #random  ", "c1");
    expect(sent).toEqual({ ok: true, id: expect.any(String) });
    const expected = { id: sent.ok ? sent.id : "", room: "random", from: "alice", text: "only for #random", at: expect.any(Number), clientId: "c1" };
    expect(await bob.waitFor("message")).toEqual(expected);
    expect(await alice.waitFor("message")).toEqual(expected);

    // What carol gets after it tells that she did not get the message to #random.
    await say(bob, "general", "to everyone");
    await carol.waitFor("message", (message) => message.text === "to everyone");
    expect(carol.all("message").map((message) => message.text)).toEqual(["to everyone"]);

    // Someone who left gets no more of the room.
    await leave(bob, "random");
    await say(alice, "random", "after bob left");
    await say(alice, "general", "marker");
    await bob.waitFor("message", (message) => message.text === "marker");
    expect(texts(bob, "random")).toEqual(["only for #random"]);
  });

  it("refuse messages to a room one is not in, and empty or too long messages", async () => {
    const alice = await joined("alice");
    expect(await say(alice, "random", "hi")).toEqual({ ok: false, error: "not in that room" });
    expect(await say(alice, "general", "   ")).toEqual({ ok: false, error: "a message is 1 to 1000 characters" });
    expect(await say(alice, "general", "x".repeat(1001))).toMatchObject({ ok: false });
    expect(await say(alice, "general", "x".repeat(1000))).toMatchObject({ ok: true });
  });

  it("give the room's recent messages to whoever joins", async () => {
    const alice = await joined("alice");
    for (let i = 0; i < 55; i++) await say(alice, "general", `m${i}`);
    const bob = await joined("bob", { rooms: [] });
    const result = await join(bob, "general");
    if (!result.ok) throw new Error(result.error);
    expect(result.history.map((message: ChatMessage) => message.text)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i + 5}`));
  });
});

describe("typing", () => {
  it("is relayed to the other members of the room only", async () => {
    const alice = await joined("alice");
    const bob = await joined("bob");
    const carol = await joined("carol", { rooms: ["random"] });
    bob.socket.emit("typing", "general", true);
    expect(await alice.waitFor("typing")).toEqual({ room: "general", user: "bob", typing: true });
    bob.socket.emit("typing", "general", false);
    await alice.waitFor("typing", (typing) => !typing.typing);
    // Not in the room: ignored.
    carol.socket.emit("typing", "general", true);
    await say(carol, "random", "marker");
    await say(bob, "general", "marker");
    await alice.waitFor("message", (message) => message.text === "marker");
    await carol.waitFor("message", (message) => message.text === "marker");
    expect(bob.all("typing")).toEqual([]);
    expect(carol.all("typing")).toEqual([]);
    expect(alice.all("typing").map((typing) => typing.typing)).toEqual([true, false]);
  });
});

describe("reconnection", () => {
  it("recovers a short cut: same id, name and rooms, and the messages missed meanwhile", async () => {
    const alice = await joined("alice");
    const bob = await joined("bob");
    await join(alice, "random");
    await join(bob, "random");
    await say(bob, "general", "before the cut");
    await alice.waitFor("message", (message) => message.text === "before the cut");
    const id = alice.socket.id;

    const disconnected = alice.disconnected();
    alice.socket.io.engine!.close(); // the connection drops
    expect(await disconnected).toBe("forced close");
    await bob.waitFor("online", (count) => count === 1);

    // The name stays alice's while she may come back.
    await expect(client({ username: "alice" }).connect()).rejects.toMatchObject({ data: { code: "NAME_TAKEN" } });
    await say(bob, "general", "missed 1");
    await say(bob, "random", "missed 2");
    await say(bob, "general", "missed 3");

    await alice.connect();
    expect(alice.socket.recovered).toBe(true);
    expect(alice.socket.id).toBe(id);
    expect(texts(alice, "general")).toEqual(["before the cut", "missed 1", "missed 3"]);
    expect(texts(alice, "random")).toEqual(["missed 2"]);
    await bob.waitFor("online", (count) => count === 2 && bob.all("online").at(-1) === 2);
    // Still in #random, with no second session and no notice.
    await say(bob, "random", "after");
    await alice.waitFor("message", (message) => message.text === "after");
    expect(alice.all("session")).toHaveLength(1);
    expect(bob.all("notice").filter((notice) => notice.user === "alice")).toEqual([]);
  });

  it("reconnects by itself after a cut, keeping the name", async () => {
    const alice = client({ username: "alice" }, { reconnection: true });
    await alice.connect();
    const bob = await joined("bob");
    await say(bob, "general", "seen");
    await alice.waitFor("message");
    alice.socket.io.engine!.close();
    await say(bob, "general", "missed");
    await alice.waitFor("message", (message) => message.text === "missed");
    expect(alice.socket.recovered).toBe(true);
  });

  it("keeps the name and rooms for a new connection with the token", async () => {
    const alice = await joined("alice");
    const { token } = await alice.waitFor("session");
    await join(alice, "random");
    const bob = await joined("bob", { rooms: ["random"] });
    alice.socket.io.engine!.close();
    await bob.waitFor("online", (count) => count === 1);

    await expect(client({ username: "alice", token: "not-it" }).connect()).rejects.toMatchObject({ data: { code: "NAME_TAKEN" } });
    const again = await joined("alice", { token, rooms: ["other"] });
    expect(await again.waitFor("session")).toEqual({ username: "alice", token, rooms: ["general", "random"] });
    expect(await say(bob, "random", "hello again")).toMatchObject({ ok: true });
    await again.waitFor("message", (message) => message.text === "hello again");
  });

  it("joins the rooms the page asks for when the server has no session (it restarted)", async () => {
    const alice = await joined("alice", { token: "from-before", rooms: ["random", "#Dev", "bad room"] });
    expect((await alice.waitFor("session")).rooms).toEqual(["random", "dev"]);
  });

  it("releases the name and leaves the rooms once the recovery window is over", async () => {
    await chat.close();
    chat = await startChatServer({ port: 0, host: "127.0.0.1", recoveryMs: 200 });
    const alice = await joined("alice");
    const bob = await joined("bob");
    await say(bob, "general", "so that alice has an offset");
    await alice.waitFor("message");
    alice.socket.io.engine!.close();
    await bob.waitFor("notice", (notice) => notice.user === "alice" && notice.kind === "left");
    await joined("alice");
  });
});

describe("bad input", () => {
  it("never breaks the server", async () => {
    const mallory = await joined("mallory");
    const socket = mallory.socket as unknown as { emit(...args: unknown[]): void };
    const junk: unknown[] = [undefined, null, 0, "", "x".repeat(10_000), [], {}, { room: {}, text: [] }, { room: "general", text: 5 }];
    for (const value of junk) {
      socket.emit("room:join", value);
      socket.emit("room:join", value, "not a function");
      socket.emit("room:leave", value);
      socket.emit("message", value);
      socket.emit("message", value, 12);
      socket.emit("message", { room: "general", text: "ok", clientId: value });
      socket.emit("typing", value, value);
      socket.emit("unknown event", value);
    }
    expect(await say(mallory, "general", "still here")).toMatchObject({ ok: true });
    await joined("someone else");
    expect(texts(mallory, "general")).toHaveLength(10);
  });

  it("cuts off a client that sends more than 64 KiB at once", async () => {
    const mallory = await joined("mallory");
    const disconnected = mallory.disconnected();
    mallory.socket.emit("message", { room: "general", text: "x".repeat(70 * 1024) }, () => {});
    expect(await disconnected).toBe("transport close");
    await joined("someone else");
  });
});
