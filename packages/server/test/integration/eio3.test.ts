// allowEIO3: the published socket.io-client 2.x (Socket.IO protocol v4 over Engine.IO v3)
// connects, exchanges events, binary data and acks, over polling, websocket and upgrade.
import { afterEach, describe, expect, it } from "@jest/globals";
import ioV2 from "socket.io-client-v2";
import type { Socket } from "../../src";
import { startServer, TRANSPORT_MODES, waitFor, type TestServer } from "../helpers";

type V2Socket = ReturnType<typeof ioV2>;

describe.each(TRANSPORT_MODES)("Engine.IO v3 clients (socket.io-client 2.x, $name)", (mode) => {
  let server: TestServer | undefined;
  const clients: V2Socket[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server?.close();
    server = undefined;
  });

  function v2(nsp = "/"): V2Socket {
    const client = ioV2(`${server!.url}${nsp}`, {
      forceNew: true,
      reconnection: false,
      transports: [...mode.options.transports],
    });
    clients.push(client);
    return client;
  }

  async function connected(nsp = "/"): Promise<{ client: V2Socket; socket: Socket }> {
    const namespace = server!.io.of(nsp.split("?")[0]!);
    const connection = waitFor<[Socket]>(namespace, "connection");
    const client = v2(nsp);
    const [socket] = await connection;
    await waitFor(client, "connect");
    return { client, socket };
  }

  it("is connected to the main namespace without asking; ids match on both sides", async () => {
    server = await startServer({ allowEIO3: true }, mode);
    const { client, socket } = await connected();
    expect(socket.conn.protocol).toBe(3);
    expect(socket.handshake.query["EIO"]).toBe("3");
    expect(socket.id).toBe(socket.conn.id);
    expect(client.id).toBe(socket.id);
    expect(socket.recovered).toBe(false);
    if (mode.name === "upgrade") {
      await new Promise<void>((resolve) => {
        if (socket.conn.upgraded) resolve();
        else socket.conn.once("upgrade", () => resolve());
      });
      expect(socket.conn.transport.name).toBe("websocket");
    }
  });

  it("exchanges events and acks both ways", async () => {
    server = await startServer({ allowEIO3: true }, mode);
    const { client, socket } = await connected();
    socket.on("double", (n: number, ack: (v: number) => void) => ack(n * 2));
    await expect(new Promise((resolve) => client.emit("double", 21, resolve))).resolves.toBe(42);
    client.on("question", (text: string, ack: (answer: string) => void) => ack(`${text}!`));
    await expect(socket.timeout(5000).emitWithAck("question", "yes")).resolves.toBe("yes!");
    const hello = waitFor<[string, number]>(client, "hello");
    socket.emit("hello", "world", 1);
    await expect(hello).resolves.toEqual(["world", 1]);
  });

  it("carries binary data both ways, in events and acks", async () => {
    server = await startServer({ allowEIO3: true }, mode);
    const { client, socket } = await connected();
    socket.on("upload", (name: string, file: Buffer, ack: (size: number, echo: Buffer) => void) => {
      ack(file.length, Buffer.concat([Buffer.from(name), file]));
    });
    const [size, echo] = await new Promise<[number, Buffer]>((resolve) =>
      client.emit("upload", "a", Buffer.from([1, 2, 3]), (s: number, e: Buffer) => resolve([s, e])),
    );
    expect(size).toBe(3);
    expect([...Buffer.from(echo)]).toEqual([97, 1, 2, 3]);
    const received = waitFor<[{ file: Buffer }]>(client, "file");
    socket.emit("file", { file: Buffer.from([9, 8]) });
    const [payload] = await received;
    expect([...Buffer.from(payload.file)]).toEqual([9, 8]);
  });

  it("connects to another namespace with the query of its URL as handshake.auth", async () => {
    server = await startServer({ allowEIO3: true }, mode);
    const { client, socket } = await connected("/admin?token=abc&x=1");
    expect(socket.nsp.name).toBe("/admin");
    expect(socket.handshake.auth).toEqual({ token: "abc", x: "1" });
    expect(socket.id).toBe(`/admin#${socket.conn.id}`);
    expect(client.id).toBe(socket.id);
    // the main namespace was connected too, implicitly
    expect(server.io.sockets.sockets.get(socket.conn.id)).toBeDefined();
    const answer = waitFor<[string]>(client, "answer");
    socket.on("ask", () => socket.emit("answer", "admin"));
    client.emit("ask");
    await expect(answer).resolves.toEqual(["admin"]);
    const gone = waitFor(socket, "disconnect");
    client.close();
    await expect(gone).resolves.toEqual(["client namespace disconnect", undefined]);
  });

  it("gets a refusal as a string: a middleware's error message, an unknown namespace", async () => {
    server = await startServer({ allowEIO3: true }, mode);
    server.io.of("/private").use((_socket, next) => next(new Error("not authorized")));
    const refused = v2("/private");
    await expect(waitFor(refused, "error")).resolves.toEqual(["not authorized"]);
    const unknown = v2("/nope");
    await expect(waitFor(unknown, "error")).resolves.toEqual(["Invalid namespace"]);
  });

  it("receives broadcasts together with Socket.IO v4 clients; without allowEIO3 it cannot connect", async () => {
    server = await startServer({ allowEIO3: true }, mode);
    const { client } = await connected();
    const modern = await server.connected("/");
    const both = Promise.all([waitFor(client, "news"), waitFor(modern, "news")]);
    server.io.emit("news", "to everyone");
    await expect(both).resolves.toEqual([["to everyone"], ["to everyone"]]);
    await server.close();

    server = await startServer({}, mode);
    const refused = v2();
    await expect(waitFor(refused, "connect_error")).resolves.toBeDefined();
  });
});
