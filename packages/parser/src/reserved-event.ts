// Whether an event name is reserved by the protocol. The browser build uses
// reserved-event.browser.ts: the Set lookup, which takes less code.
import type { RESERVED_EVENTS } from "./packet";

/**
 * Whether `name` is one of {@link RESERVED_EVENTS}. Compares by length first: a name
 * decoded from the wire is a fresh string whose hash a Set lookup would have to compute,
 * while most names differ from all six in length or in their first characters.
 */
export function isReservedEvent(name: string): boolean {
  switch (name.length) {
    case 7:
      return name === "connect";
    case 10:
      return name === "disconnect";
    case 11:
      return name === "newListener";
    case 13:
      return name === "connect_error" || name === "disconnecting";
    case 14:
      return name === "removeListener";
    default:
      return false;
  }
}
