export { setupMaster, setupPrimary } from "./primary";
export type { StickyPrimary } from "./primary";
export { setupWorker } from "./worker";
export type { StickyEngine, StickyEngineSocket, StickyServer, StickyWorker } from "./worker";
export {
  DEFAULT_PRIMARY_OPTIONS,
  DEFAULT_WORKER_OPTIONS,
  LOAD_BALANCING_METHODS,
  resolvePrimaryOptions,
  resolveWorkerOptions,
} from "./options";
export type {
  LoadBalancingMethod,
  PrimaryOptions,
  ResolvedPrimaryOptions,
  ResolvedWorkerOptions,
  WorkerOptions,
} from "./options";
export {
  InvalidArgumentError,
  InvalidOptionError,
  STICKY_ERROR_CODES,
  StickyError,
  WrongProcessError,
} from "./errors";
export type { StickyErrorCode } from "./errors";
export type {
  ConnectionMessage,
  PrimaryToWorkerMessage,
  ProbeMessage,
  ReadyMessage,
  ReturnMessage,
  SessionCloseMessage,
  SessionOpenMessage,
  StickyMessage,
  WorkerToPrimaryMessage,
} from "./messages";
