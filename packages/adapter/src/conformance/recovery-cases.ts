// Connection state recovery through the adapter: a client whose transport dropped comes
// back with its id, rooms and data, and gets what was broadcast meanwhile from any node.
import { check, checkEqual } from "./assert";
import type { CaseDefinition } from "./case-definition";
import { nextEvent } from "./wait";

export const recoveryCases: CaseDefinition[] = [
  {
    name: "a client whose transport dropped recovers its id, rooms, data and the events broadcast meanwhile from any node",
    minNodes: 1,
    needsRecovery: true,
    async run(scope) {
      const { timeoutMs } = scope.options;
      const peer = await scope.connect(0);
      // a second client of the room on the same node: once it has every missed event, the node has too
      const witness = await scope.connect(0);
      await peer.socket.join("room");
      await witness.socket.join("room");
      peer.socket.data = { user: "alice" };
      const news = peer.record("news");
      const witnessed = witness.record("news");
      // a client recovers from the offset of the last event it got: it needs one
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
      await witnessed.until(1 + missed.length, timeoutMs, "the node of the client receiving every missed event");

      const back = scope.nextConnection(0, () => true, "the client connecting again (server side)");
      const connected = nextEvent(peer.client, "connect", timeoutMs, "the client connecting again");
      peer.client.connect();
      const [socket] = await Promise.all([back, connected]);
      peer.socket = socket;
      check(peer.client.recovered, "the client was not recovered");
      check(socket.recovered, "the server-side socket is not marked recovered");
      checkEqual(peer.client.id, id, "the id of the recovered client");
      check(socket.rooms.has("room"), `the recovered socket lost its room: ${[...socket.rooms].join(", ")}`);
      checkEqual(socket.data, { user: "alice" }, "the data of the recovered socket");

      scope.server(scope.nodes - 1).to("room").emit("news", "after");
      await news.until(2 + missed.length, timeoutMs, "the recovered client receiving the missed events and a new one");
      await scope.barrier(scope.nodes - 1, [peer]);
      checkEqual(news.items.slice(0, 1), ["before"], "the event before the drop");
      checkEqual(news.items.slice(-1), ["after"], "the event after the recovery");
      const replayed = news.items.slice(1, -1);
      checkEqual([...replayed].sort(), [...missed].sort(), "the replayed events (each once, none for another room)");
      for (const node of scope.liveNodes()) {
        const order = replayed.filter((item) => typeof item === "string" && item.endsWith(`from node ${node}`));
        checkEqual(order, [`room from node ${node}`, `all from node ${node}`], `the order of the events of node ${node}`);
      }
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
