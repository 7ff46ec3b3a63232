// Drop-in compatibility with engine.io-client 6.6 (issue 7): each scenario runs once with the
// published engine.io-client and once with @volley/engine-client, against the same published
// engine.io server on a loopback port, and the observable results must be equal (and equal to
// what the scenario expects, so the test fails when both are wrong the same way).
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from "@jest/globals";
import type { Socket as ServerSocket } from "engine.io";
import * as upstream from "engine.io-client";
import * as volley from "../../src/index";
import * as volleyBrowser from "../../src/index.browser";
import { startEngine, type EngineFixture } from "../helpers/servers";
import { collect, waitFor } from "../helpers/wait-for";

type Listener = (...args: never[]) => void;

/** What both clients' sockets are driven through (engine.io-client types some of it private). */
interface LooseTransport {
  name: string;
  hasListeners(event: string): boolean;
  listeners(event: string): unknown[];
  off(event?: string, listener?: Listener): unknown;
}
interface LooseSocket {
  hostname: string;
  port: string | number;
  secure: boolean;
  transport: LooseTransport;
  on(event: string, listener: Listener): unknown;
  off(event?: string, listener?: Listener): unknown;
  hasListeners(event: string): boolean;
  listeners(event: string): unknown[];
  send(data: string): unknown;
  close(): unknown;
}
interface LooseSocketClass {
  new (uri?: string | Record<string, unknown>, opts?: Record<string, unknown>): LooseSocket;
  priorWebsocketSuccess: boolean;
}
interface Api {
  Socket: LooseSocketClass;
  NodeXHR: unknown;
  NodeWebSocket: unknown;
  Fetch: unknown;
}

const IMPLEMENTATIONS: ReadonlyArray<readonly [string, Api]> = [
  ["engine.io-client", upstream as unknown as Api],
  ["volley", volley as unknown as Api],
];

describe("drop-in compatibility with engine.io-client 6.6 (differential)", () => {
  let server: EngineFixture;
  const sockets: LooseSocket[] = [];
  const track = (socket: LooseSocket): LooseSocket => {
    sockets.push(socket);
    return socket;
  };

  /** Runs `scenario` with engine.io-client, then with Volley (one after the other). */
  async function both<T>(scenario: (api: Api, name: string) => Promise<T> | T): Promise<T[]> {
    const results: T[] = [];
    for (const [name, api] of IMPLEMENTATIONS) {
      results.push(await scenario(api, name));
      closeSockets();
    }
    return results;
  }

  function closeSockets(): void {
    for (const socket of sockets.splice(0)) {
      socket.off();
      socket.close();
    }
  }

  beforeAll(async () => {
    server = await startEngine();
    server.engine.on("connection", (socket: ServerSocket) => socket.on("message", (data) => socket.send(data)));
  });

  afterEach(() => {
    closeSockets();
    for (const [, api] of IMPLEMENTATIONS) api.Socket.priorWebsocketSuccess = false;
  });

  afterAll(async () => {
    await server.close();
  });

  it("exports every runtime name of engine.io-client but WebTransport, from both entries", () => {
    const names = Object.keys(upstream).filter((name) => name !== "WebTransport" && name !== "__esModule");
    expect(names).toEqual(expect.arrayContaining(["parse", "NodeXHR", "installTimerFunctions", "nextTick", "Socket"]));
    for (const entry of [volley, volleyBrowser]) {
      expect(names.filter((name) => !(name in entry))).toEqual([]);
      expect(typeof entry.SocketWithoutUpgrade).toBe("function");
      expect(typeof entry.SocketWithUpgrade).toBe("function");
    }
    expect(volley.protocol).toBe(upstream.protocol);
    expect(volley.Socket.protocol).toBe(upstream.Socket.protocol);
  });

  it.each(["NodeXHR", "NodeWebSocket", "Fetch"] as const)("%s as the only transport class connects and echoes", async (name) => {
    const results = await both(async (api) => {
      const socket = track(new api.Socket(server.url, { transports: [api[name]] }));
      await waitFor(socket, "open");
      const echoed = waitFor<[string]>(socket, "message");
      socket.send("echo");
      return { transport: socket.transport.name, message: (await echoed)[0] };
    });
    expect(results[1]).toEqual(results[0]);
    expect(results[0]).toEqual({ transport: name === "NodeWebSocket" ? "websocket" : "polling", message: "echo" });
  });

  it("rememberUpgrade: the next socket of the process opens with WebSocket; priorWebsocketSuccess resets it", async () => {
    const results = await both(async (api) => {
      const first = track(new api.Socket(server.url, { rememberUpgrade: true }));
      await waitFor(first, "upgrade");
      first.close();
      const prior = api.Socket.priorWebsocketSuccess;
      const requestsBefore = server.requests.length;
      const second = track(new api.Socket(server.url, { rememberUpgrade: true }));
      await waitFor(second, "open");
      const firstRequestIsUpgrade = server.requests[requestsBefore]?.headers.upgrade === "websocket";
      const withoutOption = track(new api.Socket(server.url));
      await waitFor(withoutOption, "open");

      api.Socket.priorWebsocketSuccess = false;
      const afterReset = track(new api.Socket(server.url, { rememberUpgrade: true }));
      await waitFor(afterReset, "open");
      return {
        prior,
        second: second.transport.name,
        firstRequestIsUpgrade,
        withoutOption: withoutOption.transport.name,
        afterReset: afterReset.transport.name,
      };
    });
    expect(results[1]).toEqual(results[0]);
    expect(results[0]).toEqual({
      prior: true,
      second: "websocket",
      firstRequestIsUpgrade: true,
      withoutOption: "polling",
      afterReset: "polling",
    });
  });

  it('transports: [] emits "No transports available" on a later tick instead of throwing', async () => {
    const results = await both(async (api) => {
      let socket: LooseSocket;
      try {
        socket = track(new api.Socket(server.url, { transports: [] }));
      } catch (error) {
        return { thrown: String(error) };
      }
      // Listening only once the constructor returned, as code written for engine.io-client
      // does: an error emitted synchronously would never be heard and this wait would fail.
      const [error] = await waitFor<[unknown]>(socket, "error");
      return { thrown: false, message: error instanceof Error ? error.message : String(error) };
    });
    expect(results[1]).toEqual(results[0]);
    expect(results[0]).toEqual({ thrown: false, message: "No transports available" });
  });

  it("useNativeTimers: the socket's own timers ignore a fake clock installed after the package loaded", async () => {
    jest.useFakeTimers();
    try {
      const results = await both(async (api) => {
        const native = track(new api.Socket(server.url, { transports: [], useNativeTimers: true }));
        const faked = track(new api.Socket(server.url, { transports: [] }));
        let fakedErrors = 0;
        faked.on("error", () => fakedErrors++);
        // The "No transports available" error is emitted through each socket's setTimeoutFn.
        const [error] = await waitFor<[unknown]>(native, "error");
        const fakedBeforeAdvance = fakedErrors;
        jest.advanceTimersByTime(1);
        return {
          native: error instanceof Error ? error.message : String(error),
          fakedBeforeAdvance,
          fakedAfterAdvance: fakedErrors,
        };
      });
      expect(results[1]).toEqual(results[0]);
      expect(results[0]).toEqual({ native: "No transports available", fakedBeforeAdvance: 0, fakedAfterAdvance: 1 });
    } finally {
      jest.useRealTimers();
    }
  });

  describe("over IPv6 loopback", () => {
    let server6: EngineFixture;

    beforeAll(async () => {
      server6 = await startEngine({}, "::1");
      server6.engine.on("connection", (socket: ServerSocket) => socket.on("message", (data) => socket.send(data)));
    });

    afterAll(async () => {
      await server6.close();
    });

    it('accepts a bare IPv6 host ("::1") and a bracketed URI, polling then WebSocket', async () => {
      const results = await both(async (api) => {
        const port = String(server6.port);
        const byHost = track(new api.Socket({ host: "::1", port }));
        const byUri = track(new api.Socket(`http://[::1]:${port}`));
        const upgraded = Promise.all([waitFor(byHost, "upgrade"), waitFor(byUri, "upgrade")]);
        await upgraded;
        const echoes = collect<string>(byUri, "message", 1);
        byUri.send("v6");
        return {
          hosts: [byHost.hostname, byUri.hostname],
          ports: [byHost.port, byUri.port],
          transports: [byHost.transport.name, byUri.transport.name],
          echoed: await echoes,
        };
      });
      expect(results[1]).toEqual(results[0]);
      const port = String(server6.port);
      expect(results[0]).toEqual({
        hosts: ["::1", "::1"],
        ports: [port, port],
        transports: ["websocket", "websocket"],
        echoed: ["v6"],
      });
    });
  });

  it("works with a global location that has no href (web workers, React Native, test environments)", async () => {
    const globals = globalThis as { location?: unknown };
    const results = await both(async (api) => {
      globals.location = { protocol: "http:", hostname: "127.0.0.1", port: String(server.port) };
      try {
        const created = [
          track(new api.Socket(`//127.0.0.1:${server.port}`)),
          track(new api.Socket()),
          track(new api.Socket("/")),
          track(new api.Socket(server.url)),
        ];
        await Promise.all(created.map((socket) => waitFor(socket, "open")));
        return created.map((socket) => ({ hostname: socket.hostname, port: socket.port, secure: socket.secure }));
      } finally {
        delete globals.location;
      }
    });
    expect(results[1]).toEqual(results[0]);
    expect(results[0]).toEqual(Array(4).fill({ hostname: "127.0.0.1", port: String(server.port), secure: false }));
  });

  it("reads socket.hostname, socket.port and socket.secure as engine.io-client does", async () => {
    const inputs: Array<[string | Record<string, unknown>, Record<string, unknown>?]> = [
      [server.url],
      ["https://127.0.0.1:1/path?x=1"],
      ["wss://127.0.0.1"],
      ["127.0.0.1:1"],
      [{ hostname: "127.0.0.1", port: "1" }],
      [{ hostname: "127.0.0.1", secure: true }],
      [{ host: "127.0.0.1" }],
      [{ secure: true, port: "1" }],
      ["http://127.0.0.1:1", { secure: true }],
    ];
    const results = await both((api) =>
      inputs.map(([uri, opts]) => {
        const socket = track(opts === undefined ? new api.Socket(uri) : new api.Socket(uri, opts));
        socket.on("error", () => undefined);
        return { hostname: socket.hostname, port: socket.port, secure: socket.secure };
      }),
    );
    expect(results[1]).toEqual(results[0]);
    expect(results[0]).toEqual([
      { hostname: "127.0.0.1", port: String(server.port), secure: false },
      { hostname: "127.0.0.1", port: "1", secure: true },
      { hostname: "127.0.0.1", port: "443", secure: true },
      { hostname: "127.0.0.1", port: "1", secure: false },
      { hostname: "127.0.0.1", port: "1", secure: false },
      { hostname: "127.0.0.1", port: "443", secure: true },
      { hostname: "127.0.0.1", port: "80", secure: false },
      { hostname: "localhost", port: "1", secure: true },
      { hostname: "127.0.0.1", port: "1", secure: false },
    ]);
  });

  it("deliberate differences: a numeric port reads back as a string; a protocol-relative URI keeps its host", () => {
    const [upstreamSockets, volleySockets] = IMPLEMENTATIONS.map(([, api]) =>
      [new api.Socket({ hostname: "127.0.0.1", port: 1 }), new api.Socket("//127.0.0.1:1")].map((socket) => {
        track(socket).on("error", () => undefined);
        return { hostname: socket.hostname, port: socket.port };
      }),
    );
    // engine.io-client echoes the number, and reads "//host:port" as a path (no host, so localhost:80).
    expect(upstreamSockets).toEqual([
      { hostname: "127.0.0.1", port: 1 },
      { hostname: "localhost", port: "80" },
    ]);
    expect(volleySockets).toEqual([
      { hostname: "127.0.0.1", port: "1" },
      { hostname: "127.0.0.1", port: "1" },
    ]);
  });

  it("has component-emitter's hasListeners, listeners and off() on the socket and its transport", async () => {
    const results = await both(async (api) => {
      const socket = track(new api.Socket(server.url, { transports: ["websocket"] }));
      const onMessage = (): void => undefined;
      socket.on("message", onMessage);
      const before = {
        message: socket.hasListeners("message"),
        drain: socket.hasListeners("drain"),
        listeners: socket.listeners("message").length === 1 && socket.listeners("message")[0] === onMessage,
      };
      await waitFor(socket, "open");
      const transport = socket.transport;
      const events = ["packet", "drain", "error", "close", "poll"];
      const transportBefore = events.map((event) => transport.hasListeners(event));
      const packetListeners = transport.listeners("packet").length;
      socket.off("message", onMessage);
      const afterOff = socket.hasListeners("message");
      socket.on("message", onMessage);
      socket.on("drain", onMessage);
      socket.off();
      const afterOffAll = ["message", "drain", "open", "close"].map((event) => socket.hasListeners(event));
      transport.off();
      const transportAfterOffAll = events.map((event) => transport.hasListeners(event));
      return { before, transportBefore, packetListeners, afterOff, afterOffAll, transportAfterOffAll };
    });
    expect(results[1]).toEqual(results[0]);
    expect(results[0]).toEqual({
      before: { message: true, drain: false, listeners: true },
      transportBefore: [true, true, true, true, false],
      packetListeners: 1,
      afterOff: false,
      afterOffAll: [false, false, false, false],
      transportAfterOffAll: [false, false, false, false, false],
    });
  });

  it("SocketWithoutUpgrade stays on polling as engine.io-client's Socket with upgrade: false; SocketWithUpgrade upgrades", async () => {
    const stays = async (socket: LooseSocket) => {
      const requestsBefore = server.requests.length;
      await waitFor(socket, "open");
      for (let i = 0; i < 3; i++) {
        const echoed = waitFor(socket, "message");
        socket.send(`round ${i}`);
        await echoed;
      }
      const sawUpgrade = server.requests.slice(requestsBefore).some((request) => request.headers.upgrade === "websocket");
      return { transport: socket.transport.name, sawUpgrade };
    };
    const reference = await stays(track(new (upstream.Socket as unknown as LooseSocketClass)(server.url, { upgrade: false })));
    closeSockets();
    const withoutUpgrade = await stays(track(new volley.SocketWithoutUpgrade(server.url) as unknown as LooseSocket));
    expect(withoutUpgrade).toEqual(reference);
    expect(reference).toEqual({ transport: "polling", sawUpgrade: false });

    const upgrading = track(new volley.SocketWithUpgrade(server.url) as unknown as LooseSocket);
    await waitFor(upgrading, "upgrade");
    expect(upgrading.transport.name).toBe("websocket");
    const plain = track(new volley.Socket(server.url, { upgrade: false }) as unknown as LooseSocket);
    expect(plain).toBeInstanceOf(volley.SocketWithUpgrade);
    expect(plain).toBeInstanceOf(volley.SocketWithoutUpgrade);
  });

  it('skips "webtransport" in transports (not implemented): the next transport opens, or "No transports available"', async () => {
    const skipping = track(new volley.Socket(server.url, { transports: ["webtransport", "websocket"] }) as unknown as LooseSocket);
    await waitFor(skipping, "open");
    expect(skipping.transport.name).toBe("websocket");
    const nothingLeft = track(new volley.Socket(server.url, { transports: ["webtransport"] }) as unknown as LooseSocket);
    const closed = waitFor<[string]>(nothingLeft, "close");
    const [error] = await waitFor<[Error]>(nothingLeft, "error");
    expect(error).toBeInstanceOf(volley.TransportError);
    expect(error.message).toBe("No transports available");
    expect((error as volley.TransportError).code).toBe("VOLLEY_ENGINE_CLIENT_ERR_NO_TRANSPORTS");
    const [reason] = await closed;
    expect(reason).toBe("transport error");

    // Sending to, and closing, a socket with no transport before its error: a plain forced close.
    const closedEarly = new volley.Socket(server.url, { transports: [] });
    const events: string[] = [];
    closedEarly.on("error", () => events.push("error"));
    closedEarly.on("close", (why) => events.push(why));
    closedEarly.send("buffered");
    closedEarly.close();
    // The error would have been due on this same tick (a 0 ms timer set earlier).
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    expect(events).toEqual(["forced close"]);
  });
});
