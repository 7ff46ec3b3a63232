// Type-level checks, run by `pnpm typecheck` (tsc): the typed public API covers engine.io 6's
// `.d.ts` (every export, public class member and option), less what is listed as left out
// here and in the README ("What of engine.io's typings is left out"). A member engine.io
// adds or this package drops makes tsc fail. The runtime part only keeps jest happy.
import { describe, expect, it } from "@jest/globals";
import type * as Eio from "engine.io";
import type * as Volley from "../../src";

/** The keys of `Theirs` that `Ours` lacks, less the ones deliberately left out. */
type Missing<Theirs, Ours, LeftOut extends PropertyKey = never> = Exclude<keyof Theirs, keyof Ours | LeftOut>;
/** Compiles only when `T` is `never`. */
type Empty<T extends never> = T;
/** The options whose engine.io type is not accepted here. */
type NotAccepted<Theirs, Ours> = {
  [K in keyof Theirs & keyof Ours]-?: Exclude<Theirs[K], undefined> extends Ours[K] ? never : K;
}[keyof Theirs & keyof Ours];

// Exports of the index: values, then types. Left out: uServer (uWebSockets.js), and the
// `default` that esModuleInterop makes of a CommonJS module (this package has named exports).
export type ValueExports = Empty<Missing<typeof Eio, typeof Volley, "uServer" | "default">>;
export type TypeExports = [Volley.AttachOptions, Volley.ServerOptions, Volley.BaseServer, Volley.ErrorCallback];

// Options: every name, and engine.io's types accepted. Left out of the types: "webtransport"
// in `transports`; `wsEngine` is `any` there (a ws-compatible class here, ws's included).
export type ServerOptionNames = Empty<Missing<Eio.ServerOptions, Volley.ServerOptions>>;
export type AttachOptionNames = Empty<Missing<Eio.AttachOptions, Volley.AttachOptions>>;
export type ServerOptionTypes = Empty<Exclude<NotAccepted<Eio.ServerOptions, Volley.ServerOptions>, "transports" | "wsEngine">>;
export type AttachOptionTypes = Empty<NotAccepted<Eio.AttachOptions, Volley.AttachOptions>>;

// Server: instance and static members. Left out: onWebTransportSession (WebTransport).
export type ServerMembers = Empty<Missing<Eio.Server, Volley.Server, "onWebTransportSession">>;
export type ServerStatics = Empty<Missing<typeof Eio.Server, typeof Volley.Server>>;
export type BaseServerMembers = Empty<Missing<Eio.BaseServer, Volley.BaseServer, "onWebTransportSession">>;

// Socket. Left out: `_readyState` (internal state; read `readyState`), `_maybeUpgrade`
// (marked private).
export type SocketMembers = Empty<Missing<Eio.Socket, Volley.Socket, "_readyState" | "_maybeUpgrade">>;

// Transport. Left out: `onRequest` (marked @package), `doClose` (the abstract hook of
// engine.io's transport implementations; protected here).
type TransportLeftOut = "onRequest" | "doClose";
export type TransportMembers = Empty<Missing<Eio.Transport, Volley.Transport, TransportLeftOut>>;
export type TransportStatics = Empty<Missing<typeof Eio.Transport, typeof Volley.Transport>>;
// The transport classes `transports` holds. Left out, besides the above: polling's `onData`
// (marked @protected) and `onClose` (marked @private).
type EioPolling = ReturnType<typeof Eio.transports.polling>;
type EioWebSocket = InstanceType<typeof Eio.transports.websocket>;
export type PollingMembers = Empty<Missing<EioPolling, Volley.PollingTransport, TransportLeftOut | "onData" | "onClose">>;
export type WebSocketMembers = Empty<Missing<EioWebSocket, Volley.WebSocketTransport, TransportLeftOut>>;
export type TransportNames = Empty<Missing<typeof Eio.transports, typeof Volley.transports, "webtransport">>;

describe("engine.io 6's typed API", () => {
  it("is covered (see pnpm typecheck)", () => {
    const checked: ValueExports[] = [];
    expect(checked).toEqual([]);
  });
});
