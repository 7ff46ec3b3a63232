// Rules a packet must follow whichever way it travels. The encoder and the decoder report
// a broken rule with their own error class; `isPacketValid` answers yes or no.
import { PacketType, type Packet } from "./packet";
import { isReservedEvent } from "./reserved-event";

/**
 * Why a packet breaks the rules, or undefined when it follows them: named after the code
 * the decoder gives a received packet that breaks it (`DecodeErrorCode[problem]`).
 */
export type PacketProblem = "UNKNOWN_TYPE" | "INVALID_NAMESPACE" | "INVALID_ACK_ID" | "INVALID_PAYLOAD" | "RESERVED_EVENT";

export function isKnownType(type: unknown): type is PacketType {
  return typeof type === "number" && Number.isInteger(type) && type >= 0 && type <= 6;
}

/** `/` or `/name`: no comma (it ends the namespace on the wire) and no control characters. */
export function isNamespaceValid(nsp: unknown): nsp is string {
  if (nsp === "/") return true;
  if (typeof nsp !== "string" || nsp.charCodeAt(0) !== 47 /* / */) return false;
  for (let i = 1; i < nsp.length; i++) {
    const code = nsp.charCodeAt(i);
    if (code < 32 || code === 127 || code === 44 /* , */) return false;
  }
  return true;
}

export function isAckIdValid(id: unknown): id is number {
  return typeof id === "number" && Number.isSafeInteger(id) && id >= 0;
}

/** A non-null object that is not an array, a Date, binary data, a Map…: what JSON writes as `{…}`. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.prototype.toString.call(value) === "[object Object]";
}

/**
 * Checks the payload against its type: CONNECT an object or nothing, DISCONNECT nothing,
 * EVENT a non-empty array whose first item, the event name, is a number or a non-reserved
 * string (socket.io-parser 4 accepts numeric names), ACK an array, CONNECT_ERROR an object
 * or a string.
 */
export function payloadProblem(type: PacketType, data: unknown): PacketProblem | undefined {
  if (type === PacketType.EVENT || type === PacketType.BINARY_EVENT) {
    const name: unknown = Array.isArray(data) ? data[0] : undefined;
    if (typeof name === "string") return isReservedEvent(name) ? "RESERVED_EVENT" : undefined;
    return typeof name === "number" ? undefined : "INVALID_PAYLOAD";
  }
  const isValid =
    type === PacketType.CONNECT
      ? data === undefined || isPlainObject(data)
      : type === PacketType.DISCONNECT
        ? data === undefined
        : type === PacketType.CONNECT_ERROR
          ? typeof data === "string" || isPlainObject(data)
          : Array.isArray(data); // ACK and BINARY_ACK
  return isValid ? undefined : "INVALID_PAYLOAD";
}

/** Ack ids belong to EVENT (optional) and ACK (required) packets only. */
export function ackIdProblem(type: PacketType, id: unknown): PacketProblem | undefined {
  const isValid =
    id === undefined
      ? type !== PacketType.ACK && type !== PacketType.BINARY_ACK
      : type !== PacketType.CONNECT && type !== PacketType.DISCONNECT && type !== PacketType.CONNECT_ERROR && isAckIdValid(id);
  return isValid ? undefined : "INVALID_ACK_ID";
}

/**
 * The first rule `packet` breaks, or undefined. The payload is checked before the namespace
 * and the ack id: socket.io-parser accepts what we refuse in those, so a packet it refuses
 * too is refused for its payload first.
 */
export function packetProblem(packet: Packet): PacketProblem | undefined {
  if (typeof packet !== "object" || packet === null || !isKnownType(packet.type)) return "UNKNOWN_TYPE";
  return (
    payloadProblem(packet.type, packet.data) ??
    (isNamespaceValid(packet.nsp) ? ackIdProblem(packet.type, packet.id) : "INVALID_NAMESPACE")
  );
}

/**
 * Whether `packet` is a well-formed Socket.IO packet: a known type, a valid namespace, an
 * ack id where one is allowed (and always on ACK), and a payload of the right shape (an
 * EVENT's name a number or a non-reserved string, as socket.io-parser 4 accepts). Binary
 * values inside the payload are allowed. Adapters use it on packets from other nodes.
 */
export function isPacketValid(packet: Packet): boolean {
  return packetProblem(packet) === undefined;
}
