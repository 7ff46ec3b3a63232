// What "./reserved-event" resolves to in the browser build: the same answer from the Set
// itself (a client checks few names; the comparison by length is for servers).
import { RESERVED_EVENTS } from "./packet";

/** Whether `name` is one of {@link RESERVED_EVENTS}. */
export function isReservedEvent(name: string): boolean {
  return RESERVED_EVENTS.has(name);
}
