// Both client libraries against a real 3-worker cluster behind @volley/sticky, over polling
// only, WebSocket only and the upgrade: broadcasts (to all, to a room, binary) from any
// worker reach the clients of every worker, and broadcasts with acks collect every answer.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { TestCluster, within } from "../helpers/cluster";
import {
  CLIENT_LIBRARIES,
  Clients,
  nextEvent,
  Recorder,
  TRANSPORT_MODES,
  type ClientLibrary,
  type ClientSocket,
  type TransportMode,
} from "../helpers/clients";

interface Peer {
  socket: ClientSocket;
  workerId: number;
}

/** What the fixture's binaryPayload() holds, as a client receives it (Buffers in Node.js). */
function checkBinaryPayload(value: unknown): void {
  const payload = value as {
    buffer: Uint8Array;
    nested: { typed: Uint8Array; list: Uint8Array[] };
    big: Uint8Array;
    text: string;
  };
  expect([...new Uint8Array(payload.buffer)]).toEqual([0, 1, 2, 253, 254, 255]);
  // a Uint16Array travels as its bytes (little-endian), as any binary attachment
  expect([...new Uint16Array(new Uint8Array(payload.nested.typed).buffer)]).toEqual([1, 65535]);
  expect(Buffer.from(payload.nested.list[0] as Uint8Array).toString()).toBe("héllo");
  expect([...new Uint8Array(payload.nested.list[1] as Uint8Array)]).toEqual([7]);
  expect(payload.big.byteLength).toBe(3 * 1024 * 1024);
  expect(Buffer.from(payload.big).every((byte) => byte === 0xab)).toBe(true);
  expect(payload.text).toBe("not binary");
}

/**
 * `retry`: the client reconnects by itself. Behind the published @socket.io/sticky, which
 * hands a connection to a worker with the first TCP chunk it read, a handshake now and then
 * fails and is retried (as that package's own users' clients do).
 */
async function connectOnePerWorker(clients: Clients, cluster: TestCluster, library: ClientLibrary, mode: TransportMode, retry: boolean): Promise<Peer[]> {
  const peers: Peer[] = [];
  for (let i = 0; i < cluster.ids.length; i++) {
    const { socket, hello } = await clients.connect(library, cluster.url, mode, retry);
    peers.push({ socket, workerId: hello.workerId });
  }
  if (mode === "upgrade") {
    // the upgrade really happens: every client ends on WebSocket
    await Promise.all(
      peers.map((peer) =>
        peer.socket.io.engine.transport.name === "websocket"
          ? undefined
          : within(5000, "upgrade", new Promise<void>((resolve) => peer.socket.io.engine.once("upgrade", resolve))),
      ),
    );
  }
  // least-connection gives each new session to a worker with none yet
  expect(new Set(peers.map((peer) => peer.workerId))).toEqual(new Set(cluster.ids));
  return peers;
}

// The default channel behind @volley/sticky runs every combination; the 'advanced' channel
// each library once, upgraded. The published @socket.io/sticky runs socket.io-client over
// polling, where sticky routing matters: it routes a whole TCP connection by its first
// request, and @volley/client's Node.js polling reuses keep-alive connections, so its new
// sessions all reach one worker there; and it hands a connection over with the first TCP
// chunk it read, so that on a busy machine a WebSocket handshake or upgrade now and then
// hangs (routing matters of that package, which @volley/sticky does not share).
const SETUPS = [
  { serialization: "json", sticky: "volley", libraries: CLIENT_LIBRARIES, modes: TRANSPORT_MODES },
  { serialization: "advanced", sticky: "volley", libraries: CLIENT_LIBRARIES, modes: ["upgrade"] },
  { serialization: "json", sticky: "socket.io", libraries: ["socket.io-client"], modes: ["polling"] },
] as const;

for (const { serialization, sticky, libraries, modes } of SETUPS) {
  const stickyName = sticky === "volley" ? "@volley/sticky" : "@socket.io/sticky";
  describe(`a 3-worker cluster behind ${stickyName} (${serialization} IPC serialization)`, () => {
    let cluster: TestCluster;
    const clients = new Clients();

    beforeAll(async () => {
      cluster = await TestCluster.start({ serialization, sticky });
    });
    afterEach(() => clients.closeAll());
    afterAll(() => cluster.stop());

    const combinations = (libraries as readonly ClientLibrary[]).flatMap((library) =>
      (modes as readonly TransportMode[]).map((mode) => [library, mode] as const),
    );

    describe.each(combinations)("%s over %s", (library, mode) => {
      it("delivers a broadcast from each worker to the clients of every worker", async () => {
        const peers = await connectOnePerWorker(clients, cluster, library, mode, sticky === "socket.io");
        const recorders = peers.map((peer) => new Recorder<string>(peer.socket, "news"));
        for (const workerId of cluster.ids) {
          await cluster.op(workerId, "broadcast", { event: "news", args: [`from ${workerId}`] });
        }
        for (const recorder of recorders) {
          expect(await recorder.until(3)).toEqual(cluster.ids.map((id) => `from ${id}`));
        }
      });

      it("carries Buffers and typed arrays, nested and of several MB, across workers intact", async () => {
        const peers = await connectOnePerWorker(clients, cluster, library, mode, sticky === "socket.io");
        const sender = cluster.ids[0] as number;
        const received = peers.map((peer) => nextEvent<unknown>(peer.socket, "binary", 15_000));
        await cluster.op(sender, "broadcast", { event: "binary", binary: true });
        for (const value of await Promise.all(received)) checkBinaryPayload(value);
      });

      it("delivers a room broadcast from another worker to the room's members only", async () => {
        const peers = await connectOnePerWorker(clients, cluster, library, mode, sticky === "socket.io");
        const [member, ...others] = peers as [Peer, ...Peer[]];
        expect(await member.socket.timeout(5000).emitWithAck("join", "lobby")).toBe(member.workerId);
        const sender = cluster.ids.find((id) => id !== member.workerId) as number;
        const recorders = peers.map((peer) => new Recorder<string>(peer.socket, "news"));
        await cluster.op(sender, "broadcast", { event: "news", args: ["lobby only"], room: "lobby" });
        await cluster.op(sender, "broadcast", { event: "news", args: ["everyone"] });
        // a worker's packets reach a client in order: "everyone" comes after what came before
        for (const [i, recorder] of recorders.entries()) {
          const expected = i === 0 ? ["lobby only", "everyone"] : ["everyone"];
          await recorder.until(expected.length);
          expect(recorder.items).toEqual(expected);
        }
        expect(others).toHaveLength(2);
      });

      it("collects the acks of the clients of every worker for a broadcast with acks", async () => {
        const peers = await connectOnePerWorker(clients, cluster, library, mode, sticky === "socket.io");
        for (const peer of peers) {
          peer.socket.on("question", ((from: number, ack: (answer: unknown) => void) => ack({ from, answeredBy: peer.workerId })) as never);
        }
        for (const asker of cluster.ids) {
          const reply = await cluster.op<{ error: unknown; responses: Array<{ from: number; answeredBy: number }> }>(asker, "ask", { timeoutMs: 5000 });
          expect(reply.error).toBeNull();
          expect(reply.responses.map((r) => r.answeredBy).sort()).toEqual(cluster.ids);
          expect(reply.responses.every((r) => r.from === asker)).toBe(true);
        }
      });
    });
  });
}
