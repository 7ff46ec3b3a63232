// The packet types and their digits on the wire, both ways. In the browser build (the
// "browser" export condition) ./type-codes resolves to type-codes.browser.ts: the same
// answers from one table, smaller; the switches here are for the server's hot paths.
import { InvalidPacketTypeError } from "./errors";
import type { PacketType, WirePacketType } from "./packet";

/**
 * The type digit of a packet that travels; a TypeError for anything else (`error`). A
 * switch on interned strings stays fast when many types go through one call site, where a
 * keyed object lookup turns megamorphic.
 */
export function typeDigit(type: PacketType): string {
  switch (type) {
    case "message":
      return "4";
    case "ping":
      return "2";
    case "pong":
      return "3";
    case "noop":
      return "6";
    case "open":
      return "0";
    case "close":
      return "1";
    case "upgrade":
      return "5";
    default:
      throw new InvalidPacketTypeError(type);
  }
}

/**
 * The packet type written as the character with this code (`"4"` is 52, a message), or
 * undefined. Also reads v3 type bytes: pass the byte plus 48. A switch on the code beats a
 * table lookup on the decode hot path (and a frozen table by a quarter).
 */
export function packetTypeOfCode(code: number): WirePacketType | undefined {
  switch (code) {
    case 52:
      return "message";
    case 50:
      return "ping";
    case 51:
      return "pong";
    case 48:
      return "open";
    case 49:
      return "close";
    case 53:
      return "upgrade";
    case 54:
      return "noop";
    default:
      return undefined;
  }
}
