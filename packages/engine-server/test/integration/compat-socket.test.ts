// Differential tests (issue 7, drop-in compatibility): Socket.send() of any value, and the
// transport as an EventEmitter with engine.io's events, each scenario run against the published
// engine.io and this package (with its built-in WebSocket engine and with ws's).
import { EventEmitter } from "node:events";
import { request } from "node:http";
import { describe, expect, it } from "@jest/globals";
import { Socket as ClientSocket } from "engine.io-client";
import { eioHandshake, eioPoll, eioPush, waitFor, within } from "../helpers";
import { FLAVOURS, nextConnection, observeEach, type Peer, type PeerSocket } from "../helpers/peers";

const TRANSPORTS = [["polling"], ["websocket"]] as const;

/** A published engine.io-client on one transport, and its first server-side session. */
async function connect(peer: Peer, transport: "polling" | "websocket"): Promise<{ client: ClientSocket; session: PeerSocket }> {
  const session = nextConnection(peer.engine);
  const client = new ClientSocket(peer.url, { transports: [transport] });
  await waitFor(client as never, "open");
  return { client, session: await session };
}

/** Collects the client's messages until (and without) `last`. */
function messagesUntil(client: ClientSocket, last: string): Promise<unknown[]> {
  return within(
    new Promise<unknown[]>((resolve) => {
      const messages: unknown[] = [];
      client.on("message", (data: unknown) => {
        if (data === last) resolve(messages);
        else messages.push(data);
      });
    }),
    5000,
    `the message "${last}"`,
  );
}

describe("Socket.send() / write() take what engine.io takes", () => {
  it.each(TRANSPORTS)("over %s: other values as their string form, falsy ones as an empty message", async (transport) => {
    const seen = await observeEach(FLAVOURS, {}, async (peer) => {
      const { client, session } = await connect(peer, transport);
      const received = messagesUntil(client, "end");
      session.send(42).send(1.5).send(true).send({ an: "object" }).send([1, 2]);
      session.send(0).send(false).send(null).send(undefined).send("");
      (session as unknown as { write(data: unknown): void }).write(-7);
      session.send("end");
      const messages = await received;
      client.close();
      return messages;
    });
    expect(seen.volley).toEqual(seen["engine.io"]);
    expect(seen["volley+ws"]).toEqual(seen["engine.io"]);
    // an empty message ("4") reaches engine.io-client's listeners as undefined
    const empty = undefined;
    expect(seen.volley).toEqual(["42", "1.5", "true", "[object Object]", "1,2", empty, empty, empty, empty, empty, "-7"]);
  });

  it("send() on a closed session is a no-op: no throw, no callback, the session is returned", async () => {
    const seen = await observeEach(FLAVOURS, {}, async (peer) => {
      const { client, session } = await connect(peer, "websocket");
      const closed = waitFor(session, "close");
      session.close();
      await closed;
      let called = 0;
      let threw: unknown;
      let returned: unknown;
      try {
        returned = session.send("late", {}, () => called++);
        session.send(42).send({ an: "object" });
      } catch (err) {
        threw = err;
      }
      client.close();
      return { threw, isSelf: returned === session, called, readyState: session.readyState };
    });
    expect(seen.volley).toEqual(seen["engine.io"]);
    expect(seen["volley+ws"]).toEqual(seen["engine.io"]);
    expect(seen.volley).toEqual({ threw: undefined, isSelf: true, called: 0, readyState: "closed" });
  });

  it.each(TRANSPORTS)("over %s: the send callback gets the transport that wrote the message", async (transport) => {
    const seen = await observeEach(FLAVOURS, {}, async (peer) => {
      const { client, session } = await connect(peer, transport);
      const argument = new Promise<unknown>((resolve) => session.send("x", {}, resolve));
      const isTransport = (await within(argument, 5000, "the send callback")) === session.transport;
      client.close();
      return isTransport;
    });
    expect(Object.values(seen)).toEqual([true, true, true]);
  });
});

describe("socket.transport is an EventEmitter with engine.io's events", () => {
  it.each(TRANSPORTS)("over %s: sid, name, writable; `packet` for what the client sends, `drain` after a write", async (transport) => {
    const seen = await observeEach(FLAVOURS, {}, async (peer) => {
      const { client, session } = await connect(peer, transport);
      const t = session.transport;
      const packet = waitFor<[{ type: string; data?: unknown }]>(t, "packet");
      client.send("hello");
      const [received] = await packet;
      const drained = waitFor(t, "drain");
      session.send("x");
      await drained;
      client.close();
      return {
        isEmitter: t instanceof EventEmitter,
        sid: t.sid === session.id,
        name: t.name,
        writable: typeof t.writable,
        packet: { type: received.type, data: received.data },
      };
    });
    expect(seen.volley).toEqual(seen["engine.io"]);
    expect(seen["volley+ws"]).toEqual(seen["engine.io"]);
    expect(seen.volley).toEqual({ isEmitter: true, sid: true, name: transport, writable: "boolean", packet: { type: "message", data: "hello" } });
  });

  it("polling: `headers` for each response, after the server's; what a listener sets is sent", async () => {
    const seen = await observeEach(["engine.io", "volley"], {}, async (peer) => {
      const session = nextConnection(peer.engine);
      const { sid } = await eioHandshake(peer);
      const transport = (await session).transport;
      const order: string[] = [];
      peer.engine.on("headers", () => order.push("server"));
      transport.on("headers", (headers: Record<string, string>, req: { url?: string }) => {
        order.push("transport");
        headers["X-Transport"] = req.url?.includes(sid) === true ? "yes" : "no";
      });
      peer.engine.clients[sid]!.send("x");
      const poll = await eioPoll(peer, sid);
      const push = await eioPush(peer, sid, "4y");
      return { header: [poll.headers["x-transport"], push.headers["x-transport"]], order };
    });
    expect(seen.volley).toEqual(seen["engine.io"]);
    expect(seen.volley).toEqual({ header: ["yes", "yes"], order: ["server", "transport", "server", "transport"] });
  });

  it("`close` when the session closes it, after the session's own close", async () => {
    const seen = await observeEach(FLAVOURS, {}, async (peer) => {
      const { client, session } = await connect(peer, "websocket");
      const order: string[] = [];
      session.on("close", () => order.push("socket"));
      const closed = new Promise<void>((resolve) =>
        session.transport.on("close", () => {
          order.push("transport");
          resolve();
        }),
      );
      session.close();
      await within(closed, 5000, "the transport's close");
      client.close();
      return order;
    });
    expect(seen.volley).toEqual(seen["engine.io"]);
    expect(seen["volley+ws"]).toEqual(seen["engine.io"]);
    expect(seen.volley).toEqual(["socket", "transport"]);
  });

  it("polling: `error` (type TransportError) when the client drops its pending GET; the session closes", async () => {
    const seen = await observeEach(["engine.io", "volley"], {}, async (peer) => {
      const session = nextConnection(peer.engine);
      const { sid } = await eioHandshake(peer);
      const socket = await session;
      const error = waitFor<[Error & { type?: string }]>(socket.transport, "error");
      const closed = waitFor<[string]>(socket, "close");
      // a GET the server holds (nothing to send), then dropped by the client
      const held = waitFor(socket.transport, "ready");
      const poll = request({ host: "127.0.0.1", port: peer.port, path: `/engine.io/?EIO=4&transport=polling&sid=${sid}`, agent: false });
      poll.on("error", () => undefined);
      poll.end();
      await held;
      poll.destroy();
      const [err] = await error;
      return { isError: err instanceof Error, type: err.type, reason: (await closed)[0] };
    });
    expect(seen.volley).toEqual(seen["engine.io"]);
    expect(seen.volley).toEqual({ isError: true, type: "TransportError", reason: "transport error" });
  });

  it("the transport `upgrading` hands over emits `packet` (the client's `5`) and becomes socket.transport", async () => {
    const seen = await observeEach(FLAVOURS, {}, async (peer) => {
      const session = nextConnection(peer.engine);
      const client = new ClientSocket(peer.url, { transports: ["polling", "websocket"] });
      const socket = await session;
      const packets: string[] = [];
      const upgrading = waitFor<[PeerSocket["transport"]]>(socket, "upgrading").then(([transport]) => {
        transport.on("packet", (packet: { type: string }) => packets.push(packet.type));
        return transport;
      });
      const upgraded = waitFor<[PeerSocket["transport"]]>(socket, "upgrade");
      const probing = await upgrading;
      const [transport] = await upgraded;
      const isEmitter = probing instanceof EventEmitter;
      const same = transport === probing && socket.transport === probing;
      client.close();
      return { isEmitter, same, name: probing.name, packets };
    });
    expect(seen.volley).toEqual(seen["engine.io"]);
    expect(seen["volley+ws"]).toEqual(seen["engine.io"]);
    expect(seen.volley).toEqual({ isEmitter: true, same: true, name: "websocket", packets: ["upgrade"] });
  });
});

describe("deliberate difference", () => {
  it("the transport `upgrading` hands over knows its session id (engine.io: undefined)", async () => {
    const { volley } = await observeEach(["volley"], {}, async (peer) => {
      const session = nextConnection(peer.engine);
      const client = new ClientSocket(peer.url, { transports: ["polling", "websocket"] });
      const socket = await session;
      const [probing] = await waitFor<[PeerSocket["transport"]]>(socket, "upgrading");
      client.close();
      return probing.sid === socket.id;
    });
    expect(volley).toBe(true);
  });
});
