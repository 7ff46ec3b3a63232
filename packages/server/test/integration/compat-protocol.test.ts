// Drop-in compatibility (issue 7), protocol side: packet sequences sent by hand over a raw
// WebSocket, against the published socket.io 4.8 and against @volley/server. Frames listed
// together go out in one TCP write, as a client sending them in quick succession does.
import { afterEach, describe, expect, it } from "@jest/globals";
import type { DisconnectReason, Socket } from "../../src";
import { waitFor, within } from "../helpers";
import { IMPLEMENTATIONS, startDiffServer, type DiffServer, type ImplementationName } from "../helpers/differential";
import { RawWebSocket } from "../helpers/raw-websocket";

/**
 * The server-side reason when the server closes a connection for bad input. socket.io
 * closes the Engine.IO session, whose close reports "forced close"; Volley says why
 * ("parse error", with the error as description) — a documented difference.
 */
const BAD_INPUT_REASON: Record<ImplementationName, DisconnectReason> = {
  "socket.io": "forced close",
  volley: "parse error",
};

const SID = /^40\{"sid":"[\w-]{20}"\}$/;

describe.each(IMPLEMENTATIONS)("protocol sequences ($name)", (impl) => {
  let server: DiffServer;
  const raws: RawWebSocket[] = [];
  /** Server-side events of every socket of "/", in order. */
  let log: string[];
  /** Called (once each) at the next line logged. */
  let logWaiters: Array<() => void> = [];

  function record(line: string): void {
    log.push(line);
    for (const waiter of logWaiters.splice(0)) waiter();
  }

  afterEach(async () => {
    for (const raw of raws.splice(0)) raw.close();
    await server.close();
  });

  async function start(): Promise<void> {
    server = await startDiffServer(impl);
    log = [];
    logWaiters = [];
    server.io.of("/a");
    server.io.on("connection", (socket: Socket) => {
      record(`connection ${socket.id}`);
      socket.on("ping", (ack: (answer: string) => void) => {
        record(`ping ${socket.id}`);
        ack("pong");
      });
      socket.on("error", (err: Error) => record(`error ${err instanceof Error}`));
      socket.on("disconnect", (reason) => record(`disconnect ${socket.id} ${reason}`));
    });
  }

  async function open(): Promise<RawWebSocket> {
    const raw = await RawWebSocket.open(server.port);
    raws.push(raw);
    return raw;
  }

  /** Waits until the server logged `count` lines (bounded). */
  function logged(count: number): Promise<void> {
    return within(
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (log.length >= count) resolve();
          else logWaiters.push(check);
        };
        check();
      }),
      5000,
      `${count} server events (got ${JSON.stringify(log)})`,
    );
  }

  it("40 40 at once: two sockets, two CONNECT answers; packets go to the second", async () => {
    await start();
    const raw = await open();
    raw.send("40", "40");
    const first = await raw.next();
    const second = await raw.next();
    expect(first).toMatch(SID);
    expect(second).toMatch(SID);
    expect(first).not.toBe(second);
    raw.send('421["ping"]');
    expect(await raw.next()).toBe('431["pong"]');
    const secondId = (JSON.parse(second.slice(2)) as { sid: string }).sid;
    expect(log.at(-1)).toBe(`ping ${secondId}`);
    expect(server.io.sockets.sockets.size).toBe(2);
    raw.close();
    await logged(5);
    expect(log.filter((line) => line.startsWith("disconnect")).map((line) => line.split(" ")[2])).toEqual([
      "transport",
      "transport",
    ]);
  });

  it("40 41 40 at once: the connection is closed (DISCONNECT before the CONNECT was answered)", async () => {
    await start();
    const raw = await open();
    raw.send("40", "41", "40");
    await raw.waitClosed();
    expect(raw.pending).toEqual([]);
    expect(log).toEqual([]);
  });

  it("40, then 41 40 at once: the connection is closed (CONNECT for a namespace still connected in that turn)", async () => {
    await start();
    const raw = await open();
    raw.send("40");
    expect(await raw.next()).toMatch(SID);
    raw.send("41", "40");
    await raw.waitClosed();
    await logged(2);
    expect(log[1]).toMatch(new RegExp(`^disconnect \\S+ ${BAD_INPUT_REASON[impl.name]}$`));
  });

  it("40, then 41, then 40 later: a new socket, which answers", async () => {
    await start();
    const raw = await open();
    raw.send("40");
    expect(await raw.next()).toMatch(SID);
    raw.send("41");
    await logged(2);
    raw.send("40");
    expect(await raw.next()).toMatch(SID);
    raw.send('421["ping"]');
    expect(await raw.next()).toBe('431["pong"]');
  });

  it("40, then 41 and an event at once: the event is dropped, the connection stays", async () => {
    await start();
    const raw = await open();
    raw.send("40");
    expect(await raw.next()).toMatch(SID);
    raw.send("41", '421["ping"]');
    await logged(2);
    raw.send("40");
    expect(await raw.next()).toMatch(SID);
    raw.send('422["ping"]');
    expect(await raw.next()).toBe('432["pong"]');
    expect(log.filter((line) => line.startsWith("ping"))).toHaveLength(1);
  });

  it("a second CONNECT once connected closes the connection", async () => {
    await start();
    const raw = await open();
    raw.send("40");
    expect(await raw.next()).toMatch(SID);
    raw.send("40");
    await raw.waitClosed();
    await logged(2);
    expect(log[1]).toMatch(new RegExp(`^disconnect \\S+ ${BAD_INPUT_REASON[impl.name]}$`));
  });

  it.each([
    ["an EVENT", '42/a,["x"]'],
    ["an ACK", "43/a,1[]"],
    ["a DISCONNECT", "41/a,"],
  ])("%s for a namespace the client never joined closes the connection", async (_what, frame) => {
    await start();
    const raw = await open();
    raw.send("40");
    expect(await raw.next()).toMatch(SID);
    raw.send(frame);
    await raw.waitClosed();
    await logged(2);
    expect(log[1]).toMatch(new RegExp(`^disconnect \\S+ ${BAD_INPUT_REASON[impl.name]}$`));
  });

  it("a CONNECT_ERROR from the client closes the connection", async () => {
    await start();
    const raw = await open();
    raw.send("40");
    expect(await raw.next()).toMatch(SID);
    raw.send("44{}");
    await raw.waitClosed();
  });

  it("an event before any CONNECT closes the connection", async () => {
    await start();
    const raw = await open();
    raw.send('421["ping"]');
    await raw.waitClosed();
    expect(raw.pending).toEqual([]);
  });

  it("an event for a namespace refused with CONNECT_ERROR closes the connection", async () => {
    await start();
    const raw = await open();
    raw.send("40/nope,");
    expect(await raw.next()).toBe('44/nope,{"message":"Invalid namespace"}');
    raw.send('42/nope,["x"]');
    await raw.waitClosed();
  });

  it("a packet that cannot be decoded: `error` on the socket first, then `disconnect`", async () => {
    await start();
    const raw = await open();
    raw.send("40");
    expect(await raw.next()).toMatch(SID);
    raw.send('42["x"');
    await raw.waitClosed();
    await logged(3);
    expect(log.slice(1).map((line) => line.replace(/ \S{20} /, " "))).toEqual([
      "error true",
      `disconnect ${BAD_INPUT_REASON[impl.name]}`,
    ]);
  });

  it("a socket.io-client whose engine sends a second CONNECT is disconnected with transport close", async () => {
    await start();
    const client = await server.connected("/", { transports: ["polling"] });
    const gone = waitFor<[string]>(client, "disconnect");
    client.io.engine.write("0");
    const [reason] = await gone;
    expect(reason).toBe("transport close");
  });
});
