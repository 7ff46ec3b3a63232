// maxNamespacesPerConnection: a connection may be in (or connecting to) at most that many
// namespaces at once; a CONNECT past it gets CONNECT_ERROR "Too many namespaces" and the
// connection and its sockets go on. Tested at the limit and one past it, with the default
// (100) and a small one, with connected and with pending CONNECTs.
import { afterEach, describe, expect, it } from "@jest/globals";
import { CONNECT_ERROR_MESSAGES, type ParentNamespace, type ServerOptions, type Socket } from "../../src";
import { startServer, waitFor, type TestServer } from "../helpers";
import { RawWebSocket } from "../helpers/raw-websocket";

let server: TestServer | undefined;
const raws: RawWebSocket[] = [];

afterEach(async () => {
  for (const raw of raws.splice(0)) raw.close();
  await server?.close();
  server = undefined;
});

/**
 * A server whose parent namespace accepts /n0, /n1, …: as many namespaces as a client asks
 * for. Their sockets answer `echo`.
 */
async function start(options: ServerOptions = {}): Promise<{ target: TestServer; parent: ParentNamespace }> {
  server = await startServer(options);
  const parent = server.io.of(/^\/n\d+$/);
  parent.on("connection", (socket) => socket.on("echo", (value: unknown, ack: (value: unknown) => void) => ack(value)));
  return { target: server, parent };
}

async function openRaw(target: TestServer): Promise<RawWebSocket> {
  const raw = await RawWebSocket.open(target.port);
  raws.push(raw);
  return raw;
}

/** Sends CONNECT to /n<from> … /n<to - 1> and returns the answers, by namespace. */
async function connectAll(raw: RawWebSocket, from: number, to: number): Promise<Map<string, string>> {
  const frames = Array.from({ length: to - from }, (_, i) => `40/n${from + i},`);
  raw.send(...frames);
  const answers = new Map<string, string>();
  for (let i = from; i < to; i++) {
    const frame = await raw.next();
    const nsp = /^4[04](\/n\d+),/.exec(frame)?.[1];
    if (nsp === undefined) throw new Error(`not a CONNECT answer: ${frame}`);
    answers.set(nsp, frame);
  }
  return answers;
}

const TOO_MANY = JSON.stringify({ message: CONNECT_ERROR_MESSAGES.TOO_MANY_NAMESPACES });

describe("maxNamespacesPerConnection", () => {
  it("defaults to 100: the 100th namespace connects, the 101st is refused", async () => {
    const { target } = await start();
    const raw = await openRaw(target);
    const answers = await connectAll(raw, 0, 100);
    expect([...answers.values()].every((frame) => frame.startsWith("40/n"))).toBe(true);
    raw.send("40/n100,");
    expect(await raw.next()).toBe(`44/n100,${TOO_MANY}`);
    // the connection and its sockets go on
    raw.send('42/n99,7["echo","still here"]');
    expect(await raw.next()).toBe('43/n99,7["still here"]');
    expect(raw.isClosed).toBe(false);
  });

  it("at a limit of 3: three namespaces connect, a fourth gets connect_error, one left frees a place", async () => {
    const { target, parent } = await start({ maxNamespacesPerConnection: 3 });
    const atServer = new Map<string, Socket>();
    parent.on("connection", (socket) => atServer.set(socket.nsp.name, socket));
    const main = await target.connected("/");
    const n1 = main.io.socket("/n1");
    const n2 = main.io.socket("/n2");
    await Promise.all([waitFor(n1, "connect"), waitFor(n2, "connect")]);
    const n3 = main.io.socket("/n3");
    const [error] = await waitFor<[Error]>(n3, "connect_error");
    expect(error.message).toBe("Too many namespaces");
    expect([main.connected, n1.connected, n2.connected]).toEqual([true, true, true]);
    await expect(n2.timeout(5000).emitWithAck("echo", "still here")).resolves.toBe("still here");
    const left = waitFor(atServer.get("/n1")!, "disconnect");
    n1.disconnect();
    await left;
    const n4 = main.io.socket("/n4");
    await waitFor(n4, "connect");
    await expect(n4.timeout(5000).emitWithAck("echo", "in")).resolves.toBe("in");
  });

  it("counts the CONNECTs still in the middlewares", async () => {
    const { target, parent } = await start({ maxNamespacesPerConnection: 3 });
    const held: Array<() => void> = [];
    parent.use((_socket, next) => held.push(() => next()));
    const raw = await openRaw(target);
    raw.send("40/n0,", "40/n1,", "40/n2,", "40/n3,");
    expect(await raw.next()).toBe(`44/n3,${TOO_MANY}`);
    expect(held).toHaveLength(3);
    for (const release of held) release();
    const answers = [await raw.next(), await raw.next(), await raw.next()].map((frame) => frame.slice(0, 5)).sort();
    expect(answers).toEqual(["40/n0", "40/n1", "40/n2"]);
  });

  it("frees the place of a CONNECT that a middleware refused", async () => {
    const { target, parent } = await start({ maxNamespacesPerConnection: 1 });
    parent.use((socket, next) => next(socket.nsp.name === "/n0" ? new Error("no") : undefined));
    const raw = await openRaw(target);
    raw.send("40/n0,");
    expect(await raw.next()).toBe('44/n0,{"message":"no"}');
    raw.send("40/n1,");
    expect((await raw.next()).startsWith("40/n1,")).toBe(true);
    raw.send("40/n2,");
    expect(await raw.next()).toBe(`44/n2,${TOO_MANY}`);
  });

  it("Infinity lifts it", async () => {
    const { target } = await start({ maxNamespacesPerConnection: Infinity });
    const raw = await openRaw(target);
    const answers = await connectAll(raw, 0, 150);
    expect([...answers.values()].every((frame) => frame.startsWith("40/n"))).toBe(true);
  });
});
