import { EventEmitter } from "node:events";

/**
 * A base class for the emitters made per session that are seldom listened to (transports):
 * an `EventEmitter` (its methods, statics and `instanceof`) whose constructor does not run.
 * EventEmitter's constructor gives each instance its listener map and four more fields up
 * front, about 110 bytes; its methods create them on first use when they are missing (Node
 * keeps that working for emitters made with `util.inherits`, which may skip the
 * constructor). So an instance costs nothing until someone listens to it.
 */
function LazyEventEmitterBase(): void {}
LazyEventEmitterBase.prototype = EventEmitter.prototype;
Object.setPrototypeOf(LazyEventEmitterBase, EventEmitter);

export const LazyEventEmitter = LazyEventEmitterBase as unknown as typeof EventEmitter;
