import { EventEmitter } from "node:events";
import type { Packet } from "@volley/engine-parser";
import { Socket, resolveServerOptions, type ServerOptions, type TransportError } from "../../src";
import { createHeartbeatQueues } from "../../src/internal/heartbeat";
import type { EngineHost } from "../../src/internal/host";
import type { EngineRequest } from "../../src/internal/request";
import { kOpen } from "../../src/internal/symbols";
import { Transport } from "../../src/transport";

/** An in-memory transport: records what the session writes, lets a test inject packets. */
export class FakeTransport extends Transport {
  readonly name: "polling" | "websocket";
  readonly written: Packet[][] = [];
  open = true;
  /** While true, the session may not hand packets over (a WebSocket waiting for `drain`). */
  busy = false;
  /** What the transport reports holding unsent. */
  held = 0;
  closedWith: boolean[] = [];
  aborted = 0;

  constructor(name: "polling" | "websocket" = "websocket", protocol: 3 | 4 = 4) {
    super({ _query: {} } as EngineRequest, protocol, "sid-1");
    this.name = name;
  }

  get writable(): boolean {
    return this.open && this.readyState === "open";
  }

  get canSend(): boolean {
    return this.open && !this.busy && this.readyState !== "closed";
  }

  override get bufferedBytes(): number {
    return this.held;
  }

  override abort(): void {
    this.aborted++;
    super.abort();
  }

  send(packets: Packet[], onWritten?: () => void): void {
    this.written.push(packets);
    onWritten?.();
  }

  /** Packets written so far, flattened, as `type:data`. */
  wire(): string[] {
    return this.written.flat().map((p) => (p.data === undefined ? p.type : `${p.type}:${String(p.data)}`));
  }

  receive(packet: Packet): void {
    this.onPacket(packet);
  }

  ready(): void {
    this.onReady();
  }

  fail(err: TransportError): void {
    this.onError(err);
  }

  protected doClose(immediate: boolean): void {
    this.closedWith.push(immediate);
    this.onClosed();
  }
}

/** A session on a fake transport, outside any HTTP server. */
export function fakeSession(options: ServerOptions = {}, transport = new FakeTransport()): { socket: Socket; transport: FakeTransport; removed: Socket[] } {
  const removed: Socket[] = [];
  const opts = resolveServerOptions(options);
  const host: EngineHost = {
    server: new EventEmitter() as never,
    opts,
    heartbeats: createHeartbeatQueues(opts),
    emitHeaders: () => undefined,
    removeSession: (socket) => removed.push(socket),
  };
  const req = { _query: {}, headers: {}, socket: { remoteAddress: "10.0.0.1" } } as unknown as EngineRequest;
  const socket = new Socket("sid-1", host, transport, req, transport.protocol);
  socket[kOpen]();
  return { socket, transport, removed };
}
