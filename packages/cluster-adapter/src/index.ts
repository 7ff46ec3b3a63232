export { createAdapter, NodeClusterAdapter } from "./node-cluster-adapter";
export { setupPrimary } from "./primary";
export type { ClusterAdapterPrimary } from "./primary";
export {
  DEFAULT_CLUSTER_ADAPTER_OPTIONS,
  DEFAULT_CLUSTER_ADAPTER_PRIMARY_OPTIONS,
  resolveClusterAdapterOptions,
  resolvePrimaryOptions,
} from "./options";
export type {
  ClusterAdapterOptions,
  ClusterAdapterPrimaryOptions,
  ResolvedClusterAdapterOptions,
  ResolvedClusterAdapterPrimaryOptions,
} from "./options";
export { MESSAGE_SOURCE } from "./wire";
export {
  CLUSTER_ADAPTER_ERROR_CODES,
  ClusterAdapterError,
  InvalidOptionError,
  NotAWorkerError,
  NotPrimaryError,
  WorkersTimeoutError,
} from "./errors";
export type { ClusterAdapterErrorCode, MissingWorker } from "./errors";
