// The browser bundles (dist/socket.io*.js, built before the tests) run as classic scripts in
// a fresh V8 context holding only what a page offers (no require, module, process or
// Buffer), expose the global `io`, and connect to a real server with the fetch transport
// (Node.js has fetch; real-browser runs are the e2e workspace's job).
import { afterEach, describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createContext, runInContext } from "node:vm";
import { Server as VolleyServer } from "@volley/server";
import { Server as SocketIoServer } from "socket.io";
import msgpackParser from "socket.io-msgpack-parser";

const DIST = join(__dirname, "..", "..", "dist");

interface BundleSocket {
  connected: boolean;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  emitWithAck(event: string, ...args: unknown[]): Promise<unknown>;
  disconnect(): unknown;
}
type BundleIo = ((url: string, opts?: Record<string, unknown>) => BundleSocket) & Record<string, unknown>;

/** Runs a bundle in a new context with page-like globals; returns its global `io`. */
function load(file: string): BundleIo {
  const page: Record<string, unknown> = {
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    fetch,
    Headers,
    AbortController,
    TextEncoder,
    TextDecoder,
    URL,
    atob,
    btoa,
    location: { protocol: "http:", host: "127.0.0.1", hostname: "127.0.0.1", port: "", href: "http://127.0.0.1/" },
  };
  page["globalThis"] = page;
  page["self"] = page;
  page["window"] = page;
  const context = createContext(page);
  runInContext(readFileSync(join(DIST, file), "utf8"), context, { filename: file });
  return page["io"] as BundleIo;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(attach: (http: HttpServer) => { close(): unknown }): Promise<string> {
  const http = createServer();
  const io = attach(http);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        io.close();
        http.closeAllConnections();
        if (http.listening) http.close(() => resolve());
        else resolve();
      }),
  );
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

function connected(socket: BundleSocket): Promise<void> {
  cleanups.push(() => void socket.disconnect());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no connect within 5 s")), 5000);
    socket.on("connect", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.on("connect_error", (error) => {
      clearTimeout(timer);
      reject(error as Error);
    });
  });
}

describe.each(["socket.io.js", "socket.io.min.js", "socket.io.msgpack.min.js", "socket.io.websocket.min.js"])("%s", (file) => {
  it("defines the global io: a function carrying Manager, Socket, connect and protocol", () => {
    const io = load(file);
    expect(typeof io).toBe("function");
    expect(typeof io["Manager"]).toBe("function");
    expect(typeof io["Socket"]).toBe("function");
    expect(io["connect"]).toBe(io["io"]);
    expect(io["protocol"]).toBe(5);
  });

  it("keeps the error classes' names", () => {
    const io = load(file);
    const errors = ["AckTimeoutError", "ConnectTimeoutError", "InvalidOptionError", "ReservedEventError", "SocketDisconnectedError"];
    for (const name of errors) {
      expect((io[name] as { name: string }).name).toBe(name);
    }
    const manager = io["Manager"] as new (uri: string, opts: unknown) => { socket(nsp: string): BundleSocket };
    const socket = new manager("http://127.0.0.1", { autoConnect: false }).socket("/");
    let thrown: unknown;
    try {
      socket.emit("connect");
    } catch (error) {
      thrown = error;
    }
    const { name, code, message } = thrown as Error & { code: string };
    expect([name, code]).toEqual(["ReservedEventError", "VOLLEY_CLIENT_ERR_RESERVED_EVENT"]);
    expect(thrown).toBeInstanceOf(io["ReservedEventError"] as typeof Error);
    // the minified bundles carry the code and the values instead of the English text
    expect(message).toBe(file === "socket.io.js" ? '"connect" is a reserved event name' : "VOLLEY_CLIENT_ERR_RESERVED_EVENT connect");
  });

  // The minified bundles leave the option checks out (README, "Browser bundles"): a bad
  // option is not refused there, a good one behaves the same.
  it(`${file === "socket.io.js" ? "checks" : "does not check"} the options`, () => {
    const manager = load(file)["Manager"] as new (uri: string, opts: unknown) => { reconnectionDelay(): number };
    const make = () => new manager("http://127.0.0.1", { reconnectionDelay: -1, autoConnect: false });
    if (file === "socket.io.js") expect(make).toThrow(expect.objectContaining({ name: "InvalidOptionError" }));
    else expect(make().reconnectionDelay()).toBe(-1);
    expect(new manager("http://127.0.0.1", { reconnectionDelay: 250, autoConnect: false }).reconnectionDelay()).toBe(250);
  });
});

describe("connecting from the bundle (fetch transport)", () => {
  it.each(["socket.io.js", "socket.io.min.js"])("%s: events, acks and binary with a Volley server", async (file) => {
    const url = await listen((http) => {
      const server = new VolleyServer(http);
      server.on("connection", (socket) => {
        socket.on("echo", (value: unknown, ack: (answer: unknown) => void) => ack(value));
      });
      return server;
    });
    const io = load(file);
    const socket = io(url, { transports: [io["Fetch"]], forceNew: true, reconnection: false });
    await connected(socket);
    await expect(socket.emitWithAck("echo", { a: [1, "b"] })).resolves.toEqual({ a: [1, "b"] });
    const bytes = (await socket.emitWithAck("echo", new Uint8Array([1, 2, 3]))) as ArrayBuffer;
    expect([...new Uint8Array(bytes)]).toEqual([1, 2, 3]);
  });

  it("socket.io.msgpack.min.js talks to socket.io with socket.io-msgpack-parser", async () => {
    const url = await listen((http) => {
      const server = new SocketIoServer(http, { parser: msgpackParser });
      server.on("connection", (socket) => {
        socket.on("echo", (value: unknown, ack: (answer: unknown) => void) => ack(value));
      });
      return server;
    });
    const io = load("socket.io.msgpack.min.js");
    const socket = io(url, { transports: [io["Fetch"]], forceNew: true, reconnection: false });
    await connected(socket);
    await expect(socket.emitWithAck("echo", { a: [1, "b", null], n: 1.5 })).resolves.toEqual({ a: [1, "b", null], n: 1.5 });
    const bytes = (await socket.emitWithAck("echo", new Uint8Array([4, 5]))) as ArrayBuffer;
    expect([...new Uint8Array(bytes)]).toEqual([4, 5]);
  });
});
