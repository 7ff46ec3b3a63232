export { Adapter } from "./in-memory-adapter";
export type { ServerSideEmitCallback } from "./in-memory-adapter";
export { SessionAwareAdapter } from "./session-aware-adapter";
export { ClusterAdapter } from "./cluster-adapter";
export { ClusterAdapterWithHeartbeat } from "./cluster-adapter-with-heartbeat";
export { createBroadcastOptions } from "./broadcast-options";
export type {
  BroadcastOptionsInit,
  SerializedBroadcastFlags,
  SerializedBroadcastOptions,
} from "./broadcast-options";
export { createEmitterUid, EMITTER_UID, isEmitterUid, MessageType, parseClusterMessage } from "./cluster-message";
export { createOffsetGenerator } from "./offset";
export { isRecoverable } from "./session-store";
export type {
  AdapterCloseMessage,
  AnyClusterMessage,
  BroadcastAckMessage,
  BroadcastClientCountMessage,
  BroadcastMessage,
  ClusterMessage,
  ClusterRequest,
  ClusterResponse,
  DisconnectSocketsMessage,
  DistributiveOmit,
  FetchSocketsMessage,
  FetchSocketsResponseMessage,
  HeartbeatMessage,
  InitialHeartbeatMessage,
  RestoreSessionMessage,
  RestoreSessionResponseMessage,
  SerializedPacket,
  SerializedSocketDetails,
  ServerSideEmitMessage,
  ServerSideEmitResponseMessage,
  SocketsJoinLeaveMessage,
  UnstampedMessage,
} from "./cluster-message";
export type {
  AckCallback,
  AdapterConstructor,
  AdapterNamespace,
  AdapterSocket,
  ConnectionStateRecoverySettings,
  EncodedPacket,
  ServerSideAck,
  SocketWriteOptions,
} from "./contract";
export {
  ADAPTER_ERROR_CODES,
  AdapterClosedError,
  AdapterError,
  InvalidArgumentError,
  InvalidClusterMessageError,
  InvalidOptionError,
  PublishError,
  RequestTimeoutError,
} from "./errors";
export type { AdapterErrorCode } from "./errors";
export {
  DEFAULT_CLUSTER_ADAPTER_OPTIONS,
  DEFAULT_CLUSTER_ADAPTER_WITH_HEARTBEAT_OPTIONS,
  DEFAULT_SESSION_AWARE_ADAPTER_OPTIONS,
  resolveClusterAdapterOptions,
  resolveClusterAdapterWithHeartbeatOptions,
  resolveSessionAwareAdapterOptions,
} from "./options";
export type {
  ClusterAdapterOptions,
  ClusterAdapterWithHeartbeatOptions,
  ResolvedClusterAdapterOptions,
  ResolvedClusterAdapterWithHeartbeatOptions,
  ResolvedSessionAwareAdapterOptions,
  SessionAwareAdapterOptions,
} from "./options";
export type { Responders } from "./pending-requests";
export type {
  AdapterEvents,
  BroadcastFlags,
  BroadcastOptions,
  NodeId,
  Offset,
  PrivateSessionId,
  Room,
  ServerId,
  Session,
  SessionToPersist,
  SocketDetails,
  SocketId,
} from "./types";
