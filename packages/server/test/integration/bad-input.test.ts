import { afterEach, describe, expect, it } from "@jest/globals";
import { Decoder, Encoder } from "@volley/parser";
import { ProtocolViolationError, type DisconnectReason, type Socket } from "../../src";
import { startServer, waitFor, within, type TestServer } from "../helpers";
import { RawClient } from "../helpers/raw-client";

describe("bad input over the wire", () => {
  let server: TestServer;
  const raws: RawClient[] = [];
  afterEach(async () => {
    for (const raw of raws.splice(0)) raw.close();
    await server.close();
  });

  async function raw(connect = true): Promise<RawClient> {
    const client = connect ? await RawClient.connected(server.port) : await RawClient.open(server.port);
    raws.push(client);
    return client;
  }

  /** A well-behaved socket.io-client that must keep receiving while others misbehave. */
  async function bystander(): Promise<() => Promise<void>> {
    const client = await server.connected("/");
    let n = 0;
    return async () => {
      const got = waitFor<[number]>(client, "still-there");
      server.io.emit("still-there", ++n);
      await expect(got).resolves.toEqual([n]);
    };
  }

  /** The server-side reason the next socket of the main namespace disconnects with. */
  function nextDisconnectReason(): Promise<[DisconnectReason, unknown]> {
    return new Promise((resolve) =>
      server.io.once("connection", (socket: Socket) =>
        socket.on("disconnect", (reason, description) => resolve([reason, description])),
      ),
    );
  }

  it("CONNECT to an unknown namespace gets CONNECT_ERROR and the connection stays usable", async () => {
    server = await startServer();
    const client = await raw(false);
    client.send("40/nope,");
    expect(await client.next()).toBe('44/nope,{"message":"Invalid namespace"}');
    client.send("40");
    expect(await client.next()).toMatch(/^40\{"sid":"[\w-]{20}"\}$/);
  });

  it("a packet for a namespace the client is not connected to closes its connection (ProtocolViolationError)", async () => {
    server = await startServer();
    const still = await bystander();
    server.io.of("/admin");
    const reason = nextDisconnectReason();
    const client = await raw(true);
    client.send('42/admin,["early"]');
    const [why, description] = await within(reason);
    expect(why).toBe("parse error");
    expect(description).toBeInstanceOf(ProtocolViolationError);
    expect(description).toMatchObject({ code: "VOLLEY_SERVER_ERR_PROTOCOL_VIOLATION", packetType: 2, namespace: "/admin" });
    await client.waitClosed();
    await still();
  });

  it("closes a connection that does not CONNECT within connectTimeout, not one that did", async () => {
    // roomy enough for a loaded machine: the bystander and connectedLate must CONNECT in time
    server = await startServer({ connectTimeout: 1000 });
    const check = await bystander();
    // opened first: by the time idle is closed, connectedLate's connectTimeout has elapsed too
    const connectedLate = await raw(false);
    const idle = await raw(false);
    connectedLate.send("40");
    expect(await connectedLate.next()).toMatch(/^40/);
    await idle.waitClosed(5000);
    await check();
    // still connected: it gets the broadcast the bystander got
    expect(await connectedLate.next()).toBe('42["still-there",1]');
    expect(connectedLate.ws.readyState).toBe(connectedLate.ws.OPEN);
  });

  it.each([
    ["unknown packet type", "4x"],
    ["event payload that is not an array", '42{"a":1}'],
    ["empty event array", "42[]"],
    ["reserved event name", '42["disconnect"]'],
    ["invalid JSON", '42["a",'],
    ["ack without an id", "43[1]"],
    ["prototype pollution", '42["a",{"__proto__":{"polluted":true}}]'],
    ["binary frame with no binary packet pending", Buffer.from([1, 2, 3])],
  ])("closes only the offending connection on a malformed packet: %s", async (_name, frame) => {
    server = await startServer();
    const check = await bystander();
    const reason = nextDisconnectReason();
    const offender = await raw();
    offender.send(frame);
    await offender.waitClosed();
    const [why, description] = await within(reason);
    expect(why).toBe("parse error");
    expect(description).toMatchObject({ code: expect.stringMatching(/^VOLLEY_PARSER_ERR_/) });
    await check();
  });

  it("accepts a message of maxHttpBufferSize bytes and closes the connection one byte past it", async () => {
    server = await startServer({ maxHttpBufferSize: 1000 });
    const check = await bystander();
    const got: number[] = [];
    server.io.on("connection", (socket) => socket.on("big", (value: string, ack?: () => void) => {
        got.push(value.length);
        ack?.();
      }),
    );
    const frameOf = (size: number): string => {
      const prefix = '42["big","';
      const suffix = '"]';
      return prefix + "x".repeat(size - prefix.length - suffix.length) + suffix;
    };
    const client = await raw();
    // the Engine.IO message type "4" counts: the frame is the Engine.IO packet
    client.send(frameOf(1000));
    client.send('421["big","small"]');
    expect(await client.next()).toBe("431[]");
    expect(got).toEqual([1000 - 12, 5]);

    const reason = nextDisconnectReason();
    const offender = await raw();
    offender.send(frameOf(1001));
    await offender.waitClosed();
    await expect(within(reason)).resolves.toEqual(["transport error", expect.anything()]);
    expect(got).toHaveLength(2);
    await check();
    expect(client.ws.readyState).toBe(client.ws.OPEN);
  });

  it("polling: a body of maxHttpBufferSize bytes is accepted, one byte more closes that session (413)", async () => {
    server = await startServer({ maxHttpBufferSize: 1000 });
    const check = await bystander();
    const lengths: number[] = [];
    server.io.on("connection", (socket) => socket.on("big", (value: string) => lengths.push(value.length)));
    const base = `${server.url}/socket.io/?EIO=4&transport=polling`;
    const open = async (): Promise<string> => {
      const sid = (JSON.parse((await (await fetch(base)).text()).slice(1)) as { sid: string }).sid;
      await (await fetch(`${base}&sid=${sid}`, { method: "POST", body: "40" })).text();
      await (await fetch(`${base}&sid=${sid}`)).text();
      return sid;
    };
    const body = (size: number): string => '42["big","' + "x".repeat(size - 12) + '"]';
    const good = await open();
    const accepted = await fetch(`${base}&sid=${good}`, { method: "POST", body: body(1000) });
    expect(accepted.status).toBe(200);
    await accepted.text();
    const reason = nextDisconnectReason();
    const bad = await open();
    const refused = await fetch(`${base}&sid=${bad}`, { method: "POST", body: body(1001) });
    expect(refused.status).toBe(413);
    await refused.text();
    await expect(within(reason)).resolves.toEqual(["transport error", expect.anything()]);
    expect(lengths).toEqual([1000 - 12]);
    await check();
  });

  /** A binary event with `count` attachments, as the frames a client sends. */
  function binaryEvent(count: number): Array<string | Buffer> {
    const placeholders = Array.from({ length: count }, (_, num) => ({ _placeholder: true, num }));
    return [`45${count}-${JSON.stringify(["files", ...placeholders])}`, ...placeholders.map((_, i) => Buffer.from([i]))];
  }

  it("accepts the parser's maxAttachments (10 by default) and closes the connection one past it", async () => {
    server = await startServer();
    const check = await bystander();
    const counts: number[] = [];
    server.io.on("connection", (socket) => socket.on("files", (...files: Buffer[]) => counts.push(files.length)));
    const client = await raw();
    for (const frame of binaryEvent(10)) client.send(frame);
    const reason = nextDisconnectReason();
    const offender = await raw();
    for (const frame of binaryEvent(11)) offender.send(frame);
    await offender.waitClosed();
    await expect(within(reason)).resolves.toEqual([
      "parse error",
      expect.objectContaining({ code: "VOLLEY_PARSER_ERR_TOO_MANY_ATTACHMENTS" }),
    ]);
    await check();
    expect(counts).toEqual([10]);
  });

  it("parser limits are configured through the parser option", async () => {
    class StrictDecoder extends Decoder {
      constructor() {
        super({ maxAttachments: 2 });
      }
    }
    server = await startServer({ parser: { Encoder, Decoder: StrictDecoder } });
    const counts: number[] = [];
    server.io.on("connection", (socket) => socket.on("files", (...files: Buffer[]) => counts.push(files.length)));
    const client = await raw();
    for (const frame of binaryEvent(2)) client.send(frame);
    for (const frame of binaryEvent(3)) client.send(frame);
    await client.waitClosed();
    expect(counts).toEqual([2]);
  });

  it("ignores ACKs for unknown ids and a second ACK for the same id", async () => {
    server = await startServer();
    const connection = waitFor<[Socket]>(server.io, "connection");
    const client = await raw();
    const [socket] = await connection;
    client.send("437[1]");
    client.send('4399["nobody asked"]');
    const acks: unknown[][] = [];
    socket.emit("question", (...args: unknown[]) => acks.push(args));
    const question = await client.next();
    const id = /^42(\d+)\["question"\]$/.exec(question)?.[1];
    expect(id).toBeDefined();
    client.send(`43${id}["first"]`);
    client.send(`43${id}["second"]`);
    // a round trip to know both ACKs were handled
    client.send('421["ping"]');
    socket.on("ping", (ack: () => void) => ack());
    expect(await client.next()).toBe("431[]");
    expect(acks).toEqual([["first"]]);
    expect(socket.connected).toBe(true);
  });

  it("answers every event of a client that reuses an ack id", async () => {
    server = await startServer();
    server.io.on("connection", (socket) => socket.on("echo", (value: number, ack: (v: number) => void) => ack(value)));
    const client = await raw();
    client.send('425["echo",1]');
    client.send('425["echo",2]');
    expect([await client.next(), await client.next()]).toEqual(["435[1]", "435[2]"]);
  });

  it("an event named error from a client with no listener for it is dropped; the server lives on", async () => {
    server = await startServer();
    const check = await bystander();
    const connection = waitFor<[Socket]>(server.io, "connection");
    const client = await raw();
    const [socket] = await connection;
    socket.on("ping", (ack: () => void) => ack());
    client.send('42["error","boom"]');
    client.send('421["ping"]');
    expect(await client.next()).toBe("431[]");
    expect(socket.connected).toBe(true);
    const heard = waitFor<[string]>(socket, "error");
    client.send('42["error","heard"]');
    await expect(heard).resolves.toEqual(["heard"]);
    await check();
  });

  it("binary packets of two connections arriving interleaved are reassembled apart", async () => {
    server = await startServer();
    const uploads: Array<[string, number[]]> = [];
    const sockets: Socket[] = [];
    server.io.on("connection", (socket) => {
      sockets.push(socket);
      socket.on("upload", (name: string, file: Buffer) => uploads.push([name, [...file]]));
    });
    const first = await raw();
    const second = await raw();
    const [firstSocket] = sockets;
    // the first connection's header is decoded before the second connection sends anything
    const headerArrived = waitFor(firstSocket!.conn, "data");
    first.send('451-["upload","first",{"_placeholder":true,"num":0}]');
    await headerArrived;
    second.send('451-["upload","second",{"_placeholder":true,"num":0}]');
    second.send(Buffer.from([2, 2]));
    second.send('42["upload","third",[3]]');
    second.send('421["done"]');
    sockets[1]!.on("done", (ack: () => void) => ack());
    expect(await second.next()).toBe("431[]");
    first.send(Buffer.from([1]));
    first.send('421["done"]');
    firstSocket!.on("done", (ack: () => void) => ack());
    expect(await first.next()).toBe("431[]");
    expect(uploads).toEqual([
      ["second", [2, 2]],
      ["third", [3]],
      ["first", [1]],
    ]);
  });

  it("closes a polling session that posts a malformed packet, with parse error", async () => {
    server = await startServer();
    const check = await bystander();
    const base = `${server.url}/socket.io/?EIO=4&transport=polling`;
    const open = await (await fetch(base)).text();
    const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
    const reason = nextDisconnectReason();
    await fetch(`${base}&sid=${sid}`, { method: "POST", body: "40" });
    await (await fetch(`${base}&sid=${sid}`)).text();
    await fetch(`${base}&sid=${sid}`, { method: "POST", body: "4x" });
    await expect(within(reason)).resolves.toEqual(["parse error", expect.objectContaining({ code: "VOLLEY_PARSER_ERR_UNKNOWN_TYPE" })]);
    // the closed session delivers its close packet to the next poll, then is unknown
    await expect((await fetch(`${base}&sid=${sid}`)).text()).resolves.toBe("1");
    const after = await fetch(`${base}&sid=${sid}`);
    expect(after.status).toBe(400);
    await after.text();
    await check();
  });
});
