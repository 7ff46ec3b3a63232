// The small interfaces by which Client, Namespace and Socket know each other, so that the
// connection-level code does not depend on the user's event-map generics.
import type { Socket as EngineSocket } from "@volley/engine-server";
import type { EncodedPacket } from "@volley/adapter";
import type { Packet, ParserEncoder } from "@volley/parser";
import type { DecoderPool } from "./decoder-pool";
import type { EngineListeners } from "./engine-listeners";
import type { DisconnectReason } from "../events";
import type {
  kCloseConnection,
  kConnect,
  kOnClose,
  kOnError,
  kOnPacket,
  kResolveNamespace,
  kSocketConnected,
  kSocketRemoved,
  kWriteChunks,
} from "./symbols";

/** How to write one packet to a connection. */
export interface WriteFlags {
  readonly volatile: boolean;
  readonly compress: boolean;
}

/** What a namespace socket needs of the connection (the Client) it lives on. */
export interface Connection {
  /** The Engine.IO session. */
  readonly conn: EngineSocket;
  /** Whether the Engine.IO session is still open. */
  isOpen(): boolean;
  /** Writes encoded chunks, one Engine.IO message each. Never throws. */
  [kWriteChunks](chunks: EncodedPacket, flags: WriteFlags): void;
  /** A socket finished connecting to its namespace: route its packets to it. */
  [kSocketConnected](socket: ConnectionSocket): void;
  /** A socket left its namespace. */
  [kSocketRemoved](socket: ConnectionSocket): void;
  /** Closes the Engine.IO session after disconnecting every socket ("server namespace disconnect"). */
  [kCloseConnection](): void;
}

/** What the connection needs of a namespace socket. */
export interface ConnectionSocket {
  readonly id: string;
  /** The name of the socket's namespace. */
  readonly namespaceName: string;
  [kOnPacket](packet: Packet): void;
  [kOnClose](reason: DisconnectReason, description?: unknown): void;
  /** The connection could not decode what the client sent (before it closes). */
  [kOnError](error: unknown): void;
}

/** What the connection needs of a namespace. */
export interface ConnectableNamespace {
  readonly name: string;
  /**
   * Starts the connection of `connection` to this namespace (middlewares, recovery);
   * `settled()` runs once the attempt is over: the socket connected, was refused, or the
   * connection closed meanwhile.
   */
  [kConnect](connection: Connection, auth: unknown, settled: () => void): void;
}

/** What the connection needs of the server. */
export interface ConnectionHost {
  readonly encoder: ParserEncoder;
  /** Lends decoders to the connections (shared while they are idle). */
  readonly decoders: DecoderPool;
  /** Routes the events of the Engine.IO sockets to their connection. */
  readonly engineListeners: EngineListeners;
  /** Milliseconds a connection may take to connect to a namespace. */
  readonly connectTimeoutMs: number;
  /** Most namespaces a connection may be in (or connecting to) at once. */
  readonly maxNamespacesPerConnection: number;
  /** The namespace `name` (static, or created by a matching parent), if any. */
  [kResolveNamespace](name: string, auth: unknown): Promise<ConnectableNamespace | undefined>;
}
