// Operations on the sockets of every node: fetchSockets, socketsJoin/socketsLeave,
// disconnectSockets, and a remote socket returned by fetchSockets.
import { check, checkEqual, checkSameItems, fail } from "./assert";
import { idsOf, type CaseDefinition } from "./case-definition";
import { peersInRooms } from "./broadcast-cases";
import type { ConformanceRemoteSocket } from "./types";
import { nextEvent, within } from "./wait";

function byId(sockets: readonly ConformanceRemoteSocket[], id: string, what: string): ConformanceRemoteSocket {
  return sockets.find((socket) => socket.id === id) ?? fail(`${what}: socket ${id} missing`);
}

export const socketCases: CaseDefinition[] = [
  {
    name: "fetchSockets() from any node returns every socket of every node with its id, rooms and data",
    minNodes: 1,
    needsRecovery: false,
    async run(scope) {
      const peers = await scope.connectEverywhere(2);
      for (const [i, peer] of peers.entries()) {
        peer.socket.data = { node: peer.node, index: i, tags: ["a", "b"] };
        await peer.socket.join(`node-${peer.node}`);
      }
      for (const node of scope.liveNodes()) {
        const what = `fetchSockets() on node ${node}`;
        const sockets = await within(scope.server(node).fetchSockets(), scope.options.timeoutMs, what);
        checkSameItems(sockets.map((socket) => socket.id), idsOf(peers), `${what}: ids`);
        for (const [i, peer] of peers.entries()) {
          const remote = byId(sockets, peer.socket.id, what);
          checkEqual(remote.rooms, new Set([peer.socket.id, `node-${peer.node}`]), `${what}: rooms of socket ${i}`);
          checkEqual(remote.data, { node: peer.node, index: i, tags: ["a", "b"] }, `${what}: data of socket ${i}`);
        }
      }
    },
  },
  {
    name: "to(room).fetchSockets() and except(room).fetchSockets() return the matching sockets of every node",
    minNodes: 1,
    needsRecovery: false,
    async run(scope) {
      const inRoom = await peersInRooms(scope, ["room"]);
      const outside = await peersInRooms(scope, []);
      const node = scope.nodes - 1;
      const timeoutMs = scope.options.timeoutMs;
      const members = await within(scope.server(node).to("room").fetchSockets(), timeoutMs, "to(room).fetchSockets()");
      checkSameItems(members.map((s) => s.id), idsOf(inRoom), "to(room).fetchSockets() ids");
      const others = await within(scope.server(node).except("room").fetchSockets(), timeoutMs, "except(room).fetchSockets()");
      checkSameItems(others.map((s) => s.id), idsOf(outside), "except(room).fetchSockets() ids");
      const one = outside[0]!;
      const single = await within(scope.server(node).to(one.socket.id).fetchSockets(), timeoutMs, "to(socket id).fetchSockets()");
      checkSameItems(single.map((s) => s.id), [one.socket.id], "to(socket id).fetchSockets() ids");
    },
  },
  {
    name: "socketsJoin() and socketsLeave() change the rooms of the matching sockets on every node",
    minNodes: 1,
    needsRecovery: false,
    async run(scope) {
      const sources = await peersInRooms(scope, ["source"]);
      const bystanders = await peersInRooms(scope, []);
      const everyone = [...sources, ...bystanders];
      const sourceRecords = sources.map((peer) => peer.record("news"));
      const bystanderRecords = bystanders.map((peer) => peer.record("news"));
      const server = scope.server(0);
      // a node's operations reach every other node in order: the broadcast finds the sockets joined
      server.to("source").socketsJoin(["joined", "also-joined"]);
      server.to("joined").emit("news", "joined");
      await scope.received(sourceRecords, 1, "the sockets that joined receiving an event sent to the room");
      await scope.barrier(0, everyone);
      for (const [i, peer] of sources.entries()) {
        check(peer.socket.rooms.has("joined") && peer.socket.rooms.has("also-joined"), `socket ${i} (node ${peer.node}) is not in both joined rooms: ${[...peer.socket.rooms].join(", ")}`);
      }
      for (const [i, peer] of bystanders.entries()) {
        check(!peer.socket.rooms.has("joined"), `socket ${i} (node ${peer.node}) joined without matching`);
      }
      server.to("joined").socketsLeave("joined");
      server.to("joined").emit("news", "after leaving");
      server.to("also-joined").emit("news", "still in also-joined");
      await scope.received(sourceRecords, 2, "the sockets receiving an event sent to the room they kept");
      await scope.barrier(0, everyone);
      sourceRecords.forEach((record, i) => checkEqual(record.items, ["joined", "still in also-joined"], `events of socket ${i}`));
      bystanderRecords.forEach((record, i) => checkEqual(record.items, [], `events of bystander ${i}`));
      for (const [i, peer] of sources.entries()) {
        check(!peer.socket.rooms.has("joined"), `socket ${i} (node ${peer.node}) is still in the room it left`);
      }
      const fetched = await within(server.to("joined").fetchSockets(), scope.options.timeoutMs, "fetchSockets() of the room left");
      checkEqual(fetched.map((s) => s.id), [], "sockets still in the room left");
    },
  },
  {
    name: "disconnectSockets() disconnects the matching sockets of every node, and only them",
    minNodes: 1,
    needsRecovery: false,
    async run(scope) {
      const kicked = await peersInRooms(scope, ["kick"]);
      const kept = await peersInRooms(scope, ["stay"]);
      const gone = kicked.map((peer) =>
        nextEvent(peer.client, "disconnect", scope.options.timeoutMs, `client of node ${peer.node} being disconnected`),
      );
      scope.server(scope.nodes - 1).to("kick").disconnectSockets();
      const reasons = await Promise.all(gone);
      reasons.forEach((args, i) => checkEqual(args[0], "io server disconnect", `disconnect reason of kicked client ${i}`));
      await scope.barrier(scope.nodes - 1, kept);
      kept.forEach((peer, i) => check(peer.client.connected, `client ${i} of node ${peer.node} was disconnected without matching`));
      const left = await within(scope.server(0).fetchSockets(), scope.options.timeoutMs, "fetchSockets() after disconnectSockets()");
      checkSameItems(left.map((s) => s.id), idsOf(kept), "sockets left after disconnectSockets()");
    },
  },
  {
    name: "a socket returned by fetchSockets() can be sent an event, whatever its node",
    minNodes: 1,
    needsRecovery: false,
    async run(scope) {
      const peers = await scope.connectEverywhere(2);
      const target = peers[peers.length - 1]!;
      const records = peers.map((peer) => peer.record("news"));
      const sockets = await within(scope.server(0).fetchSockets(), scope.options.timeoutMs, "fetchSockets()");
      byId(sockets, target.socket.id, "fetchSockets()").emit("news", "just for you");
      await records[peers.length - 1]!.until(1, scope.options.timeoutMs, "the fetched socket receiving its event");
      await scope.barrier(0, peers);
      records.forEach((record, i) => checkEqual(record.items, i === peers.length - 1 ? ["just for you"] : [], `events of client ${i}`));
    },
  },
];
