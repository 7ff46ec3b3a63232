import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "./helpers/browser";
import { startChatProcess, type ChatProcess } from "./helpers/chat-process";

// The chat example (what `pnpm start` runs) in real Chromium: the browser bundle of
// @volley/engine-client against @volley/engine-server.
let chat: ChatProcess;
let browser: Browser;

beforeAll(async () => {
  // Both start at once; each is kept as soon as it is up so that afterAll closes it even
  // when the other failed to start.
  const started = await Promise.allSettled([
    startChatProcess().then((process) => (chat = process)),
    launchChromium().then((launched) => (browser = launched)),
  ]);
  for (const result of started) if (result.status === "rejected") throw result.reason;
});

afterAll(async () => {
  await browser?.close();
  await chat?.stop();
});

async function openChat(name: string, query = ""): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.goto(`${chat.url}/${query}`);
  await page.locator("#status[data-state=open]").waitFor({ timeout: 15000 });
  await page.fill("#name", name);
  await page.click("#join button");
  await page.locator("#say").waitFor({ state: "visible" });
  return { page, errors };
}

async function say(page: Page, text: string): Promise<void> {
  await page.fill("#text", text);
  await page.click("#say button");
}

describe.each([
  ["polling then websocket upgrade", "", "websocket"],
  ["polling only", "?transports=polling", "polling"],
  ["websocket only", "?transports=websocket", "websocket"],
])("chat over %s", (_title, query, finalTransport) => {
  it("relays messages between two browser tabs", async () => {
    const alice = await openChat("alice", query);
    const bob = await openChat("bob", query);

    await alice.page.locator("#status", { hasText: `connected over ${finalTransport}` }).waitFor({ timeout: 15000 });
    await say(alice.page, `hello from alice (${finalTransport})`);
    await bob.page.locator("#messages li", { hasText: `alice hello from alice (${finalTransport})` }).waitFor({ timeout: 10000 });
    await say(bob.page, "hi alice");
    await alice.page.locator("#messages li", { hasText: "bob hi alice" }).waitFor({ timeout: 10000 });

    const transport = await alice.page.evaluate(() => (window as unknown as { volleyChat: { socket: { transport: { name: string } } } }).volleyChat.socket.transport.name);
    expect(transport).toBe(finalTransport);

    // runBeforeUnload: the page sends its close packet (closeOnBeforeunload), even over polling.
    await bob.page.close({ runBeforeUnload: true });
    await alice.page.locator("#messages li", { hasText: "bob left" }).waitFor({ timeout: 10000 });
    await alice.page.close();
    expect(alice.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
  });
});
