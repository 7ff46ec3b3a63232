// The typed public API covers socket.io 4.8's: every public member of its exported classes
// exists on Volley's, except the ones listed (each left out on purpose, see the README's
// "What of socket.io's typings is left out"). A member socket.io adds later fails here.
import type {
  BroadcastOperator as SioBroadcastOperator,
  Namespace as SioNamespace,
  RemoteSocket as SioRemoteSocket,
  Server as SioServer,
  Socket as SioSocket,
} from "socket.io";
import type { EventEmitter } from "node:events";
import type { BroadcastOperator, Namespace, RemoteSocket, Server, Socket } from "../../src";

/** EventEmitter's optional `captureRejections` hook: Volley's listeners have no such option. */
type CaptureRejection = typeof EventEmitter.captureRejectionSymbol;

/** The members of `Theirs` that `Ours` lacks, less those deliberately left out. */
type Missing<Theirs, Ours, LeftOut extends PropertyKey = never> = Exclude<keyof Theirs, keyof Ours | LeftOut>;

declare function none<T extends never>(): T;

none<Missing<SioServer, Server, "_parser" | "_connectTimeout" | "_checkNamespace" | "attachApp" | CaptureRejection>>();
none<Missing<SioNamespace, Namespace, "_ids" | "_initAdapter" | "_add" | "_remove" | "_onServerSideEmit" | CaptureRejection>>();
none<Missing<SioSocket, Socket, "_onconnect" | "_onpacket" | "_onerror" | "_onclose" | "_cleanup" | "_error" | CaptureRejection>>();
none<Missing<SioBroadcastOperator<{}, unknown>, BroadcastOperator<{}, unknown>>>();
none<Missing<SioRemoteSocket<{}, unknown>, RemoteSocket<{}, unknown>>>();

// options: every key of socket.io's ServerOptions (its engine.io options included)
none<Missing<import("socket.io").ServerOptions, import("../../src").ServerOptions>>();

// exports: every value socket.io's index exports, and every type it exports by name
none<Exclude<keyof typeof import("socket.io"), keyof typeof import("../../src")>>();
export type TypeExports = [
  import("../../src").DisconnectReason,
  import("../../src").ServerOptions,
  import("../../src").BroadcastOperator<{}, unknown>,
  import("../../src").RemoteSocket<{}, unknown>,
  import("../../src").DefaultEventsMap,
  import("../../src").ExtendedError,
  import("../../src").Event,
];
