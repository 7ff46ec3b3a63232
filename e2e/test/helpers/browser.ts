import { existsSync } from "node:fs";
import { expect } from "@jest/globals";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

/** Debian's Chromium, headless, with no background traffic (the machine has no network). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install the Debian package "chromium" (pnpm test does it as root).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Opens `url` in a new page and resolves once the page marked itself ready
 * (`body[data-ready=yes]`, within 10 s) without a page error meanwhile.
 */
export async function openReadyPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(url);
  await page.locator("body[data-ready=yes]").waitFor({ state: "attached", timeout: 10000 });
  expect(errors).toEqual([]);
  return page;
}
