// Entry of the `@volley/adapter/conformance` subpath: checks an adapter through real
// servers and clients that the caller starts. Call it from your own test suite.
export { adapterConformanceCases, registerAdapterConformance } from "./conformance/cases";
export type { AdapterConformanceCase, TestFramework } from "./conformance/cases";
export { DEFAULT_ADAPTER_CONFORMANCE_OPTIONS, resolveAdapterConformanceOptions } from "./conformance/options";
export type { AdapterConformanceOptions, ResolvedAdapterConformanceOptions } from "./conformance/options";
export { ConformanceError } from "./conformance/assert";
export type {
  AdapterConformanceHarness,
  ConformanceBroadcaster,
  ConformanceClient,
  ConformanceCluster,
  ConformanceListener,
  ConformanceRemoteSocket,
  ConformanceServer,
  ConformanceServerSocket,
  ConnectOptions,
  CreateClusterOptions,
} from "./conformance/types";
