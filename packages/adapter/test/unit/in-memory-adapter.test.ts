import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { PacketType, type Packet } from "@volley/parser";
import { Adapter, createBroadcastOptions, InvalidArgumentError } from "../../src/index";
import { createNamespace } from "../helpers/fake-namespace";
import { waitFor } from "../helpers/wait-for";

function setup(name = "/") {
  return createNamespace((nsp) => new Adapter(nsp), name);
}

const event = (...data: unknown[]): Packet => ({ type: PacketType.EVENT, nsp: "/", data });

describe("Adapter rooms", () => {
  it("keeps rooms and sids in step and emits each room event once", () => {
    const { adapter } = setup();
    const events: string[] = [];
    adapter.on("create-room", (room) => events.push(`create ${room}`));
    adapter.on("join-room", (room, id) => events.push(`join ${room} ${id}`));
    adapter.on("leave-room", (room, id) => events.push(`leave ${room} ${id}`));
    adapter.on("delete-room", (room) => events.push(`delete ${room}`));

    adapter.addAll("s1", ["a", "b"]);
    adapter.addAll("s1", ["a"]);
    adapter.addAll("s2", ["a"]);
    expect(adapter.rooms.get("a")).toEqual(new Set(["s1", "s2"]));
    expect(adapter.sids.get("s1")).toEqual(new Set(["a", "b"]));

    adapter.del("s1", "a");
    adapter.del("s1", "missing");
    expect(adapter.rooms.get("a")).toEqual(new Set(["s2"]));
    adapter.delAll("s2");
    expect(adapter.rooms.has("a")).toBe(false);
    expect(adapter.sids.has("s2")).toBe(false);
    adapter.delAll("unknown");

    expect(events).toEqual([
      "create a",
      "join a s1",
      "create b",
      "join b s1",
      "join a s2",
      "leave a s1",
      "leave a s2",
      "delete a",
    ]);
  });

  it("socketRooms returns the rooms of a socket, undefined for an unknown one", () => {
    const { nsp, adapter } = setup();
    nsp.connect("s1", ["r"]);
    expect(adapter.socketRooms("s1")).toEqual(new Set(["s1", "r"]));
    expect(adapter.socketRooms("nope")).toBeUndefined();
  });

  it("sockets(rooms) lists the ids in any of the rooms, or all", async () => {
    const { nsp, adapter } = setup();
    nsp.connect("s1", ["a"]);
    nsp.connect("s2", ["b"]);
    nsp.connect("s3", ["a", "b"]);
    expect(await adapter.sockets(new Set(["a"]))).toEqual(new Set(["s1", "s3"]));
    expect(await adapter.sockets(new Set())).toEqual(new Set(["s1", "s2", "s3"]));
    expect(await adapter.serverCount()).toBe(1);
  });
});

describe("Adapter.broadcast", () => {
  it("encodes once and writes the same chunks to every socket", () => {
    const { nsp, adapter } = setup();
    const sockets = ["s1", "s2", "s3"].map((id) => nsp.connect(id));
    const packet = event("hello", 1);
    adapter.broadcast(packet, createBroadcastOptions());
    expect(nsp.encodeCalls).toBe(1);
    const first = sockets[0]!.writes[0]!;
    expect(first.encoded).toEqual(['2["hello",1]']);
    for (const socket of sockets) {
      expect(socket.writes).toHaveLength(1);
      expect(socket.writes[0]!.encoded).toBe(first.encoded);
      expect(socket.writes[0]!.options).toBe(first.options);
    }
    expect(first.options).toEqual({ volatile: false, compress: true });
    expect(Object.isFrozen(first.options)).toBe(true);
  });

  it("stamps the namespace name without mutating the caller's packet", () => {
    const { nsp, adapter } = setup("/admin");
    const socket = nsp.connect("s1");
    const packet = event("x");
    adapter.broadcast(packet, createBroadcastOptions());
    expect(packet.nsp).toBe("/");
    expect(socket.writes[0]!.packet.nsp).toBe("/admin");
    expect(socket.writes[0]!.encoded).toEqual(['2/admin,["x"]']);
  });

  it("writes once to a socket in several target rooms", () => {
    const { nsp, adapter } = setup();
    const both = nsp.connect("s1", ["a", "b"]);
    const onlyA = nsp.connect("s2", ["a"]);
    const none = nsp.connect("s3", ["c"]);
    adapter.broadcast(event("x"), createBroadcastOptions({ rooms: ["a", "b"] }));
    expect(both.writes).toHaveLength(1);
    expect(onlyA.writes).toHaveLength(1);
    expect(none.writes).toHaveLength(0);
  });

  it("skips sockets in except rooms and sockets whose id is excepted", () => {
    const { nsp, adapter } = setup();
    const sender = nsp.connect("sender", ["a"]);
    const muted = nsp.connect("muted", ["a", "mute"]);
    const target = nsp.connect("target", ["a"]);
    adapter.del("sender", "sender"); // left its own room: still excluded by id
    adapter.broadcast(event("x"), createBroadcastOptions({ rooms: ["a"], except: ["sender", "mute"] }));
    expect(sender.writes).toHaveLength(0);
    expect(muted.writes).toHaveLength(0);
    expect(target.writes).toHaveLength(1);

    adapter.broadcast(event("y"), createBroadcastOptions({ except: ["mute"] }));
    expect(sender.received()).toEqual([["y"]]);
    expect(muted.writes).toHaveLength(0);
  });

  it("passes volatile and compress to the sockets", () => {
    const { nsp, adapter } = setup();
    const socket = nsp.connect("s1");
    adapter.broadcast(event("x"), createBroadcastOptions({ flags: { volatile: true, compress: false } }));
    expect(socket.writes[0]!.options).toEqual({ volatile: true, compress: false });
  });

  it("ignores ids that are in rooms but not connected to the namespace", () => {
    const { nsp, adapter } = setup();
    const socket = nsp.connect("s1", ["a"]);
    adapter.addAll("ghost", ["a"]);
    adapter.broadcast(event("x"), createBroadcastOptions({ rooms: ["a"] }));
    adapter.broadcast(event("y"), createBroadcastOptions());
    expect(socket.writes).toHaveLength(2);
  });

  it("rejects options without a rooms Set", () => {
    const { adapter } = setup();
    expect(() => adapter.broadcast(event("x"), {} as never)).toThrow(InvalidArgumentError);
    expect(() =>
      adapter.broadcast(event("x"), { rooms: new Set(), except: ["a"] } as never),
    ).toThrow(expect.objectContaining({ code: "VOLLEY_ADAPTER_ERR_INVALID_ARGUMENT" }));
  });
});

describe("Adapter.broadcastWithAck", () => {
  it("uses one ack id from the namespace, counts clients and relays each ACK", () => {
    const { nsp, adapter } = setup();
    nsp.nextAckId(); // the namespace's own emits share the counter
    const s1 = nsp.connect("s1", ["a"]);
    const s2 = nsp.connect("s2", ["a"]);
    nsp.connect("s3");
    const counts: number[] = [];
    const acks: unknown[][] = [];
    adapter.broadcastWithAck(
      event("question"),
      createBroadcastOptions({ rooms: ["a"] }),
      (count) => counts.push(count),
      (...args) => acks.push(args),
    );
    expect(counts).toEqual([2]);
    expect(nsp.encodeCalls).toBe(1);
    expect(s1.writes[0]!.packet.id).toBe(1);
    expect(s1.writes[0]!.encoded).toEqual(['21["question"]']);
    expect([...s2.acks.keys()]).toEqual([1]);
    s1.answer(1, "yes");
    s2.answer(1, "no", 2);
    expect(acks).toEqual([["yes"], ["no", 2]]);
  });

  it("reports zero clients when nothing matches", () => {
    const { adapter } = setup();
    const counts: number[] = [];
    adapter.broadcastWithAck(event("x"), createBroadcastOptions(), (count) => counts.push(count), () => {});
    expect(counts).toEqual([0]);
  });
});

describe("Adapter.broadcastWithAck with a timeout flag", () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it("unregisters, when the timeout elapses, the acks of the sockets that did not answer", async () => {
    const { nsp, adapter } = setup();
    const talker = nsp.connect("talker", ["r"]);
    const silent = nsp.connect("silent", ["r"]);
    const acks: unknown[][] = [];
    adapter.broadcastWithAck(event("q"), createBroadcastOptions({ rooms: ["r"], flags: { timeout: 50 } }), () => {}, (...args) => acks.push(args));
    const id = silent.writes[0]!.packet.id!;
    expect(silent.acks.has(id)).toBe(true);
    talker.answer(id, "yes");
    const [forgotten] = await waitFor<[number]>(silent, "unregister-ack");
    expect(forgotten).toBe(id);
    expect(silent.acks.size).toBe(0);
    expect(talker.acks.size).toBe(0);
    // A late answer finds nothing to call.
    silent.answer(id, "late");
    expect(acks).toEqual([["yes"]]);
  });

  it("leaves nothing to unregister once every socket answered (the timer is cleared)", () => {
    jest.useFakeTimers();
    const { nsp, adapter } = setup();
    const sockets = [nsp.connect("a", ["r"]), nsp.connect("b", ["r"])];
    const unregistered: number[] = [];
    for (const socket of sockets) socket.on("unregister-ack", (id) => unregistered.push(id));
    adapter.broadcastWithAck(event("q"), createBroadcastOptions({ rooms: ["r"], flags: { timeout: 1_000 } }), () => {}, () => {});
    for (const socket of sockets) socket.answer(socket.writes[0]!.packet.id!, "ok");
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(2_000);
    expect(unregistered).toEqual([]);
  });

  it("without a timeout flag, keeps waiting for every socket", () => {
    jest.useFakeTimers();
    const { nsp, adapter } = setup();
    const silent = nsp.connect("silent", ["r"]);
    adapter.broadcastWithAck(event("q"), createBroadcastOptions({ rooms: ["r"] }), () => {}, () => {});
    expect(jest.getTimerCount()).toBe(0);
    expect(silent.acks.size).toBe(1);
  });
});

describe("Adapter socket operations", () => {
  it("fetchSockets returns snapshots of the matching sockets", async () => {
    const { nsp, adapter } = setup();
    nsp.connect("s1", ["a"], { user: 1 });
    nsp.connect("s2", ["b"]);
    const found = await adapter.fetchSockets(createBroadcastOptions({ rooms: ["a"] }));
    expect(found).toEqual([
      { id: "s1", handshake: { address: "127.0.0.1", query: {}, headers: {} }, rooms: new Set(["s1", "a"]), data: { user: 1 } },
    ]);
    found[0]!.rooms.add("mutated");
    expect(adapter.socketRooms("s1")?.has("mutated")).toBe(false);
  });

  it("addSockets and delSockets change the rooms of the matching sockets", async () => {
    const { nsp, adapter } = setup();
    nsp.connect("s1", ["a"]);
    nsp.connect("s2", ["a"]);
    nsp.connect("s3");
    await adapter.addSockets(createBroadcastOptions({ rooms: ["a"], except: ["s2"] }), ["x", "y"]);
    expect(adapter.rooms.get("x")).toEqual(new Set(["s1"]));
    expect(adapter.rooms.get("y")).toEqual(new Set(["s1"]));
    await adapter.addSockets(createBroadcastOptions(), ["all"]);
    expect(adapter.rooms.get("all")).toEqual(new Set(["s1", "s2", "s3"]));
    await adapter.delSockets(createBroadcastOptions({ rooms: ["x"] }), ["all", "x"]);
    expect(adapter.rooms.get("all")).toEqual(new Set(["s2", "s3"]));
    expect(adapter.rooms.has("x")).toBe(false);
  });

  it("disconnectSockets disconnects every matching socket even as rooms change", async () => {
    const { nsp, adapter } = setup();
    const sockets = ["s1", "s2", "s3"].map((id) => nsp.connect(id, ["a"]));
    const other = nsp.connect("s4", ["b"]);
    await adapter.disconnectSockets(createBroadcastOptions({ rooms: ["a"] }), true);
    for (const socket of sockets) expect(socket.disconnectedWith).toBe(true);
    expect(other.disconnectedWith).toBeUndefined();
    expect(adapter.rooms.has("a")).toBe(false);
    await adapter.disconnectSockets(createBroadcastOptions(), false);
    expect(other.disconnectedWith).toBe(false);
    expect(adapter.sids.size).toBe(0);
  });
});

describe("Adapter single-node features", () => {
  it("serverSideEmit: no other node, the callback gets (null, [])", async () => {
    const { nsp, adapter } = setup();
    const result = await new Promise<[Error | null, unknown[]]>((resolve) => {
      void adapter.serverSideEmit(["hello", 1, (error: Error | null, responses: unknown[]) => resolve([error, responses])]);
    });
    expect(result).toEqual([null, []]);
    expect(nsp.serverSideEvents).toEqual([]);
  });

  it("serverSideEmit rejects a packet without an event name or with a callback in the middle", () => {
    const { adapter } = setup();
    expect(() => adapter.serverSideEmit([1, 2])).toThrow(InvalidArgumentError);
    expect(() => adapter.serverSideEmit(["ev", () => {}, 2])).toThrow(InvalidArgumentError);
    expect(() => adapter.serverSideEmit("ev" as never)).toThrow(InvalidArgumentError);
  });

  it("keeps no session", async () => {
    const { adapter } = setup();
    await adapter.persistSession({ sid: "s1", pid: "p1", rooms: ["a"], data: {} });
    expect(await adapter.restoreSession("p1", "o1")).toBeNull();
  });
});
