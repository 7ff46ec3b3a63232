import type { EventEmitter } from "node:events";

/**
 * EventEmitter starts with `_events = { __proto__: null }`, which V8 makes a dictionary
 * (about 160 bytes, even empty). A prototype-less object made from an empty literal is just
 * as inert for EventEmitter (it only reads, writes and deletes own keys) and stays in fast
 * mode, with hidden classes shared by every emitter that gets the same listeners. Used for
 * the session, which its owner (Socket.IO) always listens to.
 */
export function useFastListenerMap(emitter: EventEmitter): void {
  (emitter as unknown as { _events: object })._events = Object.setPrototypeOf({}, null) as object;
}
