import { describe, expect, it } from "@jest/globals";
import { decode, encode } from "@msgpack/msgpack";
import { PacketType } from "@volley/parser";
import {
  InvalidClusterMessageError,
  MessageType,
  parseClusterMessage,
  type AnyClusterMessage,
} from "../../src/index";

const envelope = { uid: "node-1", nsp: "/" };
const opts = { rooms: ["a"], except: ["b"], flags: { volatile: true, timeout: 100 } };

/** One valid message of every type. */
const samples: AnyClusterMessage[] = [
  { ...envelope, type: MessageType.INITIAL_HEARTBEAT },
  { ...envelope, type: MessageType.HEARTBEAT },
  { ...envelope, type: MessageType.ADAPTER_CLOSE },
  {
    ...envelope,
    type: MessageType.BROADCAST,
    data: { packet: { type: PacketType.EVENT, nsp: "/", data: ["ev", Buffer.from([1, 2, 3])] }, opts, offset: "o-1" },
  },
  { ...envelope, type: MessageType.BROADCAST, data: { packet: { type: PacketType.EVENT, nsp: "/", data: ["ev"] }, opts, requestId: "r1" } },
  { ...envelope, type: MessageType.SOCKETS_JOIN, data: { opts, rooms: ["x"] } },
  { ...envelope, type: MessageType.SOCKETS_LEAVE, data: { opts, rooms: ["x"] } },
  { ...envelope, type: MessageType.DISCONNECT_SOCKETS, data: { opts, close: true } },
  { ...envelope, type: MessageType.FETCH_SOCKETS, data: { opts, requestId: "r2" } },
  { ...envelope, type: MessageType.FETCH_SOCKETS_RESPONSE, data: { requestId: "r2", sockets: [{ id: "s", handshake: { query: {} }, rooms: ["s"], data: { n: 1 } }] } },
  { ...envelope, type: MessageType.SERVER_SIDE_EMIT, data: { packet: ["hello", 1] } },
  { ...envelope, type: MessageType.SERVER_SIDE_EMIT, data: { packet: ["hello"], requestId: "r3" } },
  { ...envelope, type: MessageType.SERVER_SIDE_EMIT_RESPONSE, data: { requestId: "r3", packet: "hi" } },
  { ...envelope, type: MessageType.BROADCAST_CLIENT_COUNT, data: { requestId: "r1", clientCount: 2 } },
  { ...envelope, type: MessageType.BROADCAST_ACK, data: { requestId: "r1", packet: "ok" } },
  { ...envelope, type: MessageType.RESTORE_SESSION, data: { requestId: "r4", pid: "p", offset: "o-1" } },
  { ...envelope, type: MessageType.RESTORE_SESSION_RESPONSE, data: { requestId: "r4", session: null } },
  {
    ...envelope,
    type: MessageType.RESTORE_SESSION_RESPONSE,
    data: { requestId: "r4", session: { sid: "s", pid: "p", rooms: ["s"], data: { n: 1 }, missedPackets: [["ev", "o-2"]] } },
  },
];

describe("cluster messages", () => {
  it("cover every message type", () => {
    expect(new Set(samples.map((message) => message.type))).toEqual(new Set(Object.values(MessageType).filter((value) => typeof value === "number")));
  });

  it.each(samples.map((message) => [message.type, message] as const))(
    "type %d survives a msgpack round trip and parses back to itself",
    (_type, message) => {
      const decoded = decode(encode(message));
      const parsed = parseClusterMessage(decoded);
      // msgpack turns Buffers into Uint8Arrays: compare the bytes.
      expect(JSON.stringify(parsed, bytes)).toBe(JSON.stringify(message, bytes));
    },
  );

  it("treats null optional fields (msgpack's undefined) as absent", () => {
    const parsed = parseClusterMessage({
      ...envelope,
      type: MessageType.BROADCAST,
      data: {
        packet: { type: PacketType.EVENT, nsp: "/", data: ["x"], id: null, attachments: null },
        opts: { rooms: [], except: null, flags: { volatile: null, local: true } },
        requestId: null,
        offset: null,
      },
    });
    expect(parsed).toEqual({
      ...envelope,
      type: MessageType.BROADCAST,
      data: { packet: { type: PacketType.EVENT, nsp: "/", data: ["x"] }, opts: { rooms: [], except: [], flags: { local: true } } },
    });
  });

  it.each([
    ["not an object", "hello"],
    ["no uid", { nsp: "/", type: MessageType.HEARTBEAT }],
    ["unknown type", { ...envelope, type: 99 }],
    ["broadcast without opts", { ...envelope, type: MessageType.BROADCAST, data: { packet: { type: 2, nsp: "/" } } }],
    ["bad packet type", { ...envelope, type: MessageType.BROADCAST, data: { packet: { type: 7, nsp: "/" }, opts } }],
    ["rooms not strings", { ...envelope, type: MessageType.SOCKETS_JOIN, data: { opts, rooms: [1] } }],
    ["close not boolean", { ...envelope, type: MessageType.DISCONNECT_SOCKETS, data: { opts, close: "yes" } }],
    ["event name missing", { ...envelope, type: MessageType.SERVER_SIDE_EMIT, data: { packet: [] } }],
    ["negative client count", { ...envelope, type: MessageType.BROADCAST_CLIENT_COUNT, data: { requestId: "r", clientCount: -1 } }],
    ["ack without request id", { ...envelope, type: MessageType.BROADCAST_ACK, data: { packet: "x" } }],
    ["socket without id", { ...envelope, type: MessageType.FETCH_SOCKETS_RESPONSE, data: { requestId: "r", sockets: [{}] } }],
    ["session without pid", { ...envelope, type: MessageType.RESTORE_SESSION_RESPONSE, data: { requestId: "r", session: { sid: "s" } } }],
    ["flag of the wrong type", { ...envelope, type: MessageType.FETCH_SOCKETS, data: { requestId: "r", opts: { rooms: [], flags: { local: 1 } } } }],
  ])("rejects %s with InvalidClusterMessageError", (_name, value) => {
    expect(() => parseClusterMessage(value)).toThrow(InvalidClusterMessageError);
  });
});

function bytes(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return { bytes: [...value] };
  if (typeof value === "object" && value !== null && (value as { type?: unknown }).type === "Buffer") {
    return { bytes: (value as { data: number[] }).data };
  }
  return value;
}
