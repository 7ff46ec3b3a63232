export { Emitter, RESERVED_SERVER_SIDE_EVENTS } from "./emitter";
export { BroadcastOperator } from "./broadcast-operator";
export type { EmitterBroadcastFlags, RoomArgument } from "./broadcast-operator";
export { resolveEmitterOptions } from "./options";
export type { ClassicEmitterOptions, EmitterOptions, ResolvedEmitterOptions, ShardedEmitterOptions } from "./options";
export type { DefaultEventsMap, EventNames, EventParams, EventsMap } from "./typed-events";
export {
  AckNotSupportedError,
  EncodeError,
  InvalidArgumentError,
  InvalidClientError,
  InvalidOptionError,
  PublishError,
  REDIS_EMITTER_ERROR_CODES,
  RedisEmitterError,
  ReservedEventError,
} from "./errors";
export type { RedisEmitterErrorCode } from "./errors";
