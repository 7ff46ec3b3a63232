// An adapter written against socket.io-adapter's published API (ClusterAdapterWithHeartbeat
// and friends), the way the Redis-streams or Postgres adapters are. It exists twice, as
// the same text: upstream-subclass.published.test-d.ts imports the published package (so
// the code is valid for it) and upstream-subclass.volley.test-d.ts imports @volley/adapter
// (so it compiles against ours). test/unit/upstream-subclass-source.test.ts checks that
// the twins differ only in that module specifier.
import {
  Adapter,
  ClusterAdapterWithHeartbeat,
  MessageType,
  SessionAwareAdapter,
  type BroadcastFlags,
  type BroadcastOptions,
  type ClusterAdapterOptions,
  type ClusterMessage,
  type ClusterResponse,
  type Offset,
  type PrivateSessionId,
  type Room,
  type ServerId,
  type Session,
  type SocketId,
} from "../../src/index";

/** A pub/sub bus that numbers what it carries (a stream id), as Redis streams do. */
interface Bus {
  publish(channel: string, payload: unknown): Promise<string>;
  subscribe(channel: string, listener: (payload: unknown, offset: string) => void): void;
  unsubscribe(channel: string): void;
}

export interface BusAdapterOptions extends ClusterAdapterOptions {
  channelPrefix?: string;
}

type PublishedMessage = Parameters<ClusterAdapterWithHeartbeat["publish"]>[0];

export class BusAdapter extends ClusterAdapterWithHeartbeat {
  readonly #bus: Bus;
  readonly #channel: string;
  readonly publishedTypes: MessageType[] = [];
  readonly responseTypes: MessageType[] = [];

  constructor(nsp: any, bus: Bus, opts: BusAdapterOptions = {}) {
    super(nsp, { heartbeatInterval: opts.heartbeatInterval ?? 5_000, heartbeatTimeout: opts.heartbeatTimeout ?? 10_000 });
    this.#bus = bus;
    this.#channel = `${opts.channelPrefix ?? "socket.io"}#${this.nsp.name}#`;
    bus.subscribe(this.#channel, (payload, offset) => this.onMessage(payload as ClusterMessage, offset));
    bus.subscribe(`${this.#channel}${this.uid}#`, (payload) => this.onResponse(payload as ClusterResponse));
  }

  protected doPublish(message: ClusterMessage): Promise<Offset> {
    return this.#bus.publish(this.#channel, message);
  }

  protected doPublishResponse(requesterUid: ServerId, response: ClusterResponse): Promise<void> {
    return this.#bus.publish(`${this.#channel}${requesterUid}#`, response).then(() => undefined);
  }

  override publish(message: PublishedMessage): void {
    this.publishedTypes.push(message.type);
    if (message.type === MessageType.BROADCAST) {
      const rooms: string[] = message.data.opts.rooms;
      const requestId: string | undefined = message.data.requestId;
      void [rooms, requestId];
    }
    super.publish(message);
  }

  override onResponse(response: ClusterResponse): void {
    this.responseTypes.push(response.type);
    if (response.type === MessageType.FETCH_SOCKETS_RESPONSE) {
      const requestId: string = response.data.requestId;
      void requestId;
    }
    super.onResponse(response);
  }

  override onMessage(message: ClusterMessage, offset?: string) {
    return super.onMessage(message, offset);
  }

  override init() {
    super.init();
  }

  override close() {
    super.close();
    this.#bus.unsubscribe(this.#channel);
    this.#bus.unsubscribe(`${this.#channel}${this.uid}#`);
  }

  async roomSizes(rooms: Room[]): Promise<number[]> {
    const sizes: number[] = [];
    for (const room of rooms) {
      const sockets = await this.fetchSockets({ rooms: new Set([room]), except: new Set<SocketId>(), flags: { local: false } });
      sizes.push(sockets.length);
    }
    return sizes;
  }

  askOthers(event: string): Promise<unknown> {
    return this.serverSideEmit([event, (err: Error | null, responses: unknown[]) => void [err, responses]]);
  }
}

/** MessageType is an enum: a value, a type, and a reverse mapping. */
const broadcastType: MessageType.BROADCAST = MessageType.BROADCAST;
const broadcastName: string = MessageType[MessageType.BROADCAST];
const everyType: MessageType[] = [
  MessageType.INITIAL_HEARTBEAT,
  MessageType.HEARTBEAT,
  MessageType.BROADCAST,
  MessageType.SOCKETS_JOIN,
  MessageType.SOCKETS_LEAVE,
  MessageType.DISCONNECT_SOCKETS,
  MessageType.FETCH_SOCKETS,
  MessageType.FETCH_SOCKETS_RESPONSE,
  MessageType.SERVER_SIDE_EMIT,
  MessageType.SERVER_SIDE_EMIT_RESPONSE,
  MessageType.BROADCAST_CLIENT_COUNT,
  MessageType.BROADCAST_ACK,
  MessageType.ADAPTER_CLOSE,
];
void [broadcastType, broadcastName, everyType];

/** Every published flag. */
const flags: BroadcastFlags = {
  volatile: false,
  compress: true,
  local: false,
  broadcast: true,
  binary: false,
  timeout: 1_000,
};
const options: BroadcastOptions = { rooms: new Set<Room>(["a"]), except: new Set<Room>(["b"]), flags };

/** The in-memory classes, extended the published way. */
export class CountingAdapter extends Adapter {
  broadcasts = 0;

  override broadcast(packet: any, opts: BroadcastOptions): void {
    this.broadcasts++;
    super.broadcast(packet, opts);
  }

  override addAll(id: SocketId, rooms: Set<Room>): void {
    super.addAll(id, rooms);
  }
}

export class LoggingSessionAdapter extends SessionAwareAdapter {
  persisted: PrivateSessionId[] = [];

  override persistSession(session: { sid: SocketId; pid: PrivateSessionId; rooms: Room[]; data: unknown }): void {
    this.persisted.push(session.pid);
    super.persistSession(session);
  }
}

export function readSession(session: Session): [SocketId, PrivateSessionId, Room[], unknown[][]] {
  return [session.sid, session.pid, session.rooms, session.missedPackets];
}

export function roomsOf(adapter: Adapter): Array<[Room, number]> {
  return [...adapter.rooms].map(([room, ids]) => [room, ids.size]);
}

void options;
