// Connection state recovery through the adapter: a client whose transport dropped comes
// back with its id, rooms and data, and gets what was broadcast meanwhile from any node,
// on the node it left or on another one.
import { check, checkEqual } from "./assert";
import type { CaseDefinition } from "./case-definition";
import type { ConformanceScope, Peer, Recording } from "./scope";
import { nextEvent } from "./wait";

/**
 * Connects a client to node 0 in "room" with data, gives it a first event (a client
 * recovers from the offset of the last event it got), drops its transport, and broadcasts
 * from every node while it is away. `witnessNodes` get a client in the room each: once
 * they have every missed event, so have their nodes.
 */
async function dropAndMiss(
  scope: ConformanceScope,
  witnessNodes: readonly number[],
): Promise<{ peer: Peer; news: Recording; id: string; missed: string[] }> {
  const { timeoutMs } = scope.options;
  const peer = await scope.connect(0);
  await peer.socket.join("room");
  peer.socket.data = { user: "alice" };
  const witnesses: Recording[] = [];
  for (const node of witnessNodes) {
    const witness = await scope.connect(node);
    await witness.socket.join("room");
    witnesses.push(witness.record("news"));
  }
  const news = peer.record("news");
  scope.server(0).to("room").emit("news", "before");
  await news.until(1, timeoutMs, "the client receiving the first event");

  const id = peer.socket.id;
  const serverSaw = nextEvent(peer.socket, "disconnect", timeoutMs, "the server noticing the dropped transport");
  const clientSaw = nextEvent(peer.client, "disconnect", timeoutMs, "the client noticing its dropped transport");
  peer.client.io.engine.close();
  await Promise.all([serverSaw, clientSaw]);

  const missed: string[] = [];
  for (const node of scope.liveNodes()) {
    const server = scope.server(node);
    server.to("room").emit("news", `room from node ${node}`);
    server.to("elsewhere").emit("news", `elsewhere from node ${node}`);
    server.emit("news", `all from node ${node}`);
    missed.push(`room from node ${node}`, `all from node ${node}`);
  }
  await scope.received(witnesses, 1 + missed.length, "the witnesses receiving every missed event");
  return { peer, news, id, missed };
}

/** Reconnects `peer` (to `node`) and checks everything a recovery promises. */
async function checkRecovered(scope: ConformanceScope, node: number, state: { peer: Peer; news: Recording; id: string; missed: string[] }): Promise<void> {
  const { timeoutMs } = scope.options;
  const { peer, news, id, missed } = state;
  const back = scope.nextConnection(node, () => true, `the client connecting again to node ${node} (server side)`);
  const connected = nextEvent(peer.client, "connect", timeoutMs, `the client connecting again to node ${node}`);
  peer.client.connect();
  const [socket] = await Promise.all([back, connected]);
  peer.socket = socket;
  check(socket.recovered, `the server-side socket on node ${node} is not marked recovered`);
  check(peer.client.recovered, "the client was not recovered");
  checkEqual(socket.id, id, "the id of the recovered socket");
  check(socket.rooms.has("room"), `the recovered socket lost its room: ${[...socket.rooms].join(", ")}`);
  checkEqual(socket.data, { user: "alice" }, "the data of the recovered socket");

  const last = scope.nodes - 1;
  scope.server(last).to("room").emit("news", "after");
  await news.until(2 + missed.length, timeoutMs, "the recovered client receiving the missed events and a new one");
  await scope.barrier(last, [peer]);
  checkEqual(news.items.slice(0, 1), ["before"], "the event before the drop");
  checkEqual(news.items.slice(-1), ["after"], "the event after the recovery");
  const replayed = news.items.slice(1, -1);
  checkEqual([...replayed].sort(), [...missed].sort(), "the replayed events (each once, none for another room)");
  for (const from of scope.liveNodes()) {
    const order = replayed.filter((item) => typeof item === "string" && item.endsWith(`from node ${from}`));
    checkEqual(order, [`room from node ${from}`, `all from node ${from}`], `the order of the events of node ${from}`);
  }
}

export const recoveryCases: CaseDefinition[] = [
  {
    name: "a client whose transport dropped recovers its id, rooms, data and the events broadcast meanwhile from any node",
    minNodes: 1,
    needsRecovery: true,
    async run(scope) {
      const state = await dropAndMiss(scope, [0]);
      await checkRecovered(scope, 0, state);
    },
  },
  {
    name: "a client whose transport dropped recovers on another node, with the events broadcast meanwhile",
    minNodes: 2,
    needsRecovery: true,
    needsMoveClient: true,
    async run(scope) {
      // the session lives on node 0, the client comes back on node 1
      const state = await dropAndMiss(scope, [0, 1]);
      scope.moveClient(state.peer, 1);
      await checkRecovered(scope, 1, state);
    },
  },
  {
    name: "a client that disconnected deliberately is not recovered when it connects again",
    minNodes: 1,
    needsRecovery: true,
    async run(scope) {
      const { timeoutMs } = scope.options;
      const peer = await scope.connect(0);
      await peer.socket.join("room");
      const news = peer.record("news");
      scope.server(0).to("room").emit("news", "before");
      await news.until(1, timeoutMs, "the client receiving a first event");
      const id = peer.socket.id;
      const serverSaw = nextEvent(peer.socket, "disconnect", timeoutMs, "the server noticing the disconnection");
      peer.client.disconnect();
      await serverSaw;
      const back = scope.nextConnection(0, () => true, "the client connecting again");
      const connected = nextEvent(peer.client, "connect", timeoutMs, "the client connecting again");
      peer.client.connect();
      const [socket] = await Promise.all([back, connected]);
      check(!peer.client.recovered, "the client was recovered after a deliberate disconnection");
      check(!socket.recovered, "the server-side socket is marked recovered after a deliberate disconnection");
      check(socket.id !== id, "the socket got its old id back after a deliberate disconnection");
      check(!socket.rooms.has("room"), "the socket got its old room back after a deliberate disconnection");
    },
  },
];
