// One "node" of the cluster: a namespace that fulfils the @volley/adapter contract the
// way the server does (sockets record what they are sent), with a BroadcastChannelAdapter.
import { EventEmitter } from "node:events";
import type { Packet } from "@volley/parser";
import type {
  AckCallback,
  AdapterNamespace,
  AdapterSocket,
  EncodedPacket,
  ServerSideAck,
  SocketWriteOptions,
} from "@volley/adapter";
import { BroadcastChannelAdapter, type BroadcastChannelAdapterOptions } from "../../src/index";

export class RecordingSocket extends EventEmitter<{ packet: [data: unknown]; disconnect: [close: boolean] }>
  implements AdapterSocket {
  readonly received: unknown[] = [];
  readonly acks = new Map<number, AckCallback>();
  readonly handshake = { address: "127.0.0.1" };

  constructor(
    readonly id: string,
    readonly data: unknown,
    private readonly onDisconnect: (id: string) => void,
  ) {
    super();
  }

  writeEncoded(_encoded: EncodedPacket, _options: SocketWriteOptions, packet: Readonly<Packet>): void {
    this.received.push(packet.data);
    this.emit("packet", packet.data);
  }

  registerAck(id: number, ack: AckCallback): void {
    this.acks.set(id, ack);
  }

  unregisterAck(id: number): void {
    this.acks.delete(id);
  }

  disconnect(close: boolean): void {
    this.onDisconnect(this.id);
    this.emit("disconnect", close);
  }
}

export class TestServerNamespace extends EventEmitter<{ serverSideEmit: [packet: unknown[], ack?: ServerSideAck] }>
  implements AdapterNamespace {
  readonly name = "/";
  readonly sockets = new Map<string, RecordingSocket>();
  readonly adapter: CrashableAdapter;
  #ackId = 0;

  constructor(options: BroadcastChannelAdapterOptions) {
    super();
    this.adapter = new CrashableAdapter(this, options);
  }

  encode(packet: Packet): EncodedPacket {
    return [`${packet.type}${packet.id ?? ""}${JSON.stringify(packet.data)}`];
  }

  nextAckId(): number {
    return this.#ackId++;
  }

  receiveServerSideEmit(packet: readonly [string, ...unknown[]], ack?: ServerSideAck): void {
    this.emit("serverSideEmit", [...packet], ack);
  }

  connect(id: string, rooms: string[] = [], data: unknown = {}): RecordingSocket {
    const socket = new RecordingSocket(id, data, (socketId) => {
      this.adapter.delAll(socketId);
      this.sockets.delete(socketId);
    });
    this.sockets.set(id, socket);
    void this.adapter.addAll(id, [id, ...rooms]);
    return socket;
  }
}

/** Can stop like a crashed process: no goodbye, no more heartbeats. */
export class CrashableAdapter extends BroadcastChannelAdapter {
  crash(): void {
    this.closeChannels();
    // Timers stop too, as they would with the process.
    void super.close();
  }
}
