// A small in-test implementation of the namespace/socket contract: what the server will
// fulfil. Sockets record every write, acks and disconnections instead of touching a
// transport, so tests can assert exactly what the adapter handed down.
import { EventEmitter } from "node:events";
import type { Packet } from "@volley/parser";
import type {
  AckCallback,
  Adapter,
  AdapterNamespace,
  AdapterSocket,
  ConnectionStateRecoverySettings,
  EncodedPacket,
  ServerSideAck,
  SocketWriteOptions,
} from "../../src/index";

export interface RecordedWrite {
  encoded: EncodedPacket;
  options: SocketWriteOptions;
  packet: Readonly<Packet>;
}

interface TestSocketEvents {
  write: [write: RecordedWrite];
  disconnect: [close: boolean];
  "unregister-ack": [id: number];
}

export class TestSocket extends EventEmitter<TestSocketEvents> implements AdapterSocket {
  readonly writes: RecordedWrite[] = [];
  readonly acks = new Map<number, AckCallback>();
  disconnectedWith: boolean | undefined;

  constructor(
    readonly id: string,
    private readonly namespace: TestNamespace,
    public data: unknown = {},
    readonly handshake: unknown = { address: "127.0.0.1", query: {}, headers: {} },
  ) {
    super();
  }

  writeEncoded(encoded: EncodedPacket, options: SocketWriteOptions, packet: Readonly<Packet>): void {
    const write = { encoded, options, packet };
    this.writes.push(write);
    this.emit("write", write);
  }

  registerAck(id: number, ack: AckCallback): void {
    this.acks.set(id, ack);
  }

  unregisterAck(id: number): void {
    this.acks.delete(id);
    this.emit("unregister-ack", id);
  }

  disconnect(close: boolean): void {
    this.disconnectedWith = close;
    this.namespace.remove(this.id);
    this.emit("disconnect", close);
  }

  /** The `data` of every packet written, in order. */
  received(): unknown[] {
    return this.writes.map((write) => write.packet.data);
  }

  /** Plays the client's ACK of packet `id`. */
  answer(id: number, ...args: unknown[]): void {
    const ack = this.acks.get(id);
    this.acks.delete(id);
    ack?.(...args);
  }
}

/** A server-side event delivered by the adapter. */
export interface ReceivedServerSideEvent {
  packet: readonly [string, ...unknown[]];
  ack: ServerSideAck | undefined;
}

export class TestNamespace implements AdapterNamespace {
  readonly sockets = new Map<string, TestSocket>();
  readonly serverSideEvents: ReceivedServerSideEvent[] = [];
  /** What a listener does with a server-side event (default: answer with the node name when asked). */
  onServerSideEmit: ((event: ReceivedServerSideEvent) => void) | undefined;
  encodeCalls = 0;
  adapter: Adapter | undefined;
  #ackId = 0;

  constructor(
    readonly name = "/",
    readonly connectionStateRecovery?: ConnectionStateRecoverySettings,
    /** The server's parser Encoder; without one, a text-only stand-in. */
    private readonly encoder?: { encode(packet: Packet): EncodedPacket },
  ) {}

  encode(packet: Packet): EncodedPacket {
    this.encodeCalls++;
    if (this.encoder !== undefined) return this.encoder.encode(packet);
    // The text form of the protocol is enough here: binary goes through the real Encoder.
    const nsp = packet.nsp === "/" ? "" : `${packet.nsp},`;
    return [`${packet.type}${nsp}${packet.id ?? ""}${packet.data === undefined ? "" : JSON.stringify(packet.data)}`];
  }

  nextAckId(): number {
    return this.#ackId++;
  }

  receiveServerSideEmit(packet: readonly [string, ...unknown[]], ack?: ServerSideAck): void {
    const event = { packet, ack };
    this.serverSideEvents.push(event);
    this.onServerSideEmit?.(event);
  }

  /** Connects a socket as the server does: it joins its own room, then `rooms`. */
  connect(id: string, rooms: string[] = [], data: unknown = {}): TestSocket {
    const socket = new TestSocket(id, this, data);
    this.sockets.set(id, socket);
    void this.requireAdapter().addAll(id, [id, ...rooms]);
    return socket;
  }

  remove(id: string): void {
    this.requireAdapter().delAll(id);
    this.sockets.delete(id);
  }

  requireAdapter(): Adapter {
    if (this.adapter === undefined) throw new Error("attach an adapter first");
    return this.adapter;
  }
}

/** A namespace with its adapter, the way the server builds them. */
export function createNamespace<A extends Adapter>(
  build: (nsp: TestNamespace) => A,
  name = "/",
  recovery?: ConnectionStateRecoverySettings,
): { nsp: TestNamespace; adapter: A } {
  const nsp = new TestNamespace(name, recovery);
  const adapter = build(nsp);
  nsp.adapter = adapter;
  return { nsp, adapter };
}
