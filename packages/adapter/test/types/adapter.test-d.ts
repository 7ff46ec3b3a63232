// Type tests, checked by `pnpm typecheck` (tsc includes test/): each @ts-expect-error
// must be an error, or tsc fails.
import { PacketType } from "@volley/parser";
import {
  Adapter,
  ClusterAdapterWithHeartbeat,
  createBroadcastOptions,
  MessageType,
  type AdapterConstructor,
  type AdapterNamespace,
  type BroadcastOptions,
  type ClusterRequest,
  type ClusterResponse,
  type NodeId,
} from "../../src/index";

declare const nsp: AdapterNamespace;
const adapter = new Adapter(nsp);

adapter.on("join-room", (room: string, id: string) => void [room, id]);
adapter.on("create-room", (room: string) => void room);
// @ts-expect-error join-room listeners get (room, id), not a number
adapter.on("join-room", (room: number) => void room);
// @ts-expect-error unknown events are rejected
adapter.emit("no-such-event", 1);

const opts: BroadcastOptions = createBroadcastOptions({ rooms: ["a"] });
// @ts-expect-error broadcast options are read-only
opts.rooms = new Set();
// @ts-expect-error the Set is read-only too
opts.rooms.add("b");

void adapter.broadcast({ type: PacketType.EVENT, nsp: "/", data: ["x"] }, opts);

// A subclass implements the transport only.
class Transport extends ClusterAdapterWithHeartbeat {
  protected doPublish(message: ClusterRequest): void {
    if (message.type === MessageType.BROADCAST) {
      const rooms: string[] = message.data.opts.rooms;
      void rooms;
    }
  }
  protected doPublishResponse(requesterUid: NodeId, response: ClusterResponse): void {
    void [requesterUid, response];
  }
}
const ctor: AdapterConstructor<Adapter> = Transport;
void ctor;

// @ts-expect-error a cluster adapter must implement doPublishResponse
class Incomplete extends ClusterAdapterWithHeartbeat {
  protected doPublish(): void {}
}
void Incomplete;
