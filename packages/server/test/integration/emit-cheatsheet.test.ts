// The server-side scenarios of the Socket.IO "Emit cheatsheet", against the published client.
import { afterEach, describe, expect, it } from "@jest/globals";
import type { Socket as ClientSocket } from "socket.io-client";
import type { Socket } from "../../src";
import { countdown, startServer, TRANSPORT_MODES, waitFor, type TestServer } from "../helpers";

describe.each(TRANSPORT_MODES)("Emit cheatsheet ($name)", (mode) => {
  let server: TestServer;
  afterEach(() => server.close());

  interface Peer {
    name: string;
    client: ClientSocket;
    socket: Socket;
    got: string[];
  }

  /** alice (sender) and bob in "game", carol in "chess", dave in /admin. */
  async function setup(): Promise<Record<"alice" | "bob" | "carol" | "dave", Peer>> {
    server = await startServer({}, mode);
    const peers: Partial<Record<"alice" | "bob" | "carol" | "dave", Peer>> = {};
    for (const [name, nsp, room] of [
      ["alice", "/", "game"],
      ["bob", "/", "game"],
      ["carol", "/", "chess"],
      ["dave", "/admin", "game"],
    ] as const) {
      const connection = waitFor<[Socket]>(server.io.of(nsp), "connection");
      const client = server.client(nsp);
      const [socket] = await connection;
      await waitFor(client, "connect");
      socket.join(room);
      const got: string[] = [];
      client.on("m", (label: string) => got.push(label));
      peers[name] = { name, client, socket, got };
    }
    return peers as Record<"alice" | "bob" | "carol" | "dave", Peer>;
  }

  /** Sends a marker to everyone and waits for it, so that every earlier packet arrived. */
  async function settle(peers: Peer[]): Promise<void> {
    const all = countdown(peers.length);
    for (const peer of peers) peer.client.once("done", all.tick);
    server.io.emit("done");
    server.io.of("/admin").emit("done");
    await all.done;
  }

  it("basic emit with mixed arguments, binary included", async () => {
    const { alice } = await setup();
    const got = waitFor(alice.client, "hello");
    alice.socket.emit("hello", 1, "2", { 3: "4", 5: Buffer.from([6]) });
    const [one, two, three] = (await got) as [number, string, { 3: string; 5: ArrayBuffer }];
    expect(one).toBe(1);
    expect(two).toBe("2");
    expect(three[3]).toBe("4");
    expect([...new Uint8Array(three[5])]).toEqual([6]);
  });

  it("acknowledgements: callback, promise, and with a timeout", async () => {
    const { alice } = await setup();
    alice.client.on("hello", (world: string, ack: (...args: unknown[]) => void) => ack(world, 2, "3"));
    await expect(new Promise((resolve) => alice.socket.emit("hello", "world", (...args: unknown[]) => resolve(args)))).resolves.toEqual([
      "world",
      2,
      "3",
    ]);
    await expect(alice.socket.emitWithAck("hello", "world")).resolves.toBe("world");
    await expect(
      new Promise((resolve) => alice.socket.timeout(5000).emit("hello", "world", (...args: unknown[]) => resolve(args))),
    ).resolves.toEqual([null, "world", 2, "3"]);
    await expect(alice.socket.timeout(5000).emitWithAck("hello", "world")).resolves.toBe("world");
  });

  it("broadcasting: all, all but the sender, rooms, except, namespaces, socket ids, local", async () => {
    const peers = await setup();
    const { alice, bob, carol, dave } = peers;
    server.io.emit("m", "to all of /");
    alice.socket.broadcast.emit("m", "all but alice");
    server.io.to("game").emit("m", "in game");
    alice.socket.to("game").emit("m", "game but alice");
    server.io.to("game").to("chess").emit("m", "game or chess");
    server.io.except("chess").emit("m", "all but chess");
    server.io.to("game").except(bob.socket.id).emit("m", "game but bob");
    server.io.of("/admin").emit("m", "admin");
    server.io.of("/admin").to("game").emit("m", "admin game");
    server.io.to(carol.socket.id).emit("m", "private to carol");
    server.io.local.emit("m", "local");
    // socket.to(socket.id) targets the room named after the sender, minus the sender: nobody
    alice.socket.to(alice.socket.id).emit("m", "nobody");
    await settle(Object.values(peers));
    expect(alice.got).toEqual(["to all of /", "in game", "game or chess", "all but chess", "game but bob", "local"]);
    expect(bob.got).toEqual(["to all of /", "all but alice", "in game", "game but alice", "game or chess", "all but chess", "local"]);
    expect(carol.got).toEqual(["to all of /", "all but alice", "game or chess", "private to carol", "local"]);
    expect(dave.got).toEqual(["admin", "admin game"]);
  });

  it("broadcast acknowledgements: callback and promise, one response per client", async () => {
    const peers = await setup();
    for (const peer of Object.values(peers)) {
      peer.client.on("hello", (_world: string, ack: (name: string) => void) => ack(peer.name));
    }
    const [err, responses] = await new Promise<[Error | null, string[]]>((resolve) =>
      server.io.timeout(5000).emit("hello", "world", (e: Error | null, r: string[]) => resolve([e, r])),
    );
    expect(err).toBeNull();
    expect(responses.sort()).toEqual(["alice", "bob", "carol"]);
    await expect(server.io.to("game").timeout(5000).emitWithAck("hello", "world")).resolves.toEqual(
      expect.arrayContaining(["alice", "bob"]),
    );
    await expect(server.io.of("/admin").timeout(5000).emitWithAck("hello", "world")).resolves.toEqual(["dave"]);
  });

  it("without compression, and volatile", async () => {
    const peers = await setup();
    const { alice } = peers;
    alice.socket.compress(false).emit("m", "uncompressed");
    server.io.compress(false).emit("m", "uncompressed broadcast");
    await settle(Object.values(peers));
    expect(alice.got).toEqual(["uncompressed", "uncompressed broadcast"]);
    // a volatile emit is delivered when the transport is ready (retried until one lands)
    const got = waitFor(alice.client, "v");
    const timer = setInterval(() => alice.socket.volatile.emit("v"), 20);
    try {
      await got;
    } finally {
      clearInterval(timer);
    }
  });
});
