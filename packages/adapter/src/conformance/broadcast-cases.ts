// Broadcasts across nodes: to all, to rooms, except rooms, local, and with acknowledgements.
import { check, checkEqual, checkSameItems } from "./assert";
import { ackOf, describeError, idsOf, type CaseDefinition } from "./case-definition";
import type { ConformanceScope, Peer } from "./scope";
import { ackCallback, countdown } from "./wait";

/** Connects one client per node in `rooms` (joined on its node), in node order. */
export async function peersInRooms(scope: ConformanceScope, rooms: readonly string[]): Promise<Peer[]> {
  const peers: Peer[] = [];
  for (const node of scope.liveNodes()) {
    const peer = await scope.connect(node);
    if (rooms.length > 0) await peer.socket.join([...rooms]);
    peers.push(peer);
  }
  return peers;
}

function last(scope: ConformanceScope): number {
  return scope.nodes - 1;
}

export const broadcastCases: CaseDefinition[] = [
  {
    name: "emit() from any node reaches every client of every node exactly once",
    minNodes: 1,
    needsRecovery: false,
    async run(scope) {
      const peers = await scope.connectEverywhere(2);
      const records = peers.map((peer) => peer.record("news"));
      const sent = scope.liveNodes().map((node) => `from node ${node}`);
      scope.liveNodes().forEach((node) => scope.server(node).emit("news", `from node ${node}`));
      await scope.received(records, sent.length, "every client receiving one event per node");
      for (const node of scope.liveNodes()) await scope.barrier(node, peers);
      records.forEach((record, i) => checkSameItems(record.items, sent, `events received by client ${i} (node ${peers[i]!.node})`));
    },
  },
  {
    name: "to(room) reaches the members of the room on every node, and only them",
    minNodes: 1,
    needsRecovery: false,
    async run(scope) {
      const members = await peersInRooms(scope, ["room"]);
      const others = await peersInRooms(scope, ["elsewhere"]);
      const memberRecords = members.map((peer) => peer.record("news"));
      const otherRecords = others.map((peer) => peer.record("news"));
      scope.server(last(scope)).to("room").emit("news", "for the room");
      await scope.received(memberRecords, 1, "every member of the room receiving the event");
      await scope.barrier(last(scope), [...members, ...others]);
      memberRecords.forEach((record, i) => checkEqual(record.items, ["for the room"], `events of member ${i}`));
      otherRecords.forEach((record, i) => checkEqual(record.items, [], `events of non-member ${i} (node ${others[i]!.node})`));
    },
  },
  {
    name: "to() several rooms delivers once to a socket in several of them",
    minNodes: 1,
    needsRecovery: false,
    async run(scope) {
      const both = await peersInRooms(scope, ["red", "blue"]);
      const blue = await peersInRooms(scope, ["blue"]);
      const none = await peersInRooms(scope, ["green"]);
      const records = [...both, ...blue].map((peer) => peer.record("news"));
      const noneRecords = none.map((peer) => peer.record("news"));
      scope.server(0).to(["red", "blue"]).emit("news", "red or blue");
      await scope.received(records, 1, "every socket of red or blue receiving the event");
      await scope.barrier(0, [...both, ...blue, ...none]);
      records.forEach((record, i) => checkEqual(record.items, ["red or blue"], `events of room member ${i}`));
      noneRecords.forEach((record, i) => checkEqual(record.items, [], `events of non-member ${i}`));
    },
  },
  {
    name: "except(room) leaves out the members of the room on every node, and a socket id leaves out that socket",
    minNodes: 1,
    needsRecovery: false,
    async run(scope) {
      const muted = await peersInRooms(scope, ["muted"]);
      const listeners = await peersInRooms(scope, []);
      const excludedById = await scope.connect(0);
      const everyone = [...muted, ...listeners, excludedById];
      const mutedRecords = muted.map((peer) => peer.record("news"));
      const listenerRecords = listeners.map((peer) => peer.record("news"));
      const excludedRecord = excludedById.record("news");
      scope.server(last(scope)).except("muted").except(excludedById.socket.id).emit("news", "not for the muted");
      await scope.received(listenerRecords, 1, "every socket outside the room receiving the event");
      await scope.barrier(last(scope), everyone);
      listenerRecords.forEach((record, i) => checkEqual(record.items, ["not for the muted"], `events of listener ${i}`));
      mutedRecords.forEach((record, i) => checkEqual(record.items, [], `events of muted socket ${i} (node ${muted[i]!.node})`));
      checkEqual(excludedRecord.items, [], "events of the socket excluded by id");
    },
  },
  {
    name: "to(room).except(room) reaches the members of one room that are not in the other",
    minNodes: 1,
    needsRecovery: false,
    async run(scope) {
      const kept = await peersInRooms(scope, ["team"]);
      const excluded = await peersInRooms(scope, ["team", "away"]);
      const outside = await peersInRooms(scope, ["away"]);
      const keptRecords = kept.map((peer) => peer.record("news"));
      const otherRecords = [...excluded, ...outside].map((peer) => peer.record("news"));
      scope.server(0).to("team").except("away").emit("news", "team, present");
      await scope.received(keptRecords, 1, "every present member receiving the event");
      await scope.barrier(0, [...kept, ...excluded, ...outside]);
      keptRecords.forEach((record, i) => checkEqual(record.items, ["team, present"], `events of present member ${i}`));
      otherRecords.forEach((record, i) => checkEqual(record.items, [], `events of excluded socket ${i}`));
    },
  },
  {
    name: "local.emit() reaches only the clients of its own node",
    minNodes: 2,
    needsRecovery: false,
    async run(scope) {
      const peers = await scope.connectEverywhere(1);
      const records = peers.map((peer) => peer.record("news"));
      scope.server(0).local.emit("news", "node 0 only");
      await scope.received([records[0]!], 1, "the client of node 0 receiving the local event");
      await scope.barrier(0, peers);
      records.forEach((record, i) => checkEqual(record.items, i === 0 ? ["node 0 only"] : [], `events of the client of node ${peers[i]!.node}`));
    },
  },
  {
    name: "emit() with an ack collects one acknowledgement from every client of every node",
    minNodes: 1,
    needsRecovery: false,
    async run(scope) {
      const peers = await scope.connectEverywhere(2);
      for (const peer of peers) {
        peer.client.on("question", (...args) => ackOf(args, "a client asked a question")(`answer of ${peer.socket.id}`, args[0]));
      }
      const ack = ackCallback(scope.options.timeoutMs * 2, "the acknowledgement callback of a broadcast");
      scope.server(0).timeout(scope.options.timeoutMs).emit("question", 42, ack.callback);
      const [err, responses] = await ack.result;
      check(err === null || err === undefined, `expected no error, got ${describeError(err)}`);
      check(Array.isArray(responses), `expected an array of responses, got ${typeof responses}`);
      checkSameItems(responses, idsOf(peers).map((id) => `answer of ${id}`), "acknowledgements");
    },
  },
  {
    name: "emit() with an ack times out with the acknowledgements received so far when a client does not answer",
    minNodes: 1,
    needsRecovery: false,
    async run(scope) {
      const peers = await scope.connectEverywhere(1);
      const silent = await scope.connect(last(scope));
      const asked = countdown(1, scope.options.timeoutMs, "the silent client being asked");
      silent.client.on("question", () => asked.tick());
      for (const peer of peers) peer.client.on("question", (...args) => ackOf(args, "a client asked a question")(peer.socket.id));
      const { ackTimeoutMs, timeoutMs } = scope.options;
      const ack = ackCallback(ackTimeoutMs + timeoutMs, `the acknowledgement callback of a broadcast with timeout(${ackTimeoutMs})`);
      scope.server(0).timeout(ackTimeoutMs).emit("question", ack.callback);
      const [err, responses] = await ack.result;
      await asked.done;
      check(err instanceof Error, `expected an Error for the missing acknowledgement, got ${describeError(err)}`);
      check(Array.isArray(responses), `expected the responses received so far, got ${typeof responses}`);
      checkSameItems(responses, idsOf(peers), "acknowledgements received before the timeout");
    },
  },
];
