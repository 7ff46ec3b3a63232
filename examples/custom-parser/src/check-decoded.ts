// Checks what MessagePack decoded before it becomes a packet: the envelope, the packet
// rules shared with the default parser (isPacketValid), and the payload's values.
import { DecodeError, DecodeErrorCode, isPacketValid, PacketType, type Packet } from "@volley/parser";

const ENVELOPE_KEYS = new Set(["type", "nsp", "data", "id"]);

export function toPacket(value: unknown, maxDepth: number): Packet {
  if (!isRecord(value)) {
    throw new DecodeError(DecodeErrorCode.INVALID_PAYLOAD, "a packet must be a MessagePack map");
  }
  for (const key of Object.keys(value)) {
    if (!ENVELOPE_KEYS.has(key)) throw new DecodeError(DecodeErrorCode.INVALID_PAYLOAD, `unknown packet field "${key}"`);
  }
  const { type, nsp, data, id } = value;
  // BINARY_* types have no use here: binary travels inside the one MessagePack item.
  if (typeof type !== "number" || !(type >= PacketType.CONNECT && type <= PacketType.CONNECT_ERROR)) {
    throw new DecodeError(DecodeErrorCode.UNKNOWN_TYPE, "unknown packet type");
  }
  const packet: Packet = { type, nsp: nsp as string };
  if (data !== undefined) packet.data = data;
  if (id !== undefined) packet.id = id as number;
  if (!isPacketValid(packet)) {
    throw new DecodeError(DecodeErrorCode.INVALID_PAYLOAD, "the packet breaks the Socket.IO packet rules");
  }
  checkValues(data, maxDepth, 1);
  return packet;
}

// Only what JSON can hold, plus binary. MessagePack extensions (timestamps, custom types)
// are refused: the encoder never produces them.
function checkValues(value: unknown, maxDepth: number, depth: number): void {
  if (value === null || typeof value === "string" || typeof value === "boolean" || typeof value === "number") return;
  if (value instanceof Uint8Array || value === undefined) return;
  if (depth > maxDepth) throw new DecodeError(DecodeErrorCode.TOO_DEEP, `payload nests deeper than maxDepth (${maxDepth})`);
  if (Array.isArray(value)) {
    for (const item of value) checkValues(item, maxDepth, depth + 1);
    return;
  }
  if (!isRecord(value)) throw new DecodeError(DecodeErrorCode.INVALID_PAYLOAD, "payload holds a value JSON cannot hold");
  for (const key of Object.keys(value)) {
    if (key === "__proto__" || key === "constructor") {
      throw new DecodeError(DecodeErrorCode.FORBIDDEN_KEY, `payload holds a forbidden key "${key}"`);
    }
    checkValues(value[key], maxDepth, depth + 1);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
