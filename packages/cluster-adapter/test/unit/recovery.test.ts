import { describe, expect, it } from "@jest/globals";
import { MessageType } from "@volley/adapter";
import { sessionFromPrimary } from "../../src/recovery";
import { MESSAGE_SOURCE, PayloadCodec, type RestoredEnvelope } from "../../src/wire";

describe("the session a worker rebuilds from the primary's answer", () => {
  const codec = new PayloadCodec();
  const broadcast = (text: string, rooms: string[], except: string[] = []): Uint8Array =>
    codec.encode(
      { type: MessageType.BROADCAST, uid: "u", nsp: "/", data: { packet: { type: 2, nsp: "/", data: ["news", text] }, opts: { rooms, except, flags: {} } } },
      true,
    ) as Uint8Array;
  const envelope = (session: unknown, packets: Array<[string, Uint8Array | string]>): RestoredEnvelope => ({
    source: MESSAGE_SOURCE,
    kind: "restored",
    nsp: "/",
    uid: "u",
    workerId: 1,
    requestId: "r",
    session: session === null ? null : codec.encode(session, false),
    packets: packets.map(([offset, payload]) => ({ offset, payload })),
  });
  const stored = { sid: "sid1", pid: "pid1", rooms: ["sid1", "room"], data: { user: "alice", avatar: Buffer.from([1, 2]) } };

  it("keeps the packets the socket's rooms match, in order, each with its offset last", () => {
    const session = sessionFromPrimary(
      codec,
      envelope(stored, [
        ["o1", broadcast("all", [])],
        ["o2", broadcast("room", ["room"])],
        ["o3", broadcast("elsewhere", ["elsewhere"])],
        ["o4", broadcast("not the room", [], ["room"])],
        ["o5", broadcast("not this socket", [], ["sid1"])],
        ["o6", broadcast("to the socket", ["sid1"])],
      ]),
    );
    expect(session?.missedPackets).toEqual([
      ["news", "all", "o1"],
      ["news", "room", "o2"],
      ["news", "to the socket", "o6"],
    ]);
    expect(session?.sid).toBe("sid1");
    expect(session?.rooms).toEqual(["sid1", "room"]);
    expect([...((session?.data as { avatar: Uint8Array }).avatar)]).toEqual([1, 2]);
  });

  it("is null when the primary had none, or when any packet is unreadable (no recovery with a gap)", () => {
    expect(sessionFromPrimary(codec, envelope(null, []))).toBeNull();
    expect(sessionFromPrimary(codec, envelope(stored, [["o1", broadcast("all", [])], ["o2", "not MessagePack"]]))).toBeNull();
    expect(sessionFromPrimary(codec, envelope(stored, [["o1", codec.encode({ type: MessageType.BROADCAST }, true)]]))).toBeNull();
  });
});
