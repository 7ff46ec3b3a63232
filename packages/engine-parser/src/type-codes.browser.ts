// What "./type-codes" resolves to in the browser build: the same answers from one table (a
// client reads and writes few packets; the switches of type-codes.ts are for servers).
import { InvalidPacketTypeError } from "./errors";
import type { PacketType, WirePacketType } from "./packet";

// in the order of their digits, "0" to "6"
const TYPES: readonly WirePacketType[] = ["open", "close", "ping", "pong", "message", "upgrade", "noop"];

/** The type digit of a packet that travels; a TypeError for anything else (`error`). */
export function typeDigit(type: PacketType): string {
  const digit = TYPES.indexOf(type as WirePacketType);
  if (digit < 0) throw new InvalidPacketTypeError(type);
  return String(digit);
}

/** The packet type written as the character with this code (`"4"` is 52), or undefined. */
export function packetTypeOfCode(code: number): WirePacketType | undefined {
  return TYPES[code - 48];
}
