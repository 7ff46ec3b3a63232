import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "./helpers/browser";
import { startChatProcess, type ChatProcess } from "./helpers/chat-process";

// The chat example (what `pnpm start` runs) in real Chromium: its page loads @volley/client
// from /socket.io/socket.io.js, served by @volley/server.
const ARTIFACTS = join(__dirname, "..", "artifacts");
let chat: ChatProcess;
let browser: Browser;
const pages: Array<{ page: Page; errors: string[] }> = [];

beforeAll(async () => {
  // Both start at once; each is kept as soon as it is up so that afterAll closes it even
  // when the other failed to start.
  const started = await Promise.allSettled([
    startChatProcess().then((process) => (chat = process)),
    launchChromium().then((launched) => (browser = launched)),
  ]);
  for (const result of started) if (result.status === "rejected") throw result.reason;
});

afterEach(async () => {
  for (const { page } of pages.splice(0)) if (!page.isClosed()) await page.close();
});

afterAll(async () => {
  await browser?.close();
  await chat?.stop();
});

async function openPage(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 640 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    // A refused name and a stopped server are reported by the browser itself: not page errors.
    if (message.type() === "error" && !/ERR_CONNECTION_REFUSED|WebSocket connection/.test(message.text())) errors.push(message.text());
  });
  const opened = { page, errors };
  pages.push(opened);
  await page.goto(url);
  return opened;
}

/** Opens the chat and logs in; resolves once in #general. */
async function enter(name: string, url = chat.url): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(url);
  await opened.page.fill("#username", name);
  await opened.page.click("#login-form button");
  await opened.page.locator("#room-title", { hasText: "#general" }).waitFor({ timeout: 15000 });
  return opened;
}

async function say(page: Page, text: string): Promise<void> {
  await page.fill("#message", text);
  await page.click("#message-form button");
}

const message = (page: Page, text: string) => page.locator("#messages li.message", { hasText: text });
const notice = (page: Page, text: string) => page.locator("#messages li.notice", { hasText: text });
const bounded = { timeout: 10000 };

describe("the chat in two pages", () => {
  it("chats in rooms, with a refused name, typing, online count and notices; screenshot saved", async () => {
    const alice = await enter("alice");
    const bob = await enter("bob");
    await alice.page.locator("#online", { hasText: "2" }).waitFor(bounded);
    await notice(alice.page, "bob joined #general").waitFor(bounded);

    // A name in use is refused, whatever its case.
    const carol = await openPage(chat.url);
    await carol.page.fill("#username", "Alice");
    await carol.page.click("#login-form button");
    await carol.page.locator("#login-error", { hasText: 'the username "Alice" is taken' }).waitFor(bounded);
    expect(await carol.page.locator("#chat").isHidden()).toBe(true);
    await carol.page.close();

    await alice.page.locator("#message").pressSequentially("hel");
    await bob.page.locator("#typing", { hasText: "alice is typing…" }).waitFor(bounded);
    await say(alice.page, "hello bob");
    await message(bob.page, "hello bob").waitFor(bounded);
    await bob.page.locator("#typing:empty").waitFor(bounded);
    await say(bob.page, "hi alice! shall we go to #random?");
    await message(alice.page, "hi alice!").waitFor(bounded);

    // Rooms: a message to #random reaches its members only.
    await bob.page.fill("#room-name", "random");
    await bob.page.click("#join-form button");
    await bob.page.locator("#room-title", { hasText: "#random" }).waitFor(bounded);
    await say(bob.page, "anyone here?");
    await message(bob.page, "anyone here?").locator("time", { hasNotText: "sending" }).waitFor(bounded);
    await alice.page.fill("#room-name", "Random");
    await alice.page.click("#join-form button");
    await alice.page.locator("#room-title", { hasText: "#random" }).waitFor(bounded);
    await notice(bob.page, "alice joined #random").waitFor(bounded);
    // The room's history came with the join.
    await message(alice.page, "anyone here?").waitFor(bounded);
    await say(bob.page, "welcome to #random, alice");
    await message(alice.page, "welcome to #random").waitFor(bounded);
    await say(alice.page, "thanks! a longer message, to see how the chat lays out a line that wraps over the width of the room");
    await message(bob.page, "thanks!").waitFor(bounded);
    // A message to #general, where bob is too, shows as unread in bob's room list.
    await alice.page.click('#room-list button[data-room="general"]');
    await say(alice.page, "a word in #general too");
    await bob.page.locator('#room-list button[data-room="general"] .unread', { hasText: "1" }).waitFor(bounded);
    await alice.page.click('#room-list button[data-room="random"]');
    await message(alice.page, "welcome to #random").waitFor(bounded);

    // bob's page, as alice types: the artifact to look at.
    await mkdir(ARTIFACTS, { recursive: true });
    await alice.page.locator("#message").pressSequentially("see");
    await bob.page.locator("#typing", { hasText: "alice is typing…" }).waitFor(bounded);
    await bob.page.screenshot({ path: join(ARTIFACTS, "chat.png") });

    await bob.page.click("#leave-room");
    await notice(alice.page, "bob left #random").waitFor(bounded);
    await bob.page.close({ runBeforeUnload: true });
    await alice.page.locator("#online", { hasText: "1" }).waitFor(bounded);
    await alice.page.click('#room-list button[data-room="general"]');
    await notice(alice.page, "bob left #general").waitFor(bounded);
    expect(alice.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
  });

  it("works over long-polling only, and a closed tab leaves at once", async () => {
    const alice = await enter("fay", `${chat.url}/?transports=polling`);
    const bob = await enter("gus", `${chat.url}/?transports=polling`);
    await alice.page.locator("#status", { hasText: "connected over polling" }).waitFor(bounded);
    await say(alice.page, "over polling");
    await message(bob.page, "over polling").waitFor(bounded);
    await bob.page.close({ runBeforeUnload: true });
    await notice(alice.page, "gus left #general").waitFor(bounded);
    // The name is free again.
    const again = await enter("gus", `${chat.url}/?transports=polling`);
    await notice(alice.page, "gus joined #general").nth(1).waitFor(bounded);
    expect(await again.page.evaluate(() => (window as unknown as { chat: { socket: import("@volley/client").Socket } }).chat.socket.io.engine!.transport!.name)).toBe("polling");
    expect(alice.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
  });

  it("a dropped connection comes back recovered, with the messages missed meanwhile", async () => {
    const alice = await enter("dora");
    const bob = await enter("erin");
    await say(bob.page, "before");
    await message(alice.page, "before").waitFor(bounded);
    // The server has seen alice go once bob's online count drops below what it shows now
    // (sessions of the earlier tests' closed pages may still be counted: not an exact number).
    const onlineBefore = Number(await bob.page.locator("#online").textContent());
    await alice.page.evaluate(() => {
      const { socket } = (window as unknown as { chat: { socket: import("@volley/client").Socket } }).chat;
      socket.io.reconnection(false);
      socket.io.engine!.close();
    });
    await alice.page.locator("#status", { hasText: "connection lost" }).waitFor(bounded);
    await bob.page.waitForFunction(
      (before) => Number(document.getElementById("online")?.textContent) < before,
      onlineBefore,
      bounded,
    );
    await say(bob.page, "while you were away");
    await message(bob.page, "while you were away").locator("time", { hasNotText: "sending" }).waitFor(bounded);
    const recovered = await alice.page.evaluate(
      () =>
        new Promise<boolean>((resolve, reject) => {
          const { socket } = (window as unknown as { chat: { socket: import("@volley/client").Socket } }).chat;
          const timer = setTimeout(() => reject(new Error("no reconnection in 10 s")), 10000);
          socket.once("connect", () => {
            clearTimeout(timer);
            resolve(socket.recovered);
          });
          socket.io.reconnection(true);
          socket.connect();
        }),
    );
    expect(recovered).toBe(true);
    await message(alice.page, "while you were away").waitFor(bounded);
    await notice(alice.page, "Reconnected: nothing was missed.").waitFor(bounded);
    await bob.page.locator("#online", { hasText: "2" }).waitFor(bounded);
    expect(await notice(bob.page, "dora left").count()).toBe(0);
    expect(alice.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
  });
});

describe("a server restart", () => {
  it("is survived: the pages reconnect, keep their names and rooms, and flush what was sent offline, in order", async () => {
    let server = await startChatProcess();
    try {
      const alice = await enter("alice", server.url);
      const bob = await enter("bob", server.url);
      await alice.page.fill("#room-name", "ops");
      await alice.page.click("#join-form button");
      await bob.page.fill("#room-name", "ops");
      await bob.page.click("#join-form button");
      await notice(alice.page, "bob joined #ops").waitFor(bounded);

      await server.stop();
      await alice.page.locator("#status[data-state=connecting]").waitFor(bounded);
      await bob.page.locator("#status[data-state=connecting]").waitFor(bounded);
      for (const text of ["offline 1", "offline 2", "offline 3"]) await say(alice.page, text);
      await expect(alice.page.locator("#messages li.pending").count()).resolves.toBe(3);

      server = await startChatProcess({ port: server.port });
      // Reconnection backs off up to 5 s; then the buffer goes out, in order.
      for (const page of [alice.page, bob.page]) await page.locator("#status[data-state=connected]").waitFor({ timeout: 20000 });
      await message(bob.page, "offline 3").waitFor({ timeout: 20000 });
      const seen = await bob.page.locator("#messages li.message .text").allTextContents();
      expect(seen.filter((text) => text.startsWith("offline"))).toEqual(["offline 1", "offline 2", "offline 3"]);
      await alice.page.locator("#messages li.pending").first().waitFor({ state: "detached", ...bounded });
      await expect(alice.page.locator("#me").textContent()).resolves.toBe("alice");
      await alice.page.locator("#online", { hasText: "2" }).waitFor(bounded);
      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});
