// Differential tests (issue 7, drop-in compatibility): the values engine.io's index exports,
// compared with this package's. WebTransport and uWebSockets.js pieces are left out (README).
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "@jest/globals";
import * as published from "engine.io";
import * as volley from "../../src";

/** engine.io's transport names and upgrades, less WebTransport (not implemented here). */
function withoutWebTransport(names: readonly string[]): string[] {
  return names.filter((name) => name !== "webtransport");
}

describe("the exports of engine.io's index", () => {
  it("every value export is here, but uServer (uWebSockets.js)", () => {
    const missing = Object.keys(published).filter((name) => !(name in volley));
    expect(missing).toEqual(["uServer"]);
  });

  it("protocol", () => {
    expect(volley.protocol).toBe(published.protocol);
  });

  it("Server.errors and Server.errorMessages: the same codes and messages", () => {
    expect(volley.Server.errors).toEqual(published.Server.errors);
    expect(volley.Server.errorMessages).toEqual(published.Server.errorMessages);
  });

  it("transports: the same names (less webtransport) and upgradesTo", () => {
    expect(Object.keys(volley.transports)).toEqual(withoutWebTransport(Object.keys(published.transports)));
    expect(volley.transports.polling.upgradesTo).toEqual(withoutWebTransport(published.transports.polling.upgradesTo));
    expect(volley.transports.websocket.upgradesTo).toEqual(published.transports.websocket.upgradesTo);
    expect(volley.transports.websocket.prototype.handlesUpgrades).toBe(published.transports.websocket.prototype.handlesUpgrades);
    expect(volley.transports.polling.prototype).toBeInstanceOf(volley.Transport);
    expect(volley.transports.websocket.prototype).toBeInstanceOf(volley.Transport);
  });

  it("Server#upgrades(): the same lists (less webtransport), with and without allowUpgrades", () => {
    for (const allowUpgrades of [true, false]) {
      const ours = new volley.Server({ allowUpgrades });
      const theirs = new published.Server({ allowUpgrades });
      for (const name of ["polling", "websocket"] as const) {
        expect(ours.upgrades(name)).toEqual(withoutWebTransport(theirs.upgrades(name)));
      }
      ours.close();
      theirs.close();
    }
  });

  it("parser: the same protocol and decoding (the Engine.IO packet codec)", () => {
    expect(volley.parser.protocol).toBe(published.parser.protocol);
    for (const packet of ["4hello", "2probe", "6", "bAQID"]) {
      expect(volley.parser.decodePacket(packet)).toEqual(published.parser.decodePacket(packet));
    }
    expect(volley.parser.decodePayload("4a\x1e4b\x1ebAQID")).toEqual(published.parser.decodePayload("4a\x1e4b\x1ebAQID"));
  });

  it.each([
    ["engine.io", published.listen],
    ["volley", volley.listen],
  ])("%s: listen(port, callback) without options listens and calls back", async (_name, listen) => {
    const engine = await new Promise<{ httpServer?: import("node:http").Server; close(): unknown }>((resolve) => {
      const created: { httpServer?: import("node:http").Server; close(): unknown } = (listen as (port: number, cb: () => void) => typeof created)(0, () =>
        resolve(created),
      );
    });
    const http = engine.httpServer!;
    expect((http.address() as AddressInfo).port).toBeGreaterThan(0);
    engine.close();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });
});
