import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "@jest/globals";
import { Adapter } from "@volley/adapter";
import { Server as EngineServer } from "@volley/engine-server";
import { Decoder, Encoder, type Packet } from "@volley/parser";
import { io as ioc, type Socket as ClientSocket } from "socket.io-client";
import { InvalidOptionError, Server, type Socket } from "../../src";
import { RawClient } from "../helpers/raw-client";
import { startServer, TRANSPORT_MODES, waitFor, within, type TestServer } from "../helpers";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function track(client: ClientSocket): ClientSocket {
  cleanups.push(() => client.close());
  return client;
}

async function listening(http: HttpServer): Promise<number> {
  if (!http.listening) await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  else if (http.address() === null) await waitFor(http, "listening");
  return (http.address() as AddressInfo).port;
}

describe("Server construction and attachment", () => {
  it("new Server(httpServer, options) attaches at once", async () => {
    const http = createServer();
    const io = new Server(http, { pingInterval: 5000 });
    cleanups.push(() => io.close());
    const port = await listening(http);
    expect(io.httpServer).toBe(http);
    expect(io.engine).toBeInstanceOf(EngineServer);
    expect(io.engine!.opts.pingInterval).toBe(5000);
    const client = track(ioc(`http://127.0.0.1:${port}`, { forceNew: true, transports: ["websocket"] }));
    await waitFor(client, "connect");
  });

  it("new Server(options) then attach(httpServer) / listen(port)", async () => {
    const io = new Server({ path: "/io" });
    cleanups.push(() => io.close());
    expect(io.engine).toBeUndefined();
    const http = createServer();
    io.attach(http);
    const port = await listening(http);
    const client = track(ioc(`http://127.0.0.1:${port}`, { path: "/io", forceNew: true, transports: ["polling"] }));
    await waitFor(client, "connect");

    const other = new Server();
    cleanups.push(() => other.close());
    other.listen(0);
    const port2 = await listening(other.httpServer as HttpServer);
    const client2 = track(ioc(`http://127.0.0.1:${port2}`, { forceNew: true, transports: ["websocket"] }));
    await waitFor(client2, "connect");
  });

  it("new Server(port) creates a listening http server", async () => {
    const io = new Server(0);
    cleanups.push(() => io.close());
    const port = await listening(io.httpServer as HttpServer);
    const res = await fetch(`http://127.0.0.1:${port}/other`);
    expect(res.status).toBe(404);
    await res.text();
  });

  it("bind(engine) serves the connections of an engine created elsewhere", async () => {
    const http = createServer();
    const engine = new EngineServer({ path: "/socket.io" });
    engine.attach(http);
    const io = new Server().bind(engine);
    cleanups.push(async () => {
      engine.close();
      await new Promise((resolve) => http.close(resolve));
    });
    const port = await listening(http);
    const client = track(ioc(`http://127.0.0.1:${port}`, { forceNew: true, transports: ["websocket"] }));
    await waitFor(client, "connect");
    expect(io.engine).toBe(engine);
    expect(io.sockets.sockets.size).toBe(1);
  });

  it("leaves other requests of the http server to its other listeners", async () => {
    const http = createServer((_req, res) => res.end("app"));
    const io = new Server(http);
    cleanups.push(() => io.close());
    const port = await listening(http);
    await expect((await fetch(`http://127.0.0.1:${port}/hello`)).text()).resolves.toBe("app");
  });

  it("validates its options (and the engine's) at construction", () => {
    expect(() => new Server({ connectTimeout: -1 })).toThrow(InvalidOptionError);
    expect(() => new Server({ path: "no-slash" })).toThrow(InvalidOptionError);
    expect(() => new Server({ serveClient: "yes" as unknown as boolean })).toThrow(InvalidOptionError);
    expect(() => new Server({ parser: {} as never })).toThrow(/parser/);
    expect(() => new Server({ adapter: 1 as never })).toThrow(/adapter/);
    expect(() => new Server({ connectionStateRecovery: { maxDisconnectionDuration: 0 } })).toThrow(/maxDisconnectionDuration/);
    expect(() => new Server({ pingInterval: -5 })).toThrow(/pingInterval/);
    expect(() => new Server().attach((() => undefined) as never)).toThrow(/http server/);
  });

  it("path(), serveClient(), connectTimeout() and adapter() read and write the settings", () => {
    const io = new Server();
    expect(io.path()).toBe("/socket.io");
    expect(io.path("/other/")).toBe(io);
    expect(io.path()).toBe("/other");
    expect(io.serveClient()).toBe(true);
    expect(io.serveClient(false).serveClient()).toBe(false);
    expect(io.connectTimeout()).toBe(45000);
    expect(io.connectTimeout(0).connectTimeout()).toBe(0);
    expect(() => io.connectTimeout(-1)).toThrow(InvalidOptionError);
    expect(io.adapter()).toBe(Adapter);
    class CustomAdapter extends Adapter {}
    const before = io.sockets.adapter;
    io.adapter(CustomAdapter);
    expect(io.adapter()).toBe(CustomAdapter);
    expect(io.sockets.adapter).toBeInstanceOf(CustomAdapter);
    expect(io.sockets.adapter).not.toBe(before);
    expect(io.of("/new").adapter).toBeInstanceOf(CustomAdapter);
  });
});

describe("close() and the adapters", () => {
  it("resolves only once every adapter's close() has resolved, as socket.io does", async () => {
    let finishAdapterClose: () => void = () => undefined;
    const adapterClosed = new Promise<void>((resolve) => (finishAdapterClose = resolve));
    let adapterCloseCalls = 0;
    class SlowClosingAdapter extends Adapter {
      override close(): Promise<void> {
        adapterCloseCalls++;
        return adapterClosed;
      }
    }
    const http = createServer();
    const io = new Server(http, { adapter: SlowClosingAdapter });
    await listening(http);
    let isClosed = false;
    const closing = io.close().then(() => (isClosed = true));
    // the http server is closed only after the adapter: both still wait
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(adapterCloseCalls).toBe(1);
    expect(isClosed).toBe(false);
    expect(http.listening).toBe(true);
    finishAdapterClose();
    await closing;
    expect(isClosed).toBe(true);
    expect(http.listening).toBe(false);
  });

  it("a failing adapter close() does not keep close() from finishing", async () => {
    class FailingAdapter extends Adapter {
      override close(): Promise<void> {
        return Promise.reject(new Error("redis went away"));
      }
    }
    const http = createServer();
    const io = new Server(http, { adapter: FailingAdapter });
    await listening(http);
    await expect(io.close()).resolves.toBeUndefined();
    expect(http.listening).toBe(false);
  });
});

describe("engine options", () => {
  let server: TestServer;
  afterEach(() => server.close());

  it("pass through to the engine: a client that stops answering pings is closed with ping timeout", async () => {
    server = await startServer({ pingInterval: 50, pingTimeout: 50 });
    const connection = waitFor<[Socket]>(server.io, "connection");
    const raw = await RawClient.connected(server.port);
    cleanups.push(() => raw.close());
    expect(raw.handshake).toMatchObject({ pingInterval: 50, pingTimeout: 50, maxPayload: 1e6 });
    const [socket] = await connection;
    raw.answerPings = false;
    await expect(waitFor(socket, "disconnect", 5000)).resolves.toEqual(["ping timeout", undefined]);
  });
});

describe.each(TRANSPORT_MODES)("Server lifecycle ($name)", (mode) => {
  let server: TestServer;
  afterEach(() => server.close());

  it("close() disconnects every socket with server shutting down and closes the http server", async () => {
    server = await startServer({}, mode);
    const connection = waitFor<[Socket]>(server.io, "connection");
    const client = server.client("/");
    const [socket] = await connection;
    await waitFor(client, "connect");
    const serverReason = waitFor(socket, "disconnect");
    const clientReason = waitFor(client, "disconnect");
    let called = false;
    await within(server.io.close(() => (called = true)));
    expect(called).toBe(true);
    await expect(serverReason).resolves.toEqual(["server shutting down", undefined]);
    await expect(clientReason).resolves.toEqual([expect.stringMatching(/transport (close|error)/), expect.anything()]);
    expect(server.http.listening).toBe(false);
  });

  it("uses the parser given as option", async () => {
    const encoded: Packet[] = [];
    class CountingEncoder extends Encoder {
      override encode(packet: Packet) {
        encoded.push(packet);
        return super.encode(packet);
      }
    }
    server = await startServer({ parser: { Encoder: CountingEncoder, Decoder } }, mode);
    const client = server.client("/");
    await waitFor(client, "connect");
    server.io.emit("hello");
    await waitFor(client, "hello");
    expect(encoded.map((packet) => packet.type)).toEqual([0, 2]);
  });
});
